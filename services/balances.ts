// Keeps an account's denormalised balance and oldest open due date in step with its invoices.
// Called inside the transaction that changed the invoices.
import type { Prisma } from '../platform/db/client.ts';
import { localDate, toDateOnly } from '../domain/ageing.ts';
import type { DebtDates } from '../domain/limitation.ts';
import { priorityWith } from './work-facts.ts';

/** Open amount under dispute: out of the dunning balance until the dispute is resolved (C7). */
export async function disputedAmount(tx: Pick<Prisma.TransactionClient, 'invoice'>, accountId: string): Promise<bigint> {
  const disputed = await tx.invoice.aggregate({ where: { accountId, status: 'disputed' }, _sum: { openMinor: true } });
  return disputed._sum.openMinor ?? 0n;
}

export async function refreshAccountBalance(tx: Prisma.TransactionClient, accountId: string): Promise<{ balanceMinor: bigint; oldestDueDate: Date | null }> {
  const open = await tx.invoice.aggregate({
    where: { accountId, status: 'open', openMinor: { gt: 0n } },
    _sum: { openMinor: true },
    _min: { dueDate: true },
  });
  const balanceMinor = open._sum.openMinor ?? 0n;
  const oldestDueDate = open._min.dueDate ?? null;
  // The queues' priority (S2) moves with the balance and the age, so it is refreshed with them.
  const priority = await priorityWith(tx, accountId, balanceMinor, oldestDueDate);
  await tx.account.update({ where: { id: accountId }, data: { balanceMinor, oldestDueDate, priorityScore: priority } });
  return { balanceMinor, oldestDueDate };
}

/** The dates the statute of limitations runs from (X1, domain/limitation.ts), in the debtor's calendar. */
export async function debtDatesOf(tx: Pick<Prisma.TransactionClient, 'invoice' | 'payment'>, accountId: string, timeZone: string): Promise<DebtDates> {
  const [oldest, lastPayment] = await Promise.all([
    tx.invoice.findFirst({ where: { accountId, status: { in: ['open', 'disputed'] }, openMinor: { gt: 0n } }, orderBy: { dueDate: 'asc' }, select: { dueDate: true } }),
    tx.payment.findFirst({ where: { accountId, status: 'posted' }, orderBy: { receivedAt: 'desc' }, select: { receivedAt: true } }),
  ]);
  return { oldestUnpaidDueDate: oldest ? toDateOnly(oldest.dueDate) : null, lastPaymentOn: lastPayment ? localDate(lastPayment.receivedAt, timeZone) : null };
}

/** Locks the account row for the rest of the transaction, so money changes on it serialise. */
export async function lockAccount(tx: Prisma.TransactionClient, accountId: string): Promise<void> {
  await tx.$queryRaw`select id from accounts where id = ${accountId}::uuid for update`;
}
