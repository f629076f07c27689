// Served queues (W2, W3, W4, W7, S2): "next account" gives each collector the top eligible account
// of their work, never the same one to two people, and leaves out what must not be worked now.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createAccountInArrears, createBranch, createUser, testPassword } from '../support/fixtures.ts';
import { nightZone } from '../support/time-zones.ts';
import { finishWork, nextAccount, postponeWork } from '../../services/work-serving.ts';
import { createQueue } from '../../services/work-queues.ts';
import { postponementGraceMs } from '../../domain/work-queues.ts';
import type { Principal } from '../../domain/access.ts';
import type { Role } from '../../platform/db/client.ts';

let system: TestSystem;
const db = () => system.database.db;
type User = Extract<Principal, { kind: 'user' }>;

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
});
afterAll(async () => system?.stop());

async function user(role: Role, branchId: string | null): Promise<User> {
  const row = await createUser(db(), role, branchId);
  return { kind: 'user', id: row.id, role, branchId, name: row.name };
}

async function signIn(u: User) {
  const row = await db().user.findUniqueOrThrow({ where: { id: u.id } });
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: row.email, password: testPassword });
  return { agent, csrf: res.body.csrfToken as string };
}

/** A branch with a queue worked by the whole branch, ordered as given. */
async function branchWithQueue(ordering: Parameters<typeof createQueue>[3]['ordering'] = ['oldest_debt']) {
  const branch = await createBranch(db());
  const admin = await user('admin', null);
  const queue = await createQueue(db(), admin, { type: 'user', id: admin.id }, { name: `Queue ${branch.code}`, branchId: branch.id, filter: {}, ordering, rank: 1, active: true, members: { userIds: [], branchIds: [branch.id] } });
  return { branch, queue };
}

const servedId = async (u: User, now?: Date) => {
  const served = await nextAccount(db(), u, now);
  return served.account?.id ?? null;
};

describe('next account', () => {
  test('serves the queue in its order: oldest debt first, then the next', async () => {
    const { branch } = await branchWithQueue(['oldest_debt']);
    const newer = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 10 });
    const older = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 70 });
    const collector = await user('collector', branch.id);
    expect(await servedId(collector)).toBe(older.id);
    // Asking again finishes the first and serves the next.
    expect(await servedId(collector)).toBe(newer.id);
    expect(await db().workLogEntry.count({ where: { userId: collector.id, ending: 'finished' } })).toBe(1);
    expect((await db().account.findUniqueOrThrow({ where: { id: older.id } })).lastWorkedById).toBe(collector.id);
  });

  test('largest balance first when the supervisor orders by amount', async () => {
    const { branch } = await branchWithQueue(['largest_balance']);
    const small = await createAccountInArrears(db(), { branchId: branch.id, balanceMinor: 5_000 });
    const large = await createAccountInArrears(db(), { branchId: branch.id, balanceMinor: 90_000 });
    const collector = await user('collector', branch.id);
    expect(await servedId(collector)).toBe(large.id);
    expect(await servedId(collector)).toBe(small.id);
  });

  test('W2 by sector: a queue narrowed to two sectors serves them in sector order, and nothing of another sector', async () => {
    const branch = await createBranch(db());
    const admin = await user('admin', null);
    await createQueue(db(), admin, { type: 'user', id: admin.id }, { name: 'Builders and councils', branchId: branch.id, filter: { sectors: ['Construction', 'public sector'] }, ordering: ['sector', 'largest_balance'], rank: 1, active: true, members: { userIds: [], branchIds: [branch.id] } });
    const inSector = async (sector: string | null, balanceMinor: number) => {
      const acc = await createAccountInArrears(db(), { branchId: branch.id, balanceMinor });
      if (sector) await db().account.update({ where: { id: acc.id }, data: { attributes: { sector } } });
      return acc.id;
    };
    const council = await inSector('Public sector', 5_000);
    const bigBuilder = await inSector('construction', 80_000);
    const smallBuilder = await inSector('Construction', 20_000);
    await inSector('Retail trade', 99_000);
    await inSector(null, 99_500);
    const collector = await user('collector', branch.id);
    const served: Array<string | null> = [];
    for (let i = 0; i < 4; i++) served.push(await servedId(collector));
    expect(served).toEqual([bigBuilder, smallBuilder, council, null]);
  });

  test('two collectors pressing "next" at the same moment never get the same account', async () => {
    const { branch } = await branchWithQueue(['oldest_debt']);
    const accounts = await Promise.all(Array.from({ length: 24 }, (_, k) => createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 10 + k })));
    const collectors = await Promise.all(Array.from({ length: 6 }, () => user('collector', branch.id)));
    const served: string[] = [];
    // Four rounds, six collectors at once each round; "next" finishes each one's previous account.
    for (let round = 0; round < 4; round++) {
      const answers = await Promise.all(collectors.map((c) => nextAccount(db(), c)));
      for (const answer of answers) served.push(answer.account!.id);
    }
    expect(served).toHaveLength(24);
    expect(new Set(served).size).toBe(24);
    expect(new Set(served)).toEqual(new Set(accounts.map((a) => a.id)));
  });

  test('leaves out accounts postponed to the future, fully disputed, held by the contact policy, or worked by someone else', async () => {
    const { branch } = await branchWithQueue(['oldest_debt']);
    const collector = await user('collector', branch.id);
    const other = await user('collector', branch.id);
    const postponed = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 90 });
    await postponeWork(db(), other.id, postponed.id, new Date(Date.now() + 3_600_000));
    const disputed = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 89 });
    await db().invoice.updateMany({ where: { accountId: disputed.id }, data: { status: 'disputed' } });
    await db().account.update({ where: { id: disputed.id }, data: { balanceMinor: 0n } });
    const ceased = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 88 });
    await db().customer.update({ where: { id: ceased.customerId }, data: { ceaseCommunicationAt: new Date() } });
    const talkedYesterday = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 87 });
    await db().activity.create({ data: { accountId: talkedYesterday.id, kind: 'call', outcome: 'conversation', summary: 'Spoke to the debtor', occurredAt: new Date(Date.now() - 86_400_000) } });
    const nightOwl = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 86, timeZone: nightZone() });
    const worked = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 85 });
    expect(await servedId(other)).toBe(worked.id); // "other" is working it now
    const plain = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 5 });

    expect(await servedId(collector)).toBe(plain.id);
    // The policy's holds are remembered on the account, with when to look again.
    const held = await db().account.findMany({ where: { id: { in: [ceased.id, talkedYesterday.id, nightOwl.id] } }, select: { id: true, callHoldUntil: true } });
    for (const h of held) expect(h.callHoldUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(held.find((h) => h.id === talkedYesterday.id)!.callHoldUntil!.getTime()).toBeGreaterThan(Date.now() + 5 * 86_400_000);
    // Nothing left to serve, and the collector is told when the first held account may be called.
    const none = await nextAccount(db(), collector);
    expect(none).toMatchObject({ account: null, reason: 'queues_empty' });
    const earliest = Math.min(...held.map((h) => h.callHoldUntil!.getTime()));
    expect(none.account === null && none.heldUntil?.getTime()).toBeLessThanOrEqual(earliest);
  });

  test('a postponed account comes back at its time to the collector who postponed it, and to the queue if they are away', async () => {
    const { branch } = await branchWithQueue();
    const account = await createAccountInArrears(db(), { branchId: branch.id });
    const carla = await user('collector', branch.id);
    const omar = await user('collector', branch.id);
    expect(await servedId(carla)).toBe(account.id);
    const until = new Date(Date.now() + 3_600_000);
    await postponeWork(db(), carla.id, account.id, until);
    expect(await db().accountLease.count({ where: { accountId: account.id } })).toBe(0);
    expect(await servedId(omar)).toBeNull();
    expect(await servedId(carla)).toBeNull();
    // At its time it is Carla's, not Omar's…
    const due = new Date(until.getTime() + 60_000);
    expect(await servedId(omar, due)).toBeNull();
    const back = await nextAccount(db(), carla, due);
    expect(back).toMatchObject({ account: { id: account.id }, reason: 'postponed' });
    await finishWork(db(), carla, account.id, 'finished', due);
    // Worked now: it does not come round again today.
    expect(await servedId(carla, new Date(due.getTime() + 60_000))).toBeNull();
    // Another postponement of Carla's that she does not take in time goes to anyone in the queue after the grace.
    const second = await createAccountInArrears(db(), { branchId: branch.id });
    await postponeWork(db(), carla.id, second.id, until);
    expect(await servedId(omar, due)).toBeNull();
    expect(await servedId(omar, new Date(until.getTime() + postponementGraceMs + 60_000))).toBe(second.id);
  });

  test('an account allocated to a collector goes to them first and to nobody else', async () => {
    const { branch } = await branchWithQueue();
    const carla = await user('collector', branch.id);
    const omar = await user('collector', branch.id);
    const supervisor = await user('supervisor', branch.id);
    const mine = await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 3 });
    await createAccountInArrears(db(), { branchId: branch.id, daysPastDue: 100 });
    const { agent, csrf } = await signIn(supervisor);
    const res = await agent.post('/api/v1/work/allocations').set('x-csrf-token', csrf).send({ collectorId: carla.id, accountIds: [mine.id] });
    expect(res.status).toBe(200);
    expect(res.body.allocated).toBe(1);
    expect(await db().auditLog.count({ where: { accountId: mine.id, action: 'account.allocated' } })).toBe(1);
    expect(await nextAccount(db(), carla)).toMatchObject({ account: { id: mine.id }, reason: 'allocated' });
    await finishWork(db(), carla, mine.id, 'finished');
    const omarGets = await servedId(omar);
    expect(omarGets).not.toBe(mine.id);
  });

  test("a collector is never served another branch's account, whatever the queue says", async () => {
    const east = await createBranch(db());
    const cent = await createBranch(db());
    const admin = await user('admin', null);
    const eastAccount = await createAccountInArrears(db(), { branchId: east.id });
    const centCollector = await user('collector', cent.id);
    await createQueue(db(), admin, { type: 'user', id: admin.id }, { name: 'Everything', branchId: null, filter: {}, ordering: ['oldest_debt'], rank: 1, active: true, members: { userIds: [centCollector.id], branchIds: [] } });
    const served = await nextAccount(db(), centCollector);
    expect(served.account?.id).not.toBe(eastAccount.id);
    const { agent, csrf } = await signIn(centCollector);
    const lease = await agent.post(`/api/v1/accounts/${eastAccount.id}/lease`).set('x-csrf-token', csrf);
    expect(lease.status).toBe(404);
  });
});

describe('the work API', () => {
  test('next, lease, the W7 holder on the account, finish', async () => {
    const { branch } = await branchWithQueue();
    const account = await createAccountInArrears(db(), { branchId: branch.id, name: 'Pat Lease' });
    const carla = await user('collector', branch.id);
    const omar = await user('collector', branch.id);
    const c = await signIn(carla);
    const o = await signIn(omar);
    const next = await c.agent.post('/api/v1/work/next').set('x-csrf-token', c.csrf);
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ account: { id: account.id, customerName: 'Pat Lease' }, reason: 'queue', lease: { expiresAt: expect.any(String) } });
    expect(next.body.explanation).toContain('Next in queue');

    const taken = await o.agent.post(`/api/v1/accounts/${account.id}/lease`).set('x-csrf-token', o.csrf);
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'account_leased', holder: { userId: carla.id, name: carla.name } });
    const seen = await o.agent.get(`/api/v1/accounts/${account.id}`);
    expect(seen.body.work.leasedBy).toMatchObject({ userId: carla.id, name: carla.name });

    const renewed = await c.agent.post(`/api/v1/accounts/${account.id}/lease`).set('x-csrf-token', c.csrf);
    expect(renewed.body.renewed).toBe(true);
    expect((await c.agent.delete(`/api/v1/accounts/${account.id}/lease`).set('x-csrf-token', c.csrf)).status).toBe(204);
    const again = await c.agent.delete(`/api/v1/accounts/${account.id}/lease`).set('x-csrf-token', c.csrf);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('not_leased');
    const after = await o.agent.get(`/api/v1/accounts/${account.id}`);
    expect(after.body.work).toMatchObject({ leasedBy: null, lastWorked: { userId: carla.id } });
    const empty = await c.agent.post('/api/v1/work/next').set('x-csrf-token', c.csrf);
    expect(empty.body).toMatchObject({ account: null, reason: 'queues_empty' });
  });

  test('a collector works one account at a time: opening another finishes the first', async () => {
    const { branch } = await branchWithQueue();
    const first = await createAccountInArrears(db(), { branchId: branch.id });
    const second = await createAccountInArrears(db(), { branchId: branch.id });
    const carla = await user('collector', branch.id);
    const c = await signIn(carla);
    expect((await c.agent.post(`/api/v1/accounts/${first.id}/lease`).set('x-csrf-token', c.csrf)).status).toBe(200);
    expect((await c.agent.post(`/api/v1/accounts/${second.id}/lease`).set('x-csrf-token', c.csrf)).status).toBe(200);
    expect((await db().accountLease.findMany({ where: { userId: carla.id } })).map((l) => l.accountId)).toEqual([second.id]);
    expect(await db().workLogEntry.findFirst({ where: { userId: carla.id, accountId: first.id } })).toMatchObject({ ending: 'released', finishedAt: expect.any(Date) });
  });

  test('queues: created, previewed and changed by a supervisor, with contradictions refused', async () => {
    const branch = await createBranch(db());
    const other = await createBranch(db());
    const supervisor = await user('supervisor', branch.id);
    const collector = await user('collector', branch.id);
    await createAccountInArrears(db(), { branchId: branch.id, balanceMinor: 50_000, daysPastDue: 40 });
    await createAccountInArrears(db(), { branchId: branch.id, balanceMinor: 2_000, daysPastDue: 40 });
    const s = await signIn(supervisor);
    const body = { name: 'Big debts', filter: { minBalanceMinor: 10_000 }, ordering: ['largest_balance'], members: { userIds: [collector.id] } };
    const preview = await s.agent.post('/api/v1/work/queues/preview').set('x-csrf-token', s.csrf).send({ filter: body.filter, ordering: body.ordering });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ count: 1, balanceMinor: 50_000 });
    const created = await s.agent.post('/api/v1/work/queues').set('x-csrf-token', s.csrf).send(body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Big debts', branchId: branch.id, members: { userIds: [collector.id] } });
    const mine = await (await signIn(collector)).agent.get('/api/v1/work/my-queues');
    expect(mine.body.items).toEqual([{ id: created.body.id, name: 'Big debts', count: 1 }]);

    const bad = await s.agent.post('/api/v1/work/queues').set('x-csrf-token', s.csrf).send({ name: 'Nothing', filter: { minDaysPastDue: 60, maxDaysPastDue: 30 }, ordering: ['oldest_debt', 'newest_debt'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['filter.maxDaysPastDue', 'ordering']);
    const unknownKey = await s.agent.post('/api/v1/work/queues').set('x-csrf-token', s.csrf).send({ name: 'X', ordering: ['alphabetical'] });
    expect(unknownKey.status).toBe(400);
    const foreign = await s.agent.post('/api/v1/work/queues').set('x-csrf-token', s.csrf).send({ name: 'Theirs', branchId: other.id });
    expect(foreign.status).toBe(403);
    const unknownSegment = await s.agent.post('/api/v1/work/queues').set('x-csrf-token', s.csrf).send({ name: 'Seg', filter: { segmentCodes: ['NOPE'] } });
    expect(unknownSegment.status).toBe(400);

    const changed = await s.agent.put(`/api/v1/work/queues/${created.body.id}`).set('x-csrf-token', s.csrf).send({ ...body, name: 'Big debts today', ordering: ['oldest_debt'] });
    expect(changed.status).toBe(200);
    expect(await db().auditLog.count({ where: { entityId: created.body.id, action: { in: ['work_queue.created', 'work_queue.updated'] } } })).toBe(2);
    const c = await signIn(collector);
    expect((await c.agent.post('/api/v1/work/queues').set('x-csrf-token', c.csrf).send(body)).status).toBe(403);
    expect((await c.agent.delete(`/api/v1/work/queues/${created.body.id}`).set('x-csrf-token', c.csrf)).status).toBe(403);
    expect((await s.agent.delete(`/api/v1/work/queues/${created.body.id}`).set('x-csrf-token', s.csrf)).status).toBe(204);
  });

  test('allocation refuses accounts of another branch and unknown collectors', async () => {
    const branch = await createBranch(db());
    const other = await createBranch(db());
    const supervisor = await user('supervisor', branch.id);
    const foreignAccount = await createAccountInArrears(db(), { branchId: other.id });
    const collector = await user('collector', branch.id);
    const s = await signIn(supervisor);
    const foreign = await s.agent.post('/api/v1/work/allocations').set('x-csrf-token', s.csrf).send({ collectorId: collector.id, accountIds: [foreignAccount.id] });
    expect(foreign.status).toBe(400);
    const nobody = await s.agent.post('/api/v1/work/allocations').set('x-csrf-token', s.csrf).send({ collectorId: '00000000-0000-4000-8000-000000000000', accountIds: [foreignAccount.id] });
    expect(nobody.status).toBe(400);
    const neither = await s.agent.post('/api/v1/work/allocations').set('x-csrf-token', s.csrf).send({ collectorId: collector.id });
    expect(neither.status).toBe(400);
    expect((await db().account.findUniqueOrThrow({ where: { id: foreignAccount.id } })).allocatedToId).toBeNull();
  });
});

