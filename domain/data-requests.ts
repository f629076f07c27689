// GDPR data-subject requests (X1, EU): access, rectification, erasure, restriction, objection
// (Art. 15-21). Each is answered within one calendar month of receipt; where necessary, given the
// requests' complexity and number, the controller may extend that by up to two further months, telling
// the person why within the first month (Art. 12(3)). A month runs to the same day of the next month,
// or its last day when it has none (31 January → 28 February), and is counted on UTC dates; the end is
// not moved past weekends or holidays (Regulation 1182/71 would allow it), so the date shown is never
// later than the law's. Erasure follows the retention rules (domain/retention.ts). Pure.
import { retentionDecision, keptData, pseudonymisedData, type RetentionFacts } from './retention.ts';

export const dataRequestKinds = ['access', 'rectification', 'erasure', 'restriction', 'objection'] as const;
export type DataRequestKind = (typeof dataRequestKinds)[number];
export type DataRequestStatus = 'open' | 'completed' | 'refused';

/** At most this many further months (Art. 12(3)). */
export const maxExtensionMonths = 2;
/** An open request is "due soon" this many days before its due date. */
export const dueSoonDays = 7;

/** A calendar date plus whole months, clamped to the last day of the month. */
export function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const first = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
  return `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

export const utcDate = (at: Date) => at.toISOString().slice(0, 10);

/** The answer is due one calendar month after receipt. */
export function dueOnFor(receivedAt: Date): string {
  return addCalendarMonths(utcDate(receivedAt), 1);
}

export interface DataRequestDates {
  status: DataRequestStatus;
  receivedAt: Date;
  dueOn: string;
  extendedDueOn: string | null;
}

/** The date the answer is due now: the extended one, if extended. */
export function currentDueOn(request: Pick<DataRequestDates, 'dueOn' | 'extendedDueOn'>): string {
  return request.extendedDueOn ?? request.dueOn;
}

export type DueState = 'overdue' | 'due_soon' | 'on_time' | 'answered';

export function dueState(request: DataRequestDates, today: string): DueState {
  if (request.status !== 'open') return 'answered';
  const due = currentDueOn(request);
  if (today > due) return 'overdue';
  return addCalendarDays(today, dueSoonDays) >= due ? 'due_soon' : 'on_time';
}

function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export type ExtensionProblem = 'request_closed' | 'already_extended' | 'too_late' | 'reason_required' | 'too_long';

/**
 * Why an extension may not be made: the request is answered, was extended already, the first month
 * is over (the person must be told within it), no reason is given, or it would pass two further months.
 */
export function extensionProblems(request: DataRequestDates, extension: { months: number; reason: string }, today: string): ExtensionProblem[] {
  const problems: ExtensionProblem[] = [];
  if (request.status !== 'open') problems.push('request_closed');
  if (request.extendedDueOn) problems.push('already_extended');
  if (today > request.dueOn) problems.push('too_late');
  if (!extension.reason.trim()) problems.push('reason_required');
  if (!Number.isInteger(extension.months) || extension.months < 1 || extension.months > maxExtensionMonths) problems.push('too_long');
  return problems;
}

export function extendedDueOn(request: Pick<DataRequestDates, 'dueOn'>, months: number): string {
  return addCalendarMonths(request.dueOn, months);
}

/** What an erasure does now, and what it keeps and why (recorded with the request and told to the person). */
export interface ErasurePlan {
  eraseNow: boolean;
  erased: readonly string[];
  kept: ReadonlyArray<{ what: string; why: string }>;
  /** While the collection record must be kept: when the retention job pseudonymises it. Null: not yet known (an open case). */
  keptUntil: string | null;
}

/**
 * Erasure as far as the law lets us (Art. 17(3)(b), (e)): a record past its retention is pseudonymised
 * now; one in use (an open case) or within retention is kept whole, with the reason and until when.
 */
export function erasurePlan(facts: RetentionFacts, retentionYears: number, now: Date): ErasurePlan {
  const decision = retentionDecision(facts, retentionYears, now);
  if (decision.kind === 'pseudonymise' || decision.kind === 'done') return { eraseNow: decision.kind === 'pseudonymise', erased: pseudonymisedData, kept: keptData, keptUntil: null };
  const why =
    decision.reason === 'open_case'
      ? 'a collection case is open: the debt is still being collected and the record is needed for it and for any legal claim (GDPR Art. 17(3)(e))'
      : `collection records are kept ${retentionYears} years after the last collection activity (Reg F §1006.100; GDPR Art. 17(3)(b)), until ${utcDate(decision.until!)}; they are pseudonymised then`;
  return { eraseNow: false, erased: [], kept: [{ what: 'the whole collection record: name, contacts, contact log, messages, payments, promises, audit trail', why }], keptUntil: decision.until ? utcDate(decision.until) : null };
}
