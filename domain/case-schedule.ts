// When things fall due for a case, as instants: a strategy step on the day the account reaches its
// days past due (local midnight in the debtor's time zone), a promise on its break date.
import { instantOfLocal } from './contact-policy.ts';
import type { StrategyStep } from './strategy.ts';

export function localMidnight(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return instantOfLocal(y, m, d, 0, timeZone);
}

export function addDays(date: string, days: number): string {
  const day = new Date(`${date}T00:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

export function stepDueAt(step: StrategyStep, oldestDueDate: string, timeZone: string): Date | null {
  return step.trigger.kind === 'days_past_due' ? localMidnight(addDays(oldestDueDate, step.trigger.days), timeZone) : null;
}
