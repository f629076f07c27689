// Field collections reports (F10, F11): what a field visit counts as, how days, ISO weeks and months are
// cut in each branch's time zone, and the figures of the visit-based reports — collections by period,
// rep commissions, the collections sweep and effectiveness. Pure: services/field-reports.ts reads the
// facts, this module decides what they count as. Route-based reports are in field-route-reports.ts.
// docs/field-reports.md defines every figure in words.
import { localDate } from './ageing.ts';
import { commissionFor, type CommissionBreakdown, type CommissionPlan } from './commissions.ts';
import { fieldPaymentMethods, type FieldContactResult, type FieldPaymentMethod, type RetentionOutcome } from './field-visits.ts';
import { addDays } from './team-board.ts';

// --- calendar ----------------------------------------------------------------------------------

export const reportPeriods = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof reportPeriods)[number];

/** The longest range a report reads at once: a year and a month, so a year can be compared with the last. */
export const maxReportDays = 400;

/** Local calendar dates, inclusive. */
export interface DateRange {
  from: string;
  to: string;
}

/** One bar of a report over time: a day, an ISO week (Monday to Sunday) or a month, cut to the range asked for. */
export interface PeriodBucket {
  /** `2026-03-09`, `2026-W11` or `2026-03`. */
  key: string;
  /** First and last local date of the bucket within the range. */
  start: string;
  end: string;
  /** The range cuts the week or month short: its figures cover only part of it. */
  partial: boolean;
}

const dayMs = 86_400_000;
const epochDay = (date: string) => Date.parse(`${date}T00:00:00Z`) / dayMs;

/** Inclusive count of days from `from` to `to` (1 for a single day, 0 or less when `to` is before `from`). */
export function daysInRange(range: DateRange): number {
  return epochDay(range.to) - epochDay(range.from) + 1;
}

/** ISO 8601 weekday: Monday 1 … Sunday 7. */
function isoWeekday(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The ISO week a date falls in: weeks start on Monday, and week 1 holds the year's first Thursday. */
export function isoWeek(date: string): { year: number; week: number; monday: string } {
  const monday = addDays(date, 1 - isoWeekday(date));
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const week = Math.floor((epochDay(thursday) - epochDay(`${year}-01-01`)) / 7) + 1;
  return { year, week, monday };
}

function lastDayOfMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, m, 0)).toISOString().slice(0, 10);
}

/** The key of the period a local date falls in. */
export function periodKey(date: string, period: ReportPeriod): string {
  if (period === 'day') return date;
  if (period === 'month') return date.slice(0, 7);
  const { year, week } = isoWeek(date);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The whole period a local date falls in, first and last date. */
function periodAround(date: string, period: ReportPeriod): { start: string; end: string } {
  if (period === 'day') return { start: date, end: date };
  if (period === 'month') return { start: `${date.slice(0, 7)}-01`, end: lastDayOfMonth(date.slice(0, 7)) };
  const { monday } = isoWeek(date);
  return { start: monday, end: addDays(monday, 6) };
}

/** Every period from the one holding `from` to the one holding `to`, in order, each cut to the range. */
export function periodsCovering(range: DateRange, period: ReportPeriod): PeriodBucket[] {
  const buckets: PeriodBucket[] = [];
  for (let date = range.from; date <= range.to; ) {
    const whole = periodAround(date, period);
    const start = whole.start < range.from ? range.from : whole.start;
    const end = whole.end > range.to ? range.to : whole.end;
    buckets.push({ key: periodKey(date, period), start, end, partial: start !== whole.start || end !== whole.end });
    date = addDays(whole.end, 1);
  }
  return buckets;
}

/** Commissions are paid on whole months: the months a range touches, first to last day. */
export function wholeMonths(range: DateRange): DateRange {
  return { from: `${range.from.slice(0, 7)}-01`, to: lastDayOfMonth(range.to.slice(0, 7)) };
}

/** Why a range cannot be reported on (an empty list: it can). Paths name the query parameter at fault. */
export function rangeProblems(range: DateRange): Array<{ path: string; message: string }> {
  const days = daysInRange(range);
  if (days < 1) return [{ path: 'query.to', message: 'must not be before from' }];
  if (days > maxReportDays) return [{ path: 'query.to', message: `at most ${maxReportDays} days from from (this range has ${days})` }];
  return [];
}

/** The local date of an instant in a branch's time zone, and whether it falls in the range. */
export function inRange(at: Date, timeZone: string, range: DateRange): boolean {
  const date = localDate(at, timeZone);
  return date >= range.from && date <= range.to;
}

// --- rates and money ---------------------------------------------------------------------------

/** `part / whole`, to four decimals; null when there is nothing to divide by (no visits is not 0 %). */
export function ratio(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part / whole) * 10_000) / 10_000;
}

/** An amount shared out over visits, to the minor unit (half up); null with no visits. */
export function perVisit(amountMinor: bigint, visits: number): bigint | null {
  if (visits === 0) return null;
  const n = BigInt(visits);
  return (amountMinor * 2n + n) / (n * 2n);
}

export interface MoneySum {
  currency: string;
  amountMinor: bigint;
}

/** Sums kept per currency: amounts in different currencies are never added together. */
export class CurrencySums {
  private readonly sums = new Map<string, bigint>();
  add(currency: string, amountMinor: bigint): this {
    this.sums.set(currency, (this.sums.get(currency) ?? 0n) + amountMinor);
    return this;
  }
  get(currency: string): bigint {
    return this.sums.get(currency) ?? 0n;
  }
  currencies(): string[] {
    return [...this.sums.keys()].sort();
  }
  list(): MoneySum[] {
    return this.currencies().map((currency) => ({ currency, amountMinor: this.get(currency) }));
  }
}

// --- what a visit counts as --------------------------------------------------------------------

export interface RepRef {
  id: string;
  name: string;
  branchCode: string | null;
}

/**
 * What became of the money a rep took at the door:
 * - `posted`: on the account (for a card, only once the processor approved it) — this is "collected";
 * - `reversed`: posted, then reversed (a bounced cheque, a charge-back) — shown apart, never collected;
 * - `declined`: the processor declined the card — nothing was taken;
 * - `unposted`: recorded but not yet posted (the sync finishes it when the phone sends the visit again).
 */
export type TakingStatus = 'posted' | 'reversed' | 'declined' | 'unposted';

export function takingStatus(facts: { paymentId: string | null; paymentStatus: 'posted' | 'reversed' | null; cardStatus: 'approved' | 'declined' | null }): TakingStatus {
  if (facts.cardStatus === 'declined') return 'declined';
  if (facts.paymentId === null || facts.paymentStatus === null) return 'unposted';
  return facts.paymentStatus;
}

export interface TakingFact {
  method: FieldPaymentMethod;
  amountMinor: bigint;
  /** Cheque or money-order number. */
  reference: string | null;
  status: TakingStatus;
  card: { brand: string | null; last4: string | null; processorRef: string | null } | null;
  reversedAt: Date | null;
}

export type PromiseOutcome = 'pending' | 'kept' | 'broken' | 'cancelled' | 'not_accepted';

/** One synced visit, as the reports need it. `currency` is the account's: every amount on the visit is in it. */
export interface VisitFact {
  id: string;
  rep: RepRef;
  timeZone: string;
  arrivedAt: Date;
  currency: string;
  account: { id: string; externalRef: string; customerName: string };
  receiptNumber: string;
  contactResult: FieldContactResult;
  taking: TakingFact | null;
  /** A promise the rep recorded at the door; `not_accepted` when the case refused it. */
  promise: { amountMinor: bigint; outcome: PromiseOutcome } | null;
  equipment: ReadonlyArray<{ type: string; serial: string }>;
  retentionOutcome: RetentionOutcome | null;
  routeId: string | null;
  routeStopId: string | null;
}

const isCollected = (v: VisitFact) => v.taking?.status === 'posted';
const rightParty = (v: VisitFact) => v.contactResult === 'spoke_with_customer';

function sortReps(reps: Iterable<RepRef>): RepRef[] {
  return [...reps].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** Everyone the report speaks of: the reps asked about, and anyone else who made one of the visits. */
function repsOf(reps: readonly RepRef[], visits: readonly VisitFact[]): RepRef[] {
  const all = new Map(reps.map((r) => [r.id, r]));
  for (const v of visits) if (!all.has(v.rep.id)) all.set(v.rep.id, v.rep);
  return sortReps(all.values());
}

// --- 1. collections by period ------------------------------------------------------------------

export interface MethodFigures {
  method: FieldPaymentMethod;
  count: number;
  amounts: MoneySum[];
}

export interface CollectionFigures {
  visits: number;
  /** Posted payments: what counts as collected. */
  payments: number;
  collected: MoneySum[];
  byMethod: MethodFigures[];
  reversed: { count: number; amounts: MoneySum[] };
}

export interface CollectionsReport {
  range: DateRange;
  period: ReportPeriod;
  periods: PeriodBucket[];
  reps: Array<{ rep: RepRef; periods: Array<CollectionFigures & { period: string }>; total: CollectionFigures }>;
  allReps: { periods: Array<CollectionFigures & { period: string }>; total: CollectionFigures };
}

export function collectionFigures(visits: readonly VisitFact[]): CollectionFigures {
  const collected = new CurrencySums();
  const reversed = new CurrencySums();
  const methods = new Map(fieldPaymentMethods.map((m) => [m, { count: 0, sums: new CurrencySums() }]));
  let payments = 0;
  let reversedCount = 0;
  for (const v of visits) {
    if (v.taking?.status === 'posted') {
      payments += 1;
      collected.add(v.currency, v.taking.amountMinor);
      const method = methods.get(v.taking.method)!;
      method.count += 1;
      method.sums.add(v.currency, v.taking.amountMinor);
    } else if (v.taking?.status === 'reversed') {
      reversedCount += 1;
      reversed.add(v.currency, v.taking.amountMinor);
    }
  }
  return {
    visits: visits.length,
    payments,
    collected: collected.list(),
    byMethod: fieldPaymentMethods.map((method) => ({ method, count: methods.get(method)!.count, amounts: methods.get(method)!.sums.list() })),
    reversed: { count: reversedCount, amounts: reversed.list() },
  };
}

/** Collections by day, ISO week or month, for each rep and for all reps; each visit in its branch's time zone. */
export function buildCollectionsReport(input: { range: DateRange; period: ReportPeriod; reps: readonly RepRef[]; visits: readonly VisitFact[] }): CollectionsReport {
  const { range, period } = input;
  const periods = periodsCovering(range, period);
  const visits = input.visits.filter((v) => inRange(v.arrivedAt, v.timeZone, range));
  const byPeriod = (list: readonly VisitFact[]) => {
    const grouped = new Map<string, VisitFact[]>();
    for (const v of list) {
      const key = periodKey(localDate(v.arrivedAt, v.timeZone), period);
      const group = grouped.get(key);
      if (group) group.push(v);
      else grouped.set(key, [v]);
    }
    return periods.map((p) => ({ period: p.key, ...collectionFigures(grouped.get(p.key) ?? []) }));
  };
  return {
    range,
    period,
    periods,
    reps: repsOf(input.reps, visits).map((rep) => {
      const own = visits.filter((v) => v.rep.id === rep.id);
      return { rep, periods: byPeriod(own), total: collectionFigures(own) };
    }),
    allReps: { periods: byPeriod(visits), total: collectionFigures(visits) },
  };
}

// --- 2. commissions ----------------------------------------------------------------------------

/** A version of the commission plan and when it was set (null: the built-in plan, in force before any was set). */
export interface DatedCommissionPlan {
  id: string | null;
  name: string;
  plan: CommissionPlan;
  /** When it was set. */
  createdAt: Date | null;
}

export interface CommissionLine {
  month: string;
  rep: RepRef;
  currency: string;
  collectedMinor: bigint;
  equipmentByType: Array<{ type: string; units: number }>;
  /** The version the month is paid on. */
  plan: { id: string | null; name: string };
  breakdown: CommissionBreakdown;
}

/**
 * The plan a month is paid on: the one in force when the month closed in the branch's calendar, that is
 * the newest version set on or before the month's last day there. A plan set later changes the months
 * still open, never a month already paid. Before any version was set, the built-in plan (`fallback`).
 */
export function planForMonth<P extends Pick<DatedCommissionPlan, 'createdAt'>>(versions: readonly P[], month: string, timeZone: string, fallback: P): P {
  const close = lastDayOfMonth(month);
  let chosen: P | null = null;
  for (const version of versions) {
    if (version.createdAt === null || localDate(version.createdAt, timeZone) > close) continue;
    if (chosen === null || version.createdAt.getTime() > chosen.createdAt!.getTime()) chosen = version;
  }
  return chosen ?? fallback;
}

/** Equipment types as the plan names them: trimmed, lower case. */
export function equipmentTypeKey(type: string): string {
  return type.trim().toLowerCase();
}

/**
 * Each rep's commission for each whole month, per currency (a plan's amounts are minor units of the
 * currency the rep collects in): what they collected (posted payments; reversed ones are not) and the
 * equipment they recovered, through the marginal tiers (domain/commissions.ts) of the plan the month
 * is paid on (planForMonth).
 */
export function buildCommissionLines(input: { months: DateRange; plans: { versions: readonly DatedCommissionPlan[]; fallback: DatedCommissionPlan }; visits: readonly VisitFact[] }): CommissionLine[] {
  const groups = new Map<string, { month: string; rep: RepRef; currency: string; timeZone: string; visits: VisitFact[] }>();
  for (const v of input.visits) {
    if (!inRange(v.arrivedAt, v.timeZone, input.months)) continue;
    const month = periodKey(localDate(v.arrivedAt, v.timeZone), 'month');
    const key = `${month}|${v.rep.id}|${v.currency}`;
    const group = groups.get(key) ?? { month, rep: v.rep, currency: v.currency, timeZone: v.timeZone, visits: [] };
    group.visits.push(v);
    groups.set(key, group);
  }
  const lines = [...groups.values()].map(({ month, rep, currency, timeZone, visits }) => {
    const version = planForMonth(input.plans.versions, month, timeZone, input.plans.fallback);
    const collectedMinor = visits.filter(isCollected).reduce((sum, v) => sum + v.taking!.amountMinor, 0n);
    const equipment = visits.flatMap((v) => v.equipment.map((e) => ({ type: equipmentTypeKey(e.type) })));
    const units = new Map<string, number>();
    for (const e of equipment) units.set(e.type, (units.get(e.type) ?? 0) + 1);
    return {
      month,
      rep,
      currency,
      collectedMinor,
      equipmentByType: [...units].sort(([a], [b]) => a.localeCompare(b)).map(([type, count]) => ({ type, units: count })),
      plan: { id: version.id, name: version.name },
      breakdown: commissionFor({ collectedMinor, equipment }, version.plan),
    };
  });
  return lines.sort((a, b) => a.month.localeCompare(b.month) || a.rep.name.localeCompare(b.rep.name) || a.rep.id.localeCompare(b.rep.id) || a.currency.localeCompare(b.currency));
}

// --- 5. collections sweep ----------------------------------------------------------------------

export interface SweepItem {
  visitId: string;
  receiptNumber: string;
  arrivedAt: Date;
  /** The branch's, in which the item's day and time are read. */
  timeZone: string;
  account: VisitFact['account'];
  method: FieldPaymentMethod;
  currency: string;
  amountMinor: bigint;
  reference: string | null;
  card: TakingFact['card'];
  status: Exclude<TakingStatus, 'declined'>;
}

export interface SweepTotals {
  byMethod: Array<{ method: FieldPaymentMethod; count: number; amounts: MoneySum[] }>;
  /** Everything the rep took in; of which reversed later (still handed over that day). */
  taken: MoneySum[];
  reversed: { count: number; amounts: MoneySum[] };
  declinedCards: number;
}

export interface SweepDay {
  rep: RepRef;
  date: string;
  items: SweepItem[];
  totals: SweepTotals;
}

function sweepTotals(items: readonly SweepItem[], declinedCards: number): SweepTotals {
  const taken = new CurrencySums();
  const reversed = new CurrencySums();
  const methods = new Map(fieldPaymentMethods.map((m) => [m, { count: 0, sums: new CurrencySums() }]));
  for (const item of items) {
    taken.add(item.currency, item.amountMinor);
    const method = methods.get(item.method)!;
    method.count += 1;
    method.sums.add(item.currency, item.amountMinor);
    if (item.status === 'reversed') reversed.add(item.currency, item.amountMinor);
  }
  return {
    byMethod: fieldPaymentMethods.map((method) => ({ method, count: methods.get(method)!.count, amounts: methods.get(method)!.sums.list() })),
    taken: taken.list(),
    reversed: { count: items.filter((i) => i.status === 'reversed').length, amounts: reversed.list() },
    declinedCards,
  };
}

/**
 * What each rep took in each local day, item by item, to reconcile with what they deposit: cash,
 * cheques and money orders with their numbers, and approved card payments. A payment reversed later
 * (a bounced cheque) was still in the rep's hands that day, so it stays in the sweep, marked; a
 * declined card took nothing and is only counted.
 */
export function buildSweep(input: { range: DateRange; visits: readonly VisitFact[] }): { days: SweepDay[]; totals: SweepTotals } {
  const days = new Map<string, { rep: RepRef; date: string; items: SweepItem[]; declinedCards: number }>();
  const allItems: SweepItem[] = [];
  let allDeclined = 0;
  const ordered = [...input.visits].sort((a, b) => a.arrivedAt.getTime() - b.arrivedAt.getTime());
  for (const v of ordered) {
    if (!v.taking || !inRange(v.arrivedAt, v.timeZone, input.range)) continue;
    const date = localDate(v.arrivedAt, v.timeZone);
    const key = `${date}|${v.rep.id}`;
    const day = days.get(key) ?? { rep: v.rep, date, items: [], declinedCards: 0 };
    days.set(key, day);
    if (v.taking.status === 'declined') {
      day.declinedCards += 1;
      allDeclined += 1;
      continue;
    }
    const item: SweepItem = { visitId: v.id, receiptNumber: v.receiptNumber, arrivedAt: v.arrivedAt, timeZone: v.timeZone, account: v.account, method: v.taking.method, currency: v.currency, amountMinor: v.taking.amountMinor, reference: v.taking.reference, card: v.taking.card, status: v.taking.status };
    day.items.push(item);
    allItems.push(item);
  }
  const list = [...days.values()].sort((a, b) => a.date.localeCompare(b.date) || a.rep.name.localeCompare(b.rep.name) || a.rep.id.localeCompare(b.rep.id));
  return { days: list.map((d) => ({ rep: d.rep, date: d.date, items: d.items, totals: sweepTotals(d.items, d.declinedCards) })), totals: sweepTotals(allItems, allDeclined) };
}

// --- 6. effectiveness --------------------------------------------------------------------------

export interface Effectiveness {
  visits: number;
  /** Visits where the rep spoke with the customer, and their share of all visits. */
  rightPartyContacts: number;
  rightPartyRate: number | null;
  /** Visits with a posted payment, and their share of all visits. */
  visitsWithPayment: number;
  paymentRate: number | null;
  collected: MoneySum[];
  /** Collected in a currency over the visits to accounts in that currency. */
  amountPerVisit: MoneySum[];
  promises: { made: number; amounts: MoneySum[]; kept: number; broken: number; keptRate: number | null };
  equipmentRecovered: number;
  retention: { offers: number; accepted: number; declined: number; considering: number; acceptedRate: number | null };
  cards: { charged: number; declined: number };
}

export function effectivenessOf(visits: readonly VisitFact[]): Effectiveness {
  const collected = new CurrencySums();
  const promised = new CurrencySums();
  const visitsByCurrency = new Map<string, number>();
  for (const v of visits) {
    visitsByCurrency.set(v.currency, (visitsByCurrency.get(v.currency) ?? 0) + 1);
    if (isCollected(v)) collected.add(v.currency, v.taking!.amountMinor);
    if (v.promise) promised.add(v.currency, v.promise.amountMinor);
  }
  const count = (test: (v: VisitFact) => boolean) => visits.filter(test).length;
  const rightParties = count(rightParty);
  const withPayment = count(isCollected);
  const kept = count((v) => v.promise?.outcome === 'kept');
  const broken = count((v) => v.promise?.outcome === 'broken');
  const offers = count((v) => v.retentionOutcome !== null);
  const accepted = count((v) => v.retentionOutcome === 'accepted');
  const cards = visits.filter((v) => v.taking?.method === 'card');
  return {
    visits: visits.length,
    rightPartyContacts: rightParties,
    rightPartyRate: ratio(rightParties, visits.length),
    visitsWithPayment: withPayment,
    paymentRate: ratio(withPayment, visits.length),
    collected: collected.list(),
    amountPerVisit: collected.currencies().map((currency) => ({ currency, amountMinor: perVisit(collected.get(currency), visitsByCurrency.get(currency) ?? 0) ?? 0n })),
    promises: { made: count((v) => v.promise !== null), amounts: promised.list(), kept, broken, keptRate: ratio(kept, kept + broken) },
    equipmentRecovered: visits.reduce((n, v) => n + v.equipment.length, 0),
    retention: { offers, accepted, declined: count((v) => v.retentionOutcome === 'declined'), considering: count((v) => v.retentionOutcome === 'considering'), acceptedRate: ratio(accepted, offers) },
    cards: { charged: cards.filter((v) => v.taking!.status !== 'declined').length, declined: cards.filter((v) => v.taking!.status === 'declined').length },
  };
}

/** Each rep's effectiveness and the staff's as a whole (rates from the staff's own totals, not an average of rates). */
export function buildEffectiveness(input: { range: DateRange; reps: readonly RepRef[]; visits: readonly VisitFact[] }): { reps: Array<{ rep: RepRef } & Effectiveness>; staff: Effectiveness } {
  const visits = input.visits.filter((v) => inRange(v.arrivedAt, v.timeZone, input.range));
  return {
    reps: repsOf(input.reps, visits).map((rep) => ({ rep, ...effectivenessOf(visits.filter((v) => v.rep.id === rep.id)) })),
    staff: effectivenessOf(visits),
  };
}
