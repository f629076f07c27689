// Contact policy as configuration (X1): which hours, how many attempts per channel, how long to keep
// quiet after a conversation, and which notices may still go out after a cease-communication
// request. Built-in defaults follow the US rules (CFPB Regulation F / FDCPA); a jurisdiction's
// settings override them and a segment's settings override the jurisdiction's. Pure: the workflow,
// the step activities and the collector queues all decide with `contactDecision`.
import { z } from 'zod';
import { defaultContactWindow, nextAllowedContactTime, type ContactWindow } from './contact-policy.ts';
import { conversationOutcomesOfCollectors } from './contact-outcomes.ts';
import { localDate } from './ageing.ts';
import { usValidationNotice, validationNoticeSettingsSchema, type ValidationNoticeSettings } from './validation-notice.ts';
import { builtInLimitations, isTimeBarred, limitationSettingsSchema, timeBarredExplanation, timeBarredOn, type DebtDates, type LimitationSettings } from './limitation.ts';
import { creditReportingWaitDaysDefault } from './collection-gates.ts';

/** Every way of reaching the debtor the policy speaks about. */
export const contactChannels = ['call', 'email', 'sms', 'letter', 'visit'] as const;
export type ContactChannel = (typeof contactChannels)[number];

export interface AttemptCap {
  max: number;
  days: number;
}

export interface ContactPolicy {
  /** When contact is allowed, in the debtor's local time; letters are exempt (posting is not contacting at an hour). */
  window: ContactWindow;
  /** At most `max` attempts per channel in any `days` consecutive days, per account. */
  caps: Partial<Record<ContactChannel, AttemptCap>>;
  /** No call for this many days after a telephone conversation about the debt. */
  quietDaysAfterConversation: number;
  /** Templates that may still be sent after a written cease-communication request (final notices). */
  finalNoticeTemplates: string[];
  /** Templates that threaten legal action: never sent on a time-barred debt (Reg F §1006.26(b)). */
  threatensSuitTemplates: string[];
  /** The validation notice and its period (Reg F §1006.34); null where no such rule applies. */
  validationNotice: ValidationNoticeSettings | null;
  /** Days after the first communication before the debt may be reported to a credit bureau (Reg F §1006.30(a)). */
  creditReportingWaitDays: number;
  /** The statute of limitations (domain/limitation.ts); null: debts never become time-barred here. */
  limitation: LimitationSettings | null;
}

/** US defaults (Reg F §1006.14: 7 calls in 7 days, none within 7 days of a conversation; 08:00–21:00 local). */
export const defaultContactPolicy: ContactPolicy = {
  window: defaultContactWindow,
  caps: { call: { max: 7, days: 7 } },
  quietDaysAfterConversation: 7,
  finalNoticeTemplates: ['suspension_notice', 'final_notice'],
  threatensSuitTemplates: ['legal_action_notice'],
  validationNotice: usValidationNotice,
  creditReportingWaitDays: creditReportingWaitDaysDefault,
  limitation: builtInLimitations.US!,
};

const hour = z.number().int().min(0).max(24);
const windowSchema = z
  .object({ startHour: hour, endHour: hour, weekdays: z.array(z.number().int().min(1).max(7)).min(1).max(7) })
  .strict()
  .refine((w) => w.startHour < w.endHour, { message: 'startHour must be before endHour' })
  .refine((w) => new Set(w.weekdays).size === w.weekdays.length, { message: 'weekdays must not repeat' });
const capSchema = z.object({ max: z.number().int().min(0).max(100), days: z.number().int().min(1).max(90) }).strict();

/** What a jurisdiction or a segment may set; anything left out is inherited. */
export const contactPolicyOverridesSchema = z
  .object({
    window: windowSchema.optional(),
    caps: z.object(Object.fromEntries(contactChannels.map((c) => [c, capSchema.nullable().optional()])) as Record<ContactChannel, z.ZodOptional<z.ZodNullable<typeof capSchema>>>).strict().optional(),
    quietDaysAfterConversation: z.number().int().min(0).max(90).optional(),
    finalNoticeTemplates: z.array(z.string().min(1).max(60)).max(20).optional(),
    threatensSuitTemplates: z.array(z.string().min(1).max(60)).max(20).optional(),
    validationNotice: validationNoticeSettingsSchema.nullable().optional(),
    creditReportingWaitDays: z.number().int().min(creditReportingWaitDaysDefault).max(365).optional(),
    limitation: limitationSettingsSchema.nullable().optional(),
  })
  .strict();
export type ContactPolicyOverrides = z.infer<typeof contactPolicyOverridesSchema>;

/**
 * Built-in jurisdictions beyond the US default. Massachusetts allows two calls in seven days at
 * home (940 CMR 7.04); Hungary's supervisory guidance keeps contact to 08:00–20:00, not on Sundays,
 * and Regulation F's validation notice is US law. Limitation periods and their sources are in
 * domain/limitation.ts. Admins add or change jurisdictions in the database (`jurisdiction_policies`);
 * a stored jurisdiction replaces its built-in settings as a whole.
 */
export const builtInJurisdictionPolicies: Record<string, ContactPolicyOverrides> = {
  US: {},
  'US-MA': { caps: { call: { max: 2, days: 7 } }, limitation: builtInLimitations['US-MA']! },
  'US-IL': { limitation: builtInLimitations['US-IL']! },
  'US-CO': { limitation: builtInLimitations['US-CO']! },
  HU: { window: { startHour: 8, endHour: 20, weekdays: [1, 2, 3, 4, 5, 6] }, caps: { call: { max: 3, days: 7 } }, quietDaysAfterConversation: 2, validationNotice: null, limitation: builtInLimitations.HU! },
};

function applyOverrides(policy: ContactPolicy, overrides: ContactPolicyOverrides | undefined): ContactPolicy {
  if (!overrides) return policy;
  const caps = { ...policy.caps };
  for (const [channel, cap] of Object.entries(overrides.caps ?? {}) as Array<[ContactChannel, AttemptCap | null | undefined]>) {
    if (cap === null) delete caps[channel];
    else if (cap) caps[channel] = cap;
  }
  return {
    window: overrides.window ?? policy.window,
    caps,
    quietDaysAfterConversation: overrides.quietDaysAfterConversation ?? policy.quietDaysAfterConversation,
    finalNoticeTemplates: overrides.finalNoticeTemplates ?? policy.finalNoticeTemplates,
    threatensSuitTemplates: overrides.threatensSuitTemplates ?? policy.threatensSuitTemplates,
    // null is a setting of its own here ("no such rule"), so only a missing key inherits.
    validationNotice: overrides.validationNotice === undefined ? policy.validationNotice : overrides.validationNotice,
    creditReportingWaitDays: overrides.creditReportingWaitDays ?? policy.creditReportingWaitDays,
    limitation: overrides.limitation === undefined ? policy.limitation : overrides.limitation,
  };
}

/**
 * The policy for one debtor: defaults, then the country's settings, then the region's ("US-MA"), then
 * the segment's. `jurisdictions` are the stored settings; built-ins fill in what is not stored.
 */
export function resolveContactPolicy(jurisdiction: string, segmentOverrides: ContactPolicyOverrides | undefined, jurisdictions: Record<string, ContactPolicyOverrides> = {}): ContactPolicy {
  const settings = (code: string) => jurisdictions[code] ?? builtInJurisdictionPolicies[code];
  const country = jurisdiction.split('-')[0]!;
  let policy = applyOverrides(defaultContactPolicy, settings(country));
  if (country !== jurisdiction) policy = applyOverrides(policy, settings(jurisdiction));
  return applyOverrides(policy, segmentOverrides);
}

/** What the policy needs to know about the debtor and the recent contact history of the account. */
export interface ContactFacts {
  timeZone: string;
  ceaseCommunication: boolean;
  attorneyRepresented: boolean;
  /** Channels on which the customer has contacts and every one of them has opted out. */
  optedOutChannels: readonly ContactChannel[];
  /** Earlier attempts on the account, any channel. */
  attempts: ReadonlyArray<{ channel: ContactChannel; at: Date }>;
  /** The last telephone conversation about the debt, if any. */
  lastConversationAt: Date | null;
  /** The open debt's dates, for the statute of limitations (a template threatening suit); unknown: not checked. */
  debt?: DebtDates;
}

export type ContactBlockReason = 'attorney_represented' | 'cease_communication' | 'opted_out' | 'time_barred';
export type ContactDeferReason = 'outside_contact_hours' | 'attempt_cap' | 'recent_conversation';

export type ContactDecision =
  | { kind: 'allowed' }
  | { kind: 'deferred'; until: Date; reason: ContactDeferReason; explanation: string }
  | { kind: 'blocked'; reason: ContactBlockReason; explanation: string };

const day = 86_400_000;
const pad = (h: number) => `${String(h).padStart(2, '0')}:00`;
const weekdayNames = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export function describeWindow(window: ContactWindow): string {
  const days = window.weekdays.length === 7 ? 'every day' : window.weekdays.map((d) => weekdayNames[d]).join(', ');
  return `${pad(window.startHour)}–${pad(window.endHour)} ${days}, debtor's local time`;
}

/**
 * May we contact the debtor on `channel` now? A block is final for this action (it is explained and
 * not retried); a deferral names the first moment every rule allows it, never dropping the action.
 */
export function contactDecision(request: { channel: ContactChannel; template?: string }, facts: ContactFacts, policy: ContactPolicy, now: Date): ContactDecision {
  if (request.template && facts.debt && policy.threatensSuitTemplates.includes(request.template)) {
    const barredOn = timeBarredOn(facts.debt, policy.limitation);
    if (isTimeBarred(barredOn, localDate(now, facts.timeZone))) return { kind: 'blocked', reason: 'time_barred', explanation: timeBarredExplanation(barredOn!) };
  }
  if (facts.attorneyRepresented) return { kind: 'blocked', reason: 'attorney_represented', explanation: 'The debtor is represented by a lawyer: contact the lawyer, not the debtor' };
  if (facts.ceaseCommunication && !(request.template && policy.finalNoticeTemplates.includes(request.template))) {
    return { kind: 'blocked', reason: 'cease_communication', explanation: 'The debtor asked in writing that we stop contacting them; only final notices may be sent' };
  }
  if (facts.optedOutChannels.includes(request.channel)) return { kind: 'blocked', reason: 'opted_out', explanation: `Every ${request.channel} contact of the debtor has opted out` };

  let at = now;
  let reason: ContactDeferReason | null = null;
  let explanation = '';
  // Each rule may push the moment later; loop until none does (a later moment can fall outside hours).
  for (let round = 0; round < 10; round++) {
    const before = at.getTime();
    const cap = policy.caps[request.channel];
    if (cap) {
      const since = at.getTime() - cap.days * day;
      const recent = facts.attempts.filter((a) => a.channel === request.channel && a.at.getTime() > since && a.at.getTime() <= at.getTime()).map((a) => a.at.getTime()).sort((a, b) => a - b);
      if (recent.length >= cap.max) {
        // The window frees up when the oldest attempt that keeps us at the cap drops out of it.
        const freeAt = cap.max === 0 ? Number.POSITIVE_INFINITY : recent[recent.length - cap.max]! + cap.days * day;
        if (!Number.isFinite(freeAt)) return { kind: 'blocked', reason: 'opted_out', explanation: `The policy allows no ${request.channel} attempts` };
        at = new Date(freeAt);
        reason = 'attempt_cap';
        explanation = `${recent.length} ${request.channel} attempts in the last ${cap.days} days (at most ${cap.max})`;
      }
    }
    if (request.channel === 'call' && facts.lastConversationAt && policy.quietDaysAfterConversation > 0) {
      const quietUntil = facts.lastConversationAt.getTime() + policy.quietDaysAfterConversation * day;
      if (quietUntil > at.getTime()) {
        at = new Date(quietUntil);
        reason = 'recent_conversation';
        explanation = `A telephone conversation took place in the last ${policy.quietDaysAfterConversation} days`;
      }
    }
    if (request.channel !== 'letter') {
      const allowed = nextAllowedContactTime(at, facts.timeZone, policy.window);
      if (allowed.getTime() > at.getTime()) {
        at = allowed;
        if (!reason) {
          reason = 'outside_contact_hours';
          explanation = `Outside contact hours (${describeWindow(policy.window)})`;
        }
      }
    }
    if (at.getTime() === before) break;
  }
  return reason ? { kind: 'deferred', until: at, reason, explanation } : { kind: 'allowed' };
}

/** Call outcomes that count as a telephone conversation with the debtor (Reg F's 7-day quiet period), including those collectors record (domain/contact-outcomes.ts). */
export const conversationOutcomes = ['conversation', 'right_party_contact', 'promise_to_pay', 'refused_to_pay', 'dispute_raised', ...conversationOutcomesOfCollectors] as const;
