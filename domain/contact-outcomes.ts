// What a collector records after trying to reach the debtor (W6), and what each outcome means for
// the case: right-party contacts (the debtor was reached) and failed contacts (they were not, which
// a strategy's `contact_failed` trigger counts). Pure: the contact-outcome service, the contact
// policy (its quiet period after a conversation) and the supervisor board all decide with these.

/** Every outcome a collector can record, in the order the workspace offers them. */
export const contactOutcomes = ['reached', 'no_answer', 'wrong_number', 'promise', 'refusal', 'dispute', 'callback_requested'] as const;
export type ContactOutcome = (typeof contactOutcomes)[number];

/** Outcomes in which the collector spoke with the debtor (a right-party contact). The supervisor board counts these. */
export const rightPartyOutcomes = ['reached', 'promise', 'refusal', 'dispute', 'callback_requested'] as const satisfies readonly ContactOutcome[];

/** Outcomes in which the debtor was not reached: the case hears of them as a failed contact (its `contact_failed` trigger). */
export const failedContactOutcomes = ['no_answer', 'wrong_number'] as const satisfies readonly ContactOutcome[];

/**
 * Right-party outcomes that start the contact policy's quiet period after a telephone conversation
 * (Reg F: no call within 7 days). A requested callback does not: the debtor asked for that call, and
 * Reg F's count exempts calls made with the debtor's prior consent.
 */
export const conversationOutcomesOfCollectors = ['reached', 'promise', 'refusal', 'dispute'] as const satisfies readonly ContactOutcome[];

/** How the contact happened. `inbound`: the debtor called in (no contact-policy check: we did not initiate it). */
export const outcomeChannels = ['call', 'visit', 'email', 'sms', 'inbound'] as const;
export type OutcomeChannel = (typeof outcomeChannels)[number];

export function isRightPartyContact(outcome: string): boolean {
  return (rightPartyOutcomes as readonly string[]).includes(outcome);
}

export function isFailedContact(outcome: string): boolean {
  return (failedContactOutcomes as readonly string[]).includes(outcome);
}

/** What recording the outcome does to the case beyond logging it. */
export type CaseEffect = 'record_promise' | 'postpone' | 'open_dispute' | 'contact_failed' | 'none';

export function caseEffectOf(outcome: ContactOutcome): CaseEffect {
  switch (outcome) {
    case 'promise':
      return 'record_promise';
    case 'callback_requested':
      return 'postpone';
    case 'dispute':
      return 'open_dispute';
    case 'no_answer':
    case 'wrong_number':
      return 'contact_failed';
    case 'reached':
    case 'refusal':
      return 'none';
  }
}

/** The contact-policy channel an outcome on this channel is checked against; null: not checked (the debtor called us). */
export function policyChannelOf(channel: OutcomeChannel): 'call' | 'visit' | 'email' | 'sms' | null {
  return channel === 'inbound' ? null : channel;
}

/** The contact log's kind and direction for an outcome on this channel (an inbound contact is a call from the debtor). */
export function activityOf(channel: OutcomeChannel): { kind: 'call' | 'visit' | 'email' | 'sms'; direction: 'outbound' | 'inbound' } {
  return channel === 'inbound' ? { kind: 'call', direction: 'inbound' } : { kind: channel, direction: 'outbound' };
}

/** The contact kinds an outcome on a channel may name as "the contact used". */
export function contactKindsFor(channel: OutcomeChannel): readonly string[] {
  switch (channel) {
    case 'call':
    case 'inbound':
      return ['phone', 'mobile'];
    case 'sms':
      return ['mobile'];
    case 'email':
      return ['email'];
    case 'visit':
      return ['address'];
  }
}

export type PromiseTermsRequest = { amountMinor: number; dueDate: string } | { instalments: Array<{ amountMinor: number; dueDate: string }> };

export interface OutcomeRequest {
  channel: OutcomeChannel;
  outcome: ContactOutcome;
  contactId?: string | null;
  note?: string | null;
  /** For `promise`: a single payment or an instalment plan (the case validates amounts and dates). */
  promise?: PromiseTermsRequest | null;
  /** For `callback_requested`: when the debtor asked to be called back (ISO instant). */
  callbackAt?: string | null;
  /** For `dispute`: the invoices the debtor disputes (their external references). */
  disputedInvoiceRefs?: string[] | null;
}

export interface OutcomeProblem {
  path: string;
  message: string;
}

/** Callbacks further ahead than this are postponements the case refuses (it allows 90 days). */
const maxCallbackDays = 90;

/**
 * What is missing or contradictory in an outcome request, before anything is written: a promise
 * needs its terms, a callback a future time, a dispute its invoices; terms that belong to another
 * outcome are refused rather than silently dropped. An empty list means the request is complete.
 */
export function outcomeRequestProblems(request: OutcomeRequest, now: Date): OutcomeProblem[] {
  const problems: OutcomeProblem[] = [];
  if (request.outcome === 'promise') {
    if (!request.promise) problems.push({ path: 'promise', message: 'a promise needs an amount and a date, or an instalment plan' });
  } else if (request.promise) problems.push({ path: 'promise', message: `promise terms belong to the outcome "promise", not "${request.outcome}"` });

  if (request.outcome === 'callback_requested') {
    const at = request.callbackAt ? Date.parse(request.callbackAt) : Number.NaN;
    if (Number.isNaN(at)) problems.push({ path: 'callbackAt', message: 'a callback needs the time the debtor asked to be called back' });
    else if (at <= now.getTime()) problems.push({ path: 'callbackAt', message: 'the callback time must be in the future' });
    else if (at > now.getTime() + maxCallbackDays * 86_400_000) problems.push({ path: 'callbackAt', message: `the callback time must be within ${maxCallbackDays} days` });
  } else if (request.callbackAt) problems.push({ path: 'callbackAt', message: `a callback time belongs to the outcome "callback_requested", not "${request.outcome}"` });

  if (request.outcome === 'dispute') {
    if (!request.disputedInvoiceRefs?.length) problems.push({ path: 'disputedInvoiceRefs', message: 'a dispute names the invoices the debtor disputes' });
    else if (new Set(request.disputedInvoiceRefs).size !== request.disputedInvoiceRefs.length) problems.push({ path: 'disputedInvoiceRefs', message: 'an invoice is named twice' });
    if (!request.note?.trim()) problems.push({ path: 'note', message: 'say why the debtor disputes the invoices' });
  } else if (request.disputedInvoiceRefs?.length) problems.push({ path: 'disputedInvoiceRefs', message: `disputed invoices belong to the outcome "dispute", not "${request.outcome}"` });

  if (request.outcome === 'wrong_number' && request.channel !== 'call' && request.channel !== 'sms') problems.push({ path: 'channel', message: 'a wrong number is found by calling or texting it' });
  if (request.outcome === 'no_answer' && request.channel === 'inbound') problems.push({ path: 'channel', message: 'the debtor called in: "no answer" cannot be the outcome' });
  return problems;
}

const outcomeWords: Record<ContactOutcome, string> = {
  reached: 'Reached the debtor',
  no_answer: 'No answer',
  wrong_number: 'Wrong number',
  promise: 'Promise to pay',
  refusal: 'Refused to pay',
  dispute: 'Dispute raised',
  callback_requested: 'Callback requested',
};

const channelWords: Record<OutcomeChannel, string> = { call: 'Call', visit: 'Field visit', email: 'Email', sms: 'SMS', inbound: 'Inbound call' };

/** The contact log's one-line summary: "Call to +1 617 555 0101: No answer — left a voicemail". */
export function outcomeSummary(request: Pick<OutcomeRequest, 'channel' | 'outcome' | 'note'>, contactValue?: string | null): string {
  const via = contactValue ? `${channelWords[request.channel]} ${request.channel === 'inbound' ? 'from' : request.channel === 'visit' ? 'at' : 'to'} ${contactValue}` : channelWords[request.channel];
  const note = request.note?.trim();
  return `${via}: ${outcomeWords[request.outcome]}${note ? ` — ${note}` : ''}`.slice(0, 1000);
}

export function describeOutcome(outcome: ContactOutcome): string {
  return outcomeWords[outcome];
}
