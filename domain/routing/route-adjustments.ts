// A supervisor's changes to a plan by hand (F3): move a stop to another route or position, take it
// off or put an unassigned lead on a route, give a route to another rep, re-order a route. Every
// change returns a new plan whose legs, arrival times and totals are recomputed for the routes it
// touched. Changes are never refused for capacity: the supervisor knows things the planner does
// not, so an overfull day is flagged in the route's `violations` instead.
import { RoutingContext, summarise, type PlannedRoute, type PlanningContext, type RoutePlan, type UnassignedLead } from './route-model.ts';
import type { TspOptions } from './tsp.ts';

/** Where a stop goes: a position (1-based) in a route, a rep's route (made if the rep has none), or off every route. */
export type StopDestination = { routeId: string; position?: number } | { repId: string; position?: number } | { unassigned: true };

/** When `position` is left out, the stop goes where it adds the least driving. */
export function moveStop(context: PlanningContext, plan: RoutePlan, move: { leadId: string; to: StopDestination }): RoutePlan {
  const routing = new RoutingContext(context);
  const { leadId, to } = move;
  routing.lead(leadId);
  const fromRoute = plan.routes.find((r) => r.stops.some((s) => s.leadId === leadId));
  const fromUnassigned = plan.unassigned.find((u) => u.leadId === leadId);
  if (!fromRoute && !fromUnassigned) throw new RangeError(`lead ${leadId} is not in this plan`);
  const groupKey = fromRoute ? fromRoute.groupKey : fromUnassigned!.groupKey;

  let routes = plan.routes.map((r) => ({ route: r, leadIds: r.stops.map((s) => s.leadId), touched: false }));
  let unassigned = plan.unassigned.filter((u) => u.leadId !== leadId);
  for (const entry of routes) {
    const at = entry.leadIds.indexOf(leadId);
    if (at >= 0) {
      entry.leadIds.splice(at, 1);
      entry.touched = true;
    }
  }

  if ('unassigned' in to) {
    unassigned = [...unassigned, { leadId, groupKey, reason: 'removed_by_hand' } satisfies UnassignedLead];
  } else {
    let target = 'routeId' in to ? routes.find((e) => e.route.id === to.routeId) : routes.find((e) => e.route.repId === to.repId);
    if (!target && 'routeId' in to) throw new RangeError(`no route ${to.routeId} in this plan`);
    if (!target && 'repId' in to) {
      routing.rep(to.repId);
      const route: PlannedRoute = routing.buildRoute({ id: nextRouteId(plan.routes), repId: to.repId, groupKey, leadIds: [] });
      target = { route, leadIds: [], touched: true };
      routes = [...routes, target];
    }
    const position = to.position === undefined ? cheapestPosition(routing, target!.route.repId, target!.leadIds, leadId) : to.position - 1;
    if (!Number.isInteger(position) || position < 0 || position > target!.leadIds.length) {
      throw new RangeError(`position must be between 1 and ${target!.leadIds.length + 1}, got ${to.position}`);
    }
    target!.leadIds.splice(position, 0, leadId);
    target!.touched = true;
  }

  const rebuilt = routes.map((e) => (e.touched ? routing.buildRoute({ id: e.route.id, repId: e.route.repId, groupKey: e.route.groupKey, leadIds: e.leadIds }) : e.route));
  return { ...plan, routes: rebuilt, unassigned, summary: summarise(rebuilt, unassigned) };
}

/** Orders a route's stops again (after changes by hand) to minimise driving from the rep's start. */
export function resequenceRoute(context: PlanningContext, plan: RoutePlan, routeId: string, ordering: Pick<TspOptions, 'seed' | 'maxIterations' | 'timeBudgetMs' | 'clock'> = {}): RoutePlan {
  const routing = new RoutingContext(context);
  const route = findRoute(plan, routeId);
  const leadIds = routing.orderStops(route.repId, route.stops.map((s) => s.leadId), ordering);
  return replaceRoutes(plan, [routing.buildRoute({ id: route.id, repId: route.repId, groupKey: route.groupKey, leadIds })]);
}

/**
 * Gives a route to another rep. If that rep already has a route, the two reps swap routes. The stops
 * keep their order (the day now starts elsewhere, so resequenceRoute may shorten it).
 */
export function reassignRoute(context: PlanningContext, plan: RoutePlan, routeId: string, repId: string): RoutePlan {
  const routing = new RoutingContext(context);
  routing.rep(repId);
  const route = findRoute(plan, routeId);
  const other = plan.routes.find((r) => r.repId === repId && r.id !== routeId);
  const rebuild = (r: PlannedRoute, newRep: string) => routing.buildRoute({ id: r.id, repId: newRep, groupKey: r.groupKey, leadIds: r.stops.map((s) => s.leadId) });
  return replaceRoutes(plan, other ? [rebuild(route, repId), rebuild(other, route.repId)] : [rebuild(route, repId)]);
}

function findRoute(plan: RoutePlan, routeId: string): PlannedRoute {
  const route = plan.routes.find((r) => r.id === routeId);
  if (!route) throw new RangeError(`no route ${routeId} in this plan`);
  return route;
}

function replaceRoutes(plan: RoutePlan, changed: PlannedRoute[]): RoutePlan {
  const routes = plan.routes.map((r) => changed.find((c) => c.id === r.id) ?? r);
  return { ...plan, routes, summary: summarise(routes, plan.unassigned) };
}

function nextRouteId(routes: readonly PlannedRoute[]): string {
  const used = new Set(routes.map((r) => r.id));
  let n = routes.length + 1;
  while (used.has(`R${n}`)) n++;
  return `R${n}`;
}

/** Index in the route where the lead adds the least driving time (directed, from the rep's start). */
function cheapestPosition(routing: RoutingContext, repId: string, leadIds: readonly string[], leadId: string): number {
  const rows = [routing.repRow(repId), ...leadIds.map((id) => routing.leadRow(id))];
  const here = routing.leadRow(leadId);
  const t = (a: number, b: number) => routing.lookup.seconds(a, b);
  let best = leadIds.length;
  let bestAdded = Infinity;
  for (let position = 0; position <= leadIds.length; position++) {
    const previous = rows[position]!;
    const next = rows[position + 1];
    const added = next === undefined ? t(previous, here) : t(previous, here) + t(here, next) - t(previous, next);
    if (added < bestAdded) {
      bestAdded = added;
      best = position;
    }
  }
  return best;
}
