// Route planning (F2, F3): from the leads a supervisor chose and the reps working that day, routes that
// fit each rep's day, balanced across reps, each ordered to minimise driving, and a reason for every
// lead left out. The supervisor then adjusts by hand (route-adjustments.ts).
//
// The steps, for each group of leads (a route never mixes groups: see lead-groups.ts):
//   1. reps are shared out among the groups in proportion to their work (most valuable groups first
//      when there are more groups than reps), and each rep goes to the group nearest their start;
//   2. a group with several reps is cut into compact areas of balanced work, one per rep (a
//      capacitated k-medoids on driving times, seeded, so the same input gives the same plan);
//   3. each area is ordered by the TSP solver as an open path from the rep's start;
//   4. a day that runs over the rep's hours drops its least valuable stops (lowest priority, then the
//      least owed per minute freed); they go to another of the group's routes with room, or are left
//      out as "no capacity";
//   5. stops move from days longer than average to nearby shorter ones while that shortens the
//      longer day by more than it adds driving; the routes are then ordered again.
// Step 1 is in rep-allocation.ts, steps 2–5 in group-routes.ts.
// Pure: the travel matrix is handed in (platform/routing/travel-matrix.ts makes one).
import { isValidLocation } from './geo.ts';
import { GroupPlanner, type RouteOrdering } from './group-routes.ts';
import { groupKeyOf, groupLeads } from './lead-groups.ts';
import { allocateReps } from './rep-allocation.ts';
import { RoutingContext, summarise, type GroupBy, type Lead, type PlanningContext, type Rep, type RoutePlan, type UnassignedLead } from './route-model.ts';

export * from './route-model.ts';
export * from './lead-groups.ts';
export * from './route-adjustments.ts';

export interface PlanRequest extends PlanningContext {
  groupBy: GroupBy;
  /** Plan only these leads (a selection on the map, or the groups the supervisor picked), by id. Default: all. */
  selection?: readonly string[];
  /** How each route is ordered: the seed, and optionally a time budget per route (with its clock). */
  ordering?: RouteOrdering;
}

export function planRoutes(request: PlanRequest): RoutePlan {
  const context = new RoutingContext(request);
  for (const rep of request.reps) {
    context.repRow(rep.id);
    if (rep.maxStops !== undefined && !(Number.isInteger(rep.maxStops) && rep.maxStops >= 0)) throw new RangeError(`rep ${rep.id}: maxStops must be a non-negative integer`);
    if (rep.maxMinutes !== undefined && !(rep.maxMinutes >= 0)) throw new RangeError(`rep ${rep.id}: maxMinutes must be non-negative`);
  }
  const wanted = request.selection ? new Set(request.selection) : undefined;
  const unassigned: UnassignedLead[] = [];
  const routable: Lead[] = [];
  for (const lead of request.leads) {
    if (wanted && !wanted.has(lead.id)) continue;
    if (!(lead.serviceMinutes >= 0) || !Number.isFinite(lead.amountMinor)) throw new RangeError(`lead ${lead.id}: serviceMinutes must be non-negative and amountMinor a number`);
    if (isValidLocation(lead)) routable.push(lead);
    else unassigned.push({ leadId: lead.id, groupKey: groupKeyOf(lead, request.groupBy), reason: 'invalid_location' });
  }
  for (const lead of withoutRoads(context, routable, request.reps)) {
    routable.splice(routable.indexOf(lead), 1);
    unassigned.push({ leadId: lead.id, groupKey: groupKeyOf(lead, request.groupBy), reason: 'unreachable' });
  }

  const planned: Array<{ repId: string; groupKey: string | null; leadIds: string[] }> = [];
  // A rep with no stops or no minutes to give would only hold a seat another rep could use.
  const working = request.reps.filter((rep) => rep.maxStops !== 0 && rep.maxMinutes !== 0);
  for (const { group, repIds } of allocateReps(context, groupLeads(routable, request.groupBy), working)) {
    if (repIds.length === 0) {
      const reason = working.length === 0 && request.reps.length > 0 ? 'no_capacity' : 'no_rep_for_group';
      for (const leadId of group.leadIds) unassigned.push({ leadId, groupKey: group.key, reason });
      continue;
    }
    const routes = new GroupPlanner(context, group, repIds, request.ordering ?? {}, unassigned).plan();
    routes.forEach((leadIds, k) => {
      if (leadIds.length > 0) planned.push({ repId: repIds[k]!, groupKey: group.key, leadIds });
    });
  }

  const repOrder = new Map(request.reps.map((rep, i) => [rep.id, i]));
  planned.sort((a, b) => repOrder.get(a.repId)! - repOrder.get(b.repId)!);
  const routes = planned.map((p, i) => context.buildRoute({ id: `R${i + 1}`, ...p }));
  return {
    groupBy: request.groupBy,
    startAt: request.startAt,
    travelSource: request.travel.source,
    ...(request.travel.fallbackReason ? { travelFallbackReason: request.travel.fallbackReason } : {}),
    routes,
    unassigned,
    summary: summarise(routes, unassigned),
  };
}

/**
 * Leads the routing service found no road to or from (infinite times in the matrix). One lead on an
 * island makes every pair with it infinite; so the lead with the most such pairs is taken out first,
 * and so on until the rest are all connected.
 */
function withoutRoads(context: RoutingContext, leads: readonly Lead[], reps: readonly Rep[]): Lead[] {
  const { lookup } = context;
  const leadRows = leads.map((l) => context.leadRow(l.id));
  const repRows = reps.map((r) => context.repRow(r.id));
  const broken = (a: number, b: number) => !Number.isFinite(lookup.seconds(a, b)) || !Number.isFinite(lookup.seconds(b, a));
  const count = leadRows.map((a) => [...leadRows, ...repRows].filter((b) => b !== a && broken(a, b)).length);
  const removed: Lead[] = [];
  const gone = new Set<number>();
  for (;;) {
    let worst = -1;
    count.forEach((c, i) => {
      if (!gone.has(i) && c > 0 && (worst < 0 || c > count[worst]!)) worst = i;
    });
    if (worst < 0) return removed;
    gone.add(worst);
    removed.push(leads[worst]!);
    leadRows.forEach((row, i) => {
      if (!gone.has(i) && broken(row, leadRows[worst]!)) count[i]!--;
    });
  }
}
