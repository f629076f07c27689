// Leads for field visits (F1): open visit tasks, made by strategies' field-visit steps or by a
// supervisor's selection of accounts. A lead is on at most one route at a time; until then it waits
// here with what routing needs (the service location and the keys routes are grouped by).
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { daysPastDue, toDateOnly } from '../domain/ageing.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { bucketWhere, type AccountFilter } from './account-queries.ts';
import { maxLeadsByFilter } from '../domain/routing/lead-groups.ts';

export interface LeadFilter {
  branchId?: string | undefined;
  /** Only leads not on any route (the default), or every open lead. */
  unrouted?: boolean | undefined;
  q?: string | undefined;
}

const leadSelect = {
  id: true,
  title: true,
  createdAt: true,
  dueAt: true,
  routeStop: { select: { id: true, routeId: true, route: { select: { name: true, serviceDate: true, status: true } } } },
  account: {
    select: {
      id: true,
      externalRef: true,
      currency: true,
      balanceMinor: true,
      oldestDueDate: true,
      serviceAddress: true,
      postalCode: true,
      latitude: true,
      longitude: true,
      corp: true,
      auditRoute: true,
      priorityScore: true,
      branch: { select: { id: true, code: true } },
      customer: { select: { name: true, timeZone: true } },
    },
  },
} satisfies Prisma.TaskSelect;

export type LeadRow = Prisma.TaskGetPayload<{ select: typeof leadSelect }>;

export function leadDto(lead: LeadRow, now = new Date()) {
  const a = lead.account;
  return {
    taskId: lead.id,
    title: lead.title,
    createdAt: lead.createdAt.toISOString(),
    route: lead.routeStop ? { id: lead.routeStop.routeId, name: lead.routeStop.route.name, serviceDate: toDateOnly(lead.routeStop.route.serviceDate) } : null,
    account: {
      id: a.id,
      externalRef: a.externalRef,
      customerName: a.customer.name,
      currency: a.currency,
      balanceMinor: a.balanceMinor.toString(),
      daysPastDue: daysPastDue(a.oldestDueDate ? toDateOnly(a.oldestDueDate) : null, now, a.customer.timeZone),
      serviceAddress: a.serviceAddress,
      postalCode: a.postalCode,
      latitude: a.latitude,
      longitude: a.longitude,
      corp: a.corp,
      auditRoute: a.auditRoute,
      branchCode: a.branch.code,
      branchId: a.branch.id,
      priorityScore: a.priorityScore,
    },
  };
}
export type LeadDto = ReturnType<typeof leadDto>;

/** Open leads in the caller's branches: not yet on a route unless asked otherwise. */
export async function listLeads(db: Db, principal: Principal, filter: LeadFilter, now = new Date()) {
  const scope = branchScope(principal);
  if (scope && filter.branchId && filter.branchId !== scope) return { total: 0, items: [] as LeadDto[] };
  const where: Prisma.TaskWhereInput = {
    kind: 'visit',
    status: 'open',
    ...(scope || filter.branchId ? { branchId: scope ?? filter.branchId } : {}),
    ...(filter.unrouted === false ? {} : { routeStop: { is: null } }),
    ...(filter.q ? { account: { OR: [{ externalRef: { contains: filter.q, mode: 'insensitive' } }, { customer: { name: { contains: filter.q, mode: 'insensitive' } } }, { postalCode: { startsWith: filter.q } }] } } : {}),
  };
  const rows = await db.task.findMany({ where, select: leadSelect, orderBy: [{ account: { priorityScore: 'desc' } }, { createdAt: 'asc' }], take: 2_000 });
  return { total: rows.length, items: rows.map((row) => leadDto(row, now)) };
}

/** Every open lead of a branch not yet on a route: what a plan starts from. */
export function unroutedLeads(db: Db, branchId: string): Promise<LeadRow[]> {
  return db.task.findMany({ where: { kind: 'visit', status: 'open', branchId, routeStop: { is: null } }, select: leadSelect, orderBy: { createdAt: 'asc' } });
}

/** Leads for the given tasks, checked: open visit tasks in the caller's branches. */
export async function leadsById(db: Db | Prisma.TransactionClient, principal: Principal, taskIds: readonly string[]): Promise<LeadRow[]> {
  const rows = await db.task.findMany({ where: { id: { in: [...taskIds] } }, select: { ...leadSelect, kind: true, status: true, branchId: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const problems: Array<{ path: string; message: string }> = [];
  taskIds.forEach((id, i) => {
    const row = byId.get(id);
    if (!row || !canAccessBranch(principal, row.branchId)) problems.push({ path: `taskIds.${i}`, message: 'no such lead' });
    else if (row.kind !== 'visit') problems.push({ path: `taskIds.${i}`, message: 'not a field-visit task' });
    else if (row.status !== 'open') problems.push({ path: `taskIds.${i}`, message: 'the lead is no longer open' });
  });
  if (new Set(taskIds).size !== taskIds.length) problems.push({ path: 'taskIds', message: 'a lead is listed twice' });
  if (problems.length) throw new ServiceError('validation_failed', 'some leads cannot be routed', problems.map((p) => ({ ...p, path: `body.${p.path}` })));
  return taskIds.map((id) => byId.get(id)!);
}

/**
 * A supervisor turns a selection of accounts into leads (F1): one open visit task per account with an
 * open case, unless it already has one. Audited per lead.
 */
/**
 * Field visits for a selection (F1): the accounts chosen one by one, or every account the bucket's
 * filters match (by criteria; within the caller's branches). One lead per account with an open case,
 * unless it has one already; what was skipped says why. A filter matching more than
 * `maxLeadsByFilter` accounts is refused with the count, before anything is created.
 */
export async function createLeads(db: Db, principal: Principal, actor: Actor, input: { accountIds?: string[] | undefined; filter?: AccountFilter | undefined; title: string }, now = new Date()) {
  let accountIds = input.accountIds ?? [];
  if (input.filter) {
    const where = await bucketWhere(db, principal, input.filter, now);
    const matched = await db.account.findMany({ where, select: { id: true }, orderBy: { id: 'asc' }, take: maxLeadsByFilter + 1 });
    if (matched.length > maxLeadsByFilter) {
      const count = await db.account.count({ where });
      throw new ServiceError('selection_too_large', `${count.toLocaleString('en-US')} accounts match these filters; visits are requested for at most ${maxLeadsByFilter.toLocaleString('en-US')} at a time: narrow the filters`, undefined, { matched: count, max: maxLeadsByFilter });
    }
    accountIds = matched.map((a) => a.id);
  }
  const result = await auditedTransaction(db, async (tx) => {
    const accounts = await tx.account.findMany({ where: { id: { in: accountIds } }, select: { id: true, branchId: true, cases: { where: { status: 'open' }, select: { id: true } }, tasks: { where: { kind: 'visit', status: 'open' }, select: { id: true } } } });
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const created: Array<{ taskId: string; accountId: string }> = [];
    const skipped: Array<{ accountId: string; reason: 'not_found' | 'no_open_case' | 'lead_exists' }> = [];
    for (const accountId of new Set(accountIds)) {
      const account = byId.get(accountId);
      if (!account || !canAccessBranch(principal, account.branchId)) skipped.push({ accountId, reason: 'not_found' });
      else if (account.cases.length === 0) skipped.push({ accountId, reason: 'no_open_case' });
      else if (account.tasks.length > 0) skipped.push({ accountId, reason: 'lead_exists' });
      else {
        const task = await tx.task.create({ data: { accountId, caseId: account.cases[0]!.id, branchId: account.branchId, kind: 'visit', title: input.title, dueAt: now } });
        await tx.activity.create({ data: { accountId, caseId: account.cases[0]!.id, userId: actor.type === 'user' ? actor.id : null, kind: 'system', summary: `Field visit requested: ${input.title}` } });
        await recordAudit(tx, actor, { action: 'field.lead_created', entityType: 'task', entityId: task.id, accountId, after: { title: input.title } });
        created.push({ taskId: task.id, accountId });
      }
    }
    return { created, skipped };
  });
  return { matched: new Set(accountIds).size, ...result };
}
