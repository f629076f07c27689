// Field visits synced from a phone (F5-F9, F11) through the API, on real PostgreSQL, Temporal and
// Redis, with card payments through the processor's sandbox on a port of its own: each visit is
// recorded once however often it is sent, its payment reaches its case once, the receipt carries the
// signature, and what changed while the phone was offline is flagged, never overwritten.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { pdfImages } from '../support/pdf.ts';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createAccountInArrears, createApiKey, createBranch, delinquencyReport } from '../support/fixtures.ts';
import { signIn, type Agent } from '../support/agents.ts';
import { startCardSandbox, type RunningSandbox } from '../support/card-sandbox.ts';
import { signaturePng } from '../support/png.ts';
import { encryptCard } from '../../domain/card-encryption.ts';
import { caseSnapshotQuery } from '../../workflows/messages.ts';
import { localDate } from '../../domain/ageing.ts';
import { instantOfLocal } from '../../domain/contact-policy.ts';

let system: TestSystem;
let card: RunningSandbox;
let billingKey: string;
let branch: { id: string; code: string };
let rep: Agent;
let supervisor: Agent;
const timeZone = 'America/New_York';
/** Contact allowed around the clock, so that visits made "now" are never outside hours whatever time the tests run. */
const anyHour = 'US-ZZ';

beforeAll(async () => {
  card = await startCardSandbox();
  system = await startTestSystem({ deps: { cardProcessor: card.processor } });
  branch = await createBranch(system.database.db);
  billingKey = await createApiKey(system.database.db, ['delinquencies:report', 'payments:write', 'accounts:read']);
  rep = await signIn(system, 'field_rep', branch.id);
  supervisor = await signIn(system, 'supervisor', branch.id);
  const admin = await signIn(system, 'admin', null);
  expect((await admin.put(`/contact-policies/${anyHour}`, { window: { startHour: 0, endHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7] } })).status).toBe(200);
});
afterAll(async () => {
  await system?.stop();
  await card?.close();
});

const db = () => system.database.db;
const signature = (seed = 1) => ({ pngBase64: Buffer.from(signaturePng(240, 80, seed)).toString('base64'), signedByName: 'Jane Doe' });

async function reportAccount(amountMinor = 12_000, extra: { contacts?: Array<{ kind: string; value: string; isPrimary: boolean }> } = {}) {
  const report = delinquencyReport(branch.code, { amountMinor, timeZone }) as ReturnType<typeof delinquencyReport> & { customer: { jurisdiction?: string }; account: Record<string, unknown> };
  report.customer.jurisdiction = anyHour;
  if (extra.contacts) report.customer.contacts = extra.contacts;
  report.account.serviceLocation = { address: '12 Elm Street, Boston', postalCode: '02118', latitude: 42.34, longitude: -71.07 };
  const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
  expect(res.status).toBe(201);
  const workflowId = res.body.workflowId as string;
  await eventually(() => system.temporal.workflow.getHandle(workflowId).query(caseSnapshotQuery), (s) => s.ready);
  return { accountId: res.body.accountId as string, ref: report.account.externalRef as string, workflowId, caseId: res.body.caseId as string };
}

const snapshot = (workflowId: string) => system.temporal.workflow.getHandle(workflowId).query(caseSnapshotQuery);

function visit(accountId: string, fields: Record<string, unknown>) {
  return { clientVisitId: randomUUID(), accountId, arrivedAt: new Date(Date.now() - 60_000).toISOString(), contactResult: 'spoke_with_customer', ...fields };
}

describe('syncing visits recorded offline (F5)', () => {
  test('three visits — cash, a card through the processor, equipment — are recorded once, each payment reaches its case once, and a second sync of the same outbox changes nothing', async () => {
    const [cash, carded, equipment] = [await reportAccount(12_000), await reportAccount(9_000), await reportAccount(15_000)];
    const key = await rep.get('/field/card-processor');
    expect(key.status).toBe(200);
    const encrypted = await encryptCard({ number: '4242 4242 4242 4242', expMonth: 12, expYear: new Date().getUTCFullYear() + 2, cvc: '123', holder: 'Jane Doe' }, key.body);
    expect(encrypted.encrypted).not.toContain('4242'); // what leaves the phone is ciphertext

    const outbox = {
      deviceId: 'phone-1',
      visits: [
        visit(cash.accountId, { payment: { amountMinor: 5_000, method: 'cash' }, signature: signature(1), balanceSeen: { amountMinor: 12_000, asOf: new Date(Date.now() - 3_600_000).toISOString() } }),
        visit(carded.accountId, { payment: { amountMinor: 9_000, method: 'card', card: encrypted }, signature: signature(2), notes: 'Paid the whole balance by card' }),
        visit(equipment.accountId, { equipment: [{ type: 'Modem', serial: 'sn-778 201' }, { type: 'Set-top box', serial: 'STB-1' }], retention: { offer: '3 months at half price', outcome: 'declined' }, signature: signature(3) }),
      ],
    };
    const first = await rep.post('/field/sync', outbox);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(['recorded', 'recorded', 'recorded']);
    expect(first.body.results[1].card).toMatchObject({ status: 'approved', brand: 'Visa', last4: '4242' });
    expect(first.body.results[0].conflicts).toEqual([]);

    const visits = await db().fieldVisit.findMany({ where: { accountId: { in: [cash.accountId, carded.accountId, equipment.accountId] } }, include: { equipment: true, cardCharge: true } });
    expect(visits).toHaveLength(3);
    expect(await db().payment.count({ where: { accountId: { in: [cash.accountId, carded.accountId] }, source: 'field' } })).toBe(2);
    expect(card.sandbox.charges).toHaveLength(1);
    expect(card.sandbox.charges[0]).toMatchObject({ amount: 9_000, currency: 'usd', status: 'succeeded', idempotencyKey: outbox.visits[1]!.clientVisitId });
    expect(visits.find((v) => v.accountId === equipment.accountId)!.equipment.map((e) => e.serial).sort()).toEqual(['SN-778201', 'STB-1']);
    // No card number anywhere in what was stored about the card payment.
    expect(JSON.stringify(visits.find((v) => v.accountId === carded.accountId), (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(/4242424242424242/);

    // Each case heard of its visit: the payments (once each), the equipment; the card paid in full closes its case.
    expect((await eventually(() => snapshot(cash.workflowId), (s) => s.paymentsSeen === 1)).balanceMinor).toBe('7000');
    expect(await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: carded.caseId } }), (c) => c.status === 'closed')).toMatchObject({ closeReason: 'paid' });
    expect(await eventually(() => snapshot(equipment.workflowId), (s) => s.equipmentRecovered === 2)).toMatchObject({ fieldVisits: 1, equipmentRecovered: 2 });
    const timeline = await db().activity.findMany({ where: { accountId: equipment.accountId, kind: 'visit' } });
    expect(timeline.map((a) => a.summary)).toEqual(['Field visit: spoke with the customer; collected Modem SN-778201, Set-top box STB-1; retention offer "3 months at half price" declined']);

    // The account page lists each visit with its receipt; the card shows as approved, its payment posted.
    const listed = await supervisor.get(`/accounts/${carded.accountId}/field-visits`);
    expect(listed.body.items).toEqual([expect.objectContaining({ receiptNumber: first.body.results[1].receiptNumber, card: expect.objectContaining({ status: 'approved', last4: '4242' }), payment: expect.objectContaining({ amountMinor: '9000', posted: true }), signedBy: 'Jane Doe' })]);

    // The same outbox again (the phone never saw the answer): the same answers, nothing new anywhere.
    const again = await rep.post('/field/sync', outbox);
    expect(again.body.results.map((r: { status: string }) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(again.body.results.map((r: { visitId: string }) => r.visitId)).toEqual(first.body.results.map((r: { visitId: string }) => r.visitId));
    expect(await db().fieldVisit.count({ where: { accountId: { in: [cash.accountId, carded.accountId, equipment.accountId] } } })).toBe(3);
    expect(await db().payment.count({ where: { accountId: { in: [cash.accountId, carded.accountId] } } })).toBe(2);
    expect(await db().equipmentReturn.count({ where: { accountId: equipment.accountId } })).toBe(2);
    expect(card.sandbox.charges).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect((await snapshot(cash.workflowId)).paymentsSeen).toBe(1);
    expect((await snapshot(equipment.workflowId)).fieldVisits).toBe(1);
    expect(await db().auditLog.count({ where: { action: 'field.visit_recorded', accountId: { in: [cash.accountId, carded.accountId, equipment.accountId] } } })).toBe(3);
  });

  test('the receipt PDF carries the customer’s signature; the customer’s link opens it without signing in, and a wrong token does not', async () => {
    const account = await reportAccount(4_000, { contacts: [{ kind: 'mobile', value: '+15550104477', isPrimary: true }] });
    const png = signaturePng(300, 90, 7);
    const recorded = await rep.post('/field/sync', { visits: [visit(account.accountId, { payment: { amountMinor: 4_000, method: 'cheque', reference: '000123' }, signature: { pngBase64: Buffer.from(png).toString('base64'), signedByName: 'Jane Doe' } })] });
    const visitId = recorded.body.results[0].visitId as string;

    const pdf = await rep.get(`/field/visits/${visitId}/receipt.pdf`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const images = await pdfImages(pdf.body as Buffer);
    expect(images).toContainEqual({ width: 300, height: 90 });

    const receipt = await rep.get(`/field/visits/${visitId}/receipt`);
    expect(receipt.body.lines).toEqual(expect.arrayContaining([{ label: 'Amount received', value: '$40.00' }, { label: 'Paid by', value: 'Cheque no. 000123' }]));
    expect(receipt.body.signedBy).toBe('Jane Doe');
    const link = new URL(receipt.body.link as string);
    const open = await request(system.app).get(link.pathname + link.search);
    expect(open.status).toBe(200);
    expect(open.headers['content-type']).toBe('application/pdf');
    expect((await request(system.app).get(`${link.pathname}?token=${'x'.repeat(32)}`)).status).toBe(404);

    // Sent by SMS to the number on file, once however often the rep taps.
    const sent = await rep.post(`/field/visits/${visitId}/receipt/send`, { channel: 'sms' });
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ to: '+15550104477', created: true });
    expect((await rep.post(`/field/visits/${visitId}/receipt/send`, { channel: 'sms' })).body.created).toBe(false);
    const message = await db().message.findUniqueOrThrow({ where: { id: sent.body.messageId } });
    expect(message.body).toContain(link.pathname);
    expect((await rep.post(`/field/visits/${visitId}/receipt/send`, { channel: 'email' })).body).toMatchObject({ code: 'validation_failed' });
    // An address typed at the door is read as any contact is: refused when it is none, stored normalised when it is.
    expect((await rep.post(`/field/visits/${visitId}/receipt/send`, { channel: 'email', to: 'jane at example' })).body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.to' }] });
    expect((await rep.post(`/field/visits/${visitId}/receipt/send`, { channel: 'email', to: ' Jane.Doe@Example.NET ' })).body).toMatchObject({ to: 'jane.doe@example.net', created: true });
  });
});

describe('what syncing finds (F5): recorded all the same, flagged for a supervisor', () => {
  test('a declined card records the visit and posts nothing; a payment posted at the office while the phone was offline is flagged; the supervisor resolves both', async () => {
    const account = await reportAccount(10_000);
    const seenAt = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const office = await request(system.app).post('/api/v1/payments').set('x-api-key', billingKey).send({ accountRef: account.ref, externalRef: 'OFFICE-1', amountMinor: 3_000, currency: 'USD', method: 'bank_transfer' });
    expect(office.status).toBe(201);
    const key = (await rep.get('/field/card-processor')).body;
    const declined = await encryptCard({ number: '4000000000000002', expMonth: 1, expYear: new Date().getUTCFullYear() + 1, cvc: '999', holder: 'Jane Doe' }, key);
    const result = await rep.post('/field/sync', { visits: [visit(account.accountId, { payment: { amountMinor: 10_000, method: 'card', card: declined }, signature: signature(4), balanceSeen: { amountMinor: 10_000, asOf: seenAt } })] });
    const synced = result.body.results[0];
    expect(synced.status).toBe('recorded');
    expect(synced.card).toMatchObject({ status: 'declined', last4: '0002' });
    expect(synced.conflicts.map((c: { code: string }) => c.code)).toEqual(['payment_posted_meanwhile', 'card_declined']);
    expect(synced.paymentId).toBeNull();
    expect(await db().payment.count({ where: { accountId: account.accountId } })).toBe(1); // only the office's
    expect(synced.balanceAfterMinor).toBe('7000');

    const open = await supervisor.get('/field/conflicts?status=open');
    const item = open.body.items.find((i: { visitId: string }) => i.visitId === synced.visitId);
    expect(item.conflicts[0].message).toContain('$30.00');
    expect((await supervisor.post(`/field/visits/${synced.visitId}/conflict/resolve`, { note: 'Called the customer: paid the rest by transfer' })).status).toBe(200);
    expect((await supervisor.post(`/field/visits/${synced.visitId}/conflict/resolve`, { note: 'again' })).body.code).toBe('invalid_state');
    expect(await db().auditLog.count({ where: { entityId: synced.visitId, action: { in: ['field.visit_conflict', 'field.conflict_resolved'] } } })).toBe(2);
    expect((await rep.get('/field/conflicts')).status).toBe(403);
  });

  test('an over-payment, a promise at the door the case accepts, and a visit at night are each handled: credit flagged, promise on the case, night visit flagged', async () => {
    const account = await reportAccount(2_000);
    const over = await rep.post('/field/sync', { visits: [visit(account.accountId, { payment: { amountMinor: 2_500, method: 'cash' }, signature: signature(5) })] });
    expect(over.body.results[0].conflicts).toEqual([expect.objectContaining({ code: 'overpayment', creditMinor: '500' })]);

    const promised = await reportAccount(8_000);
    const dueDate = localDate(new Date(Date.now() + 5 * 86_400_000), timeZone);
    const promise = await rep.post('/field/sync', { visits: [visit(promised.accountId, { promise: { amountMinor: 8_000, dueDate } })] });
    expect(promise.body.results[0].promiseId).toEqual(expect.any(String));
    const stored = await db().promiseToPay.findUniqueOrThrow({ where: { id: promise.body.results[0].promiseId } });
    expect(stored).toMatchObject({ createdById: rep.userId, amountMinor: 8_000n });
    expect((await snapshot(promised.workflowId)).promise?.promiseId).toBe(stored.id);

    // 03:00 in the debtor's time zone yesterday, under the built-in US window (08:00–21:00).
    const night = await reportAccount(3_000);
    await db().customer.updateMany({ where: { accounts: { some: { id: night.accountId } } }, data: { jurisdiction: 'US' } });
    const yesterday = localDate(new Date(Date.now() - 86_400_000), timeZone).split('-').map(Number) as [number, number, number];
    const threeAm = instantOfLocal(yesterday[0], yesterday[1], yesterday[2], 3, timeZone);
    const late = await rep.post('/field/sync', { visits: [visit(night.accountId, { arrivedAt: threeAm.toISOString(), contactResult: 'no_one_home' })] });
    expect(late.body.results[0].conflicts.map((c: { code: string }) => c.code)).toEqual(['outside_contact_hours']);
    // "No one home" is a failed contact for the case's strategy.
    expect(await eventually(() => snapshot(night.workflowId), (s) => s.fieldVisits === 1)).toMatchObject({ fieldVisits: 1 });
  });
});

describe('a case whose workflow is not running', () => {
  test('an open case with no workflow (a restore, a lost start) is started by the visit and hears of it; the payment is posted all the same', async () => {
    const account = await createAccountInArrears(db(), { branchId: branch.id, balanceMinor: 6_000 });
    const synced = await rep.post('/field/sync', { visits: [visit(account.id, { payment: { amountMinor: 1_000, method: 'cash' }, signature: signature(9) })] });
    expect(synced.status).toBe(200);
    expect(synced.body.results[0]).toMatchObject({ status: 'recorded', balanceAfterMinor: '5000' });
    const snapshotNow = await eventually(() => snapshot(`test-case/${account.id}`), (s) => s.fieldVisits === 1);
    expect(snapshotNow).toMatchObject({ fieldVisits: 1, balanceMinor: '5000' });
    await system.temporal.workflow.getHandle(`test-case/${account.id}`).terminate('test over');
  });
});

describe('bad visits and who may send them', () => {
  test('a visit that breaks the rules is sent back with every reason and nothing is stored; a malformed batch is a 400', async () => {
    const account = await reportAccount(5_000);
    const bad = [
      visit(account.accountId, { payment: { amountMinor: 1_000, method: 'cash' } }), // no signature
      visit(account.accountId, { contactResult: 'no_one_home', promise: { amountMinor: 1_000, dueDate: '2030-01-01' } }),
      visit(account.accountId, { payment: { amountMinor: 1_000, method: 'cheque' }, signature: signature() }), // no cheque number
      visit(account.accountId, { arrivedAt: new Date(Date.now() + 3_600_000).toISOString() }),
      visit(account.accountId, { equipment: [{ type: 'Modem', serial: 'A 1' }, { type: 'Modem', serial: 'a1' }], signature: signature() }),
    ];
    const res = await rep.post('/field/sync', { visits: bad });
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { status: string; problems: Array<{ code: string }> }) => [r.status, r.problems.map((p) => p.code)])).toEqual([
      ['rejected', ['required']],
      ['rejected', ['customer_not_reached']],
      ['rejected', ['required']],
      ['rejected', ['in_future']],
      ['rejected', ['duplicate']],
    ]);
    expect(await db().fieldVisit.count({ where: { accountId: account.accountId } })).toBe(0);

    const malformed = await rep.post('/field/sync', { visits: [{ ...visit(account.accountId, {}), surprise: true }] });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'validation_failed' });
    expect((await rep.post('/field/sync', { visits: [] })).status).toBe(400);
    const card = await rep.post('/field/sync', { visits: [visit(account.accountId, { payment: { amountMinor: 100, method: 'card', card: { encrypted: '4242424242424242', keyId: 'k', last4: '4242', brand: 'Visa' } }, signature: signature() })] });
    // The processor refuses a card it cannot decrypt: the rep takes the card again; nothing is stored.
    expect(card.body.results[0]).toMatchObject({ status: 'rejected', problems: [{ path: 'payment.card', code: 'processor_refused' }] });
    expect(await db().fieldVisit.count({ where: { accountId: account.accountId } })).toBe(0);
  });

  test('another branch’s account is not found for a rep; collectors may not sync; another branch cannot read the receipt', async () => {
    const account = await reportAccount(5_000);
    const elsewhere = await createBranch(db());
    const stranger = await signIn(system, 'field_rep', elsewhere.id);
    const res = await stranger.post('/field/sync', { visits: [visit(account.accountId, {})] });
    expect(res.body.results[0]).toMatchObject({ status: 'rejected', problems: [{ code: 'not_found' }] });
    const collector = await signIn(system, 'collector', branch.id);
    expect((await collector.post('/field/sync', { visits: [visit(account.accountId, {})] })).status).toBe(403);
    const mine = await rep.post('/field/sync', { visits: [visit(account.accountId, { contactResult: 'no_one_home' })] });
    expect((await stranger.get(`/field/visits/${mine.body.results[0].visitId}/receipt`)).status).toBe(404);
    expect((await stranger.get(`/field/accounts/${account.accountId}`)).status).toBe(404);
    expect((await rep.get(`/field/accounts/${account.accountId}`)).body).toMatchObject({ externalRef: account.ref, balanceMinor: '5000', serviceAddress: '12 Elm Street, Boston' });
  });
});
