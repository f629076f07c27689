// The validation notice (Regulation F §1006.34): within five days after the first communication
// about a debt, the debtor gets the validation information (what is owed and to whom, as of the
// itemization date, and until when they may dispute it). The notice opens the validation period: 30
// days after the debtor receives it, or is assumed to — five days after it was sent, not counting
// Saturdays, Sundays and legal public holidays (§1006.34(b)(5)). While it runs no legal referral and
// no credit reporting happen (domain/collection-gates.ts), and a dispute holds collection of the
// disputed part (disputed invoices leave the dunning balance; everything disputed pauses the case).
// Pure: the case workflow, the step activity and the API decide with these.
import { z } from 'zod';
import { addBusinessDays } from './business-days.ts';
import { addDays, localMidnight } from './case-schedule.ts';

/** The template a validation notice is sent with (an email, or a letter when there is no email). */
export const validationNoticeTemplate = 'validation_notice';

/** Reg F: the notice goes out within this many days after the first communication (the case sends it with it). */
export const validationNoticeWithinDays = 5;

export interface ValidationNoticeSettings {
  /** Days after the (assumed) receipt during which the debtor may dispute the debt. */
  periodDays: number;
  /** Business days after sending at which the debtor is assumed to have received the notice. */
  assumedReceiptBusinessDays: number;
}

/** The US rule (Reg F §1006.34(b)(5)). A jurisdiction without a validation-notice rule sets `validationNotice: null`. */
export const usValidationNotice: ValidationNoticeSettings = { periodDays: 30, assumedReceiptBusinessDays: 5 };

/** The floors are Reg F's: a jurisdiction may be stricter, not laxer. */
export const validationNoticeSettingsSchema = z
  .object({ periodDays: z.number().int().min(30).max(90), assumedReceiptBusinessDays: z.number().int().min(0).max(15) })
  .strict();

/** Whether a message is itself the validation notice (then no second one is sent). */
export function isValidationNotice(template: string | undefined): boolean {
  return template === validationNoticeTemplate;
}

/**
 * The last day of the validation period for a notice sent on `sentOn` (the debtor's calendar):
 * the assumed receipt, then the period's days. The debtor may dispute until the end of that day.
 */
export function validationPeriodEndsOn(sentOn: string, settings: ValidationNoticeSettings, jurisdiction: string): string {
  return addDays(addBusinessDays(sentOn, settings.assumedReceiptBusinessDays, jurisdiction), settings.periodDays);
}

/** The first instant after the validation period: the start of the next day in the debtor's time zone. */
export function validationPeriodOverAt(endsOn: string, timeZone: string): Date {
  return localMidnight(addDays(endsOn, 1), timeZone);
}

/** The channel a validation notice goes by: email when the debtor has one, else a letter; none without either. */
export function validationNoticeChannel(reachable: { email: boolean; letter: boolean }): 'email' | 'letter' | null {
  if (reachable.email) return 'email';
  return reachable.letter ? 'letter' : null;
}
