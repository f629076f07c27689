// The collector's account workspace through the API (W6-W8, X1): recording contact outcomes and what
// they do to the case, the contact policy refusing a contact with its reason, a double tap recording
// once, contact details edited and audited, trace, notes, template messages, and the one timeline
// that shows all of it. Real PostgreSQL, Temporal and Redis; a collector of another branch sees none of it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, delinquencyReport, testPassword } from '../support/fixtures.ts';
import { recordContactOutcome } from '../../services/contact-outcomes.ts';
import { temporalCaseWorkflows } from '../../services/case-workflows.ts';

let system: TestSystem;
let billingKey: string;
let branchCode: string;
let branchId: string;
let collector: Agent;
let outsider: Agent;
let viewer: Agent;
/** A jurisdiction where contact is allowed around the clock, so that tests do not depend on the hour they run at. */
const anyHour = 'US-ZZ';

interface Agent {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  userId: string;
  post(path: string, body?: object): request.Test;
  patch(path: string, body: object): request.Test;
  del(path: string): request.Test;
  get(path: string): request.Test;
}

async function signIn(role: 'admin' | 'collector' | 'viewer', branch: string | null): Promise<Agent> {
  const user = await createUser(system.database.db, role, branch);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  const csrf = res.body.csrfToken as string;
  return {
    agent,
    csrf,
    userId: user.id,
    post: (path, body) => agent.post(`/api/v1${path}`).set('x-csrf-token', csrf).send(body ?? {}),
    patch: (path, body) => agent.patch(`/api/v1${path}`).set('x-csrf-token', csrf).send(body),
    del: (path) => agent.delete(`/api/v1${path}`).set('x-csrf-token', csrf),
    get: (path) => agent.get(`/api/v1${path}`),
  };
}

async function reportAccount(contacts: Array<{ kind: string; value: string; isPrimary?: boolean }> = [], options: { jurisdiction?: string; invoices?: number } = {}) {
  const report = delinquencyReport(branchCode) as ReturnType<typeof delinquencyReport> & { customer: { jurisdiction?: string; contacts: Array<{ kind: string; value: string; isPrimary?: boolean }> } };
  report.customer.contacts.push(...contacts);
  report.customer.jurisdiction = options.jurisdiction ?? anyHour;
  if (options.invoices === 2) report.invoices.push({ ...report.invoices[0]!, externalRef: `${report.invoices[0]!.externalRef}-B` });
  const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
  expect(res.status).toBe(201);
  return { accountId: res.body.accountId as string, caseId: res.body.caseId as string, ref: report.account.externalRef, invoiceRef: report.invoices[0]!.externalRef };
}

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const timeline = async (who: Agent, accountId: string, query = '') => {
  const res = await who.get(`/accounts/${accountId}/timeline${query}`);
  expect(res.status).toBe(200);
  return res.body as { items: Array<{ id: string; kind: string; at: string; actor: { type: string; name: string }; summary: string; detail: Record<string, unknown> }>; nextCursor: string | null };
};

beforeAll(async () => {
  system = await startTestSystem();
  const branch = await createBranch(system.database.db);
  branchCode = branch.code;
  branchId = branch.id;
  billingKey = await createApiKey(system.database.db, ['delinquencies:report', 'accounts:read', 'payments:write']);
  const admin = await signIn('admin', null);
  const saved = await admin.agent.put(`/api/v1/contact-policies/${anyHour}`).set('x-csrf-token', admin.csrf).send({ window: { startHour: 0, endHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7] } });
  expect(saved.status).toBe(200);
  collector = await signIn('collector', branchId);
  outsider = await signIn('collector', (await createBranch(system.database.db)).id);
  viewer = await signIn('viewer', branchId);
});
afterAll(async () => system?.stop());

describe('recording contact outcomes', () => {
  test('a promise made on a call goes to the case, which accepts it; the call and the promise appear in the timeline; the next call waits out the quiet period', async () => {
    const { accountId, caseId } = await reportAccount([{ kind: 'mobile', value: '+16175550101' }]);
    const mobile = (await system.database.db.contact.findFirstOrThrow({ where: { customer: { accounts: { some: { id: accountId } } }, kind: 'mobile' } })).id;
    const dueDate = inDays(10);
    const res = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'promise', contactId: mobile, note: 'pays on payday', promise: { amountMinor: 5000, dueDate } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ outcome: 'promise', rightPartyContact: true, replayed: false, effect: { kind: 'promise', caseId, amountMinor: '5000', dueDate } });
    const promise = await system.database.db.promiseToPay.findUniqueOrThrow({ where: { id: res.body.effect.promiseId } });
    expect(promise).toMatchObject({ status: 'pending', createdById: collector.userId });
    const activity = await system.database.db.activity.findUniqueOrThrow({ where: { id: res.body.activityId } });
    expect(activity).toMatchObject({ kind: 'call', direction: 'outbound', outcome: 'promise', userId: collector.userId, caseId, summary: 'Call to +16175550101: Promise to pay — pays on payday' });
    expect(await system.database.db.auditLog.count({ where: { accountId, action: 'contact.outcome_recorded', entityId: res.body.activityId } })).toBe(1);
    expect((await system.database.db.account.findUniqueOrThrow({ where: { id: accountId } })).firstContactAt).not.toBeNull();

    const { items } = await timeline(collector, accountId);
    const promiseEntry = items.find((i) => i.kind === 'promise');
    expect(promiseEntry).toMatchObject({ actor: { type: 'user', name: 'Test collector' }, summary: `Promise to pay $50.00 by ${dueDate}`, detail: { event: 'made', status: 'pending', amount: { amountMinor: '5000', currency: 'USD' } } });
    expect(items.find((i) => i.kind === 'contact')).toMatchObject({ actor: { type: 'user', name: 'Test collector' }, detail: { channel: 'call', outcome: 'promise' } });

    // Reg F: no call within 7 days of a conversation. The refusal names the rule and says when.
    const again = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer' });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('recent_conversation');
    expect(again.body.detail).toMatch(/telephone conversation.*allows the next call from \d{4}-/);
    expect(again.body.contactPolicy).toMatchObject({ decision: 'deferred', reason: 'recent_conversation', channel: 'call', until: expect.stringMatching(/^\d{4}-/) });
    // The debtor calling in is not a contact we initiate: it is recorded.
    const inbound = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'reached', note: 'asked for the bank details' });
    expect(inbound.status).toBe(201);
    expect(await system.database.db.activity.findUniqueOrThrow({ where: { id: inbound.body.activityId } })).toMatchObject({ kind: 'call', direction: 'inbound', outcome: 'reached' });
  });

  test('a promise the case refuses is not logged, so the corrected promise can be recorded at once', async () => {
    const { accountId } = await reportAccount();
    const tooMuch = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'promise', promise: { amountMinor: 999_999, dueDate: inDays(5) } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('promise_refused');
    expect(tooMuch.body.errors.map((e: { message: string }) => e.message)).toEqual(['amount_exceeds_balance']);
    expect(await system.database.db.activity.count({ where: { accountId, kind: 'call' } })).toBe(0);
    const fixed = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'promise', promise: { instalments: [{ amountMinor: 5000, dueDate: inDays(5) }, { amountMinor: 7550, dueDate: inDays(35) }] } });
    expect(fixed.status).toBe(201);
    expect(fixed.body.effect.instalments).toHaveLength(2);
    const pending = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'promise', promise: { amountMinor: 100, dueDate: inDays(5) } });
    expect(pending.status).toBe(409);
    expect(pending.body.code).toBe('promise_already_pending');
  });

  test('no answer is logged and signalled to the case as a failed contact (its contact_failed trigger)', async () => {
    const { accountId, caseId } = await reportAccount([{ kind: 'phone', value: '+16175550102' }]);
    const res = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ rightPartyContact: false, effect: { kind: 'contact_failed', caseNotified: true, contactMarkedWrong: false, traceSuggested: false } });
    const { workflowId } = await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: caseId } });
    const signalled = await eventually(
      async () => {
        const history = await system.temporal.workflow.getHandle(workflowId).fetchHistory();
        return (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'contactFailed').length;
      },
      (n) => n === 1,
    );
    expect(signalled).toBe(1);
    // No answer is not a conversation: a second attempt is allowed (the cap is 7 in 7 days).
    expect((await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer' })).status).toBe(201);
  });

  test('a wrong number is marked on the contact, which is no longer used; with no number left, trace is suggested', async () => {
    const { accountId } = await reportAccount([{ kind: 'mobile', value: '+16175550103' }]);
    const mobile = await system.database.db.contact.findFirstOrThrow({ where: { customer: { accounts: { some: { id: accountId } } }, kind: 'mobile' } });
    const res = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'wrong_number', contactId: mobile.id });
    expect(res.status).toBe(201);
    expect(res.body.effect).toMatchObject({ kind: 'contact_failed', contactMarkedWrong: true, traceSuggested: true });
    expect(await system.database.db.contact.findUniqueOrThrow({ where: { id: mobile.id } })).toMatchObject({ optedOut: true, label: 'Wrong number' });
    const audit = await system.database.db.auditLog.findFirstOrThrow({ where: { accountId, action: 'contact.marked_wrong_number' } });
    expect(audit.before).toMatchObject({ optedOut: false });
    const again = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer', contactId: mobile.id });
    expect(again.status).toBe(422);
    expect(again.body.code).toBe('opted_out');
    expect((await timeline(collector, accountId, '?kinds=contact_change')).items[0]).toMatchObject({ kind: 'contact_change', detail: { change: 'marked_wrong_number' }, summary: 'Marked as a wrong number: +16175550103' });
  });

  test('a callback request postpones the account to the agreed time; a dispute suspends the invoice named', async () => {
    const { accountId, caseId, invoiceRef } = await reportAccount([], { invoices: 2 });
    const callbackAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const callback = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'callback_requested', callbackAt });
    expect(callback.status).toBe(201);
    expect(callback.body.effect).toEqual({ kind: 'postponed', caseId, until: callbackAt });

    const dispute = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'dispute', disputedInvoiceRefs: [invoiceRef], note: 'never received the goods' });
    expect(dispute.status).toBe(201);
    expect(dispute.body.effect).toMatchObject({ kind: 'dispute', caseId, disputedMinor: '12550' });
    expect((await system.database.db.invoice.findFirstOrThrow({ where: { accountId, externalRef: invoiceRef } })).status).toBe('disputed');
    const entries = (await timeline(collector, accountId, '?kinds=dispute,note')).items;
    // The dispute's own log note is not shown twice; the callback's postponement is a note of its own.
    expect(entries.map((e) => e.kind)).toEqual(['dispute', 'note']);
    expect(entries[1]!.summary).toMatch(/^Postponed until /);
    expect(entries[0]).toMatchObject({ summary: `Dispute opened: ${invoiceRef} (never received the goods)`, actor: { name: 'Test collector' }, detail: { event: 'opened', invoices: [invoiceRef] } });
    const twice = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'dispute', disputedInvoiceRefs: [invoiceRef], note: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('invalid_state');
  });

  test('the contact policy refuses a call to a debtor who asked in writing to stop, and explains why; the debtor may still call in', async () => {
    const { accountId } = await reportAccount();
    expect((await collector.agent.put(`/api/v1/accounts/${accountId}/contact-restrictions`).set('x-csrf-token', collector.csrf).send({ ceaseCommunication: true })).status).toBe(200);
    const res = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'reached' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'cease_communication', detail: expect.stringContaining('asked in writing') });
    expect((await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'refusal' })).status).toBe(201);
  });

  test('outside the debtor’s contact hours a call is refused with the time it is allowed again', async () => {
    const { accountId } = await reportAccount([], { jurisdiction: 'US' });
    const threeAmNewYork = new Date('2026-11-24T08:00:00Z');
    const actor = { type: 'user' as const, id: collector.userId };
    const principal = { kind: 'user' as const, id: collector.userId, role: 'collector' as const, branchId, name: 'Test collector' };
    const refused = recordContactOutcome({ db: system.database.db, workflows: temporalCaseWorkflows(system.temporal, system.taskQueue) }, principal, actor, accountId, { channel: 'call', outcome: 'reached' }, threeAmNewYork);
    await expect(refused).rejects.toMatchObject({ code: 'outside_contact_hours', status: 422, message: expect.stringContaining('allows the next call from 2026-11-24T13:00:00.000Z') });
  });

  test('a double tap records once: the same clientRequestId (or Idempotency-Key) gets the first answer', async () => {
    const { accountId } = await reportAccount();
    const clientRequestId = randomUUID();
    const first = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer', clientRequestId });
    const second = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer', clientRequestId });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ activityId: first.body.activityId, replayed: true });
    expect(await system.database.db.activity.count({ where: { accountId, kind: 'call' } })).toBe(1);
    const other = await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'reached', clientRequestId });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('idempotency_conflict');

    const key = randomUUID();
    const a = await collector.agent.post(`/api/v1/accounts/${accountId}/contact-outcomes`).set('x-csrf-token', collector.csrf).set('idempotency-key', key).send({ channel: 'inbound', outcome: 'reached' });
    const b = await collector.agent.post(`/api/v1/accounts/${accountId}/contact-outcomes`).set('x-csrf-token', collector.csrf).set('idempotency-key', key).send({ channel: 'inbound', outcome: 'reached' });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.headers['idempotent-replayed']).toBe('true');
    expect(b.body.activityId).toBe(a.body.activityId);
    expect(await system.database.db.activity.count({ where: { accountId, kind: 'call' } })).toBe(2);
  });

  test('bad input is refused with a machine-readable reason', async () => {
    const { accountId } = await reportAccount([{ kind: 'email', value: 'second@example.net' }]);
    const post = (body: object) => collector.post(`/accounts/${accountId}/contact-outcomes`, body);
    const unknown = await post({ channel: 'call', outcome: 'maybe' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.code).toBe('validation_failed');
    expect((await post({ channel: 'call', outcome: 'reached', extra: 1 })).status).toBe(400);
    const noTerms = await post({ channel: 'call', outcome: 'promise' });
    expect(noTerms.status).toBe(422);
    expect(noTerms.body).toMatchObject({ code: 'outcome_invalid', errors: [{ path: 'body.promise' }] });
    const pastCallback = await post({ channel: 'call', outcome: 'callback_requested', callbackAt: '2020-01-01T10:00:00Z' });
    expect(pastCallback.status).toBe(422);
    expect(pastCallback.body.errors[0].path).toBe('body.callbackAt');
    expect((await post({ channel: 'call', outcome: 'reached', contactId: randomUUID() })).status).toBe(404);
    const email = await system.database.db.contact.findFirstOrThrow({ where: { value: 'second@example.net' } });
    const wrongKind = await post({ channel: 'call', outcome: 'reached', contactId: email.id });
    expect(wrongKind.status).toBe(422);
    expect(wrongKind.body.errors[0].path).toBe('body.contactId');
    expect((await collector.post(`/accounts/not-a-uuid/contact-outcomes`, { channel: 'call', outcome: 'reached' })).status).toBe(400);
    expect(await system.database.db.activity.count({ where: { accountId, kind: 'call' } })).toBe(0);
  });
});

describe('contact details', () => {
  test('a collector adds, corrects and removes contacts; phone numbers are checked and stored in E.164; every change is audited and on the timeline', async () => {
    const { accountId } = await reportAccount();
    const added = await collector.post(`/accounts/${accountId}/contacts`, { kind: 'mobile', value: '(617) 555-0123', label: 'Work', isPrimary: true });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ kind: 'mobile', value: '+16175550123', label: 'Work', isPrimary: true, optedOut: false });
    const invalid = await collector.post(`/accounts/${accountId}/contacts`, { kind: 'mobile', value: '555-12' });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ code: 'contact_invalid', errors: [{ path: 'body.value' }] });
    expect((await collector.post(`/accounts/${accountId}/contacts`, { kind: 'email', value: 'not-an-email' })).body.code).toBe('contact_invalid');
    const duplicate = await collector.post(`/accounts/${accountId}/contacts`, { kind: 'mobile', value: '+1 617 555 0123' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.code).toBe('contact_exists');
    expect((await collector.post(`/accounts/${accountId}/contacts`, { kind: 'fax', value: '1' })).status).toBe(400);

    const second = await collector.post(`/accounts/${accountId}/contacts`, { kind: 'mobile', value: '+16175550124' });
    const changed = await collector.patch(`/accounts/${accountId}/contacts/${second.body.id}`, { value: '617-555-0125', isPrimary: true });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ value: '+16175550125', isPrimary: true });
    // One primary per kind: the first is demoted.
    expect((await system.database.db.contact.findUniqueOrThrow({ where: { id: added.body.id } })).isPrimary).toBe(false);
    const audit = await system.database.db.auditLog.findFirstOrThrow({ where: { accountId, action: 'contact.updated', entityId: second.body.id } });
    expect(audit.before).toMatchObject({ value: '+16175550124', isPrimary: false });
    expect(audit.after).toMatchObject({ value: '+16175550125', isPrimary: true });
    expect((await collector.patch(`/accounts/${accountId}/contacts/${second.body.id}`, {})).status).toBe(400);
    expect((await collector.patch(`/accounts/${accountId}/contacts/${randomUUID()}`, { label: 'x' })).status).toBe(404);

    expect((await collector.del(`/accounts/${accountId}/contacts/${added.body.id}`)).status).toBe(204);
    expect(await system.database.db.contact.findUnique({ where: { id: added.body.id } })).toBeNull();
    expect((await system.database.db.auditLog.findFirstOrThrow({ where: { accountId, action: 'contact.removed' } })).before).toMatchObject({ value: '+16175550123' });

    const changes = (await timeline(collector, accountId, '?kinds=contact_change')).items;
    expect(changes.map((c) => c.detail.change)).toEqual(['removed', 'updated', 'added', 'added']);
    expect(changes[1]).toMatchObject({ summary: 'Contact changed: +16175550125 (was +16175550124, now primary)', actor: { type: 'user', name: 'Test collector' }, detail: { before: { value: '+16175550124' }, after: { value: '+16175550125' } } });
    // Logged on the contact log too, but shown once on the timeline (from the audit trail).
    expect(await system.database.db.activity.count({ where: { accountId, outcome: 'contact_changed' } })).toBe(4);
    expect((await timeline(collector, accountId, '?kinds=note')).items).toEqual([]);
  });
});

describe('trace, notes and messages', () => {
  test('W8: an account is marked for trace and back, audited, with the reason on the timeline', async () => {
    const { accountId } = await reportAccount();
    expect((await collector.post(`/accounts/${accountId}/trace`, { reason: '' })).status).toBe(400);
    const marked = await collector.post(`/accounts/${accountId}/trace`, { reason: 'all numbers dead, letters returned' });
    expect(marked.status).toBe(200);
    expect(marked.body).toEqual({ accountId, status: 'trace', previousStatus: 'delinquent' });
    expect((await system.database.db.account.findUniqueOrThrow({ where: { id: accountId } })).status).toBe('trace');
    const twice = await collector.post(`/accounts/${accountId}/trace`, { reason: 'again' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('invalid_state');
    const cleared = await collector.del(`/accounts/${accountId}/trace`);
    expect(cleared.status).toBe(200);
    expect(cleared.body.status).toBe('delinquent');
    expect((await collector.del(`/accounts/${accountId}/trace`)).status).toBe(409);
    expect(await system.database.db.auditLog.count({ where: { accountId, action: { in: ['account.trace_marked', 'account.trace_cleared'] } } })).toBe(2);
    const statuses = (await timeline(collector, accountId, '?kinds=status_change')).items.map((i) => i.summary);
    expect(statuses.slice(0, 2)).toEqual(['Trace cleared', 'Marked for trace: all numbers dead, letters returned']);
  });

  test('a note is added to the timeline with its author; an empty one is refused', async () => {
    const { accountId } = await reportAccount();
    expect((await collector.post(`/accounts/${accountId}/notes`, { text: '   ' })).status).toBe(400);
    const note = await collector.post(`/accounts/${accountId}/notes`, { text: 'Debtor moved to Springfield' });
    expect(note.status).toBe(201);
    expect((await timeline(collector, accountId, '?kinds=note')).items[0]).toMatchObject({ id: `activity:${note.body.id}`, kind: 'note', summary: 'Debtor moved to Springfield', actor: { type: 'user', name: 'Test collector' } });
    expect(await system.database.db.auditLog.count({ where: { accountId, action: 'note.added' } })).toBe(1);
  });

  test('a template message is queued once per request, shows on the timeline as sent by the collector, and is refused with the policy’s reason after a cease request', async () => {
    const { accountId } = await reportAccount();
    const templates = await collector.get(`/accounts/${accountId}/message-templates`);
    expect(templates.status).toBe(200);
    expect(templates.body.items).toContainEqual(expect.objectContaining({ code: 'payment_reminder', channel: 'email' }));
    const clientRequestId = randomUUID();
    const sent = await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'payment_reminder', channel: 'email', clientRequestId });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ created: true, channel: 'email', templateCode: 'payment_reminder' });
    const repeat = await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'payment_reminder', channel: 'email', clientRequestId });
    expect(repeat.body).toMatchObject({ messageId: sent.body.messageId, created: false });
    const message = await system.database.db.message.findUniqueOrThrow({ where: { id: sent.body.messageId } });
    expect(message.body).toContain('Jane Doe');
    const entry = (await timeline(collector, accountId, '?kinds=message')).items.find((i) => i.detail.messageId === sent.body.messageId);
    expect(entry).toMatchObject({ actor: { type: 'user', name: 'Test collector' }, detail: { channel: 'email', direction: 'outbound', status: 'queued' } });

    expect((await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'no_such_template', channel: 'email' })).status).toBe(404);
    expect((await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'payment_reminder', channel: 'sms' })).body.code).toBe('invalid_state'); // no mobile on file
    expect((await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'Bad Code', channel: 'email' })).status).toBe(400);
    await collector.agent.put(`/api/v1/accounts/${accountId}/contact-restrictions`).set('x-csrf-token', collector.csrf).send({ ceaseCommunication: true });
    const ceased = await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'payment_reminder', channel: 'email' });
    expect(ceased.status).toBe(422);
    expect(ceased.body.code).toBe('cease_communication');
    // A final notice may still go after a cease request (X1).
    expect((await collector.post(`/accounts/${accountId}/messages`, { templateCode: 'suspension_notice', channel: 'email' })).status).toBe(202);
  });
});

describe('the timeline', () => {
  test('pages newest first through every kind of event without repeats, and filters by kind', async () => {
    const { accountId } = await reportAccount([{ kind: 'mobile', value: '+16175550199' }]);
    await request(system.app).post('/api/v1/payments').set('x-api-key', billingKey).send({ accountRef: (await system.database.db.account.findUniqueOrThrow({ where: { id: accountId } })).externalRef, externalRef: `PAY-${randomUUID()}`, amountMinor: 1000, currency: 'USD', method: 'card', receivedAt: new Date().toISOString() });
    await collector.post(`/accounts/${accountId}/notes`, { text: 'first note' });
    await collector.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'call', outcome: 'no_answer' });
    await collector.post(`/accounts/${accountId}/notes`, { text: 'second note' });
    const all = (await timeline(collector, accountId, '?limit=100')).items;
    const kinds = new Set(all.map((i) => i.kind));
    for (const kind of ['note', 'contact', 'payment', 'strategy_step']) expect(kinds).toContain(kind);
    expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort().reverse());
    expect(all.find((i) => i.kind === 'payment')).toMatchObject({ summary: expect.stringContaining('Payment received: $10.00'), actor: { type: 'api_key' } });

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await timeline(collector, accountId, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((i) => i.id));

    const notes = (await timeline(collector, accountId, '?kinds=note')).items;
    expect(notes.map((n) => n.summary)).toEqual(['second note', 'first note']);
    expect((await collector.get(`/accounts/${accountId}/timeline?kinds=gossip`)).status).toBe(400);
    expect((await collector.get(`/accounts/${accountId}/timeline?cursor=bm90LWEtY3Vyc29y`)).body.code).toBe('validation_failed');
    expect((await collector.get(`/accounts/${accountId}/timeline?limit=0`)).status).toBe(400);
  });
});

describe('branches and roles', () => {
  test('a collector of another branch can neither read nor change the account; a viewer reads but cannot record', async () => {
    const { accountId } = await reportAccount([{ kind: 'mobile', value: '+16175550188' }]);
    const contactId = (await system.database.db.contact.findFirstOrThrow({ where: { value: '+16175550188' } })).id;
    const attempts = [
      outsider.get(`/accounts/${accountId}/timeline`),
      outsider.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'reached' }),
      outsider.post(`/accounts/${accountId}/contacts`, { kind: 'email', value: 'x@example.net' }),
      outsider.patch(`/accounts/${accountId}/contacts/${contactId}`, { label: 'mine' }),
      outsider.del(`/accounts/${accountId}/contacts/${contactId}`),
      outsider.post(`/accounts/${accountId}/trace`, { reason: 'not found anywhere' }),
      outsider.del(`/accounts/${accountId}/trace`),
      outsider.post(`/accounts/${accountId}/notes`, { text: 'hello' }),
      outsider.post(`/accounts/${accountId}/messages`, { templateCode: 'payment_reminder', channel: 'email' }),
      outsider.get(`/accounts/${accountId}/message-templates`),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    expect(await system.database.db.activity.count({ where: { accountId, userId: outsider.userId } })).toBe(0);
    expect((await system.database.db.contact.findUniqueOrThrow({ where: { id: contactId } })).label).toBe('');
    expect((await system.database.db.account.findUniqueOrThrow({ where: { id: accountId } })).status).toBe('delinquent');

    expect((await viewer.get(`/accounts/${accountId}/timeline`)).status).toBe(200);
    const denied = await viewer.post(`/accounts/${accountId}/contact-outcomes`, { channel: 'inbound', outcome: 'reached' });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    expect((await viewer.post(`/accounts/${accountId}/notes`, { text: 'x' })).status).toBe(403);
  });
});
