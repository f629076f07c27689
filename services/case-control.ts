// A supervisor's control over a case: pause it (no strategy step, nothing sent) and resume it.
// The API asks the case's workflow, which decides (it knows whether it is paused) and then records
// each pause and resume through the activities below: once in the audit trail, once in the
// account's activity log. Both writes are idempotent, because Temporal may retry an activity.
import type { Db } from '../platform/db/client.ts';
import { senderOf, type Principal, type SenderIdentity } from '../domain/access.ts';
import type { CasePause } from '../domain/case-lifecycle.ts';
import { auditedTransaction, recordAudit, systemActor, type Actor } from './audit.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { requireCaseInScope } from './case-queries.ts';
import { ServiceError } from './errors.ts';

export async function pauseCase(db: Db, workflows: Pick<CaseWorkflows, 'pause'>, principal: Principal, caseId: string, reason: string): Promise<CasePause> {
  const found = await requireOpenCase(db, principal, caseId);
  return workflows.pause(found.workflowId, { reason, by: senderOf(principal) });
}

export async function resumeCase(db: Db, workflows: Pick<CaseWorkflows, 'resume'>, principal: Principal, caseId: string): Promise<{ resumedAt: string; pausedSince: string }> {
  const found = await requireOpenCase(db, principal, caseId);
  return workflows.resume(found.workflowId, { by: senderOf(principal) });
}

async function requireOpenCase(db: Db, principal: Principal, caseId: string) {
  const found = await requireCaseInScope(db, principal, caseId);
  if (found.status !== 'open') throw new ServiceError('case_closed', 'the case is closed');
  return found;
}

/** Activity: the workflow accepted a pause. */
export async function recordCasePaused(db: Db, input: { caseId: string } & CasePause): Promise<void> {
  await recordControl(db, input.caseId, input.by, `case-paused:${input.since}`, `Case paused by ${input.by.name}: ${input.reason}`, {
    action: 'case.paused',
    before: { paused: null },
    after: { paused: { since: input.since, reason: input.reason, by: input.by } },
  });
}

/** Activity: the workflow accepted a resume. */
export async function recordCaseResumed(db: Db, input: { caseId: string; by: SenderIdentity; resumedAt: string; pausedSince: string; pauseReason: string }): Promise<void> {
  await recordControl(db, input.caseId, input.by, `case-resumed:${input.resumedAt}`, `Case resumed by ${input.by.name} (paused since ${input.pausedSince})`, {
    action: 'case.resumed',
    before: { paused: { since: input.pausedSince, reason: input.pauseReason } },
    after: { paused: null, resumedAt: input.resumedAt },
  });
}

async function recordControl(db: Db, caseId: string, by: SenderIdentity, key: string, summary: string, audit: { action: string; before: unknown; after: unknown }): Promise<void> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, select: { accountId: true } });
  const actor: Actor = by.type === 'system' ? systemActor : { type: by.type, id: by.id };
  await auditedTransaction(db, async (tx) => {
    // The activity row's outcome is the idempotency key: a retried activity finds it and stops.
    if ((await tx.activity.count({ where: { caseId, kind: 'status_change', outcome: key } })) > 0) return;
    await tx.activity.create({ data: { accountId: found.accountId, caseId, userId: by.type === 'user' ? by.id : null, kind: 'status_change', outcome: key, summary } });
    await recordAudit(tx, actor, { action: audit.action, entityType: 'collection_case', entityId: caseId, accountId: found.accountId, before: audit.before, after: audit.after });
  });
}
