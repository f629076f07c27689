// Route reports (F10): the route summary — each route's plan against what happened on it — and the
// route distribution — how the stops sent to the field, the accounts and the amounts in arrears on
// them spread over reps and areas (postal-code prefix, corp or franchise, billing's audit route).
// Pure, like field-reports.ts, whose visit facts and money sums it uses.
import { fieldContactResults, type FieldContactResult } from './field-visits.ts';
import { CurrencySums, type MoneySum, type RepRef, type VisitFact } from './field-reports.ts';

export interface StopAccount {
  id: string;
  currency: string;
  /** The account's balance as it stands when the report runs. */
  balanceMinor: bigint;
  postalCode: string | null;
  corp: string | null;
  auditRoute: string | null;
}

export interface RouteFact {
  id: string;
  name: string;
  serviceDate: string;
  status: 'planned' | 'in_progress' | 'completed' | 'cancelled';
  rep: RepRef | null;
  branchCode: string;
  /** The branch's, in which the route's times are read. */
  timeZone: string;
  groupBy: string;
  groupKey: string | null;
  plannedDistanceM: number;
  plannedDurationS: number;
  stops: ReadonlyArray<{ id: string; status: 'pending' | 'visited' | 'skipped'; plannedArrivalAt: Date; account: StopAccount }>;
}

// --- 3. route summary --------------------------------------------------------------------------

export interface RouteSummaryFigures {
  stops: { planned: number; visited: number; skipped: number; pending: number };
  visits: number;
  results: Array<{ result: FieldContactResult; count: number }>;
  payments: number;
  collected: MoneySum[];
  reversed: { count: number; amounts: MoneySum[] };
  promises: { count: number; amounts: MoneySum[] };
  equipment: number;
}

export interface RouteSummaryRow extends RouteSummaryFigures {
  route: Omit<RouteFact, 'stops' | 'plannedDistanceM' | 'plannedDurationS'>;
  plannedDistanceM: number;
  /** The whole day as planned (driving from the office and time at each stop). */
  plannedMinutes: number;
  /** First planned arrival to last planned arrival, comparable with the actual span. */
  plannedSpanMinutes: number | null;
  /** First arrival to last arrival of the visits made on the route. */
  actualSpanMinutes: number | null;
  firstArrivalAt: Date | null;
  lastArrivalAt: Date | null;
}

const minutesBetween = (first: Date, last: Date) => Math.round((last.getTime() - first.getTime()) / 60_000);

function spanOf(instants: readonly Date[]): { first: Date; last: Date } | null {
  if (instants.length === 0) return null;
  const times = instants.map((t) => t.getTime());
  return { first: new Date(Math.min(...times)), last: new Date(Math.max(...times)) };
}

function summaryFigures(stops: RouteFact['stops'], visits: readonly VisitFact[]): RouteSummaryFigures {
  const collected = new CurrencySums();
  const reversed = new CurrencySums();
  const promised = new CurrencySums();
  for (const v of visits) {
    if (v.taking?.status === 'posted') collected.add(v.currency, v.taking.amountMinor);
    if (v.taking?.status === 'reversed') reversed.add(v.currency, v.taking.amountMinor);
    if (v.promise) promised.add(v.currency, v.promise.amountMinor);
  }
  const stopsIn = (status: RouteFact['stops'][number]['status']) => stops.filter((s) => s.status === status).length;
  return {
    stops: { planned: stops.length, visited: stopsIn('visited'), skipped: stopsIn('skipped'), pending: stopsIn('pending') },
    visits: visits.length,
    results: fieldContactResults.map((result) => ({ result, count: visits.filter((v) => v.contactResult === result).length })),
    payments: visits.filter((v) => v.taking?.status === 'posted').length,
    collected: collected.list(),
    reversed: { count: visits.filter((v) => v.taking?.status === 'reversed').length, amounts: reversed.list() },
    promises: { count: visits.filter((v) => v.promise !== null).length, amounts: promised.list() },
    equipment: visits.reduce((n, v) => n + v.equipment.length, 0),
  };
}

/** Each route's plan against what its visits recorded (a visit counts for the route it was made on). */
export function buildRouteSummary(input: { routes: readonly RouteFact[]; visits: readonly VisitFact[] }): { routes: RouteSummaryRow[]; totals: RouteSummaryFigures } {
  const routes = [...input.routes].sort((a, b) => a.serviceDate.localeCompare(b.serviceDate) || (a.rep?.name ?? '').localeCompare(b.rep?.name ?? '') || a.name.localeCompare(b.name));
  const routeIds = new Set(routes.map((r) => r.id));
  const visitsOn = (routeId: string) => input.visits.filter((v) => v.routeId === routeId);
  const rows = routes.map((route) => {
    const visits = visitsOn(route.id);
    const planned = spanOf(route.stops.map((s) => s.plannedArrivalAt));
    const actual = spanOf(visits.map((v) => v.arrivedAt));
    const { stops, plannedDistanceM, plannedDurationS, ...described } = route;
    return {
      route: described,
      ...summaryFigures(stops, visits),
      plannedDistanceM,
      plannedMinutes: Math.round(plannedDurationS / 60),
      plannedSpanMinutes: planned ? minutesBetween(planned.first, planned.last) : null,
      actualSpanMinutes: actual ? minutesBetween(actual.first, actual.last) : null,
      firstArrivalAt: actual?.first ?? null,
      lastArrivalAt: actual?.last ?? null,
    };
  });
  return { routes: rows, totals: summaryFigures(routes.flatMap((r) => r.stops), input.visits.filter((v) => v.routeId !== null && routeIds.has(v.routeId))) };
}

// --- 4. route distribution ---------------------------------------------------------------------

export const distributionAreas = ['postal_prefix', 'corp', 'audit_route'] as const;
export type DistributionArea = (typeof distributionAreas)[number];
export const defaultPostalPrefixLength = 3;

/** The area a stop's account is in; null when billing did not report it. Postal codes compare without spaces, in capitals. */
export function areaOf(account: StopAccount, by: DistributionArea, prefixLength = defaultPostalPrefixLength): string | null {
  if (by === 'corp') return account.corp?.trim() || null;
  if (by === 'audit_route') return account.auditRoute?.trim() || null;
  const postal = account.postalCode?.replace(/\s+/g, '').toUpperCase() ?? '';
  return postal ? postal.slice(0, prefixLength) : null;
}

export interface DistributionFigures {
  stops: number;
  visitedStops: number;
  /** Distinct accounts: an account on two routes is one account (and one balance) in the group. */
  accounts: number;
  /** The distinct accounts' balances now. */
  arrears: MoneySum[];
  /** Posted payments from visits to these stops. */
  collected: MoneySum[];
}

export interface DistributionReport {
  by: DistributionArea;
  prefixLength: number;
  cells: Array<{ area: string | null; rep: RepRef | null } & DistributionFigures>;
  byArea: Array<{ area: string | null } & DistributionFigures>;
  byRep: Array<{ rep: RepRef | null } & DistributionFigures>;
  total: DistributionFigures;
}

interface PlacedStop {
  id: string;
  status: RouteFact['stops'][number]['status'];
  account: StopAccount;
  rep: RepRef | null;
  area: string | null;
}

function distributionFigures(stops: readonly PlacedStop[], collectedByStop: ReadonlyMap<string, MoneySum>): DistributionFigures {
  const accounts = new Map(stops.map((s) => [s.account.id, s.account]));
  const arrears = new CurrencySums();
  for (const account of accounts.values()) arrears.add(account.currency, account.balanceMinor);
  const collected = new CurrencySums();
  for (const stop of stops) {
    const taken = collectedByStop.get(stop.id);
    if (taken) collected.add(taken.currency, taken.amountMinor);
  }
  return { stops: stops.length, visitedStops: stops.filter((s) => s.status === 'visited').length, accounts: accounts.size, arrears: arrears.list(), collected: collected.list() };
}

const byAreaName = (a: string | null, b: string | null) => (a === null ? 1 : b === null ? -1 : a.localeCompare(b));
const byRepName = (a: RepRef | null, b: RepRef | null) => (a === null ? 1 : b === null ? -1 : a.name.localeCompare(b.name) || a.id.localeCompare(b.id));

/** How the stops of the routes (and their accounts and arrears) spread over reps and over one kind of area. */
export function buildDistribution(input: { by: DistributionArea; prefixLength?: number; routes: readonly RouteFact[]; visits: readonly VisitFact[] }): DistributionReport {
  const prefixLength = input.prefixLength ?? defaultPostalPrefixLength;
  const stops: PlacedStop[] = input.routes.flatMap((route) => route.stops.map((stop) => ({ id: stop.id, status: stop.status, account: stop.account, rep: route.rep, area: areaOf(stop.account, input.by, prefixLength) })));
  const collectedByStop = new Map<string, MoneySum>();
  for (const v of input.visits) {
    if (v.routeStopId === null || v.taking?.status !== 'posted') continue;
    const before = collectedByStop.get(v.routeStopId)?.amountMinor ?? 0n;
    collectedByStop.set(v.routeStopId, { currency: v.currency, amountMinor: before + v.taking.amountMinor });
  }
  const groupBy = <K>(keyOf: (s: PlacedStop) => K, id: (k: K) => string) => {
    const groups = new Map<string, { key: K; stops: PlacedStop[] }>();
    for (const stop of stops) {
      const key = keyOf(stop);
      const group = groups.get(id(key)) ?? { key, stops: [] };
      group.stops.push(stop);
      groups.set(id(key), group);
    }
    return [...groups.values()];
  };
  const repId = (rep: RepRef | null) => rep?.id ?? '';
  const byArea = groupBy((s) => s.area, (a) => a ?? '\u0000').map((g) => ({ area: g.key, ...distributionFigures(g.stops, collectedByStop) }));
  byArea.sort((a, b) => b.stops - a.stops || byAreaName(a.area, b.area));
  const areaRank = new Map(byArea.map((a, i) => [a.area, i]));
  const cells = groupBy((s) => ({ area: s.area, rep: s.rep }), (k) => `${k.area ?? '\u0000'}|${repId(k.rep)}`).map((g) => ({ area: g.key.area, rep: g.key.rep, ...distributionFigures(g.stops, collectedByStop) }));
  cells.sort((a, b) => areaRank.get(a.area)! - areaRank.get(b.area)! || byRepName(a.rep, b.rep));
  const byRep = groupBy((s) => s.rep, repId).map((g) => ({ rep: g.key, ...distributionFigures(g.stops, collectedByStop) }));
  byRep.sort((a, b) => byRepName(a.rep, b.rep));
  return { by: input.by, prefixLength, cells, byArea, byRep, total: distributionFigures(stops, collectedByStop) };
}
