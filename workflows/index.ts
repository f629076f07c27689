// Every workflow the worker registers. The worker bundles this file (workflowsPath).
export { collectionCaseWorkflow } from './collection-case.ts';
