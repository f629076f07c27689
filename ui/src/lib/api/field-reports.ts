// Field collections reports (F10) and the commission plan: the API's shapes and calls. Money is a
// string of minor units with its currency; rates are fractions from 0 to 1, null when unknown.
import { call } from './client.ts';

type Fetch = typeof fetch;

export interface FieldMoney {
  currency: string;
  amountMinor: string;
}
export interface Counted {
  count: number;
  amounts: FieldMoney[];
}
export interface ReportRep {
  id: string;
  name: string;
  branchCode: string | null;
}
export type PaymentMethod = 'cash' | 'cheque' | 'card' | 'money_order';
export type ContactResult = 'spoke_with_customer' | 'spoke_with_other' | 'no_one_home' | 'moved_away' | 'address_not_found' | 'refused_to_talk';
export type ReportPeriod = 'day' | 'week' | 'month';
export type DistributionArea = 'postal_prefix' | 'corp' | 'audit_route';

interface Dated {
  from: string;
  to: string;
  generatedAt: string;
}

export interface CollectionFigures {
  visits: number;
  payments: number;
  collected: FieldMoney[];
  byMethod: Array<{ method: PaymentMethod } & Counted>;
  reversed: Counted;
}
export interface CollectionSeries {
  periods: Array<CollectionFigures & { period: string }>;
  total: CollectionFigures;
}
export interface CollectionsReport extends Dated {
  period: ReportPeriod;
  periods: Array<{ key: string; start: string; end: string; partial: boolean }>;
  reps: Array<CollectionSeries & { rep: ReportRep }>;
  allReps: CollectionSeries;
}

export interface CommissionPlanDefinition {
  tiers: Array<{ fromMinor: number; rateBps: number }>;
  perEquipmentMinor: number;
  perEquipmentTypeMinor: Record<string, number>;
}
export interface CommissionPlan {
  id: string | null;
  name: string;
  isDefault: boolean;
  createdAt: string | null;
  createdBy: { id: string; name: string } | null;
  definition: CommissionPlanDefinition;
}
export interface CommissionPlanState {
  current: CommissionPlan;
  history: CommissionPlan[];
  canChange: boolean;
}
export interface CommissionLine {
  month: string;
  rep: ReportRep;
  currency: string;
  collectedMinor: string;
  equipmentUnits: number;
  equipmentByType: Array<{ type: string; units: number }>;
  /** The plan version the month is paid on (the one in force at the month's close). */
  plan: { id: string | null; name: string };
  tiers: Array<{ fromMinor: string; toMinor: string | null; rateBps: number; baseMinor: string; commissionMinor: string }>;
  collectedCommissionMinor: string;
  equipmentCommissionMinor: string;
  totalMinor: string;
}
export interface CommissionsReport extends Dated {
  plan: CommissionPlan;
  lines: CommissionLine[];
  totals: Array<{ month: string; currency: string; collectedMinor: string; totalMinor: string }>;
}

export interface RouteFigures {
  stops: { planned: number; visited: number; skipped: number; pending: number };
  visits: number;
  results: Array<{ result: ContactResult; count: number }>;
  payments: number;
  collected: FieldMoney[];
  reversed: Counted;
  promises: Counted;
  equipment: number;
}
export interface RouteSummaryRow extends RouteFigures {
  route: { id: string; name: string; serviceDate: string; status: 'planned' | 'in_progress' | 'completed' | 'cancelled'; rep: ReportRep | null; branchCode: string; timeZone: string; groupBy: string; groupKey: string | null };
  plannedDistanceM: number;
  plannedMinutes: number;
  plannedSpanMinutes: number | null;
  actualSpanMinutes: number | null;
  firstArrivalAt: string | null;
  lastArrivalAt: string | null;
}
export interface RouteSummaryReport extends Dated {
  routes: RouteSummaryRow[];
  totals: RouteFigures;
}

export interface DistributionFigures {
  stops: number;
  visitedStops: number;
  accounts: number;
  arrears: FieldMoney[];
  collected: FieldMoney[];
}
export interface DistributionReport extends Dated {
  by: DistributionArea;
  prefixLength: number;
  cells: Array<DistributionFigures & { area: string | null; rep: ReportRep | null }>;
  byArea: Array<DistributionFigures & { area: string | null }>;
  byRep: Array<DistributionFigures & { rep: ReportRep | null }>;
  total: DistributionFigures;
}

export interface SweepTotals {
  byMethod: Array<{ method: PaymentMethod } & Counted>;
  taken: FieldMoney[];
  reversed: Counted;
  declinedCards: number;
}
export interface SweepItem {
  visitId: string;
  receiptNumber: string;
  arrivedAt: string;
  /** The branch's: the day and time are read in it. */
  timeZone: string;
  account: { id: string; externalRef: string; customerName: string };
  method: PaymentMethod;
  amount: FieldMoney;
  reference: string | null;
  card: { brand: string | null; last4: string | null; processorRef: string | null } | null;
  status: 'posted' | 'reversed' | 'unposted';
}
export interface SweepReport extends Dated {
  days: Array<{ date: string; rep: ReportRep; items: SweepItem[]; totals: SweepTotals }>;
  totals: SweepTotals;
}

export interface Effectiveness {
  visits: number;
  rightPartyContacts: number;
  rightPartyRate: number | null;
  visitsWithPayment: number;
  paymentRate: number | null;
  collected: FieldMoney[];
  amountPerVisit: FieldMoney[];
  promises: { made: number; amounts: FieldMoney[]; kept: number; broken: number; keptRate: number | null };
  equipmentRecovered: number;
  retention: { offers: number; accepted: number; declined: number; considering: number; acceptedRate: number | null };
  cards: { charged: number; declined: number };
}
export interface EffectivenessReport extends Dated {
  reps: Array<Effectiveness & { rep: ReportRep }>;
  staff: Effectiveness;
}

/** The filters every report takes (the URL's query on the reports pages). */
export interface ReportFilters {
  from: string;
  to: string;
  repId?: string | undefined;
  branchId?: string | undefined;
}

function query(params: object): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '' && value !== null) search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}

export type ReportName = 'collections' | 'commissions' | 'routes' | 'distribution' | 'sweep' | 'effectiveness';

export const fieldReportsApi = {
  reps: (branchId: string | undefined, fetcher: Fetch = fetch) => call<{ items: ReportRep[] }>(fetcher, 'GET', `/field/reports/reps${query({ branchId })}`),
  collections: (filters: ReportFilters & { period: ReportPeriod }, fetcher: Fetch = fetch) => call<CollectionsReport>(fetcher, 'GET', `/field/reports/collections${query(filters)}`),
  commissions: (filters: ReportFilters, fetcher: Fetch = fetch) => call<CommissionsReport>(fetcher, 'GET', `/field/reports/commissions${query(filters)}`),
  routes: (filters: ReportFilters, fetcher: Fetch = fetch) => call<RouteSummaryReport>(fetcher, 'GET', `/field/reports/routes${query(filters)}`),
  distribution: (filters: ReportFilters & { by: DistributionArea; prefixLength?: number }, fetcher: Fetch = fetch) => call<DistributionReport>(fetcher, 'GET', `/field/reports/distribution${query(filters)}`),
  sweep: (filters: ReportFilters, fetcher: Fetch = fetch) => call<SweepReport>(fetcher, 'GET', `/field/reports/sweep${query(filters)}`),
  effectiveness: (filters: ReportFilters, fetcher: Fetch = fetch) => call<EffectivenessReport>(fetcher, 'GET', `/field/reports/effectiveness${query(filters)}`),
  /** A plain link that downloads the report as CSV (the same filters). */
  csvUrl: (report: ReportName, filters: object) => `/api/v1/field/reports/${report}${query({ ...filters, format: 'csv' })}`,
  commissionPlan: (fetcher: Fetch = fetch) => call<CommissionPlanState>(fetcher, 'GET', '/field/commission-plan'),
  setCommissionPlan: (plan: { name: string; definition: CommissionPlanDefinition }, fetcher: Fetch = fetch) => call<CommissionPlan>(fetcher, 'PUT', '/field/commission-plan', plan),
};
