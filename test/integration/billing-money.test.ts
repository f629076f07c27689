// The billing system's money API with real services: over-payments kept as credit, payment reversals
// (bounced cheques, charge-backs) that reopen exactly what a payment paid and reopen the case it had
// closed, and invoice adjustments (credit notes, debit notes, corrections) the case hears of.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, delinquencyReport, uniqueCode } from '../support/fixtures.ts';
import { verifyAuditChain } from '../../services/audit.ts';
import { caseSnapshotQuery } from '../../workflows/messages.ts';

let system: TestSystem;
let key: string;
let branchCode: string;

beforeAll(async () => {
  system = await startTestSystem();
  branchCode = (await createBranch(system.database.db)).code;
  key = await createApiKey(system.database.db, ['delinquencies:report', 'payments:write', 'accounts:read']);
});
afterAll(async () => system?.stop());

const api = () => request(system.app);
const db = () => system.database.db;
const post = (path: string, body: object, apiKey = key) => api().post(`/api/v1${path}`).set('x-api-key', apiKey).send(body);
const pay = (accountRef: string, externalRef: string, amountMinor: number, method = 'cheque') => post('/payments', { accountRef, externalRef, amountMinor, currency: 'USD', method });
const reverse = (accountRef: string, paymentRef: string, reason = 'cheque returned unpaid') => post('/payments/reversals', { accountRef, paymentRef, reason });
const adjust = (accountRef: string, adjustments: object[]) => post('/invoices/adjustments', { accountRef, adjustments });
const invoice = (accountId: string, externalRef: string) => db().invoice.findUniqueOrThrow({ where: { accountId_externalRef: { accountId, externalRef } } });
/** The account's audit entries made by callers of the API (the case's own, by the system, run on their own time). */
const trailOf = (accountId: string) => db().auditLog.count({ where: { accountId, actorType: { not: 'system' } } });

/** An account with three past-due invoices: A (oldest, 50.00), B (30.00), C (newest, 40.00). */
function threeInvoiceReport() {
  const report = delinquencyReport(branchCode);
  const ref = report.account.externalRef;
  report.invoices = [
    { externalRef: `${ref}-A`, issuedAt: '2026-08-20', dueDate: '2026-09-05', amountMinor: 5000, openMinor: 5000 },
    { externalRef: `${ref}-B`, issuedAt: '2026-09-20', dueDate: '2026-10-05', amountMinor: 3000, openMinor: 3000 },
    { externalRef: `${ref}-C`, issuedAt: '2026-10-20', dueDate: '2026-11-05', amountMinor: 4000, openMinor: 4000 },
  ];
  return report;
}

describe('an over-payment', () => {
  test('pays the invoices and keeps the rest as a credit on the account, shown in the answer', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 12550 });
    const opened = await post('/delinquencies', report);
    const ref = report.account.externalRef;
    const res = await pay(ref, 'PAY-OVER', 15000);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ balance: { amountMinor: 0, currency: 'USD' }, allocations: [{ invoiceRef: `INV-${ref}-1`, amountMinor: 12550 }], unapplied: { amountMinor: 2450 }, credit: { amountMinor: 2450 } });
    expect(await db().account.findUniqueOrThrow({ where: { id: opened.body.accountId } })).toMatchObject({ creditMinor: 2450n, balanceMinor: 0n });
    expect(await db().payment.findFirstOrThrow({ where: { id: res.body.paymentId } })).toMatchObject({ unappliedMinor: 2450n, status: 'posted' });
    expect(await db().paymentAllocation.findMany({ where: { paymentId: res.body.paymentId }, select: { amountMinor: true } })).toEqual([{ amountMinor: 12550n }]);
    // The account page reads the credit, and the part of the payment that made it, from the account detail.
    const detail = await api().get(`/api/v1/accounts/${opened.body.accountId}`).set('x-api-key', key);
    expect(detail.body.credit).toEqual({ amountMinor: 2450, currency: 'USD' });
    expect(detail.body.payments).toMatchObject([{ externalRef: 'PAY-OVER', status: 'posted', unapplied: { amountMinor: 2450 }, reversedAt: null, reversalReason: null }]);
    // A re-delivery answers the same and adds no second credit.
    const again = await pay(ref, 'PAY-OVER', 15000);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ created: false, allocations: res.body.allocations, unapplied: { amountMinor: 2450 }, credit: { amountMinor: 2450 } });
  });

  test('a payment split over invoices records what it paid on each, oldest first', async () => {
    const report = threeInvoiceReport();
    const ref = report.account.externalRef;
    await post('/delinquencies', report);
    const res = await pay(ref, 'PAY-SPLIT', 6000);
    expect(res.body.allocations).toEqual([
      { invoiceRef: `${ref}-A`, amountMinor: 5000 },
      { invoiceRef: `${ref}-B`, amountMinor: 1000 },
    ]);
    expect(res.body.unapplied.amountMinor).toBe(0);
  });
});

describe('a payment reversal', () => {
  test('reopens exactly what the payment paid on each invoice, tells the open case, and a repeat writes nothing', async () => {
    const report = threeInvoiceReport();
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    const handle = system.temporal.workflow.getHandle(opened.body.workflowId);
    await eventually(() => handle.query(caseSnapshotQuery), (s) => s.ready);
    await pay(ref, 'P1', 6000); // A 5000, B 1000
    await pay(ref, 'P2', 2500); // B 2000, C 500
    expect((await invoice(opened.body.accountId, `${ref}-B`)).status).toBe('paid');

    const res = await reverse(ref, 'P1');
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body).toMatchObject({
      reversed: true,
      amount: { amountMinor: 6000, currency: 'USD' },
      reason: 'cheque returned unpaid',
      reopened: [
        { invoiceRef: `${ref}-A`, amountMinor: 5000 },
        { invoiceRef: `${ref}-B`, amountMinor: 1000 },
      ],
      balance: { amountMinor: 5000 + 1000 + 3500 },
      caseId: opened.body.caseId,
      caseOpened: false,
    });
    expect(await invoice(opened.body.accountId, `${ref}-A`)).toMatchObject({ openMinor: 5000n, status: 'open' });
    expect(await invoice(opened.body.accountId, `${ref}-B`)).toMatchObject({ openMinor: 1000n, status: 'open' });
    expect(await invoice(opened.body.accountId, `${ref}-C`)).toMatchObject({ openMinor: 3500n, status: 'open' });
    expect(await db().account.findUniqueOrThrow({ where: { id: opened.body.accountId } })).toMatchObject({ balanceMinor: 9500n });
    expect(await db().payment.findUniqueOrThrow({ where: { id: res.body.paymentId } })).toMatchObject({ status: 'reversed', reversalReason: 'cheque returned unpaid' });
    const activity = await db().activity.findFirstOrThrow({ where: { accountId: opened.body.accountId, summary: { startsWith: 'Payment reversed:' } } });
    expect(activity.summary).toBe('Payment reversed: $60.00 (P1) — cheque returned unpaid');
    const audit = await db().auditLog.findFirstOrThrow({ where: { accountId: opened.body.accountId, action: 'payment.reversed' } });
    expect(audit.before).toMatchObject({ balanceMinor: '3500', payment: { status: 'posted' } });
    expect(audit.after).toMatchObject({ balanceMinor: '9500', payment: { status: 'reversed' } });

    // The open case got the reversal signal.
    const signalled = await eventually(
      async () => (await handle.fetchHistory()).events?.filter((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'paymentReversed') ?? [],
      (events) => events.length > 0,
    );
    expect(signalled).toHaveLength(1);

    // Reversing it again: the same answer, 200, and nothing written. (Counted apart from what the case
    // itself writes meanwhile: in the debtor's daytime it runs S5's due steps and the validation notice.)
    const trail = await trailOf(opened.body.accountId);
    const activities = await db().activity.count({ where: { accountId: opened.body.accountId, summary: { startsWith: 'Payment reversed' } } });
    const again = await reverse(ref, 'P1', 'a second, different reason');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reversed: false, reopened: res.body.reopened, reason: 'cheque returned unpaid', reversedAt: res.body.reversedAt, balance: { amountMinor: 9500 } });
    expect(await trailOf(opened.body.accountId)).toBe(trail);
    expect(await db().activity.count({ where: { accountId: opened.body.accountId, summary: { startsWith: 'Payment reversed' } } })).toBe(activities);
    expect((await invoice(opened.body.accountId, `${ref}-A`)).openMinor).toBe(5000n);
  });

  test('a bounced cheque that had closed the case opens a new case episode whose workflow runs, and takes its credit back', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 8000 });
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    expect(opened.status).toBe(201);
    await pay(ref, 'CHQ-1', 9000); // 10.00 over
    expect(await system.temporal.workflow.getHandle(opened.body.workflowId).result()).toMatchObject({ status: 'closed', closeReason: 'paid' });
    expect(await db().account.findUniqueOrThrow({ where: { id: opened.body.accountId } })).toMatchObject({ status: 'current', creditMinor: 1000n });

    const res = await reverse(ref, 'CHQ-1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ caseOpened: true, balance: { amountMinor: 8000 }, creditRemoved: { amountMinor: 1000 }, credit: { amountMinor: 0 } });
    expect(res.body.caseId).not.toBe(opened.body.caseId);
    const episodes = await db().collectionCase.findMany({ where: { accountId: opened.body.accountId }, orderBy: { episode: 'asc' } });
    expect(episodes.map((c) => [c.episode, c.status])).toEqual([
      [1, 'closed'],
      [2, 'open'],
    ]);
    expect(res.body.caseWorkflowId).toBe(episodes[1]!.workflowId);
    expect(episodes[1]).toMatchObject({ balanceAtOpen: 8000n });
    expect(await db().account.findUniqueOrThrow({ where: { id: opened.body.accountId } })).toMatchObject({ status: 'delinquent', creditMinor: 0n, balanceMinor: 8000n });
    const detail = await api().get(`/api/v1/accounts/${opened.body.accountId}`).set('x-api-key', key);
    expect(detail.body.credit).toMatchObject({ amountMinor: 0 });
    expect(detail.body.payments).toMatchObject([{ externalRef: 'CHQ-1', status: 'reversed', reversalReason: 'cheque returned unpaid' }]);
    expect(detail.body.payments[0].reversedAt).toEqual(expect.any(String));
    const snapshot = await eventually(() => system.temporal.workflow.getHandle(episodes[1]!.workflowId).query(caseSnapshotQuery), (s) => s.ready);
    expect(snapshot).toMatchObject({ status: 'open', balanceMinor: '8000' });
    expect(await db().auditLog.count({ where: { accountId: opened.body.accountId, action: 'case.opened' } })).toBe(2);
    const summaries = (await db().activity.findMany({ where: { accountId: opened.body.accountId } })).map((a) => a.summary);
    expect(summaries.some((s) => /^Payment CHQ-1 reversed: \d+ days? past due again$/.test(s))).toBe(true);

    // A repeat does not open a third.
    const again = await reverse(ref, 'CHQ-1');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reversed: false, caseOpened: false, caseId: res.body.caseId });
    expect(await db().collectionCase.count({ where: { accountId: opened.body.accountId } })).toBe(2);
  });

  test('a payment recorded before allocations were kept reopens paid invoices newest first', async () => {
    const report = threeInvoiceReport();
    const ref = report.account.externalRef;
    report.invoices[1]!.openMinor = 0; // B paid
    report.invoices[2]!.openMinor = 1000; // C: 30.00 of 40.00 paid
    const opened = await post('/delinquencies', report);
    await db().payment.create({ data: { accountId: opened.body.accountId, externalRef: 'LEGACY-1', amountMinor: 4000n, currency: 'USD', method: 'cheque', source: 'billing', receivedAt: new Date('2026-11-01T00:00:00Z') } });
    const res = await reverse(ref, 'LEGACY-1');
    expect(res.status).toBe(201);
    expect(res.body.reopened).toEqual([
      { invoiceRef: `${ref}-B`, amountMinor: 1000 },
      { invoiceRef: `${ref}-C`, amountMinor: 3000 },
    ]);
    expect(await invoice(opened.body.accountId, `${ref}-C`)).toMatchObject({ openMinor: 4000n, status: 'open' });
    expect(await invoice(opened.body.accountId, `${ref}-B`)).toMatchObject({ openMinor: 1000n, status: 'open' });
    expect(res.body.balance.amountMinor).toBe(5000 + 1000 + 4000);
    expect((await reverse(ref, 'LEGACY-1')).body.reopened).toEqual(res.body.reopened);
  });

  test('an unknown payment, or one on an account of another branch, is 404 and changes nothing', async () => {
    const report = delinquencyReport(branchCode);
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    await pay(ref, 'PAY-OK', 100);
    const trail = await trailOf(opened.body.accountId);
    const unknownPayment = await reverse(ref, 'NOPE');
    expect(unknownPayment.status).toBe(404);
    expect(unknownPayment.body.code).toBe('not_found');
    expect(unknownPayment.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await reverse('NO-SUCH-ACCOUNT', 'PAY-OK')).body.code).toBe('not_found');
    const otherBranch = await createBranch(db());
    const otherBranchKey = await createApiKey(db(), ['payments:write'], otherBranch.id);
    const hidden = await post('/payments/reversals', { accountRef: ref, paymentRef: 'PAY-OK', reason: 'charge-back' }, otherBranchKey);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('not_found');
    expect(await trailOf(opened.body.accountId)).toBe(trail);
    expect((await db().payment.findFirstOrThrow({ where: { accountId: opened.body.accountId } })).status).toBe('posted');
  });
});

describe('invoice adjustments', () => {
  test('a credit note to zero settles the invoice and the case closes as settled', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 6000 });
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    const handle = system.temporal.workflow.getHandle(opened.body.workflowId);
    await eventually(() => handle.query(caseSnapshotQuery), (s) => s.ready);
    const res = await adjust(ref, [{ externalRef: 'CN-1', invoiceRef: `INV-${ref}-1`, kind: 'credit_note', amountMinor: 6000, reason: 'goodwill credit' }]);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ applied: 1, balance: { amountMinor: 0 }, caseId: opened.body.caseId, adjustments: [{ externalRef: 'CN-1', kind: 'credit_note', change: { amountMinor: -6000 }, openBefore: { amountMinor: 6000 }, openAfter: { amountMinor: 0 }, alreadyRecorded: false }] });
    expect(await invoice(opened.body.accountId, `INV-${ref}-1`)).toMatchObject({ openMinor: 0n, status: 'paid' });
    expect(await db().invoiceAdjustment.findFirstOrThrow({ where: { accountId: opened.body.accountId } })).toMatchObject({ kind: 'credit_note', amountMinor: -6000n, openBefore: 6000n, openAfter: 0n, reason: 'goodwill credit' });
    expect(await handle.result()).toMatchObject({ status: 'closed', closeReason: 'settled' });
    const audit = await db().auditLog.findFirstOrThrow({ where: { accountId: opened.body.accountId, action: 'invoices.adjusted' } });
    expect(audit.before).toMatchObject({ balanceMinor: '6000' });
    expect(audit.after).toMatchObject({ balanceMinor: '0' });
  });

  test('debit notes raise what is open, corrections set it, and a paid invoice opens again', async () => {
    const report = threeInvoiceReport();
    const ref = report.account.externalRef;
    report.invoices[1]!.openMinor = 0;
    const opened = await post('/delinquencies', report);
    const res = await adjust(ref, [
      { externalRef: 'DN-1', invoiceRef: `${ref}-B`, kind: 'debit_note', amountMinor: 750, reason: 'late fee' },
      { externalRef: 'CORR-1', invoiceRef: `${ref}-C`, kind: 'correction', amountMinor: 2500, reason: 'mis-rated calls' },
      { externalRef: 'CN-2', invoiceRef: `${ref}-C`, kind: 'credit_note', amountMinor: 500, reason: 'outage credit' },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.adjustments.map((a: { change: { amountMinor: number } }) => a.change.amountMinor)).toEqual([750, -1500, -500]);
    expect(await invoice(opened.body.accountId, `${ref}-B`)).toMatchObject({ openMinor: 750n, amountMinor: 3750n, status: 'open' });
    expect(await invoice(opened.body.accountId, `${ref}-C`)).toMatchObject({ openMinor: 2000n, status: 'open' });
    expect(res.body.balance.amountMinor).toBe(5000 + 750 + 2000);
  });

  test('a credit note larger than what is open is refused with a reason, and nothing of the request applies', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 3000 });
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    const trail = await trailOf(opened.body.accountId);
    const res = await adjust(ref, [
      { externalRef: 'DN-OK', invoiceRef: `INV-${ref}-1`, kind: 'debit_note', amountMinor: 100, reason: 'fee' },
      { externalRef: 'CN-BIG', invoiceRef: `INV-${ref}-1`, kind: 'credit_note', amountMinor: 5000, reason: 'too much' },
    ]);
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('adjustment_refused');
    expect(res.body.detail).toContain('credit_exceeds_open');
    expect(await invoice(opened.body.accountId, `INV-${ref}-1`)).toMatchObject({ openMinor: 3000n });
    expect(await db().invoiceAdjustment.count({ where: { accountId: opened.body.accountId } })).toBe(0);
    expect(await trailOf(opened.body.accountId)).toBe(trail);
  });

  test('each adjustment is recorded once per externalRef; the same ref with other details is a conflict', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 3000 });
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    const credit = { externalRef: 'CN-ONCE', invoiceRef: `INV-${ref}-1`, kind: 'credit_note', amountMinor: 1000, reason: 'goodwill' };
    expect((await adjust(ref, [credit])).status).toBe(201);
    const trail = await trailOf(opened.body.accountId);
    const again = await adjust(ref, [credit]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ applied: 0, balance: { amountMinor: 2000 }, adjustments: [{ externalRef: 'CN-ONCE', alreadyRecorded: true, change: { amountMinor: -1000 } }] });
    expect(await trailOf(opened.body.accountId)).toBe(trail);
    expect((await invoice(opened.body.accountId, `INV-${ref}-1`)).openMinor).toBe(2000n);
    const conflict = await adjust(ref, [{ ...credit, amountMinor: 1500 }]);
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('idempotency_conflict');
    expect((await adjust(ref, [{ ...credit, kind: 'debit_note' }])).body.code).toBe('idempotency_conflict');
    expect((await invoice(opened.body.accountId, `INV-${ref}-1`)).openMinor).toBe(2000n);
  });
});

describe('bad input to the money operations', () => {
  test('every bad request answers a 4xx problem document with a stable code, and changes nothing', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 3000 });
    const ref = report.account.externalRef;
    const opened = await post('/delinquencies', report);
    await pay(ref, 'PAY-BAD', 100);
    await post('/disputes', { accountRef: ref, invoiceRefs: [`INV-${ref}-1`], reason: 'never ordered' });
    const trail = await trailOf(opened.body.accountId);
    const readOnly = await createApiKey(db(), ['accounts:read']);
    const inv = `INV-${ref}-1`;
    const cases: Array<[string, Promise<request.Response>, number, string]> = [
      ['reversal without a reason', post('/payments/reversals', { accountRef: ref, paymentRef: 'PAY-BAD' }), 400, 'validation_failed'],
      ['reversal with a one-letter reason', post('/payments/reversals', { accountRef: ref, paymentRef: 'PAY-BAD', reason: 'x' }), 400, 'validation_failed'],
      ['reversal with an empty paymentRef', post('/payments/reversals', { accountRef: ref, paymentRef: '', reason: 'bounced' }), 400, 'validation_failed'],
      ['reversal of an unknown account', reverse(uniqueCode('NOPE-'), 'PAY-BAD'), 404, 'not_found'],
      ['reversal without the permission', post('/payments/reversals', { accountRef: ref, paymentRef: 'PAY-BAD', reason: 'bounced' }, readOnly), 403, 'forbidden'],
      ['reversal as text', api().post('/api/v1/payments/reversals').set('x-api-key', key).set('content-type', 'text/plain').send('PAY-BAD'), 415, 'unsupported_media_type'],
      ['adjustments with none', adjust(ref, []), 400, 'validation_failed'],
      ['adjustment of an unknown kind', adjust(ref, [{ externalRef: 'X1', invoiceRef: inv, kind: 'refund', amountMinor: 1, reason: 'why not' }]), 400, 'validation_failed'],
      ['credit note of zero', adjust(ref, [{ externalRef: 'X2', invoiceRef: inv, kind: 'credit_note', amountMinor: 0, reason: 'nothing' }]), 400, 'validation_failed'],
      ['negative correction', adjust(ref, [{ externalRef: 'X3', invoiceRef: inv, kind: 'correction', amountMinor: -5, reason: 'negative' }]), 400, 'validation_failed'],
      ['fractional amount', adjust(ref, [{ externalRef: 'X4', invoiceRef: inv, kind: 'debit_note', amountMinor: 1.5, reason: 'fraction' }]), 400, 'validation_failed'],
      ['the same externalRef twice', adjust(ref, [1, 2].map(() => ({ externalRef: 'X5', invoiceRef: inv, kind: 'debit_note', amountMinor: 1, reason: 'twice' }))), 400, 'validation_failed'],
      ['an unknown invoice', adjust(ref, [{ externalRef: 'X6', invoiceRef: 'NO-INV', kind: 'debit_note', amountMinor: 1, reason: 'unknown' }]), 404, 'not_found'],
      ['an unknown account', adjust('NO-SUCH', [{ externalRef: 'X7', invoiceRef: inv, kind: 'debit_note', amountMinor: 1, reason: 'unknown' }]), 404, 'not_found'],
      ['a disputed invoice', adjust(ref, [{ externalRef: 'X8', invoiceRef: inv, kind: 'credit_note', amountMinor: 1, reason: 'disputed' }]), 422, 'adjustment_refused'],
      ['adjustments without the permission', post('/invoices/adjustments', { accountRef: ref, adjustments: [{ externalRef: 'X9', invoiceRef: inv, kind: 'debit_note', amountMinor: 1, reason: 'nope' }] }, readOnly), 403, 'forbidden'],
      ['an over-long Idempotency-Key', api().post('/api/v1/payments/reversals').set('x-api-key', key).set('Idempotency-Key', 'k'.repeat(256)).send({ accountRef: ref, paymentRef: 'PAY-BAD', reason: 'bounced' }), 400, 'idempotency_key_invalid'],
    ];
    for (const [what, pending, status, code] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(status);
      expect(res.headers['content-type'], what).toMatch(/application\/problem\+json/);
      expect(res.body.code, what).toBe(code);
    }
    expect(await trailOf(opened.body.accountId)).toBe(trail);
    expect((await db().payment.findFirstOrThrow({ where: { accountId: opened.body.accountId } })).status).toBe('posted');
    expect(await db().invoiceAdjustment.count({ where: { accountId: opened.body.accountId } })).toBe(0);
  });

  test('the audit chain still verifies', async () => {
    expect(await verifyAuditChain(db() as never)).toMatchObject({ ok: true });
  });
});
