// Promises to pay as rows: written when the workflow accepts one, resolved when it is kept or broken.
import type { Db } from '../platform/db/client.ts';
import { auditedTransaction, recordAudit, systemActor, type Actor } from './audit.ts';
import { refreshPriority } from './work-facts.ts';

export interface NewPromise {
  caseId: string;
  promiseId: string;
  amountMinor: string;
  dueDate: string;
  userId: string | null;
  /** An instalment plan (C6); absent for a single payment. */
  instalments?: Array<{ dueDate: string; amountMinor: string }>;
}

export interface PromiseResolution {
  promiseId: string;
  outcome: 'kept' | 'broken';
  /** A plan's instalments as they ended, in order. */
  instalmentStatuses?: Array<'pending' | 'kept' | 'broken'>;
}

export async function savePromise(db: Db, input: NewPromise): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    if (await tx.promiseToPay.findUnique({ where: { id: input.promiseId } })) return;
    const found = await tx.collectionCase.findUniqueOrThrow({ where: { id: input.caseId }, include: { account: { select: { currency: true } } } });
    const promise = await tx.promiseToPay.create({
      data: {
        id: input.promiseId,
        accountId: found.accountId,
        caseId: input.caseId,
        amountMinor: BigInt(input.amountMinor),
        currency: found.account.currency,
        dueDate: new Date(`${input.dueDate}T00:00:00Z`),
        createdById: input.userId,
        instalments: input.instalments ? { create: input.instalments.map((i, seq) => ({ seq: seq + 1, dueDate: new Date(`${i.dueDate}T00:00:00Z`), amountMinor: BigInt(i.amountMinor) })) } : undefined,
      },
    });
    const actor: Actor = input.userId ? { type: 'user', id: input.userId } : systemActor;
    await tx.activity.create({ data: { accountId: found.accountId, caseId: input.caseId, userId: input.userId, kind: 'promise', direction: 'inbound', summary: input.instalments ? `Promise to pay ${formatAmount(input.amountMinor, found.account.currency)} in ${input.instalments.length} instalments: ${input.instalments.map((i) => `${formatAmount(i.amountMinor, found.account.currency)} by ${i.dueDate}`).join(', ')}` : `Promise to pay ${formatAmount(input.amountMinor, found.account.currency)} by ${input.dueDate}` } });
    await recordAudit(tx, actor, { action: 'promise.made', entityType: 'promise', entityId: promise.id, accountId: found.accountId, after: { ...promise, instalments: input.instalments ?? null } });
  });
}

export async function resolvePromise(db: Db, input: PromiseResolution): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const promise = await tx.promiseToPay.findUniqueOrThrow({ where: { id: input.promiseId } });
    if (promise.status !== 'pending') return;
    await tx.promiseToPay.update({ where: { id: promise.id }, data: { status: input.outcome, resolvedAt: new Date() } });
    const statuses = input.instalmentStatuses ?? [];
    for (const [k, status] of statuses.entries()) {
      await tx.promiseInstalment.updateMany({ where: { promiseId: promise.id, seq: k + 1 }, data: { status, resolvedAt: status === 'pending' ? null : new Date() } });
    }
    if (input.outcome === 'broken') {
      // Broken promises put the account higher in the queues that sort by them (W2) and in priority (S2).
      await tx.account.update({ where: { id: promise.accountId }, data: { brokenPromises: { increment: 1 } } });
      await refreshPriority(tx, promise.accountId);
    }
    const kept = statuses.filter((s) => s === 'kept').length;
    const summary = input.outcome === 'kept' ? 'Promise to pay kept' : statuses.length ? `Instalment plan broken: ${kept} of ${statuses.length} instalments paid` : 'Promise to pay broken';
    await tx.activity.create({ data: { accountId: promise.accountId, caseId: promise.caseId, kind: 'promise', summary } });
    await recordAudit(tx, systemActor, { action: `promise.${input.outcome}`, entityType: 'promise', entityId: promise.id, accountId: promise.accountId, before: { status: 'pending' }, after: { status: input.outcome, ...(statuses.length ? { instalments: statuses } : {}) } });
  });
}

function formatAmount(amountMinor: string, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(Number(amountMinor) / 100);
}
