// Time-barred debt (Regulation F §1006.26(b): no suit, and no threat of suit, on a time-barred
// debt). A debt is time-barred once the jurisdiction's limitation period has run from the due date of
// its oldest unpaid invoice — or from the last payment, in a jurisdiction where a payment restarts the
// period. The oldest invoice decides for the whole debt: suing on the rest is left to a person.
// The periods below are configuration, not legal advice: each jurisdiction's (or segment's) setting
// replaces them (PUT /contact-policies/{jurisdiction}, `limitation`). Where the law offers several
// periods (written or unwritten contracts), the shorter one is built in, so that a doubtful debt is
// treated as time-barred rather than sued on.
import { z } from 'zod';

export interface LimitationSettings {
  /** Years after which an action on the debt is barred. */
  years: number;
  /** Whether a payment restarts the period (kept simple: any posted payment, not acknowledgements in writing). */
  restartsOnPayment: boolean;
}

export const limitationSettingsSchema = z.object({ years: z.number().int().min(1).max(30), restartsOnPayment: z.boolean() }).strict();

/**
 * Built-in limitation periods of the demo jurisdictions (sources as read in 2026; check before relying on them):
 * - US: there is no federal period for consumer debt; 3 years is the shortest common state period for
 *   contracts and open accounts, used until a state is configured.
 * - US-MA: 6 years, actions on contracts not under seal (M.G.L. c. 260 §2). A part payment may count as an
 *   acknowledgement under case law, but c. 260 §13 wants acknowledgements in writing: not restarted here.
 * - US-IL: 5 years, unwritten contracts and open accounts such as service accounts (735 ILCS 5/13-205);
 *   written contracts have 10 (5/13-206, which a written payment or promise restarts). The shorter is built in.
 * - US-CO: 6 years, liquidated or determinable debts (C.R.S. 13-80-103.5(1)(a)); not restarted here.
 * - HU: 5 years, the general period of the Civil Code (Ptk., Act V of 2013, 6:22 §(1)); the debtor's
 *   acknowledgement of the debt, which a part payment is, interrupts it and it starts again (6:25 §).
 */
export const builtInLimitations: Record<string, LimitationSettings> = {
  US: { years: 3, restartsOnPayment: false },
  'US-MA': { years: 6, restartsOnPayment: false },
  'US-IL': { years: 5, restartsOnPayment: false },
  'US-CO': { years: 6, restartsOnPayment: false },
  HU: { years: 5, restartsOnPayment: true },
};

/** What the limitation of one debt depends on (calendar dates, YYYY-MM-DD). */
export interface DebtDates {
  /** Due date of the oldest invoice still owed (open or disputed), or null when nothing is owed. */
  oldestUnpaidDueDate: string | null;
  /** Date of the last payment not reversed, if any. */
  lastPaymentOn: string | null;
}

/** A date plus whole years; 29 February becomes 28 February in a common year. */
export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastOfMonth)).padStart(2, '0')}`;
}

/** From when the period runs: the oldest unpaid due date, or a later payment where payments restart it. */
export function limitationRunsFrom(debt: DebtDates, settings: LimitationSettings): string | null {
  if (!debt.oldestUnpaidDueDate) return null;
  if (settings.restartsOnPayment && debt.lastPaymentOn && debt.lastPaymentOn > debt.oldestUnpaidDueDate) return debt.lastPaymentOn;
  return debt.oldestUnpaidDueDate;
}

/**
 * The day from which the debt is time-barred: the anniversary of the start of the period (counted as
 * barred on that day itself, the cautious reading). Null when nothing is owed or no limitation applies.
 */
export function timeBarredOn(debt: DebtDates, settings: LimitationSettings | null): string | null {
  if (!settings) return null;
  const from = limitationRunsFrom(debt, settings);
  return from ? addYears(from, settings.years) : null;
}

/** Whether, on `today` (the debtor's calendar), the debt is time-barred. */
export function isTimeBarred(barredOn: string | null, today: string): boolean {
  return barredOn !== null && barredOn <= today;
}

/** The explanation given wherever a time-barred debt blocks an action. */
export function timeBarredExplanation(barredOn: string): string {
  return `The debt is time-barred since ${barredOn}: no legal action, and no threat of it, may be taken`;
}
