// Reads the facts the supervisor's board is built from (domain/team-board.ts decides what they count
// as): the collectors in the caller's branch scope, their work-log stretches, contacts and promises
// in the days asked for, the day's payments with the promises that may earn them, current leases and
// sign-ins. A handful of indexed queries, cheap enough to run every few seconds for the live board.
import type { Db } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { localDate } from '../domain/ageing.ts';
import { addDays, buildTeamBoard, contactKinds, localDaysWindow, type AccountPromise, type CollectorFacts, type TeamBoard } from '../domain/team-board.ts';
import { ServiceError } from './errors.ts';
import { rightPartyOutcomes as rightPartyOutcomeList } from '../domain/contact-outcomes.ts';

/** Right-party contacts are the collectors' outcomes in which they spoke with the debtor (domain/contact-outcomes.ts). */
export const rightPartyOutcomes: ReadonlySet<string> = new Set(rightPartyOutcomeList);

/** Users without a branch (head-office supervisors) count their days in this zone. */
const noBranchTimeZone = 'UTC';
/** The longest history the board reads at once (R1 asks for "any time", not "all time at once"). */
export const maxBoardDays = 92;

export interface BoardRequest {
  /** Inclusive local dates; absent: today. */
  from?: string | undefined;
  to?: string | undefined;
  branchId?: string | undefined;
}

/** The branch the board is for: the one asked for (which must be in the caller's scope), else the caller's own, else all. */
export async function boardBranch(db: Db, principal: Principal, branchId: string | undefined): Promise<string | null> {
  if (!branchId) return branchScope(principal);
  const branch = await db.branch.findUnique({ where: { id: branchId }, select: { id: true } });
  if (!branch || !canAccessBranch(principal, branch.id)) throw new ServiceError('not_found', 'no such branch');
  return branch.id;
}

export async function getTeamBoard(db: Db, principal: Principal, request: BoardRequest, now = new Date()): Promise<TeamBoard> {
  const days = request.from ? { from: request.from, to: request.to ?? request.from } : undefined;
  if (days && days.to < days.from) throw new ServiceError('validation_failed', 'the range ends before it starts', [{ path: 'query.to', message: 'must not be before from' }]);
  if (days && days.to > addDays(days.from, maxBoardDays - 1)) throw new ServiceError('validation_failed', `the board covers at most ${maxBoardDays} days at once`, [{ path: 'query.to', message: `at most ${maxBoardDays} days after from` }]);
  const branchId = await boardBranch(db, principal, request.branchId);
  return readBoard(db, branchId, days, now);
}

/** The board of one branch (null: every branch), for callers already checked for scope (the live stream). */
export async function readBoard(db: Db, branchId: string | null, days: { from: string; to: string } | undefined, now = new Date()): Promise<TeamBoard> {
  const users = await db.user.findMany({
    where: { active: true, role: { in: ['collector', 'supervisor', 'admin'] }, ...(branchId ? { branchId } : {}) },
    select: { id: true, name: true, role: true, branch: { select: { code: true, timeZone: true } } },
  });
  const userIds = users.map((u) => u.id);
  // One window wide enough for every collector's time zone; the domain cuts each one's own days out.
  const windows = [...new Set(users.map((u) => u.branch?.timeZone ?? noBranchTimeZone))].map((tz) => {
    const today = localDate(now, tz);
    return localDaysWindow(days?.from ?? today, days?.to ?? today, tz);
  });
  if (windows.length === 0) return buildTeamBoard({ days, now, collectors: [], payments: [], accountPromises: [], rightPartyOutcomes });
  const since = new Date(Math.min(...windows.map((w) => w.start.getTime())));
  const until = new Date(Math.max(...windows.map((w) => w.end.getTime())));
  const inWindow = { gte: since, lt: until };

  const [stretches, contacts, promises, promisedAccounts, leases, sessions] = await Promise.all([
    db.workLogEntry.findMany({ where: { userId: { in: userIds }, startedAt: inWindow }, select: { userId: true, accountId: true, startedAt: true, finishedAt: true } }),
    db.activity.findMany({ where: { userId: { in: userIds }, occurredAt: inWindow, kind: { in: [...contactKinds] as never } }, select: { userId: true, kind: true, outcome: true, occurredAt: true } }),
    db.promiseToPay.findMany({ where: { createdById: { in: userIds }, createdAt: inWindow }, select: { createdById: true, amountMinor: true, currency: true, createdAt: true } }),
    // Only accounts with a promise by these users that could still be in force in the window can
    // credit them a payment: their payments are read by account (indexed), not by date.
    db.promiseToPay.findMany({
      where: { createdById: { in: userIds }, createdAt: { lt: until }, OR: [{ status: { in: ['pending', 'kept'] } }, { resolvedAt: { gte: since } }] },
      distinct: ['accountId'],
      select: { accountId: true },
    }),
    db.accountLease.findMany({ where: { userId: { in: userIds } }, select: { userId: true, accountId: true, leasedAt: true, expiresAt: true, account: { select: { externalRef: true } } }, orderBy: { leasedAt: 'desc' } }),
    db.session.findMany({ where: { userId: { in: userIds }, expiresAt: { gt: now } }, select: { userId: true, createdAt: true } }),
  ]);
  const candidateAccounts = promisedAccounts.map((p) => p.accountId);
  const [payments, accountPromises]: [Awaited<ReturnType<typeof paymentsOn>>, AccountPromise[]] = candidateAccounts.length
    ? await Promise.all([
        paymentsOn(db, candidateAccounts, inWindow),
        db.promiseToPay.findMany({ where: { accountId: { in: candidateAccounts }, createdAt: { lt: until } }, select: { accountId: true, createdById: true, createdAt: true, status: true, resolvedAt: true } }),
      ])
    : [[], []];

  const liveLeases = leases.filter((l) => l.expiresAt > now);
  // A stretch still open under a lease that has run out ended when the lease expired (as
  // services/work-serving.ts records it once someone touches the account again).
  const lapsedAt = new Map(leases.filter((l) => l.expiresAt <= now).map((l) => [`${l.userId}/${l.accountId}`, l.expiresAt]));
  const effective = stretches.map((s) => (s.finishedAt ? s : { ...s, finishedAt: lapsedAt.get(`${s.userId}/${s.accountId}`) ?? null }));
  const collectors: CollectorFacts[] = users.map((user) => {
    const lease = liveLeases.find((l) => l.userId === user.id);
    const signIns = sessions.filter((s) => s.userId === user.id).map((s) => s.createdAt.getTime());
    return {
      user: { id: user.id, name: user.name, role: user.role, branchCode: user.branch?.code ?? null, timeZone: user.branch?.timeZone ?? noBranchTimeZone },
      stretches: effective.filter((s) => s.userId === user.id),
      contacts: contacts.filter((c) => c.userId === user.id),
      promises: promises.filter((p) => p.createdById === user.id),
      lease: lease ? { accountId: lease.accountId, accountRef: lease.account.externalRef, leasedAt: lease.leasedAt } : null,
      signedInAt: signIns.length ? new Date(Math.max(...signIns)) : null,
    };
  });
  return buildTeamBoard({ days, now, collectors, payments, accountPromises, rightPartyOutcomes });
}

function paymentsOn(db: Db, accountIds: string[], receivedAt: { gte: Date; lt: Date }) {
  return db.payment.findMany({ where: { accountId: { in: accountIds }, receivedAt, status: 'posted' }, select: { id: true, accountId: true, amountMinor: true, currency: true, receivedAt: true } });
}
