// Re-exported together so route helpers import errors and their schema from one place.
export { HttpProblem, zodErrors } from './problem.ts';
export { ProblemSchema } from './openapi-registry.ts';
