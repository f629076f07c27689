// Field routes (F2, F3): what a lead, a rep and a planned route are, and how a route's legs, planned
// arrival times, totals and capacity problems follow from the order of its stops. Planning
// (route-planning.ts) and a supervisor's changes by hand (route-adjustments.ts) both build routes
// here, so a route always adds up the same way however it was made.
import { solveTsp, type TspOptions } from './tsp.ts';
import { leadPointId, repPointId, TravelLookup, type LatLon, type TravelMatrix, type TravelSource } from './travel-matrix.ts';

/** How leads are grouped into routes: a route never mixes two groups. */
export const groupings = {
  corp: 'Company / franchise',
  zip: 'ZIP code',
  auditRoute: 'Audit route',
  branch: 'Branch',
  none: 'No grouping: by geography only',
} as const;
export type GroupBy = keyof typeof groupings;

export interface LeadGroupKeys {
  corp?: string;
  zip?: string;
  auditRoute?: string;
  branch?: string;
}

/** An account to visit. */
export interface Lead extends LatLon {
  id: string;
  groupKeys: LeadGroupKeys;
  /** Time on site. */
  serviceMinutes: number;
  /** Amount in arrears, minor units; decides, with priority, who waits when days are full. */
  amountMinor: number;
  /** Higher is visited first when not everyone fits. Default 0. */
  priority?: number;
}

/** A field rep's day. Without limits a rep takes any number of stops. */
export interface Rep {
  id: string;
  /** Where the day starts (home or office). Routes are open: the day ends at the last stop. */
  start: LatLon;
  maxStops?: number;
  /** Length of the working day: driving plus time on site. */
  maxMinutes?: number;
}

export interface PlannedStop {
  leadId: string;
  /** 1-based. */
  sequence: number;
  /** The leg that reaches this stop, from the rep's start or the stop before. */
  legMetres: number;
  legSeconds: number;
  arrivesAt: Date;
  departsAt: Date;
  serviceMinutes: number;
}

export interface RouteTotals {
  stops: number;
  travelMetres: number;
  travelSeconds: number;
  serviceMinutes: number;
  /** Driving plus time on site: what is compared with a rep's maxMinutes and balanced across reps. */
  workMinutes: number;
  amountMinor: number;
  startsAt: Date;
  endsAt: Date;
}

export type CapacityViolation = { kind: 'max_stops'; limit: number; actual: number } | { kind: 'max_minutes'; limit: number; actual: number };

export interface PlannedRoute {
  id: string;
  repId: string;
  /** The group's value (a corp, a ZIP …); null when not grouping or the leads have no value for it. */
  groupKey: string | null;
  stops: PlannedStop[];
  totals: RouteTotals;
  /** Empty for planned routes; a change by hand may overfill a day, and is then flagged here rather than refused. */
  violations: CapacityViolation[];
}

export const unassignedReasons = {
  no_capacity: "The reps' days are full",
  no_rep_for_group: 'More groups than reps: no rep was left for this group',
  longer_than_a_day: 'The visit alone does not fit in a day of any rep of its group',
  invalid_location: 'The lead has no valid coordinates',
  unreachable: 'The routing service found no road to or from the lead',
  removed_by_hand: 'Taken off its route by a supervisor',
} as const;
export type UnassignedReason = keyof typeof unassignedReasons;

export interface UnassignedLead {
  leadId: string;
  groupKey: string | null;
  reason: UnassignedReason;
}

export interface PlanSummary {
  routes: number;
  stops: number;
  unassigned: number;
  travelMetres: number;
  travelSeconds: number;
  amountMinor: number;
  /** The spread of reps' days, to judge the balance. */
  workMinutes: { min: number; max: number; mean: number };
}

export interface RoutePlan {
  groupBy: GroupBy;
  startAt: Date;
  travelSource: TravelSource;
  /** Why road figures were not used, when a routing service was configured but failed. */
  travelFallbackReason?: string;
  routes: PlannedRoute[];
  unassigned: UnassignedLead[];
  summary: PlanSummary;
}

/** What building, checking and changing routes needs besides the routes themselves. */
export interface PlanningContext {
  leads: readonly Lead[];
  reps: readonly Rep[];
  /** Must cover `rep:<id>` for every rep and `lead:<id>` for every lead routed (see travelPointsFor). */
  travel: TravelMatrix;
  /** When every rep's day starts. */
  startAt: Date;
}

/** The points a travel matrix must cover for planning these leads and reps, in a stable order. */
export function travelPointsFor(leads: readonly Lead[], reps: readonly Rep[]): Array<{ id: string; lat: number; lon: number }> {
  return [...reps.map((r) => ({ id: repPointId(r.id), lat: r.start.lat, lon: r.start.lon })), ...leads.map((l) => ({ id: leadPointId(l.id), lat: l.lat, lon: l.lon }))];
}

/** The context, indexed: leads and reps by id, matrix rows by id. */
export class RoutingContext {
  readonly lookup: TravelLookup;
  private readonly leadsById = new Map<string, Lead>();
  private readonly repsById = new Map<string, Rep>();

  constructor(readonly input: PlanningContext) {
    this.lookup = new TravelLookup(input.travel);
    for (const lead of input.leads) {
      if (this.leadsById.has(lead.id)) throw new RangeError(`lead ${lead.id} is listed twice`);
      this.leadsById.set(lead.id, lead);
    }
    for (const rep of input.reps) {
      if (this.repsById.has(rep.id)) throw new RangeError(`rep ${rep.id} is listed twice`);
      this.repsById.set(rep.id, rep);
    }
  }

  lead(id: string): Lead {
    const lead = this.leadsById.get(id);
    if (!lead) throw new RangeError(`unknown lead ${id}`);
    return lead;
  }

  rep(id: string): Rep {
    const rep = this.repsById.get(id);
    if (!rep) throw new RangeError(`unknown rep ${id}`);
    return rep;
  }

  leadRow(id: string): number {
    return this.lookup.indexOf(leadPointId(id));
  }

  repRow(id: string): number {
    return this.lookup.indexOf(repPointId(id));
  }

  /**
   * Visiting order that minimises driving time: an open path from the rep's start through the
   * stops, by the TSP solver (on times averaged over both directions; see TravelLookup).
   */
  orderStops(repId: string, leadIds: readonly string[], options: TspOptions = {}): string[] {
    if (leadIds.length <= 1) return [...leadIds];
    const rows = [this.repRow(repId), ...leadIds.map((id) => this.leadRow(id))];
    const { order } = solveTsp({ size: rows.length, distances: this.lookup.symmetricSeconds(rows) }, { ...options, path: { start: 0 } });
    return order.slice(1).map((i) => leadIds[i - 1]!);
  }

  /** Legs, arrival times, totals and capacity problems of a route whose stops are in the given order. */
  buildRoute(spec: { id: string; repId: string; groupKey: string | null; leadIds: readonly string[] }): PlannedRoute {
    const rep = this.rep(spec.repId);
    const startsAt = this.input.startAt;
    let at = startsAt.getTime();
    let previous = this.repRow(rep.id);
    let travelMetres = 0;
    let travelSeconds = 0;
    let serviceMinutes = 0;
    let amountMinor = 0;
    const stops = spec.leadIds.map((leadId, k): PlannedStop => {
      const lead = this.lead(leadId);
      const row = this.leadRow(leadId);
      const legMetres = this.lookup.metres(previous, row);
      const legSeconds = this.lookup.seconds(previous, row);
      travelMetres += legMetres;
      travelSeconds += legSeconds;
      serviceMinutes += lead.serviceMinutes;
      amountMinor += lead.amountMinor;
      const arrivesAt = new Date(Math.round(at + legSeconds * 1000));
      const departsAt = new Date(arrivesAt.getTime() + lead.serviceMinutes * 60_000);
      at = departsAt.getTime();
      previous = row;
      return { leadId, sequence: k + 1, legMetres, legSeconds, arrivesAt, departsAt, serviceMinutes: lead.serviceMinutes };
    });
    const totals: RouteTotals = {
      stops: stops.length,
      travelMetres,
      travelSeconds,
      serviceMinutes,
      workMinutes: travelSeconds / 60 + serviceMinutes,
      amountMinor,
      startsAt,
      endsAt: new Date(at),
    };
    return { id: spec.id, repId: rep.id, groupKey: spec.groupKey, stops, totals, violations: capacityViolations(rep, totals) };
  }
}

/** What is over the rep's limits (maxMinutes with a second's tolerance for rounding). */
export function capacityViolations(rep: Rep, totals: Pick<RouteTotals, 'stops' | 'workMinutes'>): CapacityViolation[] {
  const violations: CapacityViolation[] = [];
  if (rep.maxStops !== undefined && totals.stops > rep.maxStops) violations.push({ kind: 'max_stops', limit: rep.maxStops, actual: totals.stops });
  if (rep.maxMinutes !== undefined && totals.workMinutes > rep.maxMinutes + 1 / 60) violations.push({ kind: 'max_minutes', limit: rep.maxMinutes, actual: totals.workMinutes });
  return violations;
}

/** The plan-wide figures, recomputed from the routes. */
export function summarise(routes: readonly PlannedRoute[], unassigned: readonly UnassignedLead[]): PlanSummary {
  const work = routes.map((r) => r.totals.workMinutes);
  const sum = (f: (r: PlannedRoute) => number) => routes.reduce((total, r) => total + f(r), 0);
  return {
    routes: routes.length,
    stops: sum((r) => r.totals.stops),
    unassigned: unassigned.length,
    travelMetres: sum((r) => r.totals.travelMetres),
    travelSeconds: sum((r) => r.totals.travelSeconds),
    amountMinor: sum((r) => r.totals.amountMinor),
    workMinutes: work.length === 0 ? { min: 0, max: 0, mean: 0 } : { min: Math.min(...work), max: Math.max(...work), mean: work.reduce((a, b) => a + b, 0) / work.length },
  };
}
