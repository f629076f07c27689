// The case workflow's signals and queries, declared once for the workflow and its callers (API,
// activities, tests) so that neither side can get a name or a payload wrong.
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CaseSnapshot } from '../domain/case-lifecycle.ts';

export interface PaymentReceived {
  paymentId: string;
  amountMinor: string;
}

export const paymentReceivedSignal = defineSignal<[PaymentReceived]>('paymentReceived');
export const caseSnapshotQuery = defineQuery<CaseSnapshot>('caseSnapshot');

export const caseWorkflowType = 'collectionCaseWorkflow';
