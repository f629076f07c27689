// The collector's account workspace (W6-W8): the account's timeline, contact outcomes, the debtor's
// contact details, trace, notes and template messages. Each handler parses, checks the permission
// and calls one service; the services check the branch and audit every change.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem.ts';
import { idempotencyKeys } from '../http/idempotency.ts';
import { IdParams } from '../schemas.ts';
import { ContactChangeBody, ContactOutcomeBody, ContactOutcomeRecorded, ContactParams, ContactView, NewContactBody, NoteBody, NoteCreated, TemplateMessageBody, TemplateMessageQueued, AccountTemplates, TimelinePage, TimelineQuery, TraceBody, TraceResult } from '../workspace-schemas.ts';
import { getAccountTimeline } from '../../services/account-timeline.ts';
import { recordContactOutcome } from '../../services/contact-outcomes.ts';
import { addContact, removeContact, updateContact } from '../../services/contacts.ts';
import { addNote, clearTrace, markForTrace } from '../../services/account-actions.ts';
import { sendTemplateMessage, templatesForAccount } from '../../services/manual-messages.ts';
import { senderFor } from '../../platform/messaging/providers.ts';

const contactView = (c: { id: string; kind: 'email' | 'phone' | 'mobile' | 'address'; value: string; label: string; isPrimary: boolean; optedOut: boolean }) => ({ id: c.id, kind: c.kind, value: c.value, label: c.label, isPrimary: c.isPrimary, optedOut: c.optedOut });
const refused = (codes: string) => ({ description: `Refused: ${codes}` });

export function accountWorkspaceRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows, config } = deps;
  const idempotency = idempotencyKeys(db);

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/:id/timeline',
    operationId: 'getAccountTimeline',
    summary: 'Everything done to or heard from the debtor, newest first: contacts, notes, messages, payments, promises, disputes, field visits, strategy steps, status and contact changes',
    tag: 'accounts',
    permission: 'accounts:read',
    params: IdParams,
    query: TimelineQuery,
    responses: { 200: { description: 'A page of the timeline', schema: TimelinePage }, 404: { description: 'No such account (or not in your branch)' } },
    handler: async ({ principal, params, query }) => ({ body: await getAccountTimeline(db, principal, params.id, query) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/contact-outcomes',
    operationId: 'recordContactOutcome',
    summary: 'Record what came of a contact; a promise, a callback, a dispute or a failed contact goes to the case, which answers',
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    body: ContactOutcomeBody,
    idempotency,
    responses: {
      201: { description: 'Recorded (200 with `replayed: true` for a repeat of the same clientRequestId)', schema: ContactOutcomeRecorded },
      404: { description: 'No such account or contact (or not in your branch)' },
      409: refused('no_open_case, promise_already_pending, invalid_state (an invoice is not open), idempotency_conflict'),
      422: refused('outcome_invalid, promise_refused, postpone_refused, and the contact policy: outside_contact_hours, attempt_cap, recent_conversation, cease_communication, attorney_represented, opted_out (detail explains, and says when contact is allowed again)'),
    },
    handler: async ({ principal, actor, params, body }) => {
      const recorded = await recordContactOutcome({ db, workflows }, principal, actor, params.id, body);
      return { status: recorded.replayed ? 200 : 201, body: recorded };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/contacts',
    operationId: 'addContact',
    summary: "Add a contact to the account's customer (phone numbers checked and stored in E.164)",
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    body: NewContactBody,
    responses: { 201: { description: 'Added', schema: ContactView }, 409: refused('contact_exists'), 422: refused('contact_invalid') },
    handler: async ({ principal, actor, params, body }) => ({ status: 201, body: contactView(await addContact(db, principal, actor, params.id, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'patch',
    path: '/accounts/:id/contacts/:contactId',
    operationId: 'updateContact',
    summary: 'Change a contact: value, label, primary, opt-out (audited with before and after)',
    tag: 'accounts',
    permission: 'contacts:record',
    params: ContactParams,
    body: ContactChangeBody,
    responses: { 200: { description: 'Changed', schema: ContactView }, 404: { description: 'No such account or contact' }, 409: refused('contact_exists'), 422: refused('contact_invalid') },
    handler: async ({ principal, actor, params, body }) => ({ body: contactView(await updateContact(db, principal, actor, params.id, params.contactId, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'delete',
    path: '/accounts/:id/contacts/:contactId',
    operationId: 'removeContact',
    summary: 'Remove a contact (the audit trail keeps what it was)',
    tag: 'accounts',
    permission: 'contacts:record',
    params: ContactParams,
    responses: { 204: { description: 'Removed' }, 404: { description: 'No such account or contact' } },
    handler: async ({ principal, actor, params }) => {
      await removeContact(db, principal, actor, params.id, params.contactId);
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/trace',
    operationId: 'markForTrace',
    summary: 'Mark the account for trace: the debtor cannot be reached at any known contact (W8)',
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    body: TraceBody,
    responses: { 200: { description: 'Marked', schema: TraceResult }, 409: refused('invalid_state (already in trace, or closed)') },
    handler: async ({ principal, actor, params, body }) => ({ body: await markForTrace(db, principal, actor, params.id, body.reason) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'delete',
    path: '/accounts/:id/trace',
    operationId: 'clearTrace',
    summary: 'The debtor was found: the account leaves trace (delinquent while it owes)',
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    responses: { 200: { description: 'Cleared', schema: TraceResult }, 409: refused('invalid_state (not in trace)') },
    handler: async ({ principal, actor, params }) => ({ body: await clearTrace(db, principal, actor, params.id, null) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/notes',
    operationId: 'addNote',
    summary: "Add a note to the account's contact log",
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    body: NoteBody,
    responses: { 201: { description: 'Added', schema: NoteCreated } },
    handler: async ({ principal, actor, params, body }) => ({ status: 201, body: await addNote(db, principal, actor, params.id, body.text) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/:id/message-templates',
    operationId: 'listAccountMessageTemplates',
    summary: 'The message templates a collector can send on this account, in the debtor’s tone',
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    responses: { 200: { description: 'Templates', schema: AccountTemplates } },
    handler: async ({ principal, params }) => ({ body: { items: await templatesForAccount(db, principal, params.id) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/messages',
    operationId: 'sendTemplateMessage',
    summary: 'Send the debtor a message from a template, if the contact policy allows it now (else 422 with the reason and when)',
    tag: 'accounts',
    permission: 'contacts:record',
    params: IdParams,
    body: TemplateMessageBody,
    idempotency,
    responses: {
      202: { description: 'Queued for delivery (a repeat of the same clientRequestId queues nothing new: `created: false`)', schema: TemplateMessageQueued },
      404: { description: 'No such account, contact or template' },
      409: refused('invalid_state (no contact for the channel)'),
      422: refused('outcome_invalid (contact of another kind), and the contact policy: outside_contact_hours, attempt_cap, cease_communication, attorney_represented, opted_out, time_barred (a template threatening suit on a time-barred debt)'),
    },
    handler: async ({ principal, actor, params, body }) => {
      if (!deps.queues) throw new HttpProblem(503, 'messaging_unavailable', 'the message queues are not connected');
      const queued = await sendTemplateMessage(db, deps.queues, { email: senderFor(config, 'email'), sms: senderFor(config, 'sms') }, principal, actor, params.id, body, { workflows });
      return { status: 202, body: queued };
    },
  });
  return router;
}
