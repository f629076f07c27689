// What the workspace's buttons do: each calls the API once with a fresh client request id (so a
// double tap records once), and turns the answer into the words the collector reads. Errors are
// thrown as they come (ApiError); the page shows them through `refusalFor`.
import { api, ApiError } from '#lib/api/client.ts';
import { workApi } from '#lib/api/work.ts';
import type { ContactKind, ContactOutcomeRecorded, ContactOutcomeRequest, TemplateChannel, TimelineKind } from '#lib/api/types.ts';
import { formatDate, formatDateTime } from '#lib/format.ts';
import { outcomeLabels } from './workspace.ts';
import { timelinePageSize } from './account-page-data.ts';

export const newClientRequestId = () => crypto.randomUUID();

/** The line shown after an outcome was recorded: what the case did with it. */
export function describeRecorded(recorded: ContactOutcomeRecorded): string {
  const e = recorded.effect;
  switch (e.kind) {
    case 'promise':
      return e.instalments ? `Plan of ${e.instalments.length} instalments recorded: reminders are held while it is kept.` : `Promise recorded: reminders are held until ${formatDate(e.dueDate)}.`;
    case 'postponed':
      return `Callback set for ${formatDateTime(e.until)}: the account comes back to you then.`;
    case 'dispute':
      return 'Dispute opened: the invoices are out of collection until it is resolved.';
    case 'contact_failed':
      return `${outcomeLabels[recorded.outcome]} recorded${e.contactMarkedWrong ? '; the number is marked as wrong' : ''}.${e.traceSuggested ? ' No usable number is left: consider marking the account for trace (T).' : ''}`;
    case 'none':
      return `${outcomeLabels[recorded.outcome]} recorded.`;
  }
}

export function recordOutcome(accountId: string, request: Omit<ContactOutcomeRequest, 'clientRequestId'>, clientRequestId = newClientRequestId()) {
  return api.recordContactOutcome(accountId, { ...request, clientRequestId });
}

export function sendMessage(accountId: string, message: { templateCode: string; channel: TemplateChannel; contactId?: string }, clientRequestId = newClientRequestId()) {
  return api.sendTemplateMessage(accountId, { ...message, clientRequestId });
}

export type NextStep = { kind: 'account'; href: string; label: string } | { kind: 'empty'; text: string };

/**
 * "Save and next": finish work on this account (a lease someone else holds, or none, is not ours to
 * finish and is ignored) and ask for the next one from the collector's queues.
 */
export async function finishAndServeNext(accountId: string): Promise<NextStep> {
  try {
    await workApi.finish(accountId);
  } catch (error) {
    if (!(error instanceof ApiError && (error.code === 'not_leased' || error.status === 404))) throw error;
  }
  const served = await workApi.next();
  if (!served.account) return { kind: 'empty', text: served.explanation || 'Your queues are empty.' };
  return { kind: 'account', href: `/accounts/${served.account.id}?served=${encodeURIComponent(served.explanation)}`, label: `${served.account.customerName} (${served.account.externalRef})` };
}

/** Keeps the lease while the page is open; someone else holding it is not an error here (the banner says so). */
export async function keepLease(accountId: string): Promise<'mine' | 'held_by_other' | 'unavailable'> {
  try {
    await workApi.lease(accountId);
    return 'mine';
  } catch (error) {
    if (error instanceof ApiError && error.code === 'account_leased') return 'held_by_other';
    return 'unavailable';
  }
}

export const addNoteTo = (accountId: string, text: string) => api.addNote(accountId, text);
export const markTrace = (accountId: string, reason: string) => api.markForTrace(accountId, reason);
export const clearTraceOf = (accountId: string) => api.clearTrace(accountId);
export const loadTemplates = async (accountId: string) => (await api.accountTemplates(accountId)).items;
export const loadTimeline = (accountId: string, params: { cursor?: string; kinds?: TimelineKind[] }) => api.timeline(accountId, { ...params, limit: timelinePageSize });

/** Contact details, edited in place (W6); the server checks and normalises the value. */
export const contactEdits = {
  add: (accountId: string, contact: { kind: ContactKind; value: string; label?: string; isPrimary?: boolean }) => api.addContact(accountId, contact),
  update: (accountId: string, contactId: string, change: { value?: string; label?: string; isPrimary?: boolean; optedOut?: boolean }) => api.updateContact(accountId, contactId, change),
  remove: (accountId: string, contactId: string) => api.removeContact(accountId, contactId),
};
