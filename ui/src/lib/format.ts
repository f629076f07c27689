// Money from integer minor units, dates and labels, formatted for people.
import type { Money } from './api/types.ts';

const moneyFormats = new Map<string, Intl.NumberFormat>();
export function formatMoney(money: Money): string {
  let format = moneyFormats.get(money.currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency });
    moneyFormats.set(money.currency, format);
  }
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amountMinor / 10 ** digits);
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatDate(value: string | null): string {
  if (!value) return '—';
  return dateFormat.format(new Date(value.length === 10 ? `${value}T12:00:00Z` : value));
}
export function formatDateTime(value: string | null): string {
  return value ? dateTimeFormat.format(new Date(value)) : '—';
}

export function humanize(value: string): string {
  const text = value.replaceAll('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'severe' | 'info';

export function stageTone(stage: string): Tone {
  return ({ soft: 'info', hard: 'warn', pre_legal: 'bad', legal: 'severe', closed: 'good' } as Record<string, Tone>)[stage] ?? 'neutral';
}

/** A moment in someone else's time zone, e.g. the debtor's: "Mon 08:00 CST", with the date when it is not within a few days. */
export function formatInZone(value: string, timeZone: string, now = new Date()): string {
  const at = new Date(value);
  const soon = Math.abs(at.getTime() - now.getTime()) < 6 * 86_400_000;
  return new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', ...(soon ? {} : { day: 'numeric', month: 'short' }), hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).format(at).replace(',', '');
}

/** Sums per currency ("$1,250.00 + €80.00"); a dash when there is nothing. */
export function formatAmounts(amounts: Money[]): string {
  return amounts.length ? amounts.map(formatMoney).join(' + ') : '—';
}

const compactFormats = new Map<string, Intl.NumberFormat>();
/** Money in a few characters for summaries: "$893.5K". */
export function formatMoneyCompact(money: Money): string {
  let format = compactFormats.get(money.currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency, notation: 'compact', maximumFractionDigits: 1 });
    compactFormats.set(money.currency, format);
  }
  const digits = new Intl.NumberFormat(undefined, { style: 'currency', currency: money.currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(money.amountMinor / 10 ** digits);
}

/** A duration in whole minutes: "12 min", "1 h 05 min". */
export function formatMinutes(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
export function formatTime(value: string | null): string {
  return value ? timeFormat.format(new Date(value)) : '—';
}

/** A time of day on someone else's clock (a branch's, for its routes): "08:30". */
export function formatClock(value: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(new Date(value));
}
