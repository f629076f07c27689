// Reminders (S3 "set a reminder"): a strategy's `reminder` step leaves a task of kind `review` on the
// account, due `inDays` after the step ran. Collectors and supervisors see the reminders of their
// branches that are due (on My work, and on the account), and mark them done; done is audited and
// logged on the account, and marking it done twice changes nothing.
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';

export interface Reminder {
  id: string;
  title: string;
  dueAt: Date;
  status: 'open' | 'done';
  completedAt: Date | null;
  caseId: string | null;
  account: { id: string; externalRef: string; customerName: string; branchCode: string };
}

const reminderSelect = {
  id: true,
  kind: true,
  title: true,
  dueAt: true,
  status: true,
  completedAt: true,
  caseId: true,
  branchId: true,
  account: { select: { id: true, externalRef: true, customer: { select: { name: true } }, branch: { select: { code: true } } } },
} as const;

type Row = Prisma.TaskGetPayload<{ select: typeof reminderSelect }>;

const toReminder = (row: Row): Reminder => ({
  id: row.id,
  title: row.title,
  dueAt: row.dueAt,
  status: row.status === 'done' ? 'done' : 'open',
  completedAt: row.completedAt,
  caseId: row.caseId,
  account: { id: row.account.id, externalRef: row.account.externalRef, customerName: row.account.customer.name, branchCode: row.account.branch.code },
});

/** Open reminders of the caller's branches (or of one account) due by `dueBy`, earliest first. */
export async function listReminders(db: Db, principal: Principal, options: { dueBy: Date; accountId?: string | undefined; limit?: number }) {
  const scope = branchScope(principal);
  const where = { kind: 'review' as const, status: 'open' as const, dueAt: { lte: options.dueBy }, ...(scope ? { branchId: scope } : {}), ...(options.accountId ? { accountId: options.accountId } : {}) };
  const [rows, total] = await Promise.all([db.task.findMany({ where, orderBy: [{ dueAt: 'asc' }, { id: 'asc' }], take: options.limit ?? 50, select: reminderSelect }), db.task.count({ where })]);
  return { total, items: rows.map(toReminder) };
}

/** Marks a reminder done (once: a repeat answers the same). Another branch's, or a task that is not a reminder, is not found. */
export async function completeReminder(db: Db, principal: Principal, actor: Actor, reminderId: string, now = new Date()): Promise<Reminder> {
  const found = await db.task.findUnique({ where: { id: reminderId }, select: reminderSelect });
  if (!found || found.kind !== 'review' || !canAccessBranch(principal, found.branchId)) throw new ServiceError('not_found', 'no such reminder');
  if (found.status !== 'open') return toReminder(found);
  const done = await auditedTransaction(db, async (tx) => {
    // Only the first of two taps at once finds it open; the other answers what the first did.
    const claimed = await tx.task.updateMany({ where: { id: reminderId, status: 'open' }, data: { status: 'done', completedAt: now, assigneeId: principal.kind === 'user' ? principal.id : null } });
    const updated = await tx.task.findUniqueOrThrow({ where: { id: reminderId }, select: reminderSelect });
    if (claimed.count === 0) return updated;
    await tx.activity.create({ data: { accountId: found.account.id, caseId: found.caseId, userId: principal.kind === 'user' ? principal.id : null, kind: 'note', summary: `Reminder done: ${found.title}`, occurredAt: now } });
    await recordAudit(tx, actor, { action: 'task.completed', entityType: 'task', entityId: reminderId, accountId: found.account.id, before: { status: 'open' }, after: { status: 'done', completedAt: now } });
    return updated;
  });
  return toReminder(done);
}
