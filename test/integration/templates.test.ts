// Message templates admins edit (C3, C2 tone): the built-ins are defaults, the newest saved version
// overrides them for the next message a case sends; bad texts are refused with stable problem codes;
// only admins manage them; strategies may name the codes admins saved.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, delinquencyReport, testPassword } from '../support/fixtures.ts';
import { performStep } from '../../services/case-steps.ts';
import { sendCaseClosedNotice } from '../../services/case-notices.ts';
import { smsOptOutLine, emailOptOutLine } from '../../domain/contact-policy.ts';

let system: TestSystem;
let admin: string;
let branchCode: string;
const senders = { email: 'collections@example.com', sms: '+15005550006' };

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  branchCode = (await createBranch(system.database.db)).code;
  admin = await createApiKey(system.database.db, ['templates:manage', 'strategies:manage', 'accounts:read', 'delinquencies:report']);
});
afterAll(async () => system?.stop());

const api = () => request(system.app);

/** A retail account with an email and a mobile number, and its open case. */
async function openCase(type: 'retail' | 'corporate' = 'retail') {
  const report = delinquencyReport(branchCode, { amountMinor: 4200 });
  report.customer.type = type;
  report.customer.contacts.push({ kind: 'mobile', value: '+15551230000', isPrimary: false });
  const res = await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
  expect(res.status).toBe(201);
  return { caseId: res.body.caseId as string, accountRef: report.account.externalRef };
}

describe('the template API', () => {
  test('lists the effective templates: built-ins with no version', async () => {
    const res = await api().get('/api/v1/templates').set('x-api-key', admin);
    expect(res.status).toBe(200);
    const reminder = res.body.items.find((t: { code: string; channel: string; tone: string }) => t.code === 'payment_reminder' && t.channel === 'sms' && t.tone === 'corporate');
    expect(reminder).toMatchObject({ builtIn: true, version: null, hasBuiltIn: true });
    expect(res.body.placeholders).toContain('customerName');
  });

  test('an unknown placeholder, an email without subject and an over-long SMS are refused with template_invalid', async () => {
    const unknown = await api().post('/api/v1/templates/payment_reminder/email/retail/versions').set('x-api-key', admin).send({ subject: 'Hi', body: 'You owe {amount}' });
    expect(unknown.status).toBe(422);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.body).toMatchObject({ code: 'template_invalid', status: 422 });
    expect(unknown.body.errors[0]).toMatchObject({ path: 'body.body' });
    expect(unknown.body.errors[0].message).toContain('unknown placeholder {amount}; use {customerName}');

    const noSubject = await api().post('/api/v1/templates/payment_reminder/email/retail/versions').set('x-api-key', admin).send({ body: 'Hello {customerName}' });
    expect(noSubject.status).toBe(422);
    expect(noSubject.body.errors).toEqual([{ path: 'body.subject', message: 'an email needs a subject' }]);

    const tooLong = await api().post('/api/v1/templates/payment_reminder/sms/retail/versions').set('x-api-key', admin).send({ body: 'x'.repeat(470) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.errors[0].message).toContain('the limit is 480');

    const badKey = await api().post('/api/v1/templates/Payment-Reminder/fax/retail/versions').set('x-api-key', admin).send({ body: 'x' });
    expect(badKey.status).toBe(400);
    expect(badKey.body.code).toBe('validation_failed');
    const extraField = await api().post('/api/v1/templates/payment_reminder/sms/retail/versions').set('x-api-key', admin).send({ body: 'x', tone: 'friendly' });
    expect(extraField.status).toBe(400);
    expect(await system.database.db.messageTemplate.count()).toBe(0);
  });

  test('only admins manage templates', async () => {
    const reader = await createApiKey(system.database.db, ['accounts:read', 'strategies:manage']);
    const forbidden = await api().get('/api/v1/templates').set('x-api-key', reader);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'forbidden' });
    expect((await api().post('/api/v1/templates/preview').set('x-api-key', reader).send({ channel: 'sms', body: 'x' })).status).toBe(403);

    for (const role of ['supervisor', 'collector'] as const) {
      const user = await createUser(system.database.db, role);
      const agent = request.agent(system.app);
      const login = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
      const res = await agent.post('/api/v1/templates/payment_reminder/sms/retail/versions').set('x-csrf-token', login.body.csrfToken).send({ body: 'Pay now' });
      expect(res.status).toBe(403);
    }
    const adminUser = await createUser(system.database.db, 'admin');
    const agent = request.agent(system.app);
    await agent.post('/api/v1/auth/login').send({ email: adminUser.email, password: testPassword });
    expect((await agent.get('/api/v1/templates')).status).toBe(200);
  });

  test('a preview renders sample or given values, with the opt-out line as sent, and reports problems', async () => {
    const draft = await api().post('/api/v1/templates/preview').set('x-api-key', admin).send({ channel: 'sms', body: 'Hi {customerName}, pay {balance}', variables: { balance: '$9.99' } });
    expect(draft.status).toBe(200);
    expect(draft.body).toEqual({ subject: null, body: `Hi Jane Doe, pay $9.99 ${smsOptOutLine}`, length: `Hi Jane Doe, pay $9.99 ${smsOptOutLine}`.length, problems: [] });
    const saved = await api().post('/api/v1/templates/preview').set('x-api-key', admin).send({ channel: 'email', tone: 'corporate', code: 'payment_reminder' });
    expect(saved.body.subject).toBe('Overdue balance on account ACC-100001');
    expect(saved.body.body.endsWith(emailOptOutLine)).toBe(true);
    const bad = await api().post('/api/v1/templates/preview').set('x-api-key', admin).send({ channel: 'email', subject: '', body: '{nope}' });
    expect(bad.body.problems.map((p: { field: string }) => p.field)).toEqual(['body', 'subject']);
    const missing = await api().post('/api/v1/templates/preview').set('x-api-key', admin).send({ channel: 'letter', code: 'no_such_code' });
    expect(missing.status).toBe(404);
    expect((await api().post('/api/v1/templates/preview').set('x-api-key', admin).send({ channel: 'sms' })).status).toBe(400);
  });
});

describe('the API document', () => {
  test('declares the template and segment operations', async () => {
    const doc = (await api().get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string }>> };
    const operationIds = Object.values(doc.paths).flatMap((methods) => Object.values(methods).map((op) => op.operationId));
    expect(operationIds).toEqual(expect.arrayContaining(['listTemplates', 'getTemplate', 'saveTemplateVersion', 'previewTemplate', 'listSegments', 'createSegment', 'updateSegment', 'proposeSegments']));
  });
});

// Steps judge contact hours at the workflow's time; noon in the debtor's zone keeps these tests independent of the clock.
const noonInNewYork = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate(), 17)).toISOString();

describe('a saved version is what the next message uses', () => {
  test('a case’s reminder goes out with the admin’s newest version, in the customer’s tone; the save is audited', async () => {
    const { caseId, accountRef } = await openCase('retail');
    const v1 = await api().post('/api/v1/templates/payment_reminder/sms/retail/versions').set('x-api-key', admin).send({ body: 'v1 {accountRef}' });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({ version: 1, active: true });
    const v2 = await api().post('/api/v1/templates/payment_reminder/sms/retail/versions').set('x-api-key', admin).send({ body: 'Hi {customerName}: {balance} on {accountRef} is {daysPastDue} days late.' });
    expect(v2.body.version).toBe(2);

    const outcome = await performStep(system.database.db, system.queues, senders, { caseId, stepId: 'reminder_sms', action: { kind: 'send_message', channel: 'sms', template: 'payment_reminder' }, daysPastDue: 12, at: noonInNewYork });
    expect(outcome.status).toBe('done');
    const message = await system.database.db.message.findFirstOrThrow({ where: { caseId, channel: 'sms' } });
    expect(message.body).toBe(`Hi Jane Doe: $42.00 on ${accountRef} is 12 days late. ${smsOptOutLine}`);

    // The corporate tone was not changed: a corporate customer still gets the built-in text.
    const corporate = await openCase('corporate');
    await performStep(system.database.db, system.queues, senders, { caseId: corporate.caseId, stepId: 'reminder_sms', action: { kind: 'send_message', channel: 'sms', template: 'payment_reminder' }, daysPastDue: 12, at: noonInNewYork });
    expect((await system.database.db.message.findFirstOrThrow({ where: { caseId: corporate.caseId, channel: 'sms' } })).body).toBe(`Account ${corporate.accountRef}: $42.00 is 12 days overdue. Please arrange payment. ${smsOptOutLine}`);

    const audit = await system.database.db.auditLog.findFirstOrThrow({ where: { action: 'template.version_saved', entityId: v2.body.id } });
    expect(audit.before).toMatchObject({ version: 1, body: 'v1 {accountRef}' });
    expect(audit.after).toMatchObject({ code: 'payment_reminder', channel: 'sms', tone: 'retail', version: 2 });

    const history = await api().get('/api/v1/templates/payment_reminder/sms/retail').set('x-api-key', admin);
    expect(history.status).toBe(200);
    expect(history.body.template).toMatchObject({ version: 2, builtIn: false, hasBuiltIn: true });
    expect(history.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.body.builtInDefault.body).toContain('Reminder:');
    const listed = (await api().get('/api/v1/templates').set('x-api-key', admin)).body.items.find((t: { code: string; channel: string; tone: string }) => t.code === 'payment_reminder' && t.channel === 'sms' && t.tone === 'retail');
    expect(listed).toMatchObject({ version: 2, builtIn: false });
  });

  test('the closing confirmation uses the effective case_closed template', async () => {
    const { caseId, accountRef } = await openCase('retail');
    const saved = await api().post('/api/v1/templates/case_closed/email/retail/versions').set('x-api-key', admin).send({ subject: 'Settled: {accountRef}', body: 'Thanks {customerName}, {balance} received.' });
    expect(saved.status).toBe(201);
    const { messageId } = await sendCaseClosedNotice(system.database.db, system.queues, senders, caseId);
    const message = await system.database.db.message.findUniqueOrThrow({ where: { id: messageId! } });
    expect(message.subject).toBe(`Settled: ${accountRef}`);
    expect(message.body.startsWith('Thanks Jane Doe, $42.00 received.')).toBe(true);
  });

  test('a strategy may name a template code once an admin has saved it', async () => {
    const segment = await system.database.db.segment.create({ data: { code: 'TPL_TEST', name: 'Templates test', criteria: {} } });
    const definition = { steps: [{ id: 'demand', stage: 'pre_legal', trigger: { kind: 'days_past_due', days: 60 }, action: { kind: 'send_message', channel: 'letter', template: 'final_demand' } }] };
    const before = await api().post(`/api/v1/segments/${segment.id}/strategies`).set('x-api-key', admin).send({ name: 'letters', definition });
    expect(before.status).toBe(400);
    expect(before.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.definition.steps.0', message: 'step demand: there is no letter template final_demand' }] });
    const saved = await api().post('/api/v1/templates/final_demand/letter/corporate/versions').set('x-api-key', admin).send({ body: 'Dear {customerName}, {balance} is now {daysPastDue} days overdue.' });
    expect(saved.status).toBe(201);
    const after = await api().post(`/api/v1/segments/${segment.id}/strategies`).set('x-api-key', admin).send({ name: 'letters', definition });
    expect(after.status).toBe(201);

    // A code written for one tone serves the other too, so the step can always send.
    const { caseId } = await openCase('retail');
    await system.database.db.contact.create({ data: { customerId: (await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: true } })).account.customerId, kind: 'address', value: '1 Main St, Springfield' } });
    await performStep(system.database.db, system.queues, senders, { caseId, stepId: 'demand', action: { kind: 'send_message', channel: 'letter', template: 'final_demand' }, daysPastDue: 61, at: noonInNewYork });
    expect((await system.database.db.message.findFirstOrThrow({ where: { caseId, channel: 'letter' } })).body).toBe('Dear Jane Doe, $42.00 is now 61 days overdue.');
  });
});
