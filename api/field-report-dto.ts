// The field reports as they leave the API: JSON (money as strings of minor units with the currency,
// instants as ISO strings) and CSV for spreadsheets (one header row; amounts in the currency's major
// unit, e.g. 123.45, in a column per currency such as `collected_USD`, so that a column never mixes
// currencies; rates as fractions). docs/field-reports.md lists the columns.
import type { CollectionFigures, CollectionsReport, CommissionLine, DateRange, Effectiveness, MoneySum, RepRef, SweepDay, SweepItem, SweepTotals } from '../domain/field-reports.ts';
import type { DistributionFigures, DistributionReport, RouteSummaryFigures, RouteSummaryRow } from '../domain/field-route-reports.ts';
import { fieldContactResults, fieldPaymentMethods } from '../domain/field-visits.ts';
import type { CommissionPlanVersion } from '../services/commission-plans.ts';
import { csvText } from './http/csv.ts';

const money = (list: readonly MoneySum[]) => list.map((m) => ({ currency: m.currency, amountMinor: m.amountMinor.toString() }));
const counted = (c: { count: number; amounts: readonly MoneySum[] }) => ({ count: c.count, amounts: money(c.amounts) });
const rangeOf = (range: DateRange, now: Date) => ({ from: range.from, to: range.to, generatedAt: now.toISOString() });

// --- JSON --------------------------------------------------------------------------------------

function collectionFigures(f: CollectionFigures) {
  return { visits: f.visits, payments: f.payments, collected: money(f.collected), byMethod: f.byMethod.map((m) => ({ method: m.method, ...counted(m) })), reversed: counted(f.reversed) };
}

export function collectionsDto(report: CollectionsReport, now = new Date()) {
  const series = (s: CollectionsReport['allReps']) => ({ periods: s.periods.map((p) => ({ period: p.period, ...collectionFigures(p) })), total: collectionFigures(s.total) });
  return { ...rangeOf(report.range, now), period: report.period, periods: report.periods, reps: report.reps.map((r) => ({ rep: r.rep, ...series(r) })), allReps: series(report.allReps) };
}

export function planDto(version: CommissionPlanVersion) {
  return { id: version.id, name: version.name, isDefault: version.isDefault, createdAt: version.createdAt?.toISOString() ?? null, createdBy: version.createdBy, definition: version.plan };
}

export function commissionsDto(report: { months: DateRange; plan: CommissionPlanVersion; lines: CommissionLine[] }, now = new Date()) {
  const totals = new Map<string, { month: string; currency: string; collectedMinor: bigint; totalMinor: bigint }>();
  for (const line of report.lines) {
    const key = `${line.month}|${line.currency}`;
    const total = totals.get(key) ?? { month: line.month, currency: line.currency, collectedMinor: 0n, totalMinor: 0n };
    total.collectedMinor += line.collectedMinor;
    total.totalMinor += line.breakdown.totalMinor;
    totals.set(key, total);
  }
  return {
    ...rangeOf(report.months, now),
    plan: planDto(report.plan),
    lines: report.lines.map((line) => ({
      month: line.month,
      rep: line.rep,
      currency: line.currency,
      collectedMinor: line.collectedMinor.toString(),
      equipmentUnits: line.breakdown.equipmentUnits,
      equipmentByType: line.equipmentByType,
      plan: line.plan,
      tiers: line.breakdown.tiers.map((t) => ({ fromMinor: t.fromMinor.toString(), toMinor: t.toMinor?.toString() ?? null, rateBps: t.rateBps, baseMinor: t.baseMinor.toString(), commissionMinor: t.commissionMinor.toString() })),
      collectedCommissionMinor: line.breakdown.collectedCommissionMinor.toString(),
      equipmentCommissionMinor: line.breakdown.equipmentCommissionMinor.toString(),
      totalMinor: line.breakdown.totalMinor.toString(),
    })),
    totals: [...totals.values()].map((t) => ({ month: t.month, currency: t.currency, collectedMinor: t.collectedMinor.toString(), totalMinor: t.totalMinor.toString() })),
  };
}

function routeFigures(f: RouteSummaryFigures) {
  return { stops: f.stops, visits: f.visits, results: f.results, payments: f.payments, collected: money(f.collected), reversed: counted(f.reversed), promises: counted(f.promises), equipment: f.equipment };
}

export function routeSummaryDto(report: { range: DateRange; routes: RouteSummaryRow[]; totals: RouteSummaryFigures }, now = new Date()) {
  return {
    ...rangeOf(report.range, now),
    routes: report.routes.map((r) => ({
      route: r.route,
      ...routeFigures(r),
      plannedDistanceM: r.plannedDistanceM,
      plannedMinutes: r.plannedMinutes,
      plannedSpanMinutes: r.plannedSpanMinutes,
      actualSpanMinutes: r.actualSpanMinutes,
      firstArrivalAt: r.firstArrivalAt?.toISOString() ?? null,
      lastArrivalAt: r.lastArrivalAt?.toISOString() ?? null,
    })),
    totals: routeFigures(report.totals),
  };
}

function distributionFigures(f: DistributionFigures) {
  return { stops: f.stops, visitedStops: f.visitedStops, accounts: f.accounts, arrears: money(f.arrears), collected: money(f.collected) };
}

export function distributionDto(report: DistributionReport & { range: DateRange }, now = new Date()) {
  return {
    ...rangeOf(report.range, now),
    by: report.by,
    prefixLength: report.prefixLength,
    cells: report.cells.map((c) => ({ area: c.area, rep: c.rep, ...distributionFigures(c) })),
    byArea: report.byArea.map((a) => ({ area: a.area, ...distributionFigures(a) })),
    byRep: report.byRep.map((r) => ({ rep: r.rep, ...distributionFigures(r) })),
    total: distributionFigures(report.total),
  };
}

function sweepTotals(t: SweepTotals) {
  return { byMethod: t.byMethod.map((m) => ({ method: m.method, ...counted(m) })), taken: money(t.taken), reversed: counted(t.reversed), declinedCards: t.declinedCards };
}

const sweepItem = (i: SweepItem) => ({ visitId: i.visitId, receiptNumber: i.receiptNumber, arrivedAt: i.arrivedAt.toISOString(), timeZone: i.timeZone, account: i.account, method: i.method, amount: { currency: i.currency, amountMinor: i.amountMinor.toString() }, reference: i.reference, card: i.card, status: i.status });

export function sweepDto(report: { range: DateRange; days: SweepDay[]; totals: SweepTotals }, now = new Date()) {
  return { ...rangeOf(report.range, now), days: report.days.map((d) => ({ date: d.date, rep: d.rep, items: d.items.map(sweepItem), totals: sweepTotals(d.totals) })), totals: sweepTotals(report.totals) };
}

function effectiveness(e: Effectiveness) {
  return { ...e, collected: money(e.collected), amountPerVisit: money(e.amountPerVisit), promises: { ...e.promises, amounts: money(e.promises.amounts) } };
}

export function effectivenessDto(report: { range: DateRange; reps: Array<{ rep: RepRef } & Effectiveness>; staff: Effectiveness }, now = new Date()) {
  return { ...rangeOf(report.range, now), reps: report.reps.map((r) => ({ rep: r.rep, ...effectiveness(r) })), staff: effectiveness(report.staff) };
}

// --- CSV ---------------------------------------------------------------------------------------


const digitsCache = new Map<string, number>();
/** Minor units as a decimal in the currency's major unit: 12345 USD → "123.45", 500 JPY → "500". */
export function decimalAmount(amountMinor: bigint, currency: string): string {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    } catch {
      digits = 2;
    }
    digitsCache.set(currency, digits);
  }
  const negative = amountMinor < 0n;
  const text = (negative ? -amountMinor : amountMinor).toString().padStart(digits + 1, '0');
  const whole = digits ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return negative ? `-${whole}` : whole;
}

/** The currencies present, for the per-currency amount columns. */
const currenciesIn = (...lists: ReadonlyArray<readonly MoneySum[]>) => [...new Set(lists.flat().map((m) => m.currency))].sort();
const amountCells = (list: readonly MoneySum[], currencies: readonly string[]) => currencies.map((c) => decimalAmount(list.find((m) => m.currency === c)?.amountMinor ?? 0n, c));
const amountColumns = (name: string, currencies: readonly string[]) => currencies.map((c) => `${name}_${c}`);
const allReps = { id: '', name: 'All reps', branchCode: null } as const;

export function collectionsCsv(report: CollectionsReport): string {
  const t = report.allReps.total;
  const currencies = currenciesIn(t.collected, t.reversed.amounts, ...t.byMethod.map((m) => m.amounts));
  const header = ['period', 'period_start', 'period_end', 'rep_id', 'rep_name', 'visits', 'payments', ...amountColumns('collected', currencies), ...fieldPaymentMethods.flatMap((m) => [`${m}_count`, ...amountColumns(m, currencies)]), 'reversed_count', ...amountColumns('reversed', currencies)];
  const periodOf = new Map(report.periods.map((p) => [p.key, p]));
  const rows = [...report.reps, { rep: allReps as RepRef, ...report.allReps }].flatMap(({ rep, periods }) =>
    periods.map((p) => [
      p.period,
      periodOf.get(p.period)!.start,
      periodOf.get(p.period)!.end,
      rep.id,
      rep.name,
      p.visits,
      p.payments,
      ...amountCells(p.collected, currencies),
      ...p.byMethod.flatMap((m) => [m.count, ...amountCells(m.amounts, currencies)]),
      p.reversed.count,
      ...amountCells(p.reversed.amounts, currencies),
    ]),
  );
  return csvText(header, rows);
}

export function commissionsCsv(report: { lines: CommissionLine[] }): string {
  const header = ['month', 'rep_id', 'rep_name', 'currency', 'collected', 'equipment_units', 'collected_commission', 'equipment_commission', 'total_commission', 'tiers', 'plan'];
  const tiers = (line: CommissionLine) => line.breakdown.tiers.filter((t) => t.baseMinor > 0n).map((t) => `${(t.rateBps / 100).toFixed(2)}% of ${decimalAmount(t.baseMinor, line.currency)}`).join('; ');
  const rows = report.lines.map((line) => [line.month, line.rep.id, line.rep.name, line.currency, decimalAmount(line.collectedMinor, line.currency), line.breakdown.equipmentUnits, decimalAmount(line.breakdown.collectedCommissionMinor, line.currency), decimalAmount(line.breakdown.equipmentCommissionMinor, line.currency), decimalAmount(line.breakdown.totalMinor, line.currency), tiers(line), line.plan.name]);
  return csvText(header, rows);
}

export function routeSummaryCsv(report: { routes: RouteSummaryRow[]; totals: RouteSummaryFigures }): string {
  const t = report.totals;
  const currencies = currenciesIn(t.collected, t.reversed.amounts, t.promises.amounts);
  const header = ['service_date', 'route_id', 'route', 'rep_id', 'rep_name', 'status', 'stops_planned', 'stops_visited', 'stops_skipped', 'stops_pending', 'visits', ...fieldContactResults, 'payments', ...amountColumns('collected', currencies), 'reversed_count', ...amountColumns('reversed', currencies), 'promises', ...amountColumns('promised', currencies), 'equipment', 'planned_distance_km', 'planned_minutes', 'planned_span_minutes', 'actual_span_minutes', 'first_arrival', 'last_arrival'];
  const rows = report.routes.map((r) => [
    r.route.serviceDate,
    r.route.id,
    r.route.name,
    r.route.rep?.id ?? '',
    r.route.rep?.name ?? '',
    r.route.status,
    r.stops.planned,
    r.stops.visited,
    r.stops.skipped,
    r.stops.pending,
    r.visits,
    ...r.results.map((x) => x.count),
    r.payments,
    ...amountCells(r.collected, currencies),
    r.reversed.count,
    ...amountCells(r.reversed.amounts, currencies),
    r.promises.count,
    ...amountCells(r.promises.amounts, currencies),
    r.equipment,
    Math.round(r.plannedDistanceM / 100) / 10,
    r.plannedMinutes,
    r.plannedSpanMinutes,
    r.actualSpanMinutes,
    r.firstArrivalAt?.toISOString() ?? null,
    r.lastArrivalAt?.toISOString() ?? null,
  ]);
  return csvText(header, rows);
}

export function distributionCsv(report: DistributionReport): string {
  const currencies = currenciesIn(report.total.arrears, report.total.collected);
  const header = ['area', 'rep_id', 'rep_name', 'stops', 'visited_stops', 'accounts', ...amountColumns('arrears', currencies), ...amountColumns('collected', currencies)];
  const rows = report.cells.map((c) => [c.area ?? '(not recorded)', c.rep?.id ?? '', c.rep?.name ?? '(no rep)', c.stops, c.visitedStops, c.accounts, ...amountCells(c.arrears, currencies), ...amountCells(c.collected, currencies)]);
  return csvText(header, rows);
}

const localTime = (at: Date, timeZone: string) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

export function sweepCsv(report: { days: SweepDay[] }): string {
  const header = ['date', 'time', 'rep_id', 'rep_name', 'receipt_number', 'account_ref', 'customer', 'method', 'reference', 'card', 'processor_ref', 'currency', 'amount', 'status'];
  const rows = report.days.flatMap((day) =>
    day.items.map((i) => [day.date, localTime(i.arrivedAt, i.timeZone), day.rep.id, day.rep.name, i.receiptNumber, i.account.externalRef, i.account.customerName, i.method, i.reference, i.card ? `${i.card.brand ?? 'card'} ${i.card.last4 ?? ''}`.trim() : null, i.card?.processorRef ?? null, i.currency, decimalAmount(i.amountMinor, i.currency), i.status]),
  );
  return csvText(header, rows);
}

export function effectivenessCsv(report: { reps: Array<{ rep: RepRef } & Effectiveness>; staff: Effectiveness }): string {
  const s = report.staff;
  const currencies = currenciesIn(s.collected);
  const header = ['rep_id', 'rep_name', 'visits', 'right_party_contacts', 'right_party_rate', 'visits_with_payment', 'payment_rate', ...amountColumns('collected', currencies), ...amountColumns('amount_per_visit', currencies), 'promises_made', 'promises_kept', 'promises_broken', 'promise_kept_rate', 'equipment_recovered', 'retention_offers', 'retention_accepted', 'retention_declined', 'retention_considering', 'retention_accepted_rate', 'card_payments', 'cards_declined'];
  const row = (rep: RepRef, e: Effectiveness) => [rep.id, rep.name, e.visits, e.rightPartyContacts, e.rightPartyRate, e.visitsWithPayment, e.paymentRate, ...amountCells(e.collected, currencies), ...currencies.map((c) => { const m = e.amountPerVisit.find((x) => x.currency === c); return m ? decimalAmount(m.amountMinor, c) : null; }), e.promises.made, e.promises.kept, e.promises.broken, e.promises.keptRate, e.equipmentRecovered, e.retention.offers, e.retention.accepted, e.retention.declined, e.retention.considering, e.retention.acceptedRate, e.cards.charged, e.cards.declined];
  return csvText(header, [...report.reps.map((r) => row(r.rep, r)), row(allReps as RepRef, s)]);
}
