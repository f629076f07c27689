// X1 (EU): GDPR data-subject requests through the API — due one calendar month after receipt,
// extendable with a reason, answered with an export (access) or a pseudonymisation as far as
// retention allows (erasure); admins and supervisors within their branch; bad input refused with
// machine-readable problems; every change audited.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createBranch, createUser, testPassword, uniqueCode } from '../support/fixtures.ts';
import { verifyAuditChain } from '../../services/audit.ts';

let system: TestSystem;
let east: { id: string; code: string };
let west: { id: string; code: string };
const db = () => system.database.db;

async function signIn(role: 'admin' | 'supervisor' | 'collector', branchId: string | null = null) {
  const user = await createUser(db(), role, branchId);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  const csrf = res.body.csrfToken as string;
  return {
    user,
    get: (path: string) => agent.get(`/api/v1${path}`),
    post: (path: string, body: object) => agent.post(`/api/v1${path}`).set('x-csrf-token', csrf).send(body),
  };
}

/** A customer with an account; `closedYearsAgo`: its one case closed that long ago (else it is open now). */
async function customer(branchId: string, options: { closedYearsAgo?: number } = {}) {
  const ref = uniqueCode('CUST-');
  const long = options.closedYearsAgo !== undefined ? new Date(Date.now() - (options.closedYearsAgo * 365 + 2) * 86_400_000) : null;
  const created = long ?? new Date();
  const row = await db().customer.create({ data: { externalRef: ref, type: 'retail', name: 'Mara Quint', timeZone: 'Europe/Budapest', jurisdiction: 'HU', branchId, createdAt: created, updatedAt: created, contacts: { create: [{ kind: 'email', value: `${ref.toLowerCase()}@example.hu` }] } } });
  const account = await db().account.create({ data: { externalRef: `A-${ref}`, customerId: row.id, branchId, currency: 'HUF', status: long ? 'current' : 'delinquent', balanceMinor: long ? 0n : 990_000n, createdAt: created } });
  await db().collectionCase.create({ data: { accountId: account.id, episode: 1, workflowId: `test-case/${account.id}`, status: long ? 'closed' : 'open', stage: long ? 'closed' : 'soft', closeReason: long ? 'paid' : null, openedAt: created, closedAt: long, balanceAtOpen: 990_000n, daysPastDueAtOpen: 10 } });
  await db().message.create({ data: { accountId: account.id, channel: 'email', toAddress: `${ref.toLowerCase()}@example.hu`, subject: 'Fizetési emlékeztető', body: 'Kedves Mara Quint, ...', idempotencyKey: `m-${ref}`, createdAt: created } });
  return { ref, id: row.id, accountId: account.id };
}

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  east = await createBranch(db());
  west = await createBranch(db());
});
afterAll(async () => system?.stop());

describe('recording and listing', () => {
  test('a request is due one calendar month after receipt, listed with its due state, and audited', async () => {
    const supervisor = await signIn('supervisor', east.id);
    const c = await customer(east.id);
    const created = await supervisor.post('/data-subject-requests', { customerRef: c.ref, kind: 'access', receivedAt: '2026-01-31T09:30:00Z', details: 'Asked by email for a copy of her data' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ kind: 'access', status: 'open', dueOn: '2026-02-28', currentDueOn: '2026-02-28', extendedDueOn: null, dueState: 'overdue', customer: { externalRef: c.ref, pseudonymised: false } });
    expect(await db().auditLog.count({ where: { action: 'data_request.created', entityId: created.body.id } })).toBe(1);

    const recent = await supervisor.post('/data-subject-requests', { customerRef: c.ref, kind: 'objection' });
    expect(recent.body.dueState).toBe('on_time');
    const overdue = await supervisor.get('/data-subject-requests?due=overdue');
    expect(overdue.status).toBe(200);
    expect(overdue.body.items.map((i: { id: string }) => i.id)).toEqual([created.body.id]);
    const open = await supervisor.get('/data-subject-requests?status=open');
    expect(open.body.total).toBe(2);
  });

  test('bad input is refused with machine-readable problems', async () => {
    const admin = await signIn('admin');
    const c = await customer(east.id);
    const unknownKind = await admin.post('/data-subject-requests', { customerRef: c.ref, kind: 'portability' });
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'body.kind' })] });
    expect(unknownKind.headers['content-type']).toContain('application/problem+json');
    const extraField = await admin.post('/data-subject-requests', { customerRef: c.ref, kind: 'access', name: 'Mara' });
    expect(extraField.body.code).toBe('validation_failed');
    const future = await admin.post('/data-subject-requests', { customerRef: c.ref, kind: 'access', receivedAt: '2099-01-01T00:00:00Z' });
    expect(future.status).toBe(400);
    expect(future.body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'body.receivedAt', message: 'in the future' }] });
    const nobody = await admin.post('/data-subject-requests', { customerRef: 'CUST-NOBODY', kind: 'access' });
    expect(nobody.status).toBe(404);
    expect(nobody.body.code).toBe('not_found');
    const badFilter = await admin.get('/data-subject-requests?due=yesterday');
    expect(badFilter.body.code).toBe('validation_failed');
    const badId = await admin.get('/data-subject-requests/not-a-uuid');
    expect(badId.status).toBe(400);
  });

  test('admins and supervisors only, each within their branch', async () => {
    const westCustomer = await customer(west.id);
    const admin = await signIn('admin');
    const made = await admin.post('/data-subject-requests', { customerRef: westCustomer.ref, kind: 'rectification', details: 'New surname' });
    expect(made.status).toBe(201);
    const eastSupervisor = await signIn('supervisor', east.id);
    expect((await eastSupervisor.get(`/data-subject-requests/${made.body.id}`)).status).toBe(404);
    expect((await eastSupervisor.post('/data-subject-requests', { customerRef: westCustomer.ref, kind: 'access' })).status).toBe(404);
    expect((await eastSupervisor.get('/data-subject-requests')).body.items.some((i: { id: string }) => i.id === made.body.id)).toBe(false);
    const collector = await signIn('collector', east.id);
    const refused = await collector.get('/data-subject-requests');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
  });
});

describe('extending and answering', () => {
  test('an extension of up to two months needs a reason and comes within the first month; once only', async () => {
    const admin = await signIn('admin');
    const c = await customer(east.id);
    const made = (await admin.post('/data-subject-requests', { customerRef: c.ref, kind: 'access' })).body;
    const noReason = await admin.post(`/data-subject-requests/${made.id}/extend`, { months: 2, reason: '' });
    expect(noReason.status).toBe(400);
    const tooLong = await admin.post(`/data-subject-requests/${made.id}/extend`, { months: 3, reason: 'many records' });
    expect(tooLong.body).toMatchObject({ code: 'validation_failed', errors: [expect.objectContaining({ path: 'body.months' })] });
    const extended = await admin.post(`/data-subject-requests/${made.id}/extend`, { months: 2, reason: 'twelve years of records on four accounts' });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ extensionReason: 'twelve years of records on four accounts', currentDueOn: extended.body.extendedDueOn });
    const twice = await admin.post(`/data-subject-requests/${made.id}/extend`, { months: 1, reason: 'more' });
    expect(twice.status).toBe(422);
    expect(twice.body).toMatchObject({ code: 'extension_refused' });
    expect(twice.body.detail).toContain('extended already');

    const late = (await admin.post('/data-subject-requests', { customerRef: c.ref, kind: 'restriction', receivedAt: new Date(Date.now() - 45 * 86_400_000).toISOString() })).body;
    const tooLate = await admin.post(`/data-subject-requests/${late.id}/extend`, { months: 1, reason: 'complex' });
    expect(tooLate.status).toBe(422);
    expect(tooLate.body.detail).toContain('first month is over');
    expect(await db().auditLog.count({ where: { action: 'data_request.extended', entityId: made.id } })).toBe(1);
  });

  test('an access request is answered with a JSON export of everything held about the customer', async () => {
    const supervisor = await signIn('supervisor', east.id);
    const c = await customer(east.id);
    const made = (await supervisor.post('/data-subject-requests', { customerRef: c.ref, kind: 'access' })).body;
    expect((await supervisor.get(`/data-subject-requests/${made.id}/export`)).status).toBe(409);
    const done = await supervisor.post(`/data-subject-requests/${made.id}/complete`, { response: 'Your data is attached.' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'completed', response: 'Your data is attached.', dueState: 'answered', handledById: supervisor.user.id, result: null });
    const exported = await supervisor.get(`/data-subject-requests/${made.id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.headers['content-disposition']).toMatch(/^attachment; filename="data-export-CUST-/);
    expect(exported.body).toMatchObject({ customer: { name: 'Mara Quint', externalRef: c.ref }, contacts: [{ kind: 'email' }], about: { retention: expect.stringContaining('3 years') } });
    expect(exported.body.accounts[0]).toMatchObject({ externalRef: `A-${c.ref}`, balanceMinor: '990000', messages: [{ body: 'Kedves Mara Quint, ...' }], cases: [{ status: 'open' }] });
    expect(exported.body.auditTrail.length).toBeGreaterThanOrEqual(0);
    // The audit says it was answered, not what was in it.
    const audit = await db().auditLog.findFirstOrThrow({ where: { action: 'data_request.completed', entityId: made.id } });
    expect(JSON.stringify(audit.after)).not.toContain('Kedves');
    const again = await supervisor.post(`/data-subject-requests/${made.id}/complete`, { response: 'again' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('request_closed');
  });

  test('erasure during an open case keeps the record and says why; past retention it pseudonymises and says what is kept', async () => {
    const admin = await signIn('admin');
    const active = await customer(east.id);
    const keep = (await admin.post('/data-subject-requests', { customerRef: active.ref, kind: 'erasure' })).body;
    const kept = await admin.post(`/data-subject-requests/${keep.id}/complete`, { response: 'We must keep your record while the debt is collected.' });
    expect(kept.status).toBe(200);
    expect(kept.body.result).toMatchObject({ eraseNow: false, erased: [], keptUntil: null, kept: [{ why: expect.stringContaining('a collection case is open') }] });
    expect((await db().customer.findUniqueOrThrow({ where: { id: active.id } })).name).toBe('Mara Quint');

    const old = await customer(east.id, { closedYearsAgo: 4 });
    const erase = (await admin.post('/data-subject-requests', { customerRef: old.ref, kind: 'erasure', details: 'Please delete everything' })).body;
    const erased = await admin.post(`/data-subject-requests/${erase.id}/complete`, { response: 'Your personal data has been erased; amounts are kept for the accounts.' });
    expect(erased.status).toBe(200);
    expect(erased.body.result).toMatchObject({ eraseNow: true, counts: { contacts: 1, messages: 1 } });
    expect(erased.body.result.kept.map((k: { what: string }) => k.what)).toContain('the audit trail');
    expect(erased.body.customer).toMatchObject({ pseudonymised: true, name: expect.stringMatching(/^Pseudonymised customer /) });
    expect(erased.body.details).toBe('[erased]');
    expect((await db().message.findFirstOrThrow({ where: { accountId: old.accountId } })).body).toBe('[erased]');
    expect(await db().auditLog.findFirstOrThrow({ where: { action: 'customer.pseudonymised', entityId: old.id } })).toMatchObject({ actorType: 'user', after: expect.objectContaining({ reason: { kind: 'erasure_request', requestId: erase.id } }) });
    expect((await verifyAuditChain(db())).ok).toBe(true);
  });
});
