// Facts about an account that the serving queues sort and filter on (W2, W3), kept on the account
// row in the transaction that changes them, so that "next account" reads one indexed table.
import type { Prisma } from '../platform/db/client.ts';
import { toDateOnly } from '../domain/ageing.ts';
import { priorityScore, riskScoreOf } from '../domain/work-queues.ts';

type Tx = Prisma.TransactionClient;

/** The earliest open call task's due time: the account enters the queues' "calls due" then. */
export async function refreshCallDue(tx: Tx, accountId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE accounts SET call_due_at = (SELECT min(t.due_at) FROM tasks t WHERE t.account_id = accounts.id AND t.kind = 'call' AND t.status = 'open')
    WHERE id = ${accountId}::uuid`;
}

/** The S2 priority score from the account's balance, age, broken promises and risk score. */
export async function refreshPriority(tx: Tx, accountId: string): Promise<void> {
  const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { balanceMinor: true, oldestDueDate: true } });
  await tx.account.update({ where: { id: accountId }, data: { priorityScore: await priorityWith(tx, accountId, account.balanceMinor, account.oldestDueDate) } });
}

/** The priority an account would have with this balance and oldest due date (the rest read from its row). */
export async function priorityWith(tx: Tx, accountId: string, balanceMinor: bigint, oldestDueDate: Date | null): Promise<number> {
  const facts = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { brokenPromises: true, attributes: true } });
  return priorityScore({ balanceMinor, oldestDueDate: oldestDueDate ? toDateOnly(oldestDueDate) : null, brokenPromises: facts.brokenPromises, riskScore: riskScoreOf(facts.attributes) });
}
