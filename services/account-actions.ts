// What a collector does to an account besides recording a contact: mark it for trace when the debtor
// cannot be reached at any known contact (W8) and clear the mark once found, and add a note (W6).
// Each is audited and logged on the account's contact log.
import type { Db } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { requireAccountInScope } from './account-queries.ts';
import { lockAccount } from './balances.ts';
import { ServiceError } from './errors.ts';

/** W8: the account's status becomes `trace` (the trace report and the tracing team pick it up). */
export async function markForTrace(db: Db, principal: Principal, actor: Actor, accountId: string, reason: string) {
  await requireAccountInScope(db, principal, accountId);
  return auditedTransaction(db, async (tx) => {
    await lockAccount(tx, accountId);
    const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { status: true, cases: { where: { status: 'open' }, select: { id: true } } } });
    if (account.status === 'trace') throw new ServiceError('invalid_state', 'the account is already marked for trace');
    if (account.status === 'closed' || account.status === 'written_off') throw new ServiceError('invalid_state', `a ${account.status.replace('_', ' ')} account is not traced`);
    await tx.account.update({ where: { id: accountId }, data: { status: 'trace' } });
    await tx.activity.create({ data: { accountId, caseId: account.cases[0]?.id ?? null, userId: actor.type === 'user' ? actor.id : null, kind: 'status_change', outcome: 'trace_marked', summary: `Marked for trace: ${reason}` } });
    await recordAudit(tx, actor, { action: 'account.trace_marked', entityType: 'account', entityId: accountId, accountId, before: { status: account.status }, after: { status: 'trace', reason } });
    return { accountId, status: 'trace' as const, previousStatus: account.status };
  });
}

/**
 * The debtor was found: the account leaves trace. It returns to `delinquent` while it still owes
 * (or has an open case), to `current` otherwise.
 */
export async function clearTrace(db: Db, principal: Principal, actor: Actor, accountId: string, note: string | null) {
  await requireAccountInScope(db, principal, accountId);
  return auditedTransaction(db, async (tx) => {
    await lockAccount(tx, accountId);
    const account = await tx.account.findUniqueOrThrow({ where: { id: accountId }, select: { status: true, balanceMinor: true, cases: { where: { status: 'open' }, select: { id: true } } } });
    if (account.status !== 'trace') throw new ServiceError('invalid_state', 'the account is not marked for trace');
    const status = account.balanceMinor > 0n || account.cases.length > 0 ? ('delinquent' as const) : ('current' as const);
    await tx.account.update({ where: { id: accountId }, data: { status } });
    await tx.activity.create({ data: { accountId, caseId: account.cases[0]?.id ?? null, userId: actor.type === 'user' ? actor.id : null, kind: 'status_change', outcome: 'trace_cleared', summary: `Trace cleared${note ? `: ${note}` : ''}` } });
    await recordAudit(tx, actor, { action: 'account.trace_cleared', entityType: 'account', entityId: accountId, accountId, before: { status: 'trace' }, after: { status, note } });
    return { accountId, status, previousStatus: 'trace' as const };
  });
}

export async function addNote(db: Db, principal: Principal, actor: Actor, accountId: string, text: string) {
  await requireAccountInScope(db, principal, accountId);
  return auditedTransaction(db, async (tx) => {
    const open = await tx.collectionCase.findFirst({ where: { accountId, status: 'open' }, select: { id: true } });
    const note = await tx.activity.create({ data: { accountId, caseId: open?.id ?? null, userId: actor.type === 'user' ? actor.id : null, kind: 'note', summary: text } });
    await recordAudit(tx, actor, { action: 'note.added', entityType: 'activity', entityId: note.id, accountId, after: { text } });
    return { id: note.id, occurredAt: note.occurredAt.toISOString(), summary: note.summary };
  });
}
