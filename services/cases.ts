// What a case workflow records in PostgreSQL. Each operation is idempotent, because Temporal may
// run an activity more than once.
import type { Db } from '../platform/db/client.ts';
import { accountAfterCaseClosed, type CaseCloseReason } from '../domain/case-lifecycle.ts';
import { recordAudit, systemActor } from './audit.ts';

export async function recordCaseOpened(db: Db, caseId: string, workflowId: string): Promise<{ balanceMinor: string }> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: { select: { balanceMinor: true } } } });
  if (found.workflowId !== workflowId) throw new Error(`case ${caseId} belongs to workflow ${found.workflowId}, not ${workflowId}`);
  return { balanceMinor: found.account.balanceMinor.toString() };
}

export async function recordPaymentOnCase(db: Db, caseId: string, paymentId: string): Promise<{ balanceMinor: string }> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: { select: { id: true, balanceMinor: true } } } });
  const payment = await db.payment.findUnique({ where: { id: paymentId }, select: { accountId: true } });
  if (!payment || payment.accountId !== found.account.id) throw new Error(`payment ${paymentId} is not on this case's account`);
  return { balanceMinor: found.account.balanceMinor.toString() };
}

export async function closeCase(db: Db, caseId: string, reason: CaseCloseReason): Promise<void> {
  await db.$transaction(async (tx) => {
    const found = await tx.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: true } });
    if (found.status === 'closed') return;
    const closed = await tx.collectionCase.update({
      where: { id: caseId },
      data: { status: 'closed', stage: 'closed', closeReason: reason, closedAt: new Date(), nextAction: null, nextActionAt: null },
    });
    const accountBefore = { status: found.account.status, serviceStatus: found.account.serviceStatus };
    const accountAfter = accountAfterCaseClosed(reason, accountBefore);
    await tx.account.update({ where: { id: found.accountId }, data: accountAfter });
    await tx.activity.create({ data: { accountId: found.accountId, caseId, kind: 'status_change', summary: `Case closed: ${reason === 'paid' ? 'paid in full' : reason.replace('_', ' ')}` } });
    await recordAudit(tx, systemActor, { action: 'case.closed', entityType: 'collection_case', entityId: caseId, accountId: found.accountId, before: { status: found.status, stage: found.stage }, after: { status: closed.status, stage: closed.stage, closeReason: reason } });
    await recordAudit(tx, systemActor, { action: 'account.status_changed', entityType: 'account', entityId: found.accountId, accountId: found.accountId, before: accountBefore, after: accountAfter });
  });
}
