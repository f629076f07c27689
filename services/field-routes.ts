// Field routes (F2, F3): a supervisor plans the day's routes from the branch's leads (previewed, not
// saved), adjusts them, and saves them assigned to reps; or builds one route by hand from chosen
// leads. Routes can be re-ordered, re-assigned, have stops moved between them, or be cancelled (their
// leads go back to the pool). Every route's legs, arrival times and totals are computed by
// domain/routing from the travel matrix (road times from a routing service when configured,
// great-circle estimates otherwise), so a saved route always adds up.
import type { Db, Prisma } from '../platform/db/client.ts';
import { Prisma as PrismaNamespace } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { toDateOnly } from '../domain/ageing.ts';
import { instantOfLocal } from '../domain/contact-policy.ts';
import { planRoutes, RoutingContext, travelPointsFor, type GroupBy, type Lead, type PlannedRoute, type Rep } from '../domain/routing/route-planning.ts';
import type { TravelMatrix, TravelPoint } from '../domain/routing/travel-matrix.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { leadDto, leadsById, unroutedLeads, type LeadRow } from './field-leads.ts';

/** Fills a travel matrix for these points (platform/routing/travel-matrix.ts: OSRM or great-circle). */
export type TravelMatrixSource = (points: readonly TravelPoint[]) => Promise<TravelMatrix>;

export interface FieldRouteDeps {
  db: Db;
  travel: TravelMatrixSource;
}

/** Minutes on site when a lead does not say (a knock, a talk, a receipt). */
export const defaultServiceMinutes = 15;
export const defaultStartTime = '08:30';

const routeInclude = {
  stops: { orderBy: { seq: 'asc' }, include: { account: { select: { id: true, externalRef: true, serviceAddress: true, postalCode: true, latitude: true, longitude: true, balanceMinor: true, currency: true, customer: { select: { name: true } } } }, task: { select: { id: true, title: true } } } },
  _count: { select: { visits: true } },
  branch: { select: { timeZone: true } },
} satisfies Prisma.FieldRouteInclude;
type RouteRow = Prisma.FieldRouteGetPayload<{ include: typeof routeInclude }>;

export function routeDto(route: RouteRow, reps: Map<string, { id: string; name: string }>) {
  return {
    id: route.id,
    name: route.name,
    branchId: route.branchId,
    timeZone: route.branch.timeZone,
    serviceDate: toDateOnly(route.serviceDate),
    status: route.status,
    rep: route.repId ? (reps.get(route.repId) ?? { id: route.repId, name: 'unknown' }) : null,
    groupBy: route.groupBy,
    groupKey: route.groupKey,
    start: { latitude: route.startLatitude, longitude: route.startLongitude },
    startAt: route.startAt.toISOString(),
    plannedDistanceM: route.plannedDistanceM,
    plannedDurationS: route.plannedDurationS,
    travelSource: route.travelSource,
    visits: route._count.visits,
    stops: route.stops.map((s) => ({
      id: s.id,
      seq: s.seq,
      status: s.status,
      taskId: s.taskId,
      purpose: s.task?.title ?? null,
      plannedArrivalAt: s.plannedArrivalAt.toISOString(),
      legDistanceM: s.legDistanceM,
      legDurationS: s.legDurationS,
      serviceMinutes: s.serviceMinutes,
      account: { id: s.account.id, externalRef: s.account.externalRef, customerName: s.account.customer.name, serviceAddress: s.account.serviceAddress, postalCode: s.account.postalCode, latitude: s.account.latitude, longitude: s.account.longitude, balanceMinor: s.account.balanceMinor.toString(), currency: s.account.currency },
    })),
  };
}
export type FieldRouteDto = ReturnType<typeof routeDto>;

async function repNames(db: Db | Prisma.TransactionClient, ids: ReadonlyArray<string | null>) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  const rows = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r]));
}

/** The branch a supervisor plans for: their own, or the one named (all-branch supervisors must name one). */
async function planningBranch(db: Db, principal: Principal, branchId: string | undefined) {
  const scope = branchScope(principal);
  const id = branchId ?? scope;
  if (!id) throw new ServiceError('validation_failed', 'name the branch to plan for', [{ path: 'body.branchId', message: 'required for users of every branch' }]);
  if (!canAccessBranch(principal, id)) throw new ServiceError('not_found', 'no such branch');
  const branch = await db.branch.findUnique({ where: { id }, select: { id: true, code: true, name: true, timeZone: true, latitude: true, longitude: true } });
  if (!branch) throw new ServiceError('not_found', 'no such branch');
  return branch;
}

/** Field reps of a branch (active), for planning and assignment. */
export async function listFieldReps(db: Db, principal: Principal, branchId?: string) {
  const scope = branchScope(principal);
  if (scope && branchId && branchId !== scope) return [];
  return db.user.findMany({ where: { role: 'field_rep', active: true, ...(scope || branchId ? { branchId: scope ?? branchId } : {}) }, select: { id: true, name: true, email: true, branchId: true }, orderBy: { name: 'asc' } });
}

function toLead(row: LeadRow, serviceMinutes = defaultServiceMinutes): Lead {
  const a = row.account;
  return {
    id: row.id,
    lat: a.latitude ?? Number.NaN,
    lon: a.longitude ?? Number.NaN,
    groupKeys: { ...(a.corp ? { corp: a.corp } : {}), ...(a.postalCode ? { zip: a.postalCode } : {}), ...(a.auditRoute ? { auditRoute: a.auditRoute } : {}), branch: a.branch.code },
    serviceMinutes,
    amountMinor: Number(a.balanceMinor),
    priority: a.priorityScore,
  };
}

function startOfDay(branch: { timeZone: string }, serviceDate: string, startTime: string): Date {
  const [y, m, d] = serviceDate.split('-').map(Number) as [number, number, number];
  const [hh, mm] = startTime.split(':').map(Number) as [number, number];
  return new Date(instantOfLocal(y, m, d, hh, branch.timeZone).getTime() + mm * 60_000);
}

async function repsOf(db: Db, branch: { id: string; latitude: number | null; longitude: number | null }, wanted: ReadonlyArray<{ repId: string; maxStops?: number | undefined; maxMinutes?: number | undefined }>, fallbackStart: { lat: number; lon: number } | null): Promise<Rep[]> {
  const users = await db.user.findMany({ where: { id: { in: wanted.map((r) => r.repId) } }, select: { id: true, role: true, active: true, branchId: true } });
  const byId = new Map(users.map((u) => [u.id, u]));
  const problems = wanted.flatMap((r, i) => {
    const user = byId.get(r.repId);
    if (!user || !user.active || user.role !== 'field_rep') return [{ path: `body.reps.${i}.repId`, message: 'not an active field rep' }];
    if (user.branchId !== branch.id) return [{ path: `body.reps.${i}.repId`, message: 'the rep works for another branch' }];
    return [];
  });
  if (problems.length) throw new ServiceError('validation_failed', 'some reps cannot take routes here', problems);
  const office = branch.latitude !== null && branch.longitude !== null ? { lat: branch.latitude, lon: branch.longitude } : fallbackStart;
  if (!office) throw new ServiceError('validation_failed', 'the branch has no office location and no lead has one either');
  return wanted.map((r) => ({ id: r.repId, start: office, ...(r.maxStops !== undefined ? { maxStops: r.maxStops } : {}), ...(r.maxMinutes !== undefined ? { maxMinutes: r.maxMinutes } : {}) }));
}

export interface PlanInput {
  serviceDate: string;
  branchId?: string | undefined;
  groupBy: GroupBy;
  /** Plan only these leads; default: every unrouted lead of the branch. */
  taskIds?: string[] | undefined;
  reps: Array<{ repId: string; maxStops?: number | undefined; maxMinutes?: number | undefined }>;
  startTime?: string | undefined;
  serviceMinutes?: number | undefined;
}

/** A plan to look at and adjust before saving: nothing is written. */
export async function planFieldRoutes(deps: FieldRouteDeps, principal: Principal, input: PlanInput, now = new Date()) {
  const branch = await planningBranch(deps.db, principal, input.branchId);
  const pool = input.taskIds ? await leadsById(deps.db, principal, input.taskIds) : await unroutedLeads(deps.db, branch.id);
  if (pool.some((l) => l.account.branch.id !== branch.id)) throw new ServiceError('validation_failed', 'every lead must belong to the branch planned', [{ path: 'body.taskIds', message: 'leads of another branch' }]);
  if (pool.length === 0) throw new ServiceError('validation_failed', 'there are no leads to plan', [{ path: 'body.taskIds', message: 'no open, unrouted leads' }]);
  const leads = pool.map((row) => toLead(row, input.serviceMinutes));
  const firstLocated = leads.find((l) => Number.isFinite(l.lat));
  const reps = await repsOf(deps.db, branch, input.reps, firstLocated ? { lat: firstLocated.lat, lon: firstLocated.lon } : null);
  const located = leads.filter((l) => Number.isFinite(l.lat) && Number.isFinite(l.lon));
  const travel = await deps.travel(travelPointsFor(located, reps));
  const startAt = startOfDay(branch, input.serviceDate, input.startTime ?? defaultStartTime);
  const plan = planRoutes({ leads, reps, travel, startAt, groupBy: input.groupBy, ordering: { seed: 1 } });
  const names = await repNames(deps.db, reps.map((r) => r.id));
  const byLead = new Map(pool.map((row) => [row.id, leadDto(row, now)]));
  return {
    branch: { id: branch.id, code: branch.code, name: branch.name },
    timeZone: branch.timeZone,
    serviceDate: input.serviceDate,
    groupBy: plan.groupBy,
    startAt: plan.startAt.toISOString(),
    travelSource: plan.travelSource,
    travelFallbackReason: plan.travelFallbackReason ?? null,
    routes: plan.routes.map((r) => plannedDto(r, names, byLead, reps.find((rep) => rep.id === r.repId)!.start)),
    unassigned: plan.unassigned.map((u) => ({ taskId: u.leadId, groupKey: u.groupKey, reason: u.reason, lead: byLead.get(u.leadId)! })),
    summary: plan.summary,
  };
}

function plannedDto(route: PlannedRoute, names: Map<string, { id: string; name: string }>, leads: Map<string, ReturnType<typeof leadDto>>, start: { lat: number; lon: number }) {
  return {
    rep: names.get(route.repId) ?? { id: route.repId, name: 'unknown' },
    start: { latitude: start.lat, longitude: start.lon },
    groupKey: route.groupKey,
    totals: { ...route.totals, startsAt: route.totals.startsAt.toISOString(), endsAt: route.totals.endsAt.toISOString() },
    violations: route.violations,
    stops: route.stops.map((s) => ({ taskId: s.leadId, sequence: s.sequence, legMetres: Math.round(s.legMetres), legSeconds: Math.round(s.legSeconds), arrivesAt: s.arrivesAt.toISOString(), departsAt: s.departsAt.toISOString(), serviceMinutes: s.serviceMinutes, lead: leads.get(s.leadId)! })),
  };
}

export interface RouteDraft {
  name?: string | undefined;
  repId: string;
  taskIds: string[];
  groupBy?: string | undefined;
  groupKey?: string | null | undefined;
  /** Order the stops to minimise driving; false keeps the order given. */
  optimise: boolean;
}

/**
 * Saves routes for a day, each assigned to its rep (F3): the plan as adjusted, or a route made by
 * hand. A lead already on another route is refused (409); all routes are saved or none.
 */
export async function createFieldRoutes(deps: FieldRouteDeps, principal: Principal, actor: Actor, input: { serviceDate: string; branchId?: string | undefined; startTime?: string | undefined; serviceMinutes?: number | undefined; routes: RouteDraft[] }): Promise<FieldRouteDto[]> {
  const branch = await planningBranch(deps.db, principal, input.branchId);
  const allTaskIds = input.routes.flatMap((r) => r.taskIds);
  const rows = await leadsById(deps.db, principal, allTaskIds);
  const problems = rows.flatMap((row, i) => {
    if (row.account.branch.id !== branch.id) return [{ path: `body.routes.*.taskIds.${i}`, message: `${row.account.externalRef} belongs to another branch` }];
    if (row.account.latitude === null || row.account.longitude === null) return [{ path: `body.routes.*.taskIds.${i}`, message: `${row.account.externalRef} has no coordinates: billing must report its service location` }];
    if (row.routeStop) return [{ path: `body.routes.*.taskIds.${i}`, message: `${row.account.externalRef} is already on route "${row.routeStop.route.name}"` }];
    return [];
  });
  if (problems.length) throw new ServiceError('validation_failed', 'some leads cannot be routed', problems);
  const leads = rows.map((row) => toLead(row, input.serviceMinutes));
  const reps = await repsOf(deps.db, branch, [...new Set(input.routes.map((r) => r.repId))].map((repId) => ({ repId })), null);
  const travel = await deps.travel(travelPointsFor(leads, reps));
  const startAt = startOfDay(branch, input.serviceDate, input.startTime ?? defaultStartTime);
  const context = new RoutingContext({ leads, reps, travel, startAt });
  const planned = input.routes.map((draft, k) => {
    const order = draft.optimise ? context.orderStops(draft.repId, draft.taskIds, { seed: 1 }) : draft.taskIds;
    return { draft, route: context.buildRoute({ id: `draft-${k}`, repId: draft.repId, groupKey: draft.groupKey ?? null, leadIds: order }) };
  });
  const names = await repNames(deps.db, reps.map((r) => r.id));
  const byTask = new Map(rows.map((r) => [r.id, r]));
  const ids = await auditedTransaction(deps.db, async (tx) => {
    const created: string[] = [];
    for (const [k, { draft, route }] of planned.entries()) {
      const rep = reps.find((r) => r.id === draft.repId)!;
      const name = draft.name?.trim() || `${names.get(draft.repId)?.name ?? 'Route'} · ${input.serviceDate}${route.groupKey ? ` · ${route.groupKey}` : ''}${input.routes.length > 1 && !route.groupKey ? ` (${k + 1})` : ''}`;
      try {
        const saved = await tx.fieldRoute.create({
          data: {
            branchId: branch.id,
            repId: draft.repId,
            name,
            serviceDate: new Date(`${input.serviceDate}T00:00:00Z`),
            groupBy: draft.groupBy ?? 'selection',
            groupKey: route.groupKey,
            startLatitude: rep.start.lat,
            startLongitude: rep.start.lon,
            startAt,
            plannedDistanceM: Math.round(route.totals.travelMetres),
            plannedDurationS: Math.round(route.totals.travelSeconds + route.totals.serviceMinutes * 60),
            travelSource: travel.source,
            createdById: actor.type === 'user' ? actor.id : null,
            stops: { create: route.stops.map((s) => ({ seq: s.sequence, accountId: byTask.get(s.leadId)!.account.id, taskId: s.leadId, plannedArrivalAt: s.arrivesAt, legDistanceM: Math.round(s.legMetres), legDurationS: Math.round(s.legSeconds), serviceMinutes: s.serviceMinutes })) },
          },
        });
        await recordAudit(tx, actor, { action: 'field.route_created', entityType: 'field_route', entityId: saved.id, after: { name, repId: draft.repId, serviceDate: input.serviceDate, stops: route.stops.map((s) => byTask.get(s.leadId)!.account.externalRef), travelSource: travel.source } });
        created.push(saved.id);
      } catch (error) {
        if (error instanceof PrismaNamespace.PrismaClientKnownRequestError && error.code === 'P2002') throw new ServiceError('conflict', 'a lead was put on another route meanwhile; reload the leads');
        throw error;
      }
    }
    return created;
  });
  return Promise.all(ids.map((id) => getFieldRoute(deps.db, principal, id)));
}

export async function getFieldRoute(db: Db, principal: Principal, routeId: string): Promise<FieldRouteDto> {
  const route = await db.fieldRoute.findUnique({ where: { id: routeId }, include: routeInclude });
  if (!route || !canAccessBranch(principal, route.branchId)) throw new ServiceError('not_found', 'no such route');
  if (principal.kind === 'user' && principal.role === 'field_rep' && route.repId !== principal.id) throw new ServiceError('not_found', 'no such route');
  return routeDto(route, await repNames(db, [route.repId]));
}

export async function listFieldRoutes(db: Db, principal: Principal, filter: { date?: string | undefined; branchId?: string | undefined; repId?: string | undefined; includeCancelled?: boolean | undefined }) {
  const scope = branchScope(principal);
  if (scope && filter.branchId && filter.branchId !== scope) return [];
  const routes = await db.fieldRoute.findMany({
    where: { ...(scope || filter.branchId ? { branchId: scope ?? filter.branchId } : {}), ...(filter.date ? { serviceDate: new Date(`${filter.date}T00:00:00Z`) } : {}), ...(filter.repId ? { repId: filter.repId } : {}), ...(filter.includeCancelled ? {} : { status: { not: 'cancelled' } }) },
    include: routeInclude,
    orderBy: [{ serviceDate: 'desc' }, { name: 'asc' }],
    take: 200,
  });
  const names = await repNames(db, routes.map((r) => r.repId));
  return routes.map((r) => routeDto(r, names));
}

/**
 * Changes a saved route by hand: rename, re-assign, re-order (stops visited stay first, in the order
 * they were visited), or order again for the least driving. Legs and times are recomputed.
 */
export async function updateFieldRoute(deps: FieldRouteDeps, principal: Principal, actor: Actor, routeId: string, change: { name?: string | undefined; repId?: string | undefined; stopIds?: string[] | undefined; optimise?: boolean | undefined }): Promise<FieldRouteDto> {
  const route = await loadEditable(deps.db, principal, routeId);
  if (change.repId && change.repId !== route.repId) await repsOf(deps.db, { id: route.branchId, latitude: route.startLatitude, longitude: route.startLongitude }, [{ repId: change.repId }], null);
  let order = route.stops.map((s) => s.id);
  if (change.stopIds) {
    if (change.stopIds.length !== order.length || new Set(change.stopIds).size !== order.length || change.stopIds.some((id) => !order.includes(id))) {
      throw new ServiceError('validation_failed', 'list every stop of the route once, in the new order', [{ path: 'body.stopIds', message: 'must be a permutation of the route’s stops' }]);
    }
    order = change.stopIds;
  }
  await auditedTransaction(deps.db, async (tx) => {
    if (change.name || change.repId) await tx.fieldRoute.update({ where: { id: routeId }, data: { ...(change.name ? { name: change.name.trim() } : {}), ...(change.repId ? { repId: change.repId } : {}) } });
    await resequence(deps, tx, routeId, order, change.optimise ?? false);
    await recordAudit(tx, actor, { action: 'field.route_changed', entityType: 'field_route', entityId: routeId, before: { name: route.name, repId: route.repId, stops: route.stops.map((s) => s.id) }, after: { ...change } });
  });
  return getFieldRoute(deps.db, principal, routeId);
}

/** Moves a pending stop to another route of the same day and branch, at a position (1-based). */
export async function moveRouteStop(deps: FieldRouteDeps, principal: Principal, actor: Actor, routeId: string, stopId: string, target: { toRouteId: string; position?: number | undefined }) {
  const from = await loadEditable(deps.db, principal, routeId);
  const to = await loadEditable(deps.db, principal, target.toRouteId);
  const stop = from.stops.find((s) => s.id === stopId);
  if (!stop) throw new ServiceError('not_found', 'no such stop on this route');
  if (stop.status !== 'pending') throw new ServiceError('invalid_state', 'a stop already visited stays on its route');
  if (from.id === to.id) throw new ServiceError('validation_failed', 'the stop is already on that route', [{ path: 'body.toRouteId', message: 'choose another route' }]);
  if (to.branchId !== from.branchId || to.serviceDate.getTime() !== from.serviceDate.getTime()) throw new ServiceError('validation_failed', 'stops move only between routes of the same branch and day', [{ path: 'body.toRouteId', message: 'another branch or day' }]);
  const targetOrder = to.stops.map((s) => s.id);
  const at = Math.min(Math.max((target.position ?? targetOrder.length + 1) - 1, 0), targetOrder.length);
  targetOrder.splice(at, 0, stop.id);
  await auditedTransaction(deps.db, async (tx) => {
    await tx.routeStop.update({ where: { id: stop.id }, data: { routeId: to.id } });
    await resequence(deps, tx, from.id, from.stops.filter((s) => s.id !== stop.id).map((s) => s.id), false);
    await resequence(deps, tx, to.id, targetOrder, false);
    await recordAudit(tx, actor, { action: 'field.stop_moved', entityType: 'route_stop', entityId: stop.id, accountId: stop.accountId, before: { routeId: from.id }, after: { routeId: to.id, position: at + 1 } });
  });
  return { from: await getFieldRoute(deps.db, principal, from.id), to: await getFieldRoute(deps.db, principal, to.id) };
}

/** Cancels a route: its unvisited leads go back to the pool for another route. */
export async function cancelFieldRoute(db: Db, principal: Principal, actor: Actor, routeId: string): Promise<void> {
  const route = await loadEditable(db, principal, routeId);
  await auditedTransaction(db, async (tx) => {
    await tx.routeStop.updateMany({ where: { routeId, status: 'pending' }, data: { status: 'skipped', taskId: null } });
    await tx.fieldRoute.update({ where: { id: routeId }, data: { status: 'cancelled' } });
    await recordAudit(tx, actor, { action: 'field.route_cancelled', entityType: 'field_route', entityId: routeId, before: { status: route.status }, after: { status: 'cancelled' } });
  });
}

async function loadEditable(db: Db, principal: Principal, routeId: string) {
  const route = await db.fieldRoute.findUnique({ where: { id: routeId }, include: { stops: { orderBy: { seq: 'asc' } } } });
  if (!route || !canAccessBranch(principal, route.branchId)) throw new ServiceError('not_found', 'no such route');
  if (route.status === 'cancelled' || route.status === 'completed') throw new ServiceError('invalid_state', `the route is ${route.status}`);
  return route;
}

/** Re-numbers a route's stops in the given order (visited first) and recomputes legs, arrivals and totals. */
async function resequence(deps: FieldRouteDeps, tx: Prisma.TransactionClient, routeId: string, order: readonly string[], optimise: boolean): Promise<void> {
  const route = await tx.fieldRoute.findUniqueOrThrow({ where: { id: routeId }, include: { stops: { include: { account: { select: { latitude: true, longitude: true, balanceMinor: true, branch: { select: { code: true } } } } } } } });
  const byId = new Map(route.stops.map((s) => [s.id, s]));
  const visited = order.filter((id) => byId.get(id)?.status === 'visited');
  let pending = order.filter((id) => byId.get(id)?.status !== 'visited');
  const leads: Lead[] = route.stops.map((s) => ({ id: s.id, lat: s.account.latitude ?? Number.NaN, lon: s.account.longitude ?? Number.NaN, groupKeys: {}, serviceMinutes: s.serviceMinutes, amountMinor: Number(s.account.balanceMinor) }));
  const rep: Rep = { id: route.repId ?? 'unassigned', start: { lat: route.startLatitude, lon: route.startLongitude } };
  const travel = await deps.travel(travelPointsFor(leads, [rep]));
  const context = new RoutingContext({ leads, reps: [rep], travel, startAt: route.startAt });
  if (optimise) pending = context.orderStops(rep.id, pending, { seed: 1 });
  const built = context.buildRoute({ id: route.id, repId: rep.id, groupKey: route.groupKey, leadIds: [...visited, ...pending] });
  // Two passes so that the (route, seq) order never collides mid-way.
  for (const stop of built.stops) await tx.routeStop.update({ where: { id: stop.leadId }, data: { seq: -stop.sequence } });
  for (const stop of built.stops) await tx.routeStop.update({ where: { id: stop.leadId }, data: { seq: stop.sequence, plannedArrivalAt: stop.arrivesAt, legDistanceM: Math.round(stop.legMetres), legDurationS: Math.round(stop.legSeconds) } });
  await tx.fieldRoute.update({ where: { id: routeId }, data: { plannedDistanceM: Math.round(built.totals.travelMetres), plannedDurationS: Math.round(built.totals.travelSeconds + built.totals.serviceMinutes * 60), travelSource: travel.source } });
}

