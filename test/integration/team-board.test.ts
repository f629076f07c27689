// The supervisor's board (W5, R1) through the API against real PostgreSQL: work-log stretches,
// contacts, promises, payments and leases written directly, the board read back per collector and
// for the team, for a past day and live, within the supervisor's branch; the live stream (SSE).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, testPassword } from '../support/fixtures.ts';
import { createAccount } from '../support/accounts.ts';
import { openBoardStreams } from '../../api/team-board-stream.ts';

let system: TestSystem;
let east: { id: string; code: string };
let cent: { id: string; code: string };
let carla: { id: string; name: string };
let omar: { id: string; name: string };
let priya: { id: string; name: string };
let acc1: { id: string; externalRef: string };
let acc2: { id: string; externalRef: string };
let acc3: { id: string; externalRef: string };
let centAccount: { id: string; externalRef: string };

const at = (iso: string) => new Date(iso);

async function signIn(role: 'admin' | 'supervisor' | 'collector', branchId: string | null) {
  const user = await createUser(system.database.db, role, branchId);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  expect(res.status).toBe(200);
  return { agent, user, cookie: (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ') };
}

type Row = { user: { id: string }; accountsWorked: number; contacts: number; rightPartyContacts: number; promises: { count: number; amounts: Array<{ amountMinor: number }> }; payments: { count: number; amounts: Array<{ amountMinor: number }> }; idleMinutes: number; status: string | null; statusSince: string | null; nowWorkingOn: { accountRef: string } | null };
const rowOf = (body: { rows: Row[] }, userId: string) => body.rows.find((r) => r.user.id === userId);

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  const db = system.database.db;
  east = await createBranch(db, undefined, 'America/New_York');
  cent = await createBranch(db, undefined, 'America/Chicago');
  carla = await createUser(db, 'collector', east.id);
  omar = await createUser(db, 'collector', east.id);
  priya = await createUser(db, 'collector', cent.id);
  acc1 = await createAccount(db, { branchId: east.id });
  acc2 = await createAccount(db, { branchId: east.id });
  acc3 = await createAccount(db, { branchId: east.id });
  centAccount = await createAccount(db, { branchId: cent.id, timeZone: 'America/Chicago' });

  // 20 November 2026 in Boston (UTC-5): Carla works acc1 twice and acc2; Omar works acc3 late at night.
  await db.workLogEntry.createMany({
    data: [
      { accountId: acc1.id, userId: carla.id, startedAt: at('2026-11-20T14:00:00Z'), finishedAt: at('2026-11-20T14:05:00Z'), ending: 'finished' },
      { accountId: acc1.id, userId: carla.id, startedAt: at('2026-11-20T14:10:00Z'), finishedAt: at('2026-11-20T14:15:00Z'), ending: 'postponed' },
      { accountId: acc2.id, userId: carla.id, startedAt: at('2026-11-20T14:30:00Z'), finishedAt: at('2026-11-20T14:40:00Z'), ending: 'finished' },
      // 22:00 on the 20th in Boston (03:00 UTC on the 21st): still the 20th.
      { accountId: acc3.id, userId: omar.id, startedAt: at('2026-11-21T03:00:00Z'), finishedAt: at('2026-11-21T03:04:00Z'), ending: 'finished' },
      // 23:00 on the 19th in Boston: the day before.
      { accountId: acc2.id, userId: omar.id, startedAt: at('2026-11-20T04:00:00Z'), finishedAt: at('2026-11-20T04:06:00Z'), ending: 'expired' },
      { accountId: centAccount.id, userId: priya.id, startedAt: at('2026-11-20T15:00:00Z'), finishedAt: at('2026-11-20T15:10:00Z'), ending: 'finished' },
    ],
  });
  await db.activity.createMany({
    data: [
      { accountId: acc1.id, userId: carla.id, kind: 'call', outcome: 'no_answer', summary: 'No answer', occurredAt: at('2026-11-20T14:01:00Z') },
      { accountId: acc1.id, userId: carla.id, kind: 'call', outcome: 'reached', summary: 'Spoke to the debtor', occurredAt: at('2026-11-20T14:11:00Z') },
      { accountId: acc2.id, userId: carla.id, kind: 'call', outcome: 'promise', summary: 'Promised to pay', occurredAt: at('2026-11-20T14:31:00Z') },
      { accountId: acc2.id, userId: carla.id, kind: 'note', outcome: null, summary: 'A note is not a contact', occurredAt: at('2026-11-20T14:35:00Z') },
      { accountId: acc2.id, userId: null, kind: 'email', outcome: null, summary: 'Automated reminder: nobody’s contact', occurredAt: at('2026-11-20T14:36:00Z') },
      { accountId: acc3.id, userId: omar.id, kind: 'sms', outcome: null, summary: 'Texted', occurredAt: at('2026-11-21T03:01:00Z') },
    ],
  });
  await db.promiseToPay.create({ data: { accountId: acc2.id, amountMinor: 5000n, currency: 'USD', dueDate: at('2026-11-25T00:00:00Z'), createdById: carla.id, createdAt: at('2026-11-20T14:32:00Z') } });
  await db.promiseToPay.create({ data: { accountId: acc1.id, amountMinor: 9900n, currency: 'USD', dueDate: at('2026-11-18T00:00:00Z'), createdById: omar.id, createdAt: at('2026-11-10T14:00:00Z'), status: 'broken', resolvedAt: at('2026-11-19T05:00:00Z') } });
  await db.payment.createMany({
    data: [
      // On Carla's pending promise: hers.
      { accountId: acc2.id, externalRef: 'PAY-1', amountMinor: 3000n, currency: 'USD', method: 'card', source: 'billing', receivedAt: at('2026-11-20T19:00:00Z') },
      // Reversed: not counted.
      { accountId: acc2.id, externalRef: 'PAY-2', amountMinor: 1000n, currency: 'USD', method: 'cheque', source: 'billing', receivedAt: at('2026-11-20T19:30:00Z'), status: 'reversed', reversedAt: at('2026-11-20T20:00:00Z') },
      // After Omar's promise broke: nobody's.
      { accountId: acc1.id, externalRef: 'PAY-3', amountMinor: 2000n, currency: 'USD', method: 'card', source: 'billing', receivedAt: at('2026-11-20T19:00:00Z') },
    ],
  });
});
afterAll(async () => system?.stop());

describe('the board for a past day (R1: accounts worked per collector, at any time)', () => {
  test('counts each collector’s accounts worked, contacts, right-party contacts, promises, payments and idle time', async () => {
    const { agent } = await signIn('supervisor', null);
    const res = await agent.get(`/api/v1/team/board?date=2026-11-20&branchId=${east.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: '2026-11-20', to: '2026-11-20', live: false });
    const c = rowOf(res.body, carla.id)!;
    expect(c).toMatchObject({ accountsWorked: 2, contacts: 3, rightPartyContacts: 2, status: null, nowWorkingOn: null });
    expect(c.promises).toEqual({ count: 1, amounts: [{ amountMinor: 5000, currency: 'USD' }] });
    expect(c.payments).toEqual({ count: 1, amounts: [{ amountMinor: 3000, currency: 'USD' }] });
    // 14:05→14:10 (5 min) and 14:15→14:30 (15 min) are over 2 minutes.
    expect(c.idleMinutes).toBe(20);
    const o = rowOf(res.body, omar.id)!;
    expect(o).toMatchObject({ accountsWorked: 1, contacts: 1, rightPartyContacts: 0, idleMinutes: 0 });
    expect(o.payments.count).toBe(0);
    expect(res.body.totals).toMatchObject({ collectors: 2, accountsWorked: 3, contacts: 4, rightPartyContacts: 2, idleMinutes: 20 });
    expect(res.body.totals.promises.count).toBe(1);
  });

  test('a date range adds the days up', async () => {
    const { agent } = await signIn('supervisor', null);
    const res = await agent.get(`/api/v1/team/board?from=2026-11-19&to=2026-11-20&branchId=${east.id}`);
    expect(res.status).toBe(200);
    expect(rowOf(res.body, omar.id)!.accountsWorked).toBe(2);
    expect(res.body.totals.accountsWorked).toBe(3);
  });
});

describe('branch scope', () => {
  test('the East supervisor sees East’s collectors only, and cannot ask for another branch', async () => {
    const { agent } = await signIn('supervisor', east.id);
    const res = await agent.get('/api/v1/team/board?date=2026-11-20');
    expect(res.status).toBe(200);
    const ids = res.body.rows.map((r: Row) => r.user.id);
    expect(ids).toEqual(expect.arrayContaining([carla.id, omar.id]));
    expect(ids).not.toContain(priya.id);
    const other = await agent.get(`/api/v1/team/board?branchId=${cent.id}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('not_found');
    const stream = await agent.get(`/api/v1/team/board/stream?branchId=${cent.id}`);
    expect(stream.status).toBe(404);
  });

  test('a supervisor of every branch sees all of them, or the one asked for', async () => {
    const { agent } = await signIn('supervisor', null);
    const all = await agent.get('/api/v1/team/board?date=2026-11-20');
    expect(all.body.rows.map((r: Row) => r.user.id)).toEqual(expect.arrayContaining([carla.id, omar.id, priya.id]));
    const central = await agent.get(`/api/v1/team/board?date=2026-11-20&branchId=${cent.id}`);
    expect(central.body.rows.map((r: Row) => r.user.id)).toEqual([priya.id]);
    expect(rowOf(central.body, priya.id)!.accountsWorked).toBe(1);
  });
});

describe('the board live', () => {
  test('shows who is working on what since when, who is idle and who is offline', async () => {
    const db = system.database.db;
    const now = Date.now();
    await db.workLogEntry.create({ data: { accountId: acc1.id, userId: carla.id, startedAt: new Date(now - 60_000), finishedAt: null } });
    await db.accountLease.create({ data: { accountId: acc1.id, userId: carla.id, leasedAt: new Date(now - 60_000), renewedAt: new Date(now - 60_000), expiresAt: new Date(now + 300_000) } });
    // Omar's lease has expired: void; his stretch still open under it ended when it expired.
    const expiredAt = new Date(now - 60_000);
    await db.workLogEntry.create({ data: { accountId: acc3.id, userId: omar.id, startedAt: new Date(now - 900_000), finishedAt: null } });
    await db.accountLease.create({ data: { accountId: acc3.id, userId: omar.id, leasedAt: new Date(now - 900_000), renewedAt: new Date(now - 900_000), expiresAt: expiredAt } });
    // Omar is signed in (a session), so idle rather than offline.
    await request(system.app).post('/api/v1/auth/login').send({ email: (await db.user.findUniqueOrThrow({ where: { id: omar.id } })).email, password: testPassword }).expect(200);
    await db.session.updateMany({ where: { userId: omar.id }, data: { createdAt: new Date(now - 20 * 60_000) } });

    const { agent } = await signIn('supervisor', east.id);
    const res = await agent.get('/api/v1/team/board');
    expect(res.status).toBe(200);
    expect(res.body.live).toBe(true);
    const c = rowOf(res.body, carla.id)!;
    expect(c.status).toBe('working');
    expect(c.nowWorkingOn).toMatchObject({ accountId: acc1.id, accountRef: acc1.externalRef });
    expect(c.accountsWorked).toBe(1);
    // Idle since his last sign of work: the end of that stretch, when the lease expired.
    expect(rowOf(res.body, omar.id)).toMatchObject({ status: 'idle', statusSince: expiredAt.toISOString(), nowWorkingOn: null, accountsWorked: 1 });
    expect(res.body.totals).toMatchObject({ working: 1 });
    expect(res.body.totals.idle).toBeGreaterThanOrEqual(1);
  });

  test('the stream pushes the board, then again when a collector records a promise, and ends cleanly', async () => {
    const { cookie } = await signIn('supervisor', east.id);
    const server: Server = await new Promise((resolve) => {
      const s = system.app.listen(0, () => resolve(s));
    });
    const controller = new AbortController();
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/team/board/stream`, { headers: { cookie }, signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('cache-control')).toContain('no-transform');
      expect(res.headers.get('content-encoding')).toBeNull(); // fetch accepts gzip and br; a compressed stream would hold events back
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      const nextBoard = async () => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame.split('\n').find((l) => l.startsWith('data: '));
            if (frame.includes('event: board') && data) return JSON.parse(data.slice(6)) as { rows: Row[]; totals: { promises: { count: number } } };
            continue;
          }
          const { value, done } = await reader.read();
          if (done) throw new Error('the stream ended');
          buffer += value;
        }
      };
      const first = await nextBoard();
      const before = rowOf(first, carla.id)!.promises.count;
      await system.database.db.promiseToPay.create({ data: { accountId: acc1.id, amountMinor: 7700n, currency: 'USD', dueDate: new Date(Date.now() + 5 * 86_400_000), createdById: carla.id } });
      const second = await nextBoard();
      expect(rowOf(second, carla.id)!.promises.count).toBe(before + 1);
      expect(rowOf(second, carla.id)!.promises.amounts[0]!.amountMinor).toBeGreaterThanOrEqual(7700);
      expect(openBoardStreams()).toBe(1);
      controller.abort();
      expect(await eventually(async () => openBoardStreams(), (n) => n === 0, 5_000)).toBe(0);
    } finally {
      controller.abort();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('bad requests', () => {
  test.each([
    ['date=2026-13-01', 'query.date'],
    ['date=yesterday', 'query.date'],
    ['date=2026-11-20&from=2026-11-19', 'query.date'],
    ['to=2026-11-20', 'query.from'],
    ['from=2026-11-20&to=2026-11-19', 'query.to'],
    ['from=2026-01-01&to=2026-11-19', 'query.to'],
    ['branchId=east', 'query.branchId'],
    ['colour=blue', 'query'],
  ])('%s is refused with 400 and says where', async (query, path) => {
    const { agent } = await signIn('supervisor', null);
    const res = await agent.get(`/api/v1/team/board?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.errors.map((e: { path: string }) => e.path).join(' ')).toContain(path);
  });

  test('the board needs team:monitor: a collector is refused, a stranger must sign in', async () => {
    const { agent } = await signIn('collector', east.id);
    expect((await agent.get('/api/v1/team/board')).body.code).toBe('forbidden');
    expect((await agent.get('/api/v1/team/board/stream')).status).toBe(403);
    const key = await createApiKey(system.database.db, ['accounts:read']);
    expect((await request(system.app).get('/api/v1/team/board').set('x-api-key', key)).status).toBe(403);
    expect((await request(system.app).get('/api/v1/team/board')).status).toBe(401);
  });
});
