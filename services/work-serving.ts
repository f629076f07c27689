// "Next account" (W3): serves a collector the top eligible account of their work, atomically, and
// leases it to them while they work it (W7). Sources, in order: their own postponements that have
// come due (W4), accounts a supervisor allocated to them, then their queues by rank, each in the
// queue's ordering (W2). Two collectors never get the same account: candidates are locked with
// FOR UPDATE SKIP LOCKED and the lease row (one per account) is the final arbiter.
import { Prisma, type Db } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { contactDecision } from '../domain/contact-rules.ts';
import { leaseDurationMs, postponementGraceMs, reworkAfterMs, type QueueFilter, type QueueOrdering, type ServeReason } from '../domain/work-queues.ts';
import { contactFactsForAccount, contactPolicyForAccount } from './contact-policy.ts';
import { ServiceError } from './errors.ts';
import { refreshCallDue } from './work-facts.ts';
import { queuesServedTo, type ServedQueue } from './work-queues.ts';

type UserPrincipal = Extract<Principal, { kind: 'user' }>;
type Tx = Prisma.TransactionClient;

export interface ServedAccount {
  account: { id: string; externalRef: string; customerName: string };
  queue: { id: string; name: string } | null;
  reason: ServeReason;
  lease: { expiresAt: Date };
}

/** Nothing to serve; `heldUntil`: the accounts next in line are held by the contact policy, the first until then. */
export type NextAccountAnswer = ServedAccount | { account: null; reason: 'queues_empty'; heldUntil: Date | null };

/** A call held by the contact policy for good (cease, lawyer, opt-out) is held this long, then looked at again. */
const blockedHoldMs = 30 * 86_400_000;
/** Candidates looked at per source and request: enough to step over a few held by the contact policy. */
const maxAttempts = 12;

export async function nextAccount(db: Db, user: UserPrincipal, now = new Date()): Promise<NextAccountAnswer> {
  await finishAllWork(db, user.id, 'finished', now);
  const [queues, [personal]] = await Promise.all([
    queuesServedTo(db, user),
    // Most collectors have neither: one cheap look saves a query per source.
    db.$queryRaw<Array<{ postponed: boolean; allocated: boolean }>>`
      SELECT EXISTS (SELECT 1 FROM accounts WHERE postponed_for_id = ${user.id}::uuid AND postponed_until <= ${now}) AS postponed,
             EXISTS (SELECT 1 FROM accounts WHERE allocated_to_id = ${user.id}::uuid) AS allocated`,
  ]);
  const sources: Source[] = [
    ...(personal?.postponed ? [{ reason: 'postponed', queue: null, filter: {}, ordering: ['oldest_debt'], only: Prisma.sql`a.postponed_for_id = ${user.id}::uuid AND a.postponed_until <= ${now}` } satisfies Source] : []),
    ...(personal?.allocated ? [{ reason: 'allocated', queue: null, filter: {}, ordering: ['due_calls_first', 'priority'], only: Prisma.sql`a.allocated_to_id = ${user.id}::uuid` } satisfies Source] : []),
    ...queues.map((queue): Source => ({ reason: 'queue', queue, filter: queue.filter, ordering: queue.ordering, only: Prisma.sql`TRUE` })),
  ];
  return db.$transaction(async (tx): Promise<NextAccountAnswer> => {
    const holds: Date[] = [];
    for (const source of sources) {
      for (const pass of passesOf(source, now)) {
        const served = await serveFrom(tx, user, source, pass, now, holds);
        if (served) return served;
      }
    }
    // Accounts held before this request are not looked at again; the earliest of their holds counts too.
    const [earlier] = await tx.$queryRaw<Array<{ at: Date | null }>>`
      SELECT min(a.call_hold_until) AS at FROM accounts a
      WHERE a.status IN ('delinquent', 'trace') AND a.balance_minor > 0 AND a.call_hold_until > ${now}
        ${user.branchId ? Prisma.sql`AND a.branch_id = ${user.branchId}::uuid` : Prisma.empty}`;
    if (earlier?.at) holds.push(earlier.at);
    const heldUntil = holds.length ? new Date(Math.min(...holds.map((d) => d.getTime()))) : null;
    return { account: null, reason: 'queues_empty', heldUntil };
  });
}

interface Source {
  reason: ServeReason;
  queue: ServedQueue | null;
  filter: QueueFilter;
  ordering: QueueOrdering[];
  only: Prisma.Sql;
}

interface Pass {
  only: Prisma.Sql;
  ordering: QueueOrdering[];
}

/**
 * "Calls due first" leading an ordering splits the source in two passes, the accounts with a call
 * due (few, found through their own index) and then the rest, each in the remaining order: every
 * pass's ORDER BY is then plain columns that an index can hand over already sorted, so the query
 * stops at the first eligible row instead of sorting the whole book (see the serving indexes).
 */
function passesOf(source: Source, now: Date): Pass[] {
  const [first, ...rest] = source.ordering;
  if (first !== 'due_calls_first') return [{ only: source.only, ordering: source.ordering }];
  return [
    { only: Prisma.sql`${source.only} AND a.call_due_at <= ${now}`, ordering: rest },
    { only: source.only, ordering: rest },
  ];
}

async function serveFrom(tx: Tx, user: UserPrincipal, source: Source, pass: Pass, now: Date, holds: Date[]): Promise<ServedAccount | null> {
  // One candidate at a time, so that a collector never keeps others from the rows after the first.
  // A candidate may turn out held by the contact policy (it is marked held, and the next query
  // passes over it) or leased by a collector who committed after this query began (the lease row
  // decides; the next query sees that lease).
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const [candidate] = await tx.$queryRaw<Array<{ id: string; external_ref: string; customer_name: string; call_due_at: Date | null }>>`
      SELECT a.id, a.external_ref, (SELECT c.name FROM customers c WHERE c.id = a.customer_id) AS customer_name, a.call_due_at
      FROM accounts a
      WHERE ${eligibleFor(user, now)} AND ${pass.only} AND ${filterSql(source.filter, now)}
      ORDER BY ${orderingSql(pass.ordering, now)}, a.id
      LIMIT 1
      FOR UPDATE OF a SKIP LOCKED`;
    if (!candidate) return null;
    // Inside the transaction: reads on the pool beside it would wait for connections that other
    // serving transactions hold, and under load they would all wait on each other.
    const hold = await callHold(tx as unknown as Db, candidate.id, now);
    if (hold) {
      await tx.account.update({ where: { id: candidate.id }, data: { callHoldUntil: hold } });
      holds.push(hold);
      continue;
    }
    const lease = await takeLeaseIn(tx, user.id, candidate.id, source.queue?.id ?? null, now);
    if (!lease) continue;
    const reason: ServeReason = source.reason === 'queue' && candidate.call_due_at && candidate.call_due_at <= now ? 'call_task' : source.reason;
    return {
      account: { id: candidate.id, externalRef: candidate.external_ref, customerName: candidate.customer_name },
      queue: source.queue ? { id: source.queue.id, name: source.queue.name } : null,
      reason,
      lease: { expiresAt: lease.expiresAt },
    };
  }
  return null;
}

/** What every served account must be (W3): in arrears with money not disputed, not postponed, not held, not just worked, not someone else's. */
export function eligibleFor(user: UserPrincipal, now: Date): Prisma.Sql {
  const graceEnd = new Date(now.getTime() - postponementGraceMs);
  const reworkFrom = new Date(now.getTime() - reworkAfterMs);
  return Prisma.sql`a.status IN ('delinquent', 'trace') AND a.balance_minor > 0
    AND EXISTS (SELECT 1 FROM collection_cases cc WHERE cc.account_id = a.id AND cc.status = 'open')
    ${user.branchId ? Prisma.sql`AND a.branch_id = ${user.branchId}::uuid` : Prisma.empty}
    AND (a.postponed_until IS NULL OR a.postponed_until <= ${graceEnd} OR (a.postponed_for_id = ${user.id}::uuid AND a.postponed_until <= ${now}))
    AND (a.call_hold_until IS NULL OR a.call_hold_until <= ${now})
    AND (a.last_worked_at IS NULL OR a.last_worked_at <= ${reworkFrom}
         OR (a.call_due_at <= ${now} AND a.call_due_at > a.last_worked_at)
         OR (a.postponed_until <= ${now} AND a.postponed_until > a.last_worked_at))
    AND (a.allocated_to_id IS NULL OR a.allocated_to_id = ${user.id}::uuid)
    AND NOT EXISTS (SELECT 1 FROM account_leases l WHERE l.account_id = a.id AND l.expires_at > ${now} AND l.user_id <> ${user.id}::uuid)`;
}

/**
 * A queue's filter as SQL over accounts `a` alone: what needs the customer, the open case or the
 * segment asks through EXISTS, so that serving can walk an index of accounts in order.
 */
export function filterSql(filter: QueueFilter, now: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (!filter.includeTrace) parts.push(Prisma.sql`a.status = 'delinquent'`);
  if (filter.branchIds) parts.push(Prisma.sql`a.branch_id = ANY(${filter.branchIds}::uuid[])`);
  if (filter.segmentCodes) parts.push(Prisma.sql`a.segment_id IN (SELECT s.id FROM segments s WHERE s.code = ANY(${filter.segmentCodes}::text[]))`);
  if (filter.sectors) parts.push(Prisma.sql`lower(a.attributes->>'sector') = ANY(${filter.sectors.map((s) => s.trim().toLowerCase())}::text[])`);
  if (filter.stages) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM collection_cases cs WHERE cs.account_id = a.id AND cs.status = 'open' AND cs.stage::text = ANY(${filter.stages}::text[]))`);
  const customer: Prisma.Sql[] = [];
  if (filter.customerType) customer.push(Prisma.sql`c.type::text = ${filter.customerType}`);
  // Days past due in the debtor's own calendar (domain/ageing.ts counts the same way).
  const today = Prisma.sql`(${now}::timestamptz AT TIME ZONE c.time_zone)::date`;
  if (filter.minDaysPastDue !== undefined) customer.push(Prisma.sql`a.oldest_due_date <= ${today} - ${filter.minDaysPastDue}::int`);
  if (filter.maxDaysPastDue !== undefined) customer.push(Prisma.sql`a.oldest_due_date >= ${today} - ${filter.maxDaysPastDue}::int`);
  if (customer.length) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM customers c WHERE c.id = a.customer_id AND ${Prisma.join(customer, ' AND ')})`);
  if (filter.minBalanceMinor !== undefined) parts.push(Prisma.sql`a.balance_minor >= ${BigInt(filter.minBalanceMinor)}`);
  if (filter.maxBalanceMinor !== undefined) parts.push(Prisma.sql`a.balance_minor <= ${BigInt(filter.maxBalanceMinor)}`);
  if (filter.brokenPromisesOnly) parts.push(Prisma.sql`a.broken_promises > 0`);
  if (filter.dueCallsOnly) parts.push(Prisma.sql`a.call_due_at <= ${now}`);
  return parts.length ? Prisma.join(parts, ' AND ') : Prisma.sql`TRUE`;
}

export function orderingSql(ordering: QueueOrdering[], now: Date): Prisma.Sql {
  const keys = ordering.map((key): Prisma.Sql => {
    switch (key) {
      case 'due_calls_first':
        return Prisma.sql`(a.call_due_at IS NOT NULL AND a.call_due_at <= ${now}) DESC`;
      case 'broken_promises_first':
        return Prisma.sql`a.broken_promises DESC`;
      case 'oldest_debt':
        return Prisma.sql`a.oldest_due_date ASC NULLS LAST`;
      case 'newest_debt':
        return Prisma.sql`a.oldest_due_date DESC NULLS LAST`;
      case 'largest_balance':
        return Prisma.sql`a.balance_minor DESC`;
      case 'smallest_balance':
        return Prisma.sql`a.balance_minor ASC`;
      case 'priority':
        return Prisma.sql`a.priority_score DESC`;
      case 'branch':
        return Prisma.sql`a.branch_id`;
      case 'segment':
        return Prisma.sql`(SELECT s.code FROM segments s WHERE s.id = a.segment_id) ASC NULLS LAST`;
      case 'sector':
        return Prisma.sql`lower(a.attributes->>'sector') ASC NULLS LAST`;
    }
  });
  return keys.length ? Prisma.join(keys, ', ') : Prisma.sql`a.priority_score DESC`;
}

/** When the contact policy holds calls to the account (X1): the moment to look again, or null if a call is allowed now. */
async function callHold(db: Db, accountId: string, now: Date): Promise<Date | null> {
  const [policy, facts] = await Promise.all([contactPolicyForAccount(db, accountId), contactFactsForAccount(db, accountId, now)]);
  const decision = contactDecision({ channel: 'call' }, facts, policy, now);
  if (decision.kind === 'allowed') return null;
  return decision.kind === 'deferred' ? decision.until : new Date(now.getTime() + blockedHoldMs);
}

/** Looks again at the policy for calls to the account: after a call, a restriction, a new contact. */
export async function refreshCallHold(db: Db, accountId: string, now = new Date()): Promise<Date | null> {
  const hold = await callHold(db, accountId, now);
  await db.account.update({ where: { id: accountId }, data: { callHoldUntil: hold } });
  return hold;
}

/**
 * Takes (or renews) the lease on an account for a user, inside the caller's transaction. Answers
 * null when someone else holds a live lease. A takeover of an expired lease closes the previous
 * holder's stretch of work as expired.
 */
async function takeLeaseIn(tx: Tx, userId: string, accountId: string, queueId: string | null, now: Date): Promise<{ expiresAt: Date; renewed: boolean } | null> {
  const expiresAt = new Date(now.getTime() + leaseDurationMs);
  // One statement (every part sees the lease as it was before it): close an expired holder's
  // stretch, take or renew the lease, open a stretch of work unless it is a renewal.
  const rows = await tx.$queryRaw<Array<{ renewed: boolean }>>`
    WITH closed AS (
      UPDATE work_log w SET finished_at = l.expires_at, ending = 'expired'
      FROM account_leases l
      WHERE l.account_id = ${accountId}::uuid AND l.expires_at <= ${now} AND w.account_id = l.account_id AND w.user_id = l.user_id AND w.finished_at IS NULL
      RETURNING w.id
    ), lease AS (
      INSERT INTO account_leases (account_id, user_id, queue_id, leased_at, renewed_at, expires_at)
      VALUES (${accountId}::uuid, ${userId}::uuid, ${queueId}::uuid, ${now}, ${now}, ${expiresAt})
      ON CONFLICT (account_id) DO UPDATE
        SET user_id = EXCLUDED.user_id,
            queue_id = CASE WHEN account_leases.user_id = EXCLUDED.user_id AND account_leases.expires_at > ${now} THEN account_leases.queue_id ELSE EXCLUDED.queue_id END,
            leased_at = CASE WHEN account_leases.user_id = EXCLUDED.user_id AND account_leases.expires_at > ${now} THEN account_leases.leased_at ELSE EXCLUDED.leased_at END,
            renewed_at = EXCLUDED.renewed_at,
            expires_at = EXCLUDED.expires_at
        WHERE account_leases.expires_at <= ${now} OR account_leases.user_id = EXCLUDED.user_id
      RETURNING (leased_at < ${now}) AS renewed
    ), opened AS (
      INSERT INTO work_log (id, account_id, user_id, queue_id, started_at)
      SELECT gen_random_uuid(), ${accountId}::uuid, ${userId}::uuid, ${queueId}::uuid, ${now} FROM lease WHERE NOT lease.renewed
      RETURNING id
    )
    SELECT renewed, (SELECT count(*) FROM closed) AS closed, (SELECT count(*) FROM opened) AS opened FROM lease`;
  const row = rows[0];
  return row ? { expiresAt, renewed: row.renewed } : null;
}

/** Opening an account by hand (search, link) leases it too, unless someone else works it (W7). */
export async function leaseAccount(db: Db, user: UserPrincipal, accountId: string, now = new Date()): Promise<{ expiresAt: Date; renewed: boolean }> {
  // One account at a time: opening another finishes the one before (what "now working on" shows).
  await finishLeases(db, user.id, Prisma.sql`AND account_id <> ${accountId}::uuid`, 'released', now);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM accounts WHERE id = ${accountId}::uuid FOR UPDATE`; // account row first, then the lease
    const lease = await takeLeaseIn(tx, user.id, accountId, null, now);
    if (lease) return lease;
    const holder = await tx.accountLease.findUniqueOrThrow({ where: { accountId } });
    const holderUser = await tx.user.findUnique({ where: { id: holder.userId }, select: { name: true } });
    throw new ServiceError('account_leased', `${holderUser?.name ?? 'another collector'} is working this account`, undefined, {
      holder: { userId: holder.userId, name: holderUser?.name ?? null, since: holder.leasedAt.toISOString(), expiresAt: holder.expiresAt.toISOString() },
    });
  });
}

export type WorkEnding = 'finished' | 'postponed' | 'released';

/** Finishes the user's work on an account: the lease goes, the stretch of work is logged, the account remembers who worked it. */
export async function finishWork(db: Db, user: UserPrincipal, accountId: string, ending: WorkEnding, now = new Date()): Promise<void> {
  const finished = await finishLeases(db, user.id, Prisma.sql`AND account_id = ${accountId}::uuid`, ending, now);
  if (finished === 0) throw new ServiceError('not_leased', 'you are not working this account (the lease expired or was never taken)');
}

/** Finishes whatever the user is working on (asking for the next account, signing out). */
export async function finishAllWork(db: Db, userId: string, ending: WorkEnding, now = new Date()): Promise<number> {
  return finishLeases(db, userId, Prisma.empty, ending, now);
}

async function finishLeases(db: Db, userId: string, which: Prisma.Sql, ending: WorkEnding, now: Date): Promise<number> {
  const [any] = await db.$queryRaw<Array<{ one: number }>>`SELECT 1 AS one FROM account_leases WHERE user_id = ${userId}::uuid ${which} LIMIT 1`;
  if (!any) return 0;
  return db.$transaction(async (tx) => {
    // Locks in the one order every serving transaction uses: the account row, then its lease row.
    // (A "next" whose snapshot predates this lease may hold the account and knock on the lease.)
    const held = await tx.$queryRaw<Array<{ account_id: string }>>`SELECT account_id FROM account_leases WHERE user_id = ${userId}::uuid ${which}`;
    if (held.length === 0) return 0;
    const heldIds = held.map((l) => l.account_id);
    await tx.$queryRaw`SELECT id FROM accounts WHERE id = ANY(${heldIds}::uuid[]) ORDER BY id FOR UPDATE`;
    const leases = await tx.$queryRaw<Array<{ account_id: string; expires_at: Date }>>`
      DELETE FROM account_leases WHERE user_id = ${userId}::uuid AND account_id = ANY(${heldIds}::uuid[]) RETURNING account_id, expires_at`;
    const live = leases.filter((l) => l.expires_at > now).map((l) => l.account_id);
    // A lease that ran out before the collector finished ends its stretch when it expired.
    for (const lapsed of leases.filter((l) => l.expires_at <= now)) {
      await tx.$executeRaw`UPDATE work_log SET finished_at = ${lapsed.expires_at}, ending = 'expired' WHERE user_id = ${userId}::uuid AND account_id = ${lapsed.account_id}::uuid AND finished_at IS NULL`;
    }
    if (live.length === 0) return 0;
    await tx.$executeRaw`UPDATE work_log SET finished_at = ${now}, ending = ${ending} WHERE user_id = ${userId}::uuid AND account_id = ANY(${live}::uuid[]) AND finished_at IS NULL`;
    // The calls that brought the account here are done: worked, or postponed to a new call back.
    await tx.$executeRaw`UPDATE tasks SET status = 'done', completed_at = ${now} WHERE account_id = ANY(${live}::uuid[]) AND kind = 'call' AND status = 'open' AND due_at <= ${now}`;
    for (const accountId of live) await refreshCallDue(tx, accountId);
    await tx.$executeRaw`
      UPDATE accounts SET last_worked_at = ${now}, last_worked_by_id = ${userId}::uuid,
        postponed_until = CASE WHEN postponed_for_id = ${userId}::uuid AND postponed_until <= ${now} THEN NULL ELSE postponed_until END,
        postponed_for_id = CASE WHEN postponed_for_id = ${userId}::uuid AND postponed_until <= ${now} THEN NULL ELSE postponed_for_id END
      WHERE id = ANY(${live}::uuid[])`;
    return live.length;
  });
}

/** Who works the account now and who worked it last: the W7 banner's facts. */
export async function workStateOf(db: Db, accountId: string, now = new Date()) {
  const [lease, account] = await Promise.all([
    db.accountLease.findUnique({ where: { accountId } }),
    db.account.findUniqueOrThrow({ where: { id: accountId }, select: { lastWorkedAt: true, lastWorkedById: true, postponedUntil: true, postponedForId: true, allocatedToId: true } }),
  ]);
  const live = lease && lease.expiresAt > now ? lease : null;
  const userIds = [live?.userId, account.lastWorkedById, account.allocatedToId, account.postponedForId].filter((id): id is string => Boolean(id));
  const users = new Map((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true, name: true } })).map((u) => [u.id, u.name]));
  return {
    leasedBy: live ? { userId: live.userId, name: users.get(live.userId) ?? '', since: live.leasedAt, expiresAt: live.expiresAt } : null,
    lastWorked: account.lastWorkedAt && account.lastWorkedById ? { userId: account.lastWorkedById, name: users.get(account.lastWorkedById) ?? '', at: account.lastWorkedAt } : null,
    postponedUntil: account.postponedUntil,
    postponedFor: account.postponedForId ? { userId: account.postponedForId, name: users.get(account.postponedForId) ?? '' } : null,
    allocatedTo: account.allocatedToId ? { userId: account.allocatedToId, name: users.get(account.allocatedToId) ?? '' } : null,
  };
}

/**
 * A collector postponed the account they are working (W4): it leaves the queues at once (the case
 * workflow records the postponement too, moments later) and the stretch of work ends as postponed.
 */
export async function postponeWork(db: Db, userId: string, accountId: string, until: Date, now = new Date()): Promise<void> {
  await db.account.update({ where: { id: accountId }, data: { postponedUntil: until, postponedForId: userId } });
  await finishLeases(db, userId, Prisma.sql`AND account_id = ${accountId}::uuid`, 'postponed', now);
}
