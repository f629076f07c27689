// The collector's workspace as data: which key does what, which contact an action uses by default,
// what the work banner says (W7), and the words for outcomes and timeline kinds. Kept out of the
// components so that they only lay things out.
import type { AccountDetail, Contact, ContactOutcome, ContactStatus, OutcomeChannel, TimelineKind, WorkState } from '#lib/api/types.ts';
import { formatDate, formatDateTime, formatInZone, humanize } from '#lib/format.ts';

export type WorkspaceAction = ContactOutcome | 'trace' | 'note' | 'message';

/** Single-key shortcuts; they never fire while the collector types in a field. */
export const shortcuts: ReadonlyArray<{ key: string; action: WorkspaceAction; label: string }> = [
  { key: 'r', action: 'reached', label: 'Reached' },
  { key: 'n', action: 'no_answer', label: 'No answer' },
  { key: 'w', action: 'wrong_number', label: 'Wrong number' },
  { key: 'p', action: 'promise', label: 'Promise' },
  { key: 'x', action: 'refusal', label: 'Refusal' },
  { key: 'd', action: 'dispute', label: 'Dispute' },
  { key: 'c', action: 'callback_requested', label: 'Callback' },
  { key: 't', action: 'trace', label: 'Trace' },
  { key: 'm', action: 'note', label: 'Note' },
  { key: 's', action: 'message', label: 'Message' },
];

export function shortcutFor(action: WorkspaceAction): string | undefined {
  return shortcuts.find((s) => s.action === action)?.key;
}

/** True when a key press belongs to a field (typing a "p" in a note must not open the promise form). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
  const element = target as HTMLElement;
  return ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName) || element.isContentEditable;
}

/** Which action a key press asks for, if any: plain keys only (no Ctrl/Cmd/Alt), and not while typing. */
export function actionForKey(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): WorkspaceAction | 'help' | null {
  if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return null;
  if (event.key === '?') return 'help';
  return shortcuts.find((s) => s.key === event.key.toLowerCase())?.action ?? null;
}

export const isContactOutcome = (action: WorkspaceAction): action is ContactOutcome => !['trace', 'note', 'message'].includes(action);

export const outcomeLabels: Record<ContactOutcome, string> = {
  reached: 'Reached',
  no_answer: 'No answer',
  wrong_number: 'Wrong number',
  promise: 'Promise to pay',
  refusal: 'Refused to pay',
  dispute: 'Dispute',
  callback_requested: 'Callback requested',
};

export const channelLabels: Record<OutcomeChannel, string> = { call: 'Call', inbound: 'Debtor called in', visit: 'Field visit', email: 'Email', sms: 'SMS' };

const kindsFor: Record<OutcomeChannel, readonly string[]> = { call: ['phone', 'mobile'], inbound: ['phone', 'mobile'], sms: ['mobile'], email: ['email'], visit: ['address'] };

/** The contacts an outcome on this channel may name, usable ones first (primary, then not opted out). */
export function contactsFor(channel: OutcomeChannel, contacts: readonly Contact[]): Contact[] {
  return contacts.filter((c) => kindsFor[channel].includes(c.kind)).sort((a, b) => Number(a.optedOut) - Number(b.optedOut) || Number(b.isPrimary) - Number(a.isPrimary));
}

/** The contact an action uses unless the collector picks another: the primary usable one. */
export function defaultContact(channel: OutcomeChannel, contacts: readonly Contact[]): Contact | null {
  return contactsFor(channel, contacts).find((c) => !c.optedOut) ?? null;
}

export type WorkBanner = { tone: 'warning'; text: string; holder: string } | { tone: 'info'; text: string };

const recentlyMs = 24 * 3_600_000;

/**
 * W7: someone else is working the account now (a warning; contact needs confirming) or worked it in
 * the last 24 hours (for information). Times in the collector's own clock.
 */
export function workBanner(work: WorkState | undefined, myUserId: string | undefined, now = new Date()): WorkBanner | null {
  if (!work) return null;
  const time = (iso: string) => new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  const sameDay = (iso: string) => new Date(iso).toDateString() === now.toDateString();
  const when = (iso: string) => (sameDay(iso) ? time(iso) : formatDateTime(iso));
  if (work.leasedBy && work.leasedBy.userId !== myUserId && new Date(work.leasedBy.expiresAt).getTime() > now.getTime()) {
    return { tone: 'warning', holder: work.leasedBy.name, text: `Being worked by ${work.leasedBy.name} since ${when(work.leasedBy.since)}` };
  }
  if (work.lastWorked && work.lastWorked.userId !== myUserId && now.getTime() - new Date(work.lastWorked.at).getTime() < recentlyMs) {
    return { tone: 'info', text: `Worked by ${work.lastWorked.name} at ${when(work.lastWorked.at)}` };
  }
  return null;
}

export const timelineKindLabels: Record<TimelineKind, string> = {
  contact: 'Contacts',
  field_visit: 'Field visits',
  note: 'Notes',
  message: 'Messages',
  payment: 'Payments',
  promise: 'Promises',
  dispute: 'Disputes',
  strategy_step: 'Strategy',
  status_change: 'Status',
  contact_change: 'Contact details',
};

/** The account's open promise, if any (the case card and the header both show it). */
export function openPromise(account: AccountDetail) {
  return account.promises.find((p) => p.status === 'pending') ?? null;
}

/** Invoices a debtor can dispute: open, with something owed. */
export function disputableInvoices(account: AccountDetail) {
  return account.invoices.filter((i) => i.status === 'open' && i.open.amountMinor > 0);
}

/** A local date-time input's value (YYYY-MM-DDTHH:mm) for a moment `hours` from now. */
export function localDateTimeIn(hours: number, now = new Date()): string {
  const d = new Date(now.getTime() + hours * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** What holds collection on the account now, in a few words each: a promise, a postponement, disputes, contact limits. */
export function holdsOf(account: AccountDetail, contactStatus: ContactStatus | null): string[] {
  const holds: string[] = [];
  const promise = openPromise(account);
  if (promise) holds.push(promise.instalments ? 'Reminders held while the plan is kept' : `Reminders held until ${formatDate(promise.dueDate)}`);
  if (account.work?.postponedUntil && new Date(account.work.postponedUntil).getTime() > Date.now()) holds.push(`Postponed until ${formatDateTime(account.work.postponedUntil)}`);
  const disputed = account.invoices.filter((i) => i.status === 'disputed').length;
  if (disputed) holds.push(`${disputed} invoice${disputed === 1 ? '' : 's'} disputed`);
  if (account.customer.contactRestrictions.ceaseCommunicationAt) holds.push('Asked in writing to stop contact');
  if (account.customer.contactRestrictions.attorneyRepresentedAt) holds.push('Represented by a lawyer');
  const call = contactStatus?.channels.find((c) => c.channel === 'call');
  if (call && call.kind === 'deferred' && 'until' in call) holds.push(`Calls not before ${formatDateTime(call.until)}`);
  if (call && call.kind === 'blocked') holds.push('Calls blocked');
  if (account.status === 'trace') holds.push('In trace');
  return holds;
}

/** The case's next step in a few words, as the case card says it: the step and when, or why nothing is due. */
export function nextStepText(
  current: AccountDetail['cases'][number],
  pendingPromise: AccountDetail['promises'][number] | null,
  live: { action: string; dueAt: string | null } | null,
  timeZone: string,
): string {
  const step = live ?? (current.nextAction ? { action: current.nextAction, dueAt: current.nextActionAt } : null);
  if (step) return `${humanize(step.action)} · ${step.dueAt ? formatInZone(step.dueAt, timeZone) : 'now'}`;
  if (pendingPromise) return pendingPromise.instalments ? 'Held while the plan is kept' : 'Held until the promised date';
  return current.status === 'open' ? 'Waiting for payment' : '—';
}
