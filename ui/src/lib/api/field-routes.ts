// The supervisor's side of field collections (F1-F3, F5): leads, plans, routes, reps and the
// conflicts syncing found. Calls go through the one client (lib/api/client.ts).
import { call } from './client.ts';

type Fetch = typeof fetch;

export interface LeadAccount {
  id: string;
  externalRef: string;
  customerName: string;
  currency: string;
  balanceMinor: string;
  daysPastDue: number;
  serviceAddress: string | null;
  postalCode: string | null;
  latitude: number | null;
  longitude: number | null;
  corp: string | null;
  auditRoute: string | null;
  branchCode: string;
  branchId: string;
  priorityScore: number;
}
export interface Lead {
  taskId: string;
  title: string;
  createdAt: string;
  route: { id: string; name: string; serviceDate: string } | null;
  account: LeadAccount;
}
export type GroupBy = 'corp' | 'zip' | 'auditRoute' | 'branch' | 'none';
export interface FieldRep {
  id: string;
  name: string;
  email: string;
  branchId: string | null;
}
export interface PlannedStop {
  taskId: string;
  sequence: number;
  legMetres: number;
  legSeconds: number;
  arrivesAt: string;
  departsAt: string;
  serviceMinutes: number;
  lead: Lead;
}
export interface PlannedRoute {
  rep: { id: string; name: string };
  start: { latitude: number; longitude: number };
  groupKey: string | null;
  totals: { stops: number; travelMetres: number; travelSeconds: number; serviceMinutes: number; workMinutes: number; amountMinor: number; startsAt: string; endsAt: string };
  violations: Array<{ kind: string; limit: number; actual: number }>;
  stops: PlannedStop[];
}
export interface RoutePlan {
  branch: { id: string; code: string; name: string };
  /** The branch's: the plan's times are on its clock. */
  timeZone: string;
  serviceDate: string;
  groupBy: GroupBy;
  startAt: string;
  travelSource: string;
  travelFallbackReason: string | null;
  routes: PlannedRoute[];
  unassigned: Array<{ taskId: string; groupKey: string | null; reason: string; lead: Lead }>;
  summary: { routes: number; stops: number; unassigned: number; travelMetres: number; travelSeconds: number; amountMinor: number; workMinutes: { min: number; max: number; mean: number } };
}
export interface PlanRequest {
  serviceDate: string;
  branchId?: string;
  groupBy: GroupBy;
  taskIds?: string[];
  reps: Array<{ repId: string; maxStops?: number; maxMinutes?: number }>;
  startTime?: string;
  serviceMinutes?: number;
}
export interface RouteStop {
  id: string;
  seq: number;
  status: 'pending' | 'visited' | 'skipped';
  taskId: string | null;
  purpose: string | null;
  plannedArrivalAt: string;
  legDistanceM: number;
  legDurationS: number;
  serviceMinutes: number;
  account: { id: string; externalRef: string; customerName: string; serviceAddress: string | null; postalCode: string | null; latitude: number | null; longitude: number | null; balanceMinor: string; currency: string };
}
export interface FieldRoute {
  id: string;
  name: string;
  branchId: string;
  /** The branch's: the route's times are on its clock. */
  timeZone: string;
  serviceDate: string;
  status: 'planned' | 'in_progress' | 'completed' | 'cancelled';
  rep: { id: string; name: string } | null;
  groupBy: string;
  groupKey: string | null;
  start: { latitude: number; longitude: number };
  startAt: string;
  plannedDistanceM: number;
  plannedDurationS: number;
  travelSource: string;
  visits: number;
  stops: RouteStop[];
}
export interface RouteDraft {
  name?: string;
  repId: string;
  taskIds: string[];
  groupBy?: string;
  groupKey?: string | null;
  optimise: boolean;
}
export interface VisitConflict {
  visitId: string;
  receiptNumber: string;
  arrivedAt: string;
  syncedAt: string;
  summary: string;
  account: { id: string; externalRef: string; customerName: string };
  rep: { id: string; name: string };
  conflicts: Array<{ code: string; message: string }>;
  status: 'open' | 'resolved';
  note: string | null;
  resolvedAt: string | null;
}
export interface MapConfig {
  tileUrl: string;
  attribution: string;
}

function query(params: Record<string, string | number | boolean | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const fieldRoutesApi = {
  mapConfig: (fetcher: Fetch = fetch) => call<MapConfig>(fetcher, 'GET', '/field/map-config'),
  leads: (params: { branchId?: string; unrouted?: boolean; q?: string }, fetcher: Fetch = fetch) => call<{ total: number; items: Lead[] }>(fetcher, 'GET', `/field/leads${query({ branchId: params.branchId, unrouted: params.unrouted === undefined ? undefined : String(params.unrouted), q: params.q })}`),
  /** By `accountIds`, or by the bucket's `filter` (API names, as filtersFromUrl gives them). */
  createLeads: (body: { accountIds?: string[]; filter?: Record<string, string>; title: string }, fetcher: Fetch = fetch) =>
    call<{ matched: number; created: Array<{ taskId: string; accountId: string }>; skipped: Array<{ accountId: string; reason: string }> }>(fetcher, 'POST', '/field/leads', body),
  reps: (branchId: string | undefined, fetcher: Fetch = fetch) => call<{ items: FieldRep[] }>(fetcher, 'GET', `/field/reps${query({ branchId })}`),
  plan: (body: PlanRequest, fetcher: Fetch = fetch) => call<RoutePlan>(fetcher, 'POST', '/field/routes/plan', body),
  createRoutes: (body: { serviceDate: string; branchId?: string; startTime?: string; routes: RouteDraft[] }, fetcher: Fetch = fetch) => call<{ items: FieldRoute[] }>(fetcher, 'POST', '/field/routes', body),
  routes: (params: { date?: string; branchId?: string; repId?: string }, fetcher: Fetch = fetch) => call<{ items: FieldRoute[] }>(fetcher, 'GET', `/field/routes${query(params)}`),
  route: (id: string, fetcher: Fetch = fetch) => call<FieldRoute>(fetcher, 'GET', `/field/routes/${encodeURIComponent(id)}`),
  updateRoute: (id: string, change: { name?: string; repId?: string; stopIds?: string[]; optimise?: boolean }, fetcher: Fetch = fetch) => call<FieldRoute>(fetcher, 'PATCH', `/field/routes/${encodeURIComponent(id)}`, change),
  moveStop: (routeId: string, stopId: string, target: { toRouteId: string; position?: number }, fetcher: Fetch = fetch) => call<{ from: FieldRoute; to: FieldRoute }>(fetcher, 'POST', `/field/routes/${encodeURIComponent(routeId)}/stops/${encodeURIComponent(stopId)}/move`, target),
  cancelRoute: (id: string, fetcher: Fetch = fetch) => call<void>(fetcher, 'DELETE', `/field/routes/${encodeURIComponent(id)}`),
  conflicts: (params: { status: 'open' | 'resolved'; page?: number }, fetcher: Fetch = fetch) => call<{ total: number; items: VisitConflict[] }>(fetcher, 'GET', `/field/conflicts${query(params)}`),
  resolveConflict: (visitId: string, note: string, fetcher: Fetch = fetch) => call<unknown>(fetcher, 'POST', `/field/visits/${encodeURIComponent(visitId)}/conflict/resolve`, { note }),
};
