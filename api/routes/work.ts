// Serving work (W2-W4, W7, S2): "next account", leases on accounts, work queues and bulk allocation.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem.ts';
import { IdParams } from '../schemas.ts';
import { registry, z } from '../http/openapi-registry.ts';
import type { Principal } from '../../domain/access.ts';
import { caseStages, defaultOrdering, describeEmptyQueues, describeServeReason, queueOrderings, type QueueOrdering } from '../../domain/work-queues.ts';
import { finishWork, leaseAccount, nextAccount } from '../../services/work-serving.ts';
import { allocateAccounts, countQueues, listCollectors, createQueue, deleteQueue, getQueue, listQueues, previewQueue, queuesServedTo, updateQueue } from '../../services/work-queues.ts';
import { requireAccountInScope } from '../../services/account-queries.ts';
import { completeReminder, listReminders, type Reminder } from '../../services/reminders.ts';

const id = z.uuid();
const orderingKeys = Object.keys(queueOrderings) as [QueueOrdering, ...QueueOrdering[]];

const QueueFilter = registry.register(
  'QueueFilter',
  z
    .object({
      branchIds: z.array(id).max(50).optional(),
      segmentCodes: z.array(z.string().trim().min(1).max(50)).max(50).optional(),
      sectors: z.array(z.string().trim().min(1).max(60)).max(50).optional().openapi({ description: "Accounts whose sector (billing's `sector` attribute) is one of these, regardless of case" }),
      stages: z.array(z.enum(caseStages)).max(4).optional(),
      customerType: z.enum(['retail', 'corporate']).optional(),
      minDaysPastDue: z.number().int().min(0).max(10_000).optional(),
      maxDaysPastDue: z.number().int().min(0).max(10_000).optional(),
      minBalanceMinor: z.number().int().min(0).optional(),
      maxBalanceMinor: z.number().int().min(0).optional(),
      brokenPromisesOnly: z.boolean().optional(),
      dueCallsOnly: z.boolean().optional(),
      includeTrace: z.boolean().optional(),
    })
    .strict()
    .openapi({ description: 'Which accounts in arrears the queue holds; every field narrows' }),
);
const Ordering = z.array(z.enum(orderingKeys)).max(orderingKeys.length).openapi({ description: `Tie-breaking order of keys: ${orderingKeys.join(', ')}` });

const QueueBody = registry.register(
  'WorkQueueInput',
  z
    .object({
      name: z.string().trim().min(1).max(100),
      branchId: id.nullable().default(null),
      filter: QueueFilter.default({}),
      ordering: Ordering.default(defaultOrdering),
      rank: z.number().int().min(0).max(10_000).default(100),
      active: z.boolean().default(true),
      members: z.object({ userIds: z.array(id).max(200).default([]), branchIds: z.array(id).max(50).default([]) }).default({ userIds: [], branchIds: [] }),
    })
    .strict(),
);

const WorkQueue = registry.register(
  'WorkQueue',
  z.object({
    id,
    name: z.string(),
    branchId: id.nullable(),
    filter: QueueFilter,
    ordering: z.array(z.string()),
    rank: z.number().int(),
    active: z.boolean(),
    members: z.object({ userIds: z.array(id), branchIds: z.array(id) }),
    updatedAt: z.string(),
  }),
);

const Served = registry.register(
  'NextAccount',
  z.object({
    account: z.object({ id, externalRef: z.string(), customerName: z.string() }).nullable(),
    queue: z.object({ id, name: z.string() }).nullable(),
    reason: z.enum(['postponed', 'allocated', 'call_task', 'queue', 'queues_empty']),
    explanation: z.string(),
    heldUntil: z.string().nullable().optional().openapi({ description: 'When nothing is served because the accounts next in line may not be called now (contact hours, caps, quiet days): the earliest moment one may' }),
    lease: z.object({ expiresAt: z.string() }).nullable(),
  }),
);

const Preview = registry.register(
  'WorkQueuePreview',
  z.object({
    count: z.number().int(),
    balanceMinor: z.number().int(),
    first: z.array(z.object({ id, externalRef: z.string(), customerName: z.string(), balanceMinor: z.number().int(), currency: z.string(), oldestDueDate: z.string().nullable(), brokenPromises: z.number().int(), stage: z.string() })),
  }),
);

function asUser(principal: Principal) {
  if (principal.kind !== 'user') throw new HttpProblem(403, 'not_a_user', 'work is served to people: sign in as a collector');
  return principal;
}

type QueueRow = Awaited<ReturnType<typeof getQueue>>;
function queueDto(q: QueueRow) {
  return {
    id: q.id,
    name: q.name,
    branchId: q.branchId,
    filter: q.filter as z.infer<typeof QueueFilter>,
    ordering: q.ordering as string[],
    rank: q.rank,
    active: q.active,
    members: { userIds: q.members.flatMap((m) => (m.userId ? [m.userId] : [])), branchIds: q.members.flatMap((m) => (m.branchId ? [m.branchId] : [])) },
    updatedAt: q.updatedAt.toISOString(),
  };
}

const ReminderSchema = registry.register(
  'Reminder',
  z.object({
    id,
    title: z.string(),
    dueAt: z.string(),
    status: z.enum(['open', 'done']),
    completedAt: z.string().nullable(),
    caseId: id.nullable(),
    account: z.object({ id, externalRef: z.string(), customerName: z.string(), branchCode: z.string() }),
  }),
);
const ReminderList = registry.register('ReminderList', z.object({ total: z.number().int(), items: z.array(ReminderSchema) }));
const ReminderQuery = z
  .object({
    dueBy: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Due at or before this instant (default: now); a later one shows what is coming' }),
    accountId: id.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
const reminderDto = (r: Reminder) => ({ ...r, dueAt: r.dueAt.toISOString(), completedAt: r.completedAt?.toISOString() ?? null });

export function workRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/work/next',
    operationId: 'nextAccount',
    summary: 'Serve me the next account to work (W3): my due postponements, then my allocations, then my queues in order; leased to me',
    tag: 'work',
    permission: 'work:serve',
    responses: { 200: { description: 'The account served (leased to you), or none when your queues are empty', schema: Served } },
    handler: async ({ principal }) => {
      const served = await nextAccount(db, asUser(principal));
      if (!served.account) return { body: { account: null, queue: null, reason: 'queues_empty' as const, explanation: describeEmptyQueues(served.heldUntil), heldUntil: served.heldUntil?.toISOString() ?? null, lease: null } };
      return { body: { account: served.account, queue: served.queue, reason: served.reason, explanation: describeServeReason(served.reason, served.queue?.name ?? null), lease: { expiresAt: served.lease.expiresAt.toISOString() } } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/reminders',
    operationId: 'listReminders',
    summary: "Reminders a strategy set (S3), open and due by `dueBy` (default: now), in the caller's branches or on one account; earliest first",
    tag: 'work',
    permission: 'accounts:read',
    query: ReminderQuery,
    responses: { 200: { description: 'Reminders', schema: ReminderList } },
    handler: async ({ principal, query }) => {
      if (query.accountId) await requireAccountInScope(db, principal, query.accountId);
      const list = await listReminders(db, principal, { dueBy: query.dueBy ? new Date(query.dueBy) : new Date(), accountId: query.accountId, limit: query.limit });
      return { body: { total: list.total, items: list.items.map(reminderDto) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/reminders/:id/done',
    operationId: 'completeReminder',
    summary: 'Mark a reminder done: logged on the account and audited; marking it again changes nothing',
    tag: 'work',
    permission: 'accounts:write',
    params: IdParams,
    responses: { 200: { description: 'The reminder, done', schema: ReminderSchema } },
    handler: async ({ principal, actor, params }) => ({ body: reminderDto(await completeReminder(db, principal, actor, params.id)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/lease',
    operationId: 'leaseAccount',
    summary: 'Start or keep working an account (renews the lease); refused while someone else works it (W7)',
    tag: 'work',
    permission: 'work:serve',
    params: IdParams,
    responses: { 200: { description: 'Leased to you', schema: z.object({ expiresAt: z.string(), renewed: z.boolean() }) }, 409: { description: 'Someone else is working it: `holder` says who and since when' } },
    handler: async ({ principal, params }) => {
      const user = asUser(principal);
      await requireAccountInScope(db, principal, params.id);
      const lease = await leaseAccount(db, user, params.id);
      return { body: { expiresAt: lease.expiresAt.toISOString(), renewed: lease.renewed } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'delete',
    path: '/accounts/:id/lease',
    operationId: 'finishAccount',
    summary: 'Finish working an account: the lease is released and the work is counted',
    tag: 'work',
    permission: 'work:serve',
    params: IdParams,
    responses: { 204: { description: 'Finished' }, 409: { description: 'You were not working it (`not_leased`)' } },
    handler: async ({ principal, params }) => {
      const user = asUser(principal);
      await requireAccountInScope(db, principal, params.id);
      await finishWork(db, user, params.id, 'finished');
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/work/my-queues',
    operationId: 'listMyQueues',
    summary: 'The queues I work, in the order they serve me, with how many accounts each holds now',
    tag: 'work',
    permission: 'work:serve',
    responses: { 200: { description: 'My queues', schema: z.object({ items: z.array(z.object({ id, name: z.string(), count: z.number().int() })) }) } },
    handler: async ({ principal }) => {
      const user = asUser(principal);
      return { body: { items: await countQueues(db, principal, await queuesServedTo(db, user)) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/work/collectors',
    operationId: 'listCollectors',
    summary: 'The collectors (and supervisors) I can give work to',
    tag: 'work',
    permission: 'work_queues:manage',
    responses: { 200: { description: 'People', schema: z.object({ items: z.array(z.object({ id, name: z.string(), role: z.string(), branchId: id.nullable() })) }) } },
    handler: async ({ principal }) => ({ body: { items: await listCollectors(db, principal) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/work/queues',
    operationId: 'listWorkQueues',
    summary: 'Work queues in my branch (all queues for head office)',
    tag: 'work',
    permission: 'work_queues:manage',
    responses: { 200: { description: 'Queues', schema: z.object({ items: z.array(WorkQueue) }) } },
    handler: async ({ principal }) => ({ body: { items: (await listQueues(db, principal)).map(queueDto) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/work/queues',
    operationId: 'createWorkQueue',
    summary: 'Define a queue: a filter, an ordering, and who works it (collectors or whole branches)',
    tag: 'work',
    permission: 'work_queues:manage',
    body: QueueBody,
    responses: { 201: { description: 'Created', schema: WorkQueue }, 400: { description: 'Invalid or contradictory definition' } },
    handler: async ({ principal, actor, body }) => ({ status: 201, body: queueDto(await createQueue(db, principal, actor, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'put',
    path: '/work/queues/:id',
    operationId: 'updateWorkQueue',
    summary: "Replace a queue's definition and members (today's order, say)",
    tag: 'work',
    permission: 'work_queues:manage',
    params: IdParams,
    body: QueueBody,
    responses: { 200: { description: 'Updated', schema: WorkQueue }, 404: { description: 'No such queue in your branch' } },
    handler: async ({ principal, actor, params, body }) => ({ body: queueDto(await updateQueue(db, principal, actor, params.id, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'delete',
    path: '/work/queues/:id',
    operationId: 'deleteWorkQueue',
    summary: 'Delete a queue (accounts stay where they are)',
    tag: 'work',
    permission: 'work_queues:manage',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such queue in your branch' } },
    handler: async ({ principal, actor, params }) => {
      await deleteQueue(db, principal, actor, params.id);
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/work/queues/preview',
    operationId: 'previewWorkQueue',
    summary: 'How many accounts a filter holds now, their total, and the first ten in the ordering',
    tag: 'work',
    permission: 'work_queues:manage',
    body: z.object({ filter: QueueFilter.default({}), ordering: Ordering.default(defaultOrdering), branchId: id.nullable().default(null) }).strict(),
    responses: { 200: { description: 'Preview', schema: Preview } },
    handler: async ({ principal, body }) => {
      const preview = await previewQueue(db, principal, body);
      return {
        body: {
          count: preview.count,
          balanceMinor: Number(preview.balanceMinor),
          first: preview.first.map((a) => ({ id: a.id, externalRef: a.external_ref, customerName: a.customer_name, balanceMinor: Number(a.balance_minor), currency: a.currency, oldestDueDate: a.oldest_due_date?.toISOString().slice(0, 10) ?? null, brokenPromises: a.broken_promises, stage: a.stage })),
        },
      };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/work/allocations',
    operationId: 'allocateAccounts',
    summary: "Allocate accounts to a collector (or take them back with collectorId null): a selection, or a rule's first N by priority",
    tag: 'work',
    permission: 'work_queues:manage',
    body: z
      .object({
        collectorId: id.nullable(),
        accountIds: z.array(id).min(1).max(5_000).optional(),
        rule: z.object({ filter: QueueFilter, limit: z.number().int().min(1).max(5_000) }).optional(),
      })
      .strict()
      .refine((b) => (b.accountIds ? 1 : 0) + (b.rule ? 1 : 0) === 1, { message: 'give either accountIds or rule', path: ['accountIds'] }),
    responses: { 200: { description: 'Allocated', schema: z.object({ allocated: z.number().int(), accountIds: z.array(id) }) }, 400: { description: 'Unknown collector or accounts outside your branch' } },
    handler: async ({ principal, actor, body }) => {
      const target = body.accountIds ? { accountIds: body.accountIds } : { filter: body.rule!.filter, limit: body.rule!.limit };
      return { body: await allocateAccounts(db, principal, actor, { collectorId: body.collectorId, target }) };
    },
  });

  return router;
}
