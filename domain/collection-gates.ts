// Steps that do not contact the debtor but still wait for the law (X1): reporting to a credit bureau
// (Reg F §1006.30(a): not before the debtor was first communicated with and a reasonable time — 14
// days — has passed; not during the validation period; never while the debt is disputed) and
// referring the debt to legal (§1006.26(b): never on a time-barred debt; not before the validation
// period has ended, §1006.34). A deferral names when to look again and why, never dropping the step;
// a block is final and explained. Pure: services/case-steps.ts asks these before acting.
import { isTimeBarred, timeBarredExplanation } from './limitation.ts';
import { validationPeriodOverAt } from './validation-notice.ts';

export type GateDeferReason = 'not_yet_contacted' | 'credit_reporting_wait' | 'validation_notice_pending' | 'validation_period' | 'debt_disputed';
export type GateBlockReason = 'time_barred';

export type GateDecision =
  | { kind: 'allowed' }
  | { kind: 'deferred'; until: Date; reason: GateDeferReason; explanation: string }
  | { kind: 'blocked'; reason: GateBlockReason; explanation: string };

/** Default days between the first communication and a credit report (Reg F §1006.30(a)(1)(ii)'s safe harbour). */
export const creditReportingWaitDaysDefault = 14;

/** When the step waits on something with no date of its own (a first contact, a dispute's end), it looks again after this long. */
export const gateRecheckMs = 86_400_000;

export interface GateFacts {
  timeZone: string;
  /** The debtor's calendar date today. */
  today: string;
  firstContactAt: Date | null;
  /** Whether the jurisdiction requires a validation notice, and when its period ends if one was sent. */
  validationNoticeRequired: boolean;
  validationPeriodEndsOn: string | null;
  /** Open amount under dispute on the account. */
  disputedMinor: bigint;
  /** See domain/limitation.ts `timeBarredOn`. */
  timeBarredOn: string | null;
}

const day = 86_400_000;

/** Defers until the validation period is over (or a notice is sent); null when nothing holds. */
function validationHold(facts: GateFacts, now: Date, what: string): GateDecision | null {
  if (!facts.validationNoticeRequired) return null;
  if (!facts.validationPeriodEndsOn) return { kind: 'deferred', until: new Date(now.getTime() + gateRecheckMs), reason: 'validation_notice_pending', explanation: `No validation notice has been sent yet: no ${what} before its validation period has ended` };
  const over = validationPeriodOverAt(facts.validationPeriodEndsOn, facts.timeZone);
  if (over.getTime() > now.getTime()) return { kind: 'deferred', until: over, reason: 'validation_period', explanation: `The validation period runs until ${facts.validationPeriodEndsOn}: no ${what} before it ends` };
  return null;
}

/** May the debt be reported to a credit bureau now? */
export function creditReportingDecision(facts: GateFacts, policy: { creditReportingWaitDays: number }, now: Date): GateDecision {
  if (facts.disputedMinor > 0n) return { kind: 'deferred', until: new Date(now.getTime() + gateRecheckMs), reason: 'debt_disputed', explanation: 'The debt is disputed: it is not reported while the dispute is open' };
  if (!facts.firstContactAt) return { kind: 'deferred', until: new Date(now.getTime() + gateRecheckMs), reason: 'not_yet_contacted', explanation: `The debtor has not been communicated with about this debt yet: credit reporting waits until ${policy.creditReportingWaitDays} days after the first communication` };
  const waitOver = new Date(facts.firstContactAt.getTime() + policy.creditReportingWaitDays * day);
  const validation = validationHold(facts, now, 'credit reporting');
  if (waitOver.getTime() > now.getTime()) {
    // Both holds: wait for the later of the two, and say so.
    const later = validation?.kind === 'deferred' && validation.reason === 'validation_period' && validation.until.getTime() > waitOver.getTime() ? validation : null;
    return later ?? { kind: 'deferred', until: waitOver, reason: 'credit_reporting_wait', explanation: `First communicated with on ${facts.firstContactAt.toISOString().slice(0, 10)}: credit reporting waits ${policy.creditReportingWaitDays} days after it` };
  }
  return validation ?? { kind: 'allowed' };
}

/** May the debt be referred to legal (or a suit threatened) now? */
export function legalReferralDecision(facts: GateFacts, now: Date): GateDecision {
  if (isTimeBarred(facts.timeBarredOn, facts.today)) return { kind: 'blocked', reason: 'time_barred', explanation: timeBarredExplanation(facts.timeBarredOn!) };
  return validationHold(facts, now, 'legal referral') ?? { kind: 'allowed' };
}
