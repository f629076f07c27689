// The thin slice, end to end through the API, PostgreSQL and a real Temporal server and worker:
// a billing system reports a delinquent account, a case workflow starts exactly once, a payment
// reaches it as a signal and the case closes as paid.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, delinquencyReport } from '../support/fixtures.ts';
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
const caseOf = (accountId: string) => system.database.db.collectionCase.findFirstOrThrow({ where: { accountId }, orderBy: { episode: 'desc' } });

describe('a delinquent account reported by billing', () => {
  test('a later report with a changed invoice and a new contact is recorded with before and after', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 5000 });
    const first = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    const changed = structuredClone(report);
    changed.invoices[0]!.openMinor = 4000;
    changed.customer.contacts.push({ kind: 'mobile', value: '+15550009999', isPrimary: false });
    const second = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(changed);
    expect(second.body.balance.amountMinor).toBe(4000);
    const sync = await system.database.db.auditLog.findFirstOrThrow({ where: { accountId: first.body.accountId, action: 'invoices.synced' }, orderBy: { id: 'desc' } });
    expect((sync.before as Array<{ openMinor: string }>)[0]!.openMinor).toBe('5000');
    expect((sync.after as Array<{ openMinor: string }>)[0]!.openMinor).toBe('4000');
    const customer = await system.database.db.auditLog.findFirstOrThrow({ where: { accountId: first.body.accountId, action: 'customer.updated' } });
    expect(JSON.stringify(customer.after)).toContain('+15550009999');
  });

  test('opens one case whose workflow runs, and a repeated report opens no second one', async () => {
    const report = delinquencyReport(branchCode);
    const first = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    expect(first.status).toBe(201);
    expect(first.body.caseCreated).toBe(true);
    expect(first.body.balance).toEqual({ amountMinor: 12550, currency: 'USD' });
    const handle = system.temporal.workflow.getHandle(first.body.workflowId);
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');

    const again = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    expect(again.status).toBe(200);
    expect(again.body.caseCreated).toBe(false);
    // Nothing changed, so nothing new is written to the account's trail.
    const trail = await system.database.db.auditLog.count({ where: { accountId: first.body.accountId } });
    await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    expect(await system.database.db.auditLog.count({ where: { accountId: first.body.accountId } })).toBe(trail);
    expect(again.body.caseId).toBe(first.body.caseId);
    expect((await handle.describe()).runId).toBe(description.runId);
    expect(await system.database.db.collectionCase.count({ where: { accountId: first.body.accountId } })).toBe(1);
  });

  test('a later report that settles the invoices reaches the running case, which closes', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 6000 });
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    const handle = system.temporal.workflow.getHandle(opened.body.workflowId);
    await eventually(() => handle.query(caseSnapshotQuery), (s) => s.ready);
    const settled = structuredClone(report);
    settled.invoices[0]!.openMinor = 0;
    const again = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(settled);
    expect(again.status).toBe(200);
    expect(again.body.balance.amountMinor).toBe(0);
    // No payment came through us: the billing system settled it, and the case says so.
    expect(await handle.result()).toMatchObject({ status: 'closed', closeReason: 'settled' });
    expect(await caseOf(opened.body.accountId)).toMatchObject({ status: 'closed', closeReason: 'settled' });
  });

  test('concurrent duplicate reports still open a single case', async () => {
    const report = delinquencyReport(branchCode);
    const replies = await Promise.all([1, 2, 3].map(() => api().post('/api/v1/delinquencies').set('x-api-key', key).send(report)));
    const ok = replies.filter((r) => r.status === 200 || r.status === 201);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of replies) expect([200, 201, 409]).toContain(r.status);
    const accountId = ok[0]!.body.accountId as string;
    expect(await system.database.db.collectionCase.count({ where: { accountId } })).toBe(1);
  });

  test('a payment in full reaches the workflow and closes the case as paid', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 8000 });
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    expect(opened.status).toBe(201);

    const partial = await api().post('/api/v1/payments').set('x-api-key', key).send({ accountRef: report.account.externalRef, externalRef: 'PAY-1', amountMinor: 3000, currency: 'USD', method: 'card' });
    expect(partial.status).toBe(201);
    expect(partial.body.balance.amountMinor).toBe(5000);
    const handle = system.temporal.workflow.getHandle(opened.body.workflowId);
    const snapshot = await eventually(() => handle.query(caseSnapshotQuery), (s) => s.paymentsSeen === 1);
    expect(snapshot).toMatchObject({ status: 'open', balanceMinor: '5000' });

    const rest = await api().post('/api/v1/payments').set('x-api-key', key).send({ accountRef: report.account.externalRef, externalRef: 'PAY-2', amountMinor: 5000, currency: 'USD', method: 'bank_transfer' });
    expect(rest.status).toBe(201);
    expect(await handle.result()).toMatchObject({ status: 'closed', closeReason: 'paid', paymentsSeen: 2 });

    const closed = await caseOf(opened.body.accountId);
    expect(closed).toMatchObject({ status: 'closed', stage: 'closed', closeReason: 'paid' });
    const account = await api().get(`/api/v1/accounts/${opened.body.accountId}`).set('x-api-key', key);
    expect(account.body.status).toBe('current');
    expect(account.body.balance.amountMinor).toBe(0);
    expect(account.body.cases[0].status).toBe('closed');
    expect(account.body.activities.map((a: { summary: string }) => a.summary)).toContain('Case closed: paid in full');
    const notice = await system.database.db.message.findFirstOrThrow({ where: { caseId: opened.body.caseId } });
    expect(notice).toMatchObject({ channel: 'email', toAddress: report.customer.contacts[0]!.value });
    expect(await system.queues.byChannel.email.getJob(notice.id)).toBeTruthy();
  });

  test('a re-delivered payment is recorded once; the same ref with another amount is refused', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 9000 });
    await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    const payment = { accountRef: report.account.externalRef, externalRef: 'PAY-X', amountMinor: 1000, currency: 'USD', method: 'cash' };
    const first = await api().post('/api/v1/payments').set('x-api-key', key).send(payment);
    const second = await api().post('/api/v1/payments').set('x-api-key', key).send(payment);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ created: false, paymentId: first.body.paymentId, balance: { amountMinor: 8000 } });
    const conflict = await api().post('/api/v1/payments').set('x-api-key', key).send({ ...payment, amountMinor: 2000 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.code).toBe('idempotency_conflict');
    expect(await system.database.db.payment.count({ where: { accountId: first.body.accountId } })).toBe(1);
  });

  test('a payment to an unknown account or in another currency loses nothing and says why', async () => {
    const unknown = await api().post('/api/v1/payments').set('x-api-key', key).send({ accountRef: 'NOPE', externalRef: 'P', amountMinor: 1, currency: 'USD', method: 'cash' });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
    const report = delinquencyReport(branchCode);
    await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    const wrongCurrency = await api().post('/api/v1/payments').set('x-api-key', key).send({ accountRef: report.account.externalRef, externalRef: 'P', amountMinor: 100, currency: 'EUR', method: 'cash' });
    expect(wrongCurrency.status).toBe(422);
    expect(wrongCurrency.body.code).toBe('currency_mismatch');
  });

  test('every change is in a hash-chained audit trail that refuses edits', async () => {
    const verdict = await verifyAuditChain(system.database.db as never);
    expect(verdict).toMatchObject({ ok: true });
    expect((verdict as { rows: number }).rows).toBeGreaterThan(5);
    const actions = (await system.database.db.auditLog.findMany({ select: { action: true } })).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['customer.created', 'account.created', 'invoices.synced', 'case.opened', 'payment.posted', 'case.closed', 'message.queued']));
    await expect(system.database.db.$executeRawUnsafe(`update audit_log set action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(system.database.db.$executeRawUnsafe('delete from audit_log')).rejects.toThrow(/append-only/);
  });
});

describe('working a case through the API', () => {
  test('getCase shows the next step and the stages left before legal; a collector records a promise the case validates', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 20_000, dueDate: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10) });
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    expect(opened.status).toBe(201);
    const view = await eventually(() => api().get(`/api/v1/cases/${opened.body.caseId}`).set('x-api-key', key), (r) => r.body.live === true && r.body.nextStep !== null);
    expect(view.status).toBe(200);
    // S5 (no segment strategy here) suspends and stops: it takes no legal action, so there is no count of stages to it (C6).
    expect(view.body).toMatchObject({ status: 'open', stage: 'soft', stagesBeforeLegal: null, nextStep: { id: 'reminder_email' }, strategy: null });

    const collectorKey = await createApiKey(system.database.db, ['accounts:write', 'accounts:read']);
    const tooMuch = await api().post(`/api/v1/accounts/${opened.body.accountId}/promises`).set('x-api-key', collectorKey).send({ amountMinor: 999_999, dueDate: '2000-01-01' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.code).toBe('promise_refused');
    expect(tooMuch.body.errors.map((e: { message: string }) => e.message).sort()).toEqual(['amount_exceeds_balance', 'date_in_past']);

    const dueDate = new Date(Date.now() + 5 * 86_400_000).toISOString().slice(0, 10);
    const promise = await api().post(`/api/v1/accounts/${opened.body.accountId}/promises`).set('x-api-key', collectorKey).send({ amountMinor: 20_000, dueDate });
    expect(promise.status).toBe(201);
    expect(promise.body).toMatchObject({ amountMinor: 20_000, dueDate, caseId: opened.body.caseId });
    const again = await api().post(`/api/v1/accounts/${opened.body.accountId}/promises`).set('x-api-key', collectorKey).send({ amountMinor: 100, dueDate });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('promise_already_pending');
    const withPromise = await api().get(`/api/v1/cases/${opened.body.caseId}`).set('x-api-key', key);
    expect(withPromise.body.promise).toMatchObject({ id: promise.body.promiseId, amountMinor: 20_000, dueDate });
    expect(withPromise.body.nextStep).toBeNull(); // reminders are held while the promise is pending
    const row = await system.database.db.promiseToPay.findUniqueOrThrow({ where: { id: promise.body.promiseId } });
    expect(row.status).toBe('pending');
  });

  test('a collector records an instalment plan; the account lists it with its instalments, the case with their progress', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 9_000, dueDate: new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10) });
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    expect(opened.status).toBe(201);
    await eventually(() => api().get(`/api/v1/cases/${opened.body.caseId}`).set('x-api-key', key), (r) => r.body.live === true);
    const collectorKey = await createApiKey(system.database.db, ['accounts:write', 'accounts:read']);
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const plan = [
      { amountMinor: 3_000, dueDate: day(7) },
      { amountMinor: 6_000, dueDate: day(21) },
    ];
    const accepted = await api().post(`/api/v1/accounts/${opened.body.accountId}/promises`).set('x-api-key', collectorKey).send({ instalments: plan });
    expect(accepted.status).toBe(201);
    expect(accepted.body).toMatchObject({ amountMinor: 9_000, dueDate: day(21), instalments: plan });

    const account = await api().get(`/api/v1/accounts/${opened.body.accountId}`).set('x-api-key', key);
    expect(account.body.promises).toMatchObject([
      {
        id: accepted.body.promiseId,
        status: 'pending',
        amount: { amountMinor: 9_000 },
        instalments: [
          { dueDate: day(7), amount: { amountMinor: 3_000, currency: 'USD' }, status: 'pending' },
          { dueDate: day(21), amount: { amountMinor: 6_000, currency: 'USD' }, status: 'pending' },
        ],
      },
    ]);
    const view = await api().get(`/api/v1/cases/${opened.body.caseId}`).set('x-api-key', key);
    expect(view.body.promise).toMatchObject({ id: accepted.body.promiseId, paidMinor: 0, instalments: [{ status: 'pending' }, { status: 'pending' }] });
  });

  test('a collector postpones an account to a later time; a time in the past is refused', async () => {
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(delinquencyReport(branchCode));
    const collectorKey = await createApiKey(system.database.db, ['accounts:write', 'accounts:read']);
    const until = new Date(Date.now() + 86_400_000).toISOString();
    const ok = await api().post(`/api/v1/accounts/${opened.body.accountId}/postpone`).set('x-api-key', collectorKey).send({ until, reason: 'call after payday' });
    expect(ok.body).toMatchObject({ caseId: opened.body.caseId });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ caseId: opened.body.caseId, until });
    const view = await api().get(`/api/v1/cases/${opened.body.caseId}`).set('x-api-key', key);
    expect(view.body.live).toBe(true);
    const past = await api().post(`/api/v1/accounts/${opened.body.accountId}/postpone`).set('x-api-key', collectorKey).send({ until: '2020-01-01T10:00:00Z' });
    expect(past.status).toBe(422);
    expect(past.body.code).toBe('postpone_refused');
    const trail = await system.database.db.auditLog.findFirst({ where: { accountId: opened.body.accountId, action: 'case.postponed' } });
    expect(trail?.after).toMatchObject({ until, reason: 'call after payday' });
  });

  test('listCases finds a case by account and status, within the caller’s branch', async () => {
    const report = delinquencyReport(branchCode);
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(report);
    const found = await api().get(`/api/v1/cases?accountRef=${report.account.externalRef}&status=open`).set('x-api-key', key);
    expect(found.status).toBe(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([opened.body.caseId]);
    expect(found.body.items[0]).toMatchObject({ accountRef: report.account.externalRef, status: 'open', balance: { amountMinor: 12550, currency: 'USD' } });
    const otherBranch = await createBranch(system.database.db);
    const scoped = await createApiKey(system.database.db, ['accounts:read'], otherBranch.id);
    expect((await api().get(`/api/v1/cases?accountRef=${report.account.externalRef}`).set('x-api-key', scoped)).body.total).toBe(0);
  });

  test("a promise on an account without an open case, or another branch's case, is refused", async () => {
    const otherBranch = await createBranch(system.database.db);
    const scoped = await createApiKey(system.database.db, ['accounts:write', 'accounts:read'], otherBranch.id);
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', key).send(delinquencyReport(branchCode));
    const res = await api().post(`/api/v1/accounts/${opened.body.accountId}/promises`).set('x-api-key', scoped).send({ amountMinor: 100, dueDate: '2099-01-01' });
    expect(res.status).toBe(404);
    expect((await api().get(`/api/v1/cases/${opened.body.caseId}`).set('x-api-key', scoped)).status).toBe(404);
  });
});
