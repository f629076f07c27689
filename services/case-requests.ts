// A collector's requests to an account's open case: a promise to pay (C6) and a postponement (W4).
// The case workflow validates and answers them (updates); this turns its refusals into ServiceErrors
// with stable codes. Shared by the case routes and the contact-outcome service, so a promise made
// from either place is the same request and is refused for the same reasons.
import type { Db } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import type { PromiseTermsRequest } from '../domain/contact-outcomes.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { openCaseOf } from './case-queries.ts';
import { ServiceError } from './errors.ts';
import { postponeWork } from './work-serving.ts';

export async function requestPromise(db: Db, workflows: CaseWorkflows, principal: Principal, accountId: string, terms: PromiseTermsRequest) {
  const open = await openCaseOf(db, principal, accountId);
  const userId = principal.kind === 'user' ? principal.id : null;
  const request =
    'instalments' in terms
      ? { amountMinor: String(terms.instalments.reduce((sum, i) => sum + i.amountMinor, 0)), dueDate: terms.instalments[terms.instalments.length - 1]!.dueDate, instalments: terms.instalments.map((i) => ({ amountMinor: String(i.amountMinor), dueDate: i.dueDate })), userId }
      : { amountMinor: String(terms.amountMinor), dueDate: terms.dueDate, userId };
  try {
    const accepted = await workflows.recordPromise(open.workflowId, request);
    return { caseId: open.id, accepted };
  } catch (error) {
    if (error instanceof ServiceError && error.code === 'promise_refused') {
      const reasons = error.message.split(',');
      if (reasons.includes('promise_already_pending')) throw new ServiceError('promise_already_pending', 'a promise to pay is already pending on this case');
      const pathOf = (reason: string) => ('instalments' in terms ? 'body.instalments' : reason.startsWith('amount') ? 'body.amountMinor' : reason.startsWith('date') ? 'body.dueDate' : 'body');
      throw new ServiceError('promise_refused', 'the case cannot accept this promise', reasons.map((r) => ({ path: pathOf(r), message: r })));
    }
    throw error;
  }
}

export async function requestPostponement(db: Db, workflows: CaseWorkflows, principal: Principal, accountId: string, until: Date, reason: string | null) {
  const open = await openCaseOf(db, principal, accountId);
  const accepted = await workflows.postpone(open.workflowId, { until: until.toISOString(), userId: principal.kind === 'user' ? principal.id : null, reason });
  // The account leaves the queues at once and comes back to this collector (W4); their work on it ends as postponed.
  if (principal.kind === 'user') await postponeWork(db, principal.id, accountId, new Date(accepted.until));
  return { caseId: open.id, until: accepted.until };
}
