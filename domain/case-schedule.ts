// When things fall due for a case, as instants: a strategy step on the day the account reaches its
// days past due (local midnight in the debtor's time zone), a promise on its break date.
import { defaultContactWindow, instantOfLocal, nextAllowedContactTime, type ContactWindow } from './contact-policy.ts';
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

const contactActionKinds = new Set(['send_message', 'call_task', 'visit_task']);

/** Whether a step contacts the debtor (and so waits for contact hours, X1). */
export function contactsDebtor(step: StrategyStep): boolean {
  return contactActionKinds.has(step.action.kind);
}

/** When a timed step will actually run: its day's start, or for a contact, the first allowed moment from then. */
export function whenStepRuns(step: StrategyStep, oldestDueDate: string, timeZone: string, window: ContactWindow = defaultContactWindow): Date | null {
  const due = stepDueAt(step, oldestDueDate, timeZone);
  if (!due) return null;
  return contactsDebtor(step) ? nextAllowedContactTime(due, timeZone, window) : due;
}
