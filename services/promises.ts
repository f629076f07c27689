// Promises to pay as rows: written when the workflow accepts one, resolved when it is kept or broken.
import type { Db } from '../platform/db/client.ts';
import { auditedTransaction, recordAudit, systemActor, type Actor } from './audit.ts';

export async function savePromise(db: Db, input: { caseId: string; promiseId: string; amountMinor: string; dueDate: string; userId: string | null }): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    if (await tx.promiseToPay.findUnique({ where: { id: input.promiseId } })) return;
    const found = await tx.collectionCase.findUniqueOrThrow({ where: { id: input.caseId }, include: { account: { select: { currency: true } } } });
    const promise = await tx.promiseToPay.create({
      data: { id: input.promiseId, accountId: found.accountId, caseId: input.caseId, amountMinor: BigInt(input.amountMinor), currency: found.account.currency, dueDate: new Date(`${input.dueDate}T00:00:00Z`), createdById: input.userId },
    });
    const actor: Actor = input.userId ? { type: 'user', id: input.userId } : systemActor;
    await tx.activity.create({ data: { accountId: found.accountId, caseId: input.caseId, userId: input.userId, kind: 'promise', direction: 'inbound', summary: `Promise to pay ${formatAmount(input.amountMinor, found.account.currency)} by ${input.dueDate}` } });
    await recordAudit(tx, actor, { action: 'promise.made', entityType: 'promise', entityId: promise.id, accountId: found.accountId, after: promise });
  });
}

export async function resolvePromise(db: Db, input: { promiseId: string; outcome: 'kept' | 'broken' }): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const promise = await tx.promiseToPay.findUniqueOrThrow({ where: { id: input.promiseId } });
    if (promise.status !== 'pending') return;
    await tx.promiseToPay.update({ where: { id: promise.id }, data: { status: input.outcome, resolvedAt: new Date() } });
    await tx.activity.create({ data: { accountId: promise.accountId, caseId: promise.caseId, kind: 'promise', summary: input.outcome === 'kept' ? 'Promise to pay kept' : 'Promise to pay broken' } });
    await recordAudit(tx, systemActor, { action: `promise.${input.outcome}`, entityType: 'promise', entityId: promise.id, accountId: promise.accountId, before: { status: 'pending' }, after: { status: input.outcome } });
  });
}

function formatAmount(amountMinor: string, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amountMinor) / 100);
}
