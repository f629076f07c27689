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

/** The rules a case's promises are judged by: the defaults, with the grace its strategy sets (C6: "with a configurable grace"). */
export function promiseRulesFor(strategy: { promiseGraceDays?: number | undefined }): PromiseRules {
  return { ...defaultPromiseRules, graceDays: strategy.promiseGraceDays ?? defaultPromiseRules.graceDays };
}

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

// Instalment plans (C6: "a single date or an instalment plan"). Payments since the plan was made
// cover instalments in order; an instalment is kept once the payments cover it and every one before
// it, and broken when its date (plus grace) passes uncovered — which breaks the plan.

export interface Instalment {
  /** YYYY-MM-DD in the debtor's calendar. */
  dueDate: string;
  amountMinor: bigint;
}

export interface PlanRules extends PromiseRules {
  maxInstalments: number;
  /** How far ahead the last instalment may fall. */
  maxPlanDays: number;
}

export const defaultPlanRules: PlanRules = { ...defaultPromiseRules, maxInstalments: 12, maxPlanDays: 180 };

export type PlanProblem = PromiseProblem | 'too_few_instalments' | 'too_many_instalments' | 'dates_not_ascending' | 'instalment_not_positive';

export function planProblems(instalments: readonly Instalment[], context: { balanceMinor: bigint; today: string }, rules: PlanRules = defaultPlanRules): PlanProblem[] {
  const problems = new Set<PlanProblem>();
  if (instalments.length < 2) problems.add('too_few_instalments');
  if (instalments.length > rules.maxInstalments) problems.add('too_many_instalments');
  const total = instalments.reduce((sum, i) => sum + i.amountMinor, 0n);
  if (instalments.some((i) => i.amountMinor <= 0n)) problems.add('instalment_not_positive');
  if (total > context.balanceMinor) problems.add('amount_exceeds_balance');
  if (instalments.some((i, k) => k > 0 && i.dueDate <= instalments[k - 1]!.dueDate)) problems.add('dates_not_ascending');
  if (instalments[0] && instalments[0].dueDate < context.today) problems.add('date_in_past');
  const last = instalments[instalments.length - 1];
  if (last && daysBetween(context.today, last.dueDate) > rules.maxPlanDays) problems.add('date_too_far');
  return [...problems];
}

export type InstalmentStatus = 'pending' | 'kept' | 'broken';

export interface PlanProgress {
  outcome: PromiseOutcome;
  statuses: InstalmentStatus[];
  /** When the plan breaks if nothing more is paid: the break date of the first uncovered instalment. */
  nextBreaksOn: string | null;
}

export function planProgress(instalments: readonly Instalment[], paidSinceMinor: bigint, today: string, rules: PromiseRules = defaultPromiseRules): PlanProgress {
  let cumulative = 0n;
  let broken = false;
  let nextBreaksOn: string | null = null;
  const statuses = instalments.map((instalment): InstalmentStatus => {
    cumulative += instalment.amountMinor;
    if (paidSinceMinor >= cumulative) return 'kept';
    if (broken) return 'pending';
    if (daysBetween(instalment.dueDate, today) > rules.graceDays) {
      broken = true;
      return 'broken';
    }
    nextBreaksOn ??= promiseBreakDate(instalment, rules);
    return 'pending';
  });
  const outcome: PromiseOutcome = broken ? 'broken' : statuses.every((s) => s === 'kept') ? 'kept' : 'pending';
  return { outcome, statuses, nextBreaksOn: outcome === 'pending' ? nextBreaksOn : null };
}
