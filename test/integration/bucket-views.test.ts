// Around the bucket (W1) against real PostgreSQL: its summary by ageing band, branch, segment and
// stage under the bucket's filters; never-worked accounts (R5) and accounts in trace (W8) with the
// same filters; saved views (own, shared in the branch); branch scope throughout.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, testPassword } from '../support/fixtures.ts';
import { createAccount } from '../support/accounts.ts';

let system: TestSystem;
let east: { id: string };
let cent: { id: string };
let segment: { id: string };
const ids: Record<string, string> = {};

async function signIn(role: 'admin' | 'supervisor' | 'collector', branchId: string | null) {
  const user = await createUser(system.database.db, role, branchId);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  return { agent, csrf: res.body.csrfToken as string, user };
}

type Group = { key: string | null; label: string; count: number; balances: Array<{ amountMinor: number; currency: string }> };
const groupOf = (groups: Group[], key: string | null) => groups.find((g) => g.key === key);
const refsOf = (body: { items: Array<{ id: string }> }) => body.items.map((a) => a.id);

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  const db = system.database.db;
  east = await createBranch(db);
  cent = await createBranch(db, undefined, 'America/Chicago');
  segment = await db.segment.create({ data: { code: 'TEST_RETAIL', name: 'Test retail', criteria: {}, priority: 5 } });
  const worker = await createUser(db, 'collector', east.id);
  ids.young = (await createAccount(db, { branchId: east.id, balanceMinor: 10_000, daysPastDue: 10, caseStage: 'soft', segmentId: segment.id })).id;
  ids.worked = (await createAccount(db, { branchId: east.id, balanceMinor: 20_000, daysPastDue: 45, caseStage: 'hard', segmentId: segment.id })).id;
  ids.called = (await createAccount(db, { branchId: east.id, balanceMinor: 7_000, daysPastDue: 70, caseStage: 'hard' })).id;
  ids.emailedOnly = (await createAccount(db, { branchId: east.id, balanceMinor: 3_000, daysPastDue: 100, caseStage: 'pre_legal' })).id;
  ids.noted = (await createAccount(db, { branchId: east.id, balanceMinor: 1_000, daysPastDue: 5, caseStage: 'soft', customerType: 'corporate' })).id;
  ids.paid = (await createAccount(db, { branchId: east.id, balanceMinor: 0, caseStage: 'closed' })).id;
  ids.trace = (await createAccount(db, { branchId: east.id, balanceMinor: 5_000, daysPastDue: 120, status: 'trace', caseStage: 'legal' })).id;
  ids.central = (await createAccount(db, { branchId: cent.id, balanceMinor: 8_000, daysPastDue: 40, caseStage: 'soft', timeZone: 'America/Chicago' })).id;
  ids.centralTrace = (await createAccount(db, { branchId: cent.id, balanceMinor: 6_000, daysPastDue: 40, status: 'trace', caseStage: 'hard', timeZone: 'America/Chicago' })).id;
  await db.workLogEntry.create({ data: { accountId: ids.worked, userId: worker.id, startedAt: new Date(Date.now() - 3_600_000), finishedAt: new Date(Date.now() - 3_500_000), ending: 'finished' } });
  await db.workLogEntry.create({ data: { accountId: ids.trace, userId: worker.id, startedAt: new Date(Date.now() - 3_600_000), finishedAt: new Date(Date.now() - 3_500_000), ending: 'finished' } });
  await db.activity.createMany({
    data: [
      { accountId: ids.called, userId: worker.id, kind: 'call', outcome: 'no_answer', summary: 'Called' },
      { accountId: ids.emailedOnly, userId: null, kind: 'email', summary: 'Automated reminder' },
      { accountId: ids.noted, userId: worker.id, kind: 'note', summary: 'A note is not working the account' },
    ],
  });
});
afterAll(async () => system?.stop());

describe('the bucket summary', () => {
  test('counts and sums the accounts by ageing band, branch, segment and stage', async () => {
    const { agent } = await signIn('supervisor', null);
    const res = await agent.get('/api/v1/accounts/summary');
    expect(res.status).toBe(200);
    const s = res.body as { total: Group; byAgeingBucket: Group[]; byBranch: Group[]; bySegment: Group[]; byStage: Group[] };
    expect(s.total).toMatchObject({ count: 9, balances: [{ amountMinor: 60_000, currency: 'USD' }] });
    expect(groupOf(s.byAgeingBucket, '1-30')).toMatchObject({ count: 2, balances: [{ amountMinor: 11_000 }] });
    expect(groupOf(s.byAgeingBucket, '31-60')).toMatchObject({ count: 3, balances: [{ amountMinor: 34_000 }] });
    expect(groupOf(s.byAgeingBucket, '61-90')).toMatchObject({ count: 1 });
    expect(groupOf(s.byAgeingBucket, '90+')).toMatchObject({ count: 2, balances: [{ amountMinor: 8_000 }] });
    expect(groupOf(s.byAgeingBucket, 'current')).toMatchObject({ count: 1, balances: [{ amountMinor: 0 }] });
    expect(s.byAgeingBucket.reduce((n, g) => n + g.count, 0)).toBe(9);
    expect(groupOf(s.byBranch, east.id)).toMatchObject({ count: 7, balances: [{ amountMinor: 46_000 }] });
    expect(groupOf(s.byBranch, cent.id)).toMatchObject({ count: 2, balances: [{ amountMinor: 14_000 }] });
    expect(groupOf(s.bySegment, segment.id)).toMatchObject({ label: 'Test retail', count: 2, balances: [{ amountMinor: 30_000 }] });
    expect(groupOf(s.bySegment, null)).toMatchObject({ label: 'No segment', count: 7 });
    expect(groupOf(s.byStage, 'hard')).toMatchObject({ count: 3, balances: [{ amountMinor: 33_000 }] });
    expect(groupOf(s.byStage, 'legal')).toMatchObject({ count: 1 });
    expect(groupOf(s.byStage, null)).toMatchObject({ label: 'No open case', count: 1 });
  });

  test('follows the bucket’s filters, including the new segment and stage filters', async () => {
    const { agent } = await signIn('supervisor', null);
    const hardEast = await agent.get(`/api/v1/accounts/summary?branchId=${east.id}&stage=hard`);
    expect(hardEast.body.total).toMatchObject({ count: 2, balances: [{ amountMinor: 27_000 }] });
    expect(hardEast.body.byBranch.map((g: Group) => g.key)).toEqual([east.id]);
    const bySegment = await agent.get(`/api/v1/accounts?segmentId=${segment.id}&pageSize=100`);
    expect(refsOf(bySegment.body).sort()).toEqual([ids.young, ids.worked].sort());
    const corporate = await agent.get('/api/v1/accounts/summary?customerType=corporate');
    expect(corporate.body.total.count).toBe(1);
  });

  test('the East supervisor’s summary holds East only', async () => {
    const { agent } = await signIn('supervisor', east.id);
    const res = await agent.get('/api/v1/accounts/summary');
    expect(res.body.total.count).toBe(7);
    expect(res.body.byBranch.map((g: Group) => g.key)).toEqual([east.id]);
  });
});

describe('never-worked accounts (R5)', () => {
  test('are owing, with an open case, and never served nor called or visited by a person', async () => {
    const { agent } = await signIn('supervisor', null);
    const res = await agent.get('/api/v1/accounts/never-worked?pageSize=100');
    expect(res.status).toBe(200);
    // Not: worked (work log), called (a call by a user), paid (nothing owed), trace (work log).
    expect(refsOf(res.body).sort()).toEqual([ids.young, ids.emailedOnly, ids.noted, ids.central, ids.centralTrace].sort());
    expect(res.body.total).toBe(5);
  });

  test('take the bucket’s filters, and the same list comes from the bucket with worked=never', async () => {
    const { agent } = await signIn('supervisor', null);
    const old = await agent.get('/api/v1/accounts/never-worked?ageingBucket=90%2B');
    expect(refsOf(old.body)).toEqual([ids.emailedOnly]);
    const corporate = await agent.get('/api/v1/accounts/never-worked?customerType=corporate');
    expect(refsOf(corporate.body)).toEqual([ids.noted]);
    const viaBucket = await agent.get('/api/v1/accounts?worked=never&pageSize=100');
    expect(viaBucket.body.total).toBe(5);
    const summary = await agent.get('/api/v1/accounts/summary?worked=never');
    expect(summary.body.total.count).toBe(5);
  });

  test('the East supervisor does not see Central’s accounts', async () => {
    const { agent } = await signIn('supervisor', east.id);
    const res = await agent.get('/api/v1/accounts/never-worked?pageSize=100');
    expect(refsOf(res.body)).not.toContain(ids.central);
    expect(res.body.total).toBe(3);
  });
});

describe('accounts in trace (W8)', () => {
  test('lists the accounts in trace with the bucket’s filters, within the branch', async () => {
    const all = await (await signIn('supervisor', null)).agent.get('/api/v1/accounts/trace');
    expect(refsOf(all.body).sort()).toEqual([ids.trace, ids.centralTrace].sort());
    const eastOnly = await (await signIn('supervisor', east.id)).agent.get('/api/v1/accounts/trace');
    expect(refsOf(eastOnly.body)).toEqual([ids.trace]);
    const filtered = await (await signIn('supervisor', null)).agent.get('/api/v1/accounts/trace?ageingBucket=31-60');
    expect(refsOf(filtered.body)).toEqual([ids.centralTrace]);
  });
});

describe('bad requests to the lists and the summary', () => {
  test.each([
    ['/api/v1/accounts/summary?ageingBucket=old', 'query.ageingBucket'],
    ['/api/v1/accounts/summary?stage=closed', 'query.stage'],
    ['/api/v1/accounts/summary?page=2', 'query'],
    ['/api/v1/accounts/never-worked?worked=never', 'query'],
    ['/api/v1/accounts/never-worked?pageSize=1000', 'query.pageSize'],
    ['/api/v1/accounts/trace?status=delinquent', 'query'],
    ['/api/v1/accounts/trace?segmentId=retail', 'query.segmentId'],
    ['/api/v1/accounts?worked=always', 'query.worked'],
  ])('%s is refused with 400', async (url, path) => {
    const { agent } = await signIn('supervisor', null);
    const res = await agent.get(url);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
  });

  test('the never-worked and trace lists are the supervisor’s (team:monitor); the summary is the bucket’s (accounts:read)', async () => {
    const { agent } = await signIn('collector', east.id);
    expect((await agent.get('/api/v1/accounts/never-worked')).status).toBe(403);
    expect((await agent.get('/api/v1/accounts/trace')).status).toBe(403);
    expect((await agent.get('/api/v1/accounts/summary')).status).toBe(200);
    expect((await request(system.app).get('/api/v1/accounts/summary')).status).toBe(401);
  });
});

describe('saved views', () => {
  test('a view saved with the bucket’s filters is listed for its owner and round-trips', async () => {
    const { agent, csrf } = await signIn('supervisor', east.id);
    const created = await agent.post('/api/v1/saved-views').set('x-csrf-token', csrf).send({ name: 'Old and large', query: { ageingBucket: '90+', sort: 'balance', order: 'desc' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Old and large', shared: false, mine: true, query: { ageingBucket: '90+', sort: 'balance', order: 'desc' } });
    const list = await agent.get('/api/v1/saved-views');
    expect(list.body.items.map((v: { id: string }) => v.id)).toContain(created.body.id);
    const again = await agent.post('/api/v1/saved-views').set('x-csrf-token', csrf).send({ name: 'Old and large', query: {} });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('saved_view_name_taken');
    expect((await agent.delete(`/api/v1/saved-views/${created.body.id}`).set('x-csrf-token', csrf)).status).toBe(204);
    expect((await agent.get('/api/v1/saved-views')).body.items).toEqual([]);
    expect((await agent.delete(`/api/v1/saved-views/${created.body.id}`).set('x-csrf-token', csrf)).status).toBe(404);
  });

  test('a shared view is offered in its owner’s branch (and to supervisors of every branch), not in another branch; only its owner deletes it', async () => {
    const owner = await signIn('supervisor', east.id);
    const shared = await owner.agent.post('/api/v1/saved-views').set('x-csrf-token', owner.csrf).send({ name: 'East team view', query: { worked: 'never' }, shared: true });
    const privateView = await owner.agent.post('/api/v1/saved-views').set('x-csrf-token', owner.csrf).send({ name: 'Mine only', query: { status: 'trace' } });
    expect(shared.status).toBe(201);
    const colleague = await signIn('collector', east.id);
    const theirs = (await colleague.agent.get('/api/v1/saved-views')).body.items as Array<{ id: string; mine: boolean; owner: { id: string } }>;
    expect(theirs.map((v) => v.id)).toEqual([shared.body.id]);
    expect(theirs[0]).toMatchObject({ mine: false, owner: { id: owner.user.id } });
    expect((await colleague.agent.delete(`/api/v1/saved-views/${shared.body.id}`).set('x-csrf-token', colleague.csrf)).status).toBe(403);
    expect((await colleague.agent.delete(`/api/v1/saved-views/${privateView.body.id}`).set('x-csrf-token', colleague.csrf)).status).toBe(404);
    const central = await signIn('collector', cent.id);
    expect((await central.agent.get('/api/v1/saved-views')).body.items).toEqual([]);
    const head = await signIn('supervisor', null);
    expect((await head.agent.get('/api/v1/saved-views')).body.items.map((v: { id: string }) => v.id)).toEqual([shared.body.id]);
  });

  test.each([
    [{ name: '', query: {} }, 'body.name'],
    [{ name: 'x'.repeat(81), query: {} }, 'body.name'],
    [{ name: 'Bad filter', query: { ageingBucket: 'ancient' } }, 'body.query.ageingBucket'],
    [{ name: 'Unknown filter', query: { colour: 'blue' } }, 'body.query'],
    [{ name: 'Paging is not a view', query: { page: 3 } }, 'body.query'],
    [{ name: 'No query' }, 'body.query'],
    [{ name: 'Shared?', query: {}, shared: 'yes' }, 'body.shared'],
  ])('an invalid view %j is refused with 400', async (body, path) => {
    const { agent, csrf } = await signIn('supervisor', null);
    const res = await agent.post('/api/v1/saved-views').set('x-csrf-token', csrf).send(body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
  });

  test('a bad id is 400, an API key has no views (403)', async () => {
    const { agent, csrf } = await signIn('supervisor', null);
    expect((await agent.delete('/api/v1/saved-views/not-a-uuid').set('x-csrf-token', csrf)).status).toBe(400);
    const key = await createApiKey(system.database.db, ['accounts:read']);
    const res = await request(system.app).get('/api/v1/saved-views').set('x-api-key', key);
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
  });
});
