// Promises to pay (C6): what a collector may record, and when a promise counts as kept or broken.
// A promise is kept when payments received since it was made cover its amount by its date (plus a
// grace period for payments in transit); otherwise it is broken the day after the grace ends.

export interface PromiseTerms {
  amountMinor: bigint;
  /** YYYY-MM-DD in the debtor's calendar. */
  dueDate: string;
}

export interface PromiseRules {
  /** How far ahead a promise may be set. */
  maxDaysAhead: number;
  /** Days after the due date during which a payment still keeps the promise. */
  graceDays: number;
}

export const defaultPromiseRules: PromiseRules = { maxDaysAhead: 30, graceDays: 0 };

export type PromiseProblem = 'amount_not_positive' | 'amount_exceeds_balance' | 'date_in_past' | 'date_too_far';

export function promiseProblems(terms: PromiseTerms, context: { balanceMinor: bigint; today: string }, rules: PromiseRules = defaultPromiseRules): PromiseProblem[] {
  const problems: PromiseProblem[] = [];
  if (terms.amountMinor <= 0n) problems.push('amount_not_positive');
  if (terms.amountMinor > context.balanceMinor) problems.push('amount_exceeds_balance');
  if (terms.dueDate < context.today) problems.push('date_in_past');
  if (daysBetween(context.today, terms.dueDate) > rules.maxDaysAhead) problems.push('date_too_far');
  return problems;
}

export type PromiseOutcome = 'pending' | 'kept' | 'broken';

export function promiseOutcome(terms: PromiseTerms, paidSinceMinor: bigint, today: string, rules: PromiseRules = defaultPromiseRules): PromiseOutcome {
  if (paidSinceMinor >= terms.amountMinor) return 'kept';
  return daysBetween(terms.dueDate, today) > rules.graceDays ? 'broken' : 'pending';
}

/** The first calendar day on which an unkept promise is broken. */
export function promiseBreakDate(terms: Pick<PromiseTerms, 'dueDate'>, rules: PromiseRules = defaultPromiseRules): string {
  const d = new Date(`${terms.dueDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rules.graceDays + 1);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
