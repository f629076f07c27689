// The contact policy through the API (X1): settings per jurisdiction and segment, what is allowed on
// an account now and why not, the debtor's own requests, and STOP replies by SMS (also through
// Twilio's signed webhook, verified with Twilio's own library).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import twilio from 'twilio';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, delinquencyReport, testPassword } from '../support/fixtures.ts';

const twilioToken = 'test-twilio-auth-token';
let system: TestSystem;
let billingKey: string;
let gatewayKey: string;
let branchCode: string;
let branchId: string;

async function signIn(role: 'admin' | 'supervisor' | 'collector', branch: string | null = null) {
  const user = await createUser(system.database.db, role, branch);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  return { agent, csrf: res.body.csrfToken as string };
}

async function reportAccount(extra: { mobile?: string; jurisdiction?: string } = {}) {
  const report = delinquencyReport(branchCode) as ReturnType<typeof delinquencyReport> & { customer: { jurisdiction?: string; contacts: Array<{ kind: string; value: string; isPrimary?: boolean }> } };
  if (extra.mobile) report.customer.contacts.push({ kind: 'mobile', value: extra.mobile });
  if (extra.jurisdiction) report.customer.jurisdiction = extra.jurisdiction;
  const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
  expect(res.status).toBe(201);
  return res.body.accountId as string;
}

beforeAll(async () => {
  system = await startTestSystem({ env: { TWILIO_AUTH_TOKEN: twilioToken, PUBLIC_URL: 'https://collections.example.com' } });
  const branch = await createBranch(system.database.db);
  branchCode = branch.code;
  branchId = branch.id;
  billingKey = await createApiKey(system.database.db, ['delinquencies:report', 'accounts:read']);
  gatewayKey = await createApiKey(system.database.db, ['messages:inbound']);
});
afterAll(async () => system?.stop());

describe('settings per jurisdiction and segment', () => {
  test('an admin sets a jurisdiction’s hours; an account there is told it may not be called on a closed day', async () => {
    const admin = await signIn('admin');
    const saved = await admin.agent.put('/api/v1/contact-policies/US-QQ').set('x-csrf-token', admin.csrf).send({ window: { startHour: 8, endHour: 21, weekdays: [] } });
    expect(saved.status).toBe(400);
    expect(saved.body.code).toBe('validation_failed');
    // Open only one day a week, so that "now" is (almost always) outside it: the answer must say when.
    const ok = await admin.agent.put('/api/v1/contact-policies/US-QQ').set('x-csrf-token', admin.csrf).send({ window: { startHour: 9, endHour: 10, weekdays: [3] }, caps: { sms: { max: 1, days: 7 } } });
    expect(ok.status).toBe(200);
    const list = await admin.agent.get('/api/v1/contact-policies');
    const qq = list.body.items.find((i: { jurisdiction: string }) => i.jurisdiction === 'US-QQ');
    expect(qq.effective.caps).toEqual({ call: { max: 7, days: 7 }, sms: { max: 1, days: 7 } });
    expect(list.body.items.find((i: { jurisdiction: string }) => i.jurisdiction === 'US-MA').effective.caps.call).toEqual({ max: 2, days: 7 });

    const accountId = await reportAccount({ mobile: '+15550101010', jurisdiction: 'US-QQ' });
    const status = await request(system.app).get(`/api/v1/accounts/${accountId}/contact-status`).set('x-api-key', billingKey);
    expect(status.status).toBe(200);
    const letter = status.body.channels.find((c: { channel: string }) => c.channel === 'letter');
    expect(letter.kind).toBe('allowed');
    const call = status.body.channels.find((c: { channel: string }) => c.channel === 'call');
    if (call.kind === 'deferred') {
      expect(call.reason).toBe('outside_contact_hours');
      expect(call.explanation).toContain('09:00–10:00 Wed');
      expect(new Date(call.until).getTime()).toBeGreaterThan(Date.now());
    }
    expect(await system.database.db.auditLog.count({ where: { action: 'contact_policy.saved', entityId: 'US-QQ' } })).toBe(1);
  });

  test('a segment’s overrides are validated and audited; only admins may set them', async () => {
    const segment = await system.database.db.segment.create({ data: { code: 'S-CP', name: 'Contact-policy test' } });
    const supervisor = await signIn('supervisor');
    expect((await supervisor.agent.put(`/api/v1/segments/${segment.id}/contact-policy`).set('x-csrf-token', supervisor.csrf).send({ quietDaysAfterConversation: 3 })).status).toBe(403);
    const admin = await signIn('admin');
    const bad = await admin.agent.put(`/api/v1/segments/${segment.id}/contact-policy`).set('x-csrf-token', admin.csrf).send({ caps: { fax: { max: 1, days: 1 } } });
    expect(bad.status).toBe(400);
    const good = await admin.agent.put(`/api/v1/segments/${segment.id}/contact-policy`).set('x-csrf-token', admin.csrf).send({ quietDaysAfterConversation: 3 });
    expect(good.status).toBe(200);
    expect((await system.database.db.segment.findUniqueOrThrow({ where: { id: segment.id } })).contactPolicy).toEqual({ quietDaysAfterConversation: 3 });
    const missing = await admin.agent.put('/api/v1/segments/00000000-0000-4000-8000-000000000000/contact-policy').set('x-csrf-token', admin.csrf).send({});
    expect(missing.status).toBe(404);
  });
});

describe('debt-level rules as jurisdiction settings (X1)', () => {
  test('limitation, validation notice and credit-reporting wait are validated settings; getCase and the account show what they mean for a case', async () => {
    const admin = await signIn('admin');
    const put = (body: object) => admin.agent.put('/api/v1/contact-policies/US-ZZ').set('x-csrf-token', admin.csrf).send(body);
    const noYears = await put({ limitation: { years: 0, restartsOnPayment: false } });
    expect(noYears.status).toBe(400);
    expect(noYears.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'body.limitation.years' })] });
    expect((await put({ creditReportingWaitDays: 7 })).body.errors).toEqual([expect.objectContaining({ path: 'body.creditReportingWaitDays' })]);
    expect((await put({ validationNotice: { periodDays: 10, assumedReceiptBusinessDays: 5 } })).body.errors).toEqual([expect.objectContaining({ path: 'body.validationNotice.periodDays' })]);
    expect((await put({ limitation: { years: 4 } })).status).toBe(400);
    const saved = await put({ limitation: { years: 4, restartsOnPayment: true }, validationNotice: null, threatensSuitTemplates: ['legal_action_notice', 'court_letter'] });
    expect(saved.status).toBe(200);
    const list = await admin.agent.get('/api/v1/contact-policies');
    const zz = list.body.items.find((i: { jurisdiction: string }) => i.jurisdiction === 'US-ZZ');
    expect(zz.effective).toMatchObject({ limitation: { years: 4, restartsOnPayment: true }, validationNotice: null, creditReportingWaitDays: 14, threatensSuitTemplates: ['legal_action_notice', 'court_letter'] });
    expect(list.body.items.find((i: { jurisdiction: string }) => i.jurisdiction === 'US-IL').effective.limitation).toEqual({ years: 5, restartsOnPayment: false });

    const accountId = await reportAccount({ jurisdiction: 'US-ZZ' });
    const account = await request(system.app).get(`/api/v1/accounts/${accountId}`).set('x-api-key', billingKey);
    // The helper's invoice fell due on 2026-10-05: four years later the debt is time-barred here.
    expect(account.body.cases[0].compliance).toMatchObject({ firstContactAt: null, validationNoticeRequired: false, validationNoticeSentAt: null, timeBarredOn: '2030-10-05', timeBarredSince: null });
    const caseView = await request(system.app).get(`/api/v1/cases/${account.body.cases[0].id}`).set('x-api-key', billingKey);
    expect(caseView.status).toBe(200);
    expect(caseView.body.compliance).toEqual(account.body.cases[0].compliance);
  });

  test('a collector cannot send a template that threatens suit on a time-barred debt: 422 time_barred, saying since when', async () => {
    const report = delinquencyReport(branchCode, { dueDate: '2019-06-01' }) as ReturnType<typeof delinquencyReport> & { customer: { jurisdiction?: string } };
    report.customer.jurisdiction = 'US-CO'; // six years: time-barred since 2025-06-01
    report.invoices[0]!.issuedAt = '2019-05-10';
    const reported = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
    expect(reported.status).toBe(201);
    const collector = await signIn('collector', branchId);
    const refused = await collector.agent.post(`/api/v1/accounts/${reported.body.accountId}/messages`).set('x-csrf-token', collector.csrf).send({ templateCode: 'legal_action_notice', channel: 'email', clientRequestId: 'threat-1' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'time_barred', detail: 'The debt is time-barred since 2025-06-01: no legal action, and no threat of it, may be taken', contactPolicy: { decision: 'blocked', reason: 'time_barred' } });
    // Nothing the collector asked for is queued (the case's own strategy may already be writing to
    // the debtor; those messages are not threats and are not what is checked here).
    expect(await system.database.db.message.count({ where: { accountId: reported.body.accountId, idempotencyKey: { startsWith: `manual:${reported.body.accountId}:` } } })).toBe(0);
  });
});

describe("the debtor's requests", () => {
  test('a collector records a cease-communication request and a lawyer; the account then allows no contact at all', async () => {
    const accountId = await reportAccount();
    const collector = await signIn('collector', branchId);
    const empty = await collector.agent.put(`/api/v1/accounts/${accountId}/contact-restrictions`).set('x-csrf-token', collector.csrf).send({});
    expect(empty.status).toBe(400);
    const res = await collector.agent.put(`/api/v1/accounts/${accountId}/contact-restrictions`).set('x-csrf-token', collector.csrf).send({ ceaseCommunication: true, attorney: { details: 'Dana Law LLP, +1 555 0100' } });
    expect(res.status).toBe(200);
    expect(res.body.ceaseCommunicationAt).not.toBeNull();
    const status = await collector.agent.get(`/api/v1/accounts/${accountId}/contact-status`);
    for (const channel of status.body.channels) expect(channel).toMatchObject({ kind: 'blocked', reason: 'attorney_represented' });
    const audit = await system.database.db.auditLog.findFirstOrThrow({ where: { accountId, action: 'customer.contact_restrictions_changed' } });
    expect(audit.after).toMatchObject({ attorneyDetails: 'Dana Law LLP, +1 555 0100' });
    expect(await system.database.db.activity.count({ where: { accountId, summary: { contains: 'Cease-communication request recorded' } } })).toBe(1);
    // The account page shows what is recorded (and starts its form from it).
    const detail = await collector.agent.get(`/api/v1/accounts/${accountId}`);
    expect(detail.body.customer.contactRestrictions).toMatchObject({ ceaseCommunicationAt: expect.any(String), attorneyRepresentedAt: expect.any(String), attorneyDetails: 'Dana Law LLP, +1 555 0100' });
  });

  test('another branch’s account is not found', async () => {
    const accountId = await reportAccount();
    const other = await createBranch(system.database.db);
    const collector = await signIn('collector', other.id);
    expect((await collector.agent.put(`/api/v1/accounts/${accountId}/contact-restrictions`).set('x-csrf-token', collector.csrf).send({ ceaseCommunication: true })).status).toBe(404);
    expect((await collector.agent.get(`/api/v1/accounts/${accountId}/contact-status`)).status).toBe(404);
  });
});

describe('STOP replies (X1)', () => {
  test('a STOP from the debtor’s mobile opts the number out, once, and SMS is blocked', async () => {
    const accountId = await reportAccount({ mobile: '+15550202020' });
    const stop = { from: '+15550202020', body: ' Stop ', providerMessageId: 'SM-STOP-1' };
    const res = await request(system.app).post('/api/v1/inbound/sms').set('x-api-key', gatewayKey).send(stop);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ optOut: true, contactsMatched: 1 });
    await request(system.app).post('/api/v1/inbound/sms').set('x-api-key', gatewayKey).send(stop);
    expect(await system.database.db.auditLog.count({ where: { accountId, action: 'contact.opted_out' } })).toBe(1);
    const status = await request(system.app).get(`/api/v1/accounts/${accountId}/contact-status`).set('x-api-key', billingKey);
    expect(status.body.channels.find((c: { channel: string }) => c.channel === 'sms')).toMatchObject({ kind: 'blocked', reason: 'opted_out' });
    const chat = await request(system.app).post('/api/v1/inbound/sms').set('x-api-key', gatewayKey).send({ from: '+15550202020', body: 'I will pay Friday', providerMessageId: 'SM-CHAT-1' });
    expect(chat.body.optOut).toBe(false);
    expect((await request(system.app).post('/api/v1/inbound/sms').set('x-api-key', billingKey).send(stop)).status).toBe(403);
    expect((await request(system.app).post('/api/v1/inbound/sms').set('x-api-key', gatewayKey).send({ from: '+1', body: 'STOP' })).status).toBe(400);
  });

  test("Twilio's signed webhook is honoured; a forged one is refused", async () => {
    const accountId = await reportAccount({ mobile: '+15550303030' });
    const params = { From: '+15550303030', Body: 'STOP', MessageSid: 'SM-TWILIO-1', To: '+15005550006' };
    const url = 'https://collections.example.com/api/v1/inbound/sms/twilio';
    const forged = await request(system.app).post('/api/v1/inbound/sms/twilio').type('form').set('x-twilio-signature', 'forged').send(params);
    expect(forged.status).toBe(403);
    expect(forged.body.code).toBe('bad_signature');
    const signature = twilio.getExpectedTwilioSignature(twilioToken, url, params);
    const res = await request(system.app).post('/api/v1/inbound/sms/twilio').type('form').set('x-twilio-signature', signature).send(params);
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Response>');
    const contact = await system.database.db.contact.findFirstOrThrow({ where: { value: '+15550303030' } });
    expect(contact.optedOut).toBe(true);
    expect(await system.database.db.activity.count({ where: { accountId, summary: { startsWith: 'STOP received' } } })).toBe(1);
  });
});
