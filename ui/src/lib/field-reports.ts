// The field reports pages' shared state and wording: the filters kept in the URL (shareable, back-button
// friendly), their defaults, and how the reports' money, rates and names read.
import type { FieldMoney, PaymentMethod, ReportFilters, ContactResult } from './api/field-reports.ts';
import { formatMoney } from './format.ts';

/** The last four weeks up to today, in the browser's calendar. */
export function defaultRange(today = new Date()): { from: string; to: string } {
  const to = today.toLocaleDateString('en-CA');
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function filtersFromUrl(params: URLSearchParams): ReportFilters {
  const fallback = defaultRange();
  return { from: params.get('from') || fallback.from, to: params.get('to') || fallback.to, repId: params.get('rep') || undefined, branchId: params.get('branch') || undefined };
}

/** Money as the reports send it (a string of minor units) for people. */
export function formatFieldMoney(money: FieldMoney): string {
  return formatMoney({ amountMinor: Number(money.amountMinor), currency: money.currency });
}

/** Sums per currency, "$1,250.00 + CA$80.00"; a dash for nothing. */
export function formatFieldAmounts(amounts: readonly FieldMoney[]): string {
  return amounts.length ? amounts.map(formatFieldMoney).join(' + ') : '—';
}

/** The amount of one currency in major units, for charts (0 when absent). */
export function majorUnits(amounts: readonly FieldMoney[], currency: string): number {
  const found = amounts.find((m) => m.currency === currency);
  if (!found) return 0;
  const digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Number(found.amountMinor) / 10 ** digits;
}

/** "67 %", or a dash when there was nothing to divide by. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)} %`;
}

export const methodLabels: Record<PaymentMethod, string> = { cash: 'Cash', cheque: 'Cheque', card: 'Card', money_order: 'Money order' };
/** One colour per payment method, the same in every chart. */
export const methodColours: Record<PaymentMethod, string> = { cash: '#2a9d8f', cheque: '#17607f', card: '#e9a03b', money_order: '#8e6bbf' };

/** The same, in a word or two, for tight columns. */
export const shortResultLabels: Record<ContactResult, string> = {
  spoke_with_customer: 'reached',
  spoke_with_other: 'someone else',
  no_one_home: 'not home',
  moved_away: 'moved',
  address_not_found: 'no address',
  refused_to_talk: 'refused',
};

export const resultLabels: Record<ContactResult, string> = {
  spoke_with_customer: 'Spoke with customer',
  spoke_with_other: 'Spoke with someone else',
  no_one_home: 'No one home',
  moved_away: 'Moved away',
  address_not_found: 'Address not found',
  refused_to_talk: 'Refused to talk',
};

/** The currencies a report's amounts are in, alphabetical. */
export function currenciesOf(...lists: ReadonlyArray<readonly FieldMoney[]>): string[] {
  return [...new Set(lists.flat().map((m) => m.currency))].sort();
}

/** A palette for series that have no colour of their own (reps), readable on white. */
export const seriesColours = ['#17607f', '#2a9d8f', '#e9a03b', '#8e6bbf', '#d1495b', '#5c946e', '#3d5a80', '#b5838d', '#6d597a', '#ee6c4d'];

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthLabel = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A period's name on a chart's axis: "Mar 9", "W11 · Mar 9" (the Monday), "Mar 2026". */
export function periodLabel(period: { key: string; start: string }, kind: 'day' | 'week' | 'month'): string {
  if (kind === 'month') return monthLabel.format(new Date(`${period.key}-01T12:00:00Z`));
  const day = dayLabel.format(new Date(`${period.start}T12:00:00Z`));
  return kind === 'week' ? `${period.key.slice(5)} · ${day}` : day;
}

/** An amount in major units in a few characters, for chart axes: "$1.2K". */
export function formatMajorCompact(value: number, currency: string): string {
  return new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A time of day in the branch's time zone (where the rep was), not the reader's: "10:30 AM". */
export function formatLocalTime(instant: string, timeZone: string): string {
  return new Intl.DateTimeFormat(undefined, { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(instant));
}
