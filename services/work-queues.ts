// Work queues (W2, S2): supervisors define them (a filter and an ordering, domain/work-queues.ts),
// assign collectors or whole branches, preview what they hold, and allocate accounts in bulk.
// A branch supervisor works inside their branch; admins and head-office supervisors anywhere.
import { Prisma, type Db } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { queueDefinitionProblems, type QueueDefinition, type QueueFilter, type QueueOrdering } from '../domain/work-queues.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { filterSql, orderingSql } from './work-serving.ts';

export interface ServedQueue {
  id: string;
  name: string;
  filter: QueueFilter;
  ordering: QueueOrdering[];
}

export interface QueueInput extends QueueDefinition {
  branchId: string | null;
  rank: number;
  active: boolean;
  members: { userIds: string[]; branchIds: string[] };
}

const withMembers = { members: true } satisfies Prisma.WorkQueueInclude;

/** The queues a collector works, best rank first: theirs by name or through their branch. */
export async function queuesServedTo(db: Db, user: Extract<Principal, { kind: 'user' }>): Promise<ServedQueue[]> {
  const memberOf: Prisma.WorkQueueMemberWhereInput[] = [{ userId: user.id }];
  if (user.branchId) memberOf.push({ branchId: user.branchId });
  const queues = await db.workQueue.findMany({
    where: { active: true, members: { some: { OR: memberOf } }, ...(user.branchId ? { OR: [{ branchId: null }, { branchId: user.branchId }] } : {}) },
    orderBy: [{ rank: 'asc' }, { name: 'asc' }],
  });
  return queues.map((q) => ({ id: q.id, name: q.name, filter: q.filter as QueueFilter, ordering: q.ordering as QueueOrdering[] }));
}

/** The people a supervisor can give work to: active collectors (and supervisors) in their scope. */
export async function listCollectors(db: Db, principal: Principal) {
  const scope = branchScope(principal);
  return db.user.findMany({
    where: { active: true, role: { in: ['collector', 'supervisor'] }, ...(scope ? { branchId: scope } : {}) },
    select: { id: true, name: true, role: true, branchId: true },
    orderBy: [{ role: 'asc' }, { name: 'asc' }],
  });
}

export async function listQueues(db: Db, principal: Principal) {
  const scope = branchScope(principal);
  return db.workQueue.findMany({ where: scope ? { branchId: scope } : {}, include: withMembers, orderBy: [{ rank: 'asc' }, { name: 'asc' }] });
}

export async function getQueue(db: Db, principal: Principal, queueId: string) {
  const queue = await db.workQueue.findUnique({ where: { id: queueId }, include: withMembers });
  if (!queue || !inScope(principal, queue.branchId)) throw new ServiceError('not_found', 'no such queue');
  return queue;
}

export async function createQueue(db: Db, principal: Principal, actor: Actor, input: QueueInput) {
  const branchId = await checkedInput(db, principal, input);
  return auditedTransaction(db, async (tx) => {
    const queue = await tx.workQueue.create({
      data: { name: input.name.trim(), branchId, filter: input.filter as Prisma.InputJsonValue, ordering: input.ordering, rank: input.rank, active: input.active, createdById: actor.type === 'user' ? actor.id : null, members: { create: memberRows(input.members) } },
      include: withMembers,
    });
    await recordQueueAudit(tx, actor, 'work_queue.created', queue.id, null, describe(queue));
    return queue;
  });
}

export async function updateQueue(db: Db, principal: Principal, actor: Actor, queueId: string, input: QueueInput) {
  const before = await getQueue(db, principal, queueId);
  const branchId = await checkedInput(db, principal, input);
  return auditedTransaction(db, async (tx) => {
    await tx.workQueueMember.deleteMany({ where: { queueId } });
    const queue = await tx.workQueue.update({
      where: { id: queueId },
      data: { name: input.name.trim(), branchId, filter: input.filter as Prisma.InputJsonValue, ordering: input.ordering, rank: input.rank, active: input.active, members: { create: memberRows(input.members) } },
      include: withMembers,
    });
    await recordQueueAudit(tx, actor, 'work_queue.updated', queue.id, describe(before), describe(queue));
    return queue;
  });
}

export async function deleteQueue(db: Db, principal: Principal, actor: Actor, queueId: string): Promise<void> {
  const before = await getQueue(db, principal, queueId);
  await auditedTransaction(db, async (tx) => {
    await tx.workQueue.delete({ where: { id: queueId } });
    await recordQueueAudit(tx, actor, 'work_queue.deleted', queueId, describe(before), null);
  });
}

/** How many accounts each of the collector's queues holds now ("My work"). */
export async function countQueues(db: Db, principal: Principal, queues: ServedQueue[], now = new Date()) {
  const scope = branchScope(principal);
  return Promise.all(
    queues.map(async (q) => {
      const [row] = await db.$queryRaw<Array<{ n: bigint }>>`
        SELECT count(*) AS n FROM accounts a
        WHERE a.status IN ('delinquent', 'trace') AND a.balance_minor > 0 ${scope ? Prisma.sql`AND a.branch_id = ${scope}::uuid` : Prisma.empty}
          AND EXISTS (SELECT 1 FROM collection_cases cc WHERE cc.account_id = a.id AND cc.status = 'open') AND ${filterSql(q.filter, now)}`;
      return { id: q.id, name: q.name, count: Number(row?.n ?? 0) };
    }),
  );
}

/** How many accounts the queue holds now and the first few in its order, for the supervisor to check before saving. */
export async function previewQueue(db: Db, principal: Principal, definition: { filter: QueueFilter; ordering: QueueOrdering[]; branchId: string | null }, now = new Date()) {
  const scope = branchScope(principal) ?? definition.branchId;
  const where = Prisma.sql`a.status IN ('delinquent', 'trace') AND a.balance_minor > 0 ${scope ? Prisma.sql`AND a.branch_id = ${scope}::uuid` : Prisma.empty} AND ${filterSql(definition.filter, now)}`;
  const from = Prisma.sql`FROM accounts a JOIN customers c ON c.id = a.customer_id JOIN collection_cases cc ON cc.account_id = a.id AND cc.status = 'open' LEFT JOIN segments s ON s.id = a.segment_id`;
  const [counted, first] = await Promise.all([
    db.$queryRaw<Array<{ n: bigint; sum: bigint | null }>>`SELECT count(*) AS n, sum(a.balance_minor) AS sum ${from} WHERE ${where}`,
    db.$queryRaw<Array<{ id: string; external_ref: string; customer_name: string; balance_minor: bigint; oldest_due_date: Date | null; broken_promises: number; stage: string; currency: string }>>`
      SELECT a.id, a.external_ref, c.name AS customer_name, a.balance_minor, a.oldest_due_date, a.broken_promises, cc.stage::text AS stage, a.currency
      ${from} WHERE ${where} ORDER BY ${orderingSql(definition.ordering, now)}, a.id LIMIT 10`,
  ]);
  return { count: Number(counted[0]?.n ?? 0), balanceMinor: counted[0]?.sum ?? 0n, first };
}

export type AllocationTarget = { accountIds: string[] } | { filter: QueueFilter; limit: number };

/**
 * Allocates accounts to a collector (W2): a selection, or the first `limit` accounts of a rule in
 * priority order. `collectorId: null` takes allocations back. Accounts outside the caller's branch
 * or the collector's branch are refused, not skipped silently.
 */
export async function allocateAccounts(db: Db, principal: Principal, actor: Actor, input: { collectorId: string | null; target: AllocationTarget }, now = new Date()) {
  let collectorBranch: string | null = null;
  if (input.collectorId) {
    const collector = await db.user.findUnique({ where: { id: input.collectorId } });
    if (!collector || !collector.active || !['collector', 'supervisor', 'admin'].includes(collector.role) || !inScope(principal, collector.branchId)) throw new ServiceError('validation_failed', 'no such collector in your branch', [{ path: 'collectorId', message: 'not a collector you can allocate to' }]);
    collectorBranch = collector.branchId;
  }
  const scope = branchScope(principal);
  let accountIds: string[];
  if ('accountIds' in input.target) {
    const found = await db.account.findMany({ where: { id: { in: input.target.accountIds } }, select: { id: true, branchId: true } });
    const refused = input.target.accountIds.filter((id) => {
      const account = found.find((a) => a.id === id);
      return !account || !canAccessBranch(principal, account.branchId) || (collectorBranch !== null && account.branchId !== collectorBranch);
    });
    if (refused.length) throw new ServiceError('validation_failed', `${refused.length} of the accounts are not in your branch or the collector's`, refused.slice(0, 20).map((id) => ({ path: 'accountIds', message: id })));
    accountIds = input.target.accountIds;
  } else {
    const branch = collectorBranch ?? scope;
    const rows = await db.$queryRaw<Array<{ id: string }>>`
      SELECT a.id FROM accounts a JOIN customers c ON c.id = a.customer_id JOIN collection_cases cc ON cc.account_id = a.id AND cc.status = 'open' LEFT JOIN segments s ON s.id = a.segment_id
      WHERE a.status IN ('delinquent', 'trace') AND a.balance_minor > 0 ${branch ? Prisma.sql`AND a.branch_id = ${branch}::uuid` : Prisma.empty} AND ${filterSql(input.target.filter, now)}
      ORDER BY a.priority_score DESC, a.id LIMIT ${input.target.limit}`;
    accountIds = rows.map((r) => r.id);
  }
  return auditedTransaction(db, async (tx) => {
    const before = await tx.account.findMany({ where: { id: { in: accountIds } }, select: { id: true, allocatedToId: true } });
    await tx.account.updateMany({ where: { id: { in: accountIds } }, data: { allocatedToId: input.collectorId, allocatedAt: input.collectorId ? now : null } });
    for (const row of before) {
      await recordAudit(tx, actor, { action: input.collectorId ? 'account.allocated' : 'account.unallocated', entityType: 'account', entityId: row.id, accountId: row.id, before: { allocatedToId: row.allocatedToId }, after: { allocatedToId: input.collectorId } });
    }
    return { allocated: accountIds.length, accountIds };
  });
}

function recordQueueAudit(tx: Prisma.TransactionClient, actor: Actor, action: string, queueId: string, before: unknown, after: unknown) {
  return recordAudit(tx, actor, { action, entityType: 'work_queue', entityId: queueId, before, after });
}

function inScope(principal: Principal, branchId: string | null): boolean {
  const scope = branchScope(principal);
  return scope === null || branchId === scope;
}

async function checkedInput(db: Db, principal: Principal, input: QueueInput): Promise<string | null> {
  const problems = queueDefinitionProblems(input);
  if (problems.length) throw new ServiceError('validation_failed', 'the queue is not valid', problems.map((p) => ({ path: p.field, message: p.message })));
  const scope = branchScope(principal);
  const branchId = scope ?? input.branchId;
  if (scope && input.branchId && input.branchId !== scope) throw new ServiceError('forbidden', 'a branch supervisor makes queues for their own branch');
  const branchIds = [...new Set([...(input.filter.branchIds ?? []), ...input.members.branchIds, ...(branchId ? [branchId] : [])])];
  const branches = await db.branch.count({ where: { id: { in: branchIds } } });
  if (branches !== branchIds.length) throw new ServiceError('validation_failed', 'unknown branch', [{ path: 'branchId', message: 'one of the branches does not exist' }]);
  if (scope && input.members.branchIds.some((b) => b !== scope)) throw new ServiceError('forbidden', 'only your own branch can be assigned');
  const users = await db.user.findMany({ where: { id: { in: input.members.userIds } }, select: { id: true, branchId: true, role: true, active: true } });
  const wrong = input.members.userIds.filter((id) => {
    const user = users.find((u) => u.id === id);
    return !user || !user.active || !['collector', 'supervisor', 'admin'].includes(user.role) || (branchId !== null && user.branchId !== null && user.branchId !== branchId);
  });
  if (wrong.length) throw new ServiceError('validation_failed', 'some members cannot work this queue', wrong.map((id) => ({ path: 'members.userIds', message: `${id} is not an active collector of the queue's branch` })));
  if (input.filter.segmentCodes) {
    const known = await db.segment.count({ where: { code: { in: input.filter.segmentCodes } } });
    if (known !== new Set(input.filter.segmentCodes).size) throw new ServiceError('validation_failed', 'unknown segment', [{ path: 'filter.segmentCodes', message: 'one of the segments does not exist' }]);
  }
  return branchId;
}

function memberRows(members: QueueInput['members']): Array<{ userId?: string; branchId?: string }> {
  return [...[...new Set(members.userIds)].map((userId) => ({ userId })), ...[...new Set(members.branchIds)].map((branchId) => ({ branchId }))];
}

function describe(queue: { name: string; branchId: string | null; filter: unknown; ordering: unknown; rank: number; active: boolean; members: Array<{ userId: string | null; branchId: string | null }> }) {
  return { name: queue.name, branchId: queue.branchId, filter: queue.filter, ordering: queue.ordering, rank: queue.rank, active: queue.active, members: queue.members.map((m) => m.userId ?? `branch:${m.branchId}`) };
}
