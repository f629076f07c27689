// Leads and routes through the API (F1-F3): a supervisor turns accounts into leads, plans the day's
// routes (nothing saved), saves them assigned to reps, adjusts them by hand; the rep's phone gets the
// day; a synced visit marks its stop. Real PostgreSQL, Temporal and Redis; great-circle travel times.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { eventually, startTestSystem, type TestSystem } from '../support/system.ts';
import { createAccountInArrears, createApiKey, createBranch, delinquencyReport } from '../support/fixtures.ts';
import { signIn, type Agent } from '../support/agents.ts';
import { createAccount } from '../support/accounts.ts';
import { maxLeadsByFilter } from '../../domain/routing/lead-groups.ts';

let system: TestSystem;
let billingKey: string;
let branch: { id: string; code: string };
let supervisor: Agent;
let rep1: Agent;
let rep2: Agent;
const accounts: Array<{ id: string; ref: string }> = [];
// A few streets apart in Boston, and the office downtown.
const office = { lat: 42.3536, lon: -71.0583 };
const places = [
  [42.3467, -71.0972],
  [42.3505, -71.0901],
  [42.3601, -71.0589],
  [42.3656, -71.0537],
  [42.3398, -71.0892],
  [42.3314, -71.0204],
  [42.3751, -71.0395],
  [42.3188, -71.0846],
] as const;
const serviceDate = '2026-12-10';

beforeAll(async () => {
  system = await startTestSystem();
  branch = await createBranch(system.database.db);
  await system.database.db.branch.update({ where: { id: branch.id }, data: { address: 'Office', latitude: office.lat, longitude: office.lon } });
  billingKey = await createApiKey(system.database.db, ['delinquencies:report']);
  supervisor = await signIn(system, 'supervisor', branch.id);
  rep1 = await signIn(system, 'field_rep', branch.id);
  rep2 = await signIn(system, 'field_rep', branch.id);
  for (const [k, [lat, lon]] of places.entries()) {
    const report = delinquencyReport(branch.code, { amountMinor: 10_000 + k * 1_000 }) as ReturnType<typeof delinquencyReport> & { account: Record<string, unknown> };
    report.account.serviceLocation = { address: `${k + 1} Test St, Boston`, postalCode: k < 4 ? '02118' : '02127', latitude: lat, longitude: lon };
    report.account.corp = k % 2 ? 'Metro Cable' : 'Valley Broadband';
    const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
    expect(res.status).toBe(201);
    accounts.push({ id: res.body.accountId, ref: report.account.externalRef as string });
  }
});
afterAll(async () => system?.stop());

const db = () => system.database.db;

describe('leads (F1)', () => {
  test('a supervisor requests visits for a selection: one lead per account, repeats and strangers skipped, audited', async () => {
    const elsewhere = await createBranch(db());
    const stranger = await createAccount(db(), { branchId: elsewhere.id });
    const first = await supervisor.post('/field/leads', { accountIds: accounts.map((a) => a.id), title: 'Collect or recover equipment' });
    expect(first.status).toBe(201);
    expect(first.body.created).toHaveLength(8);
    const again = await supervisor.post('/field/leads', { accountIds: [accounts[0]!.id, stranger.id], title: 'Again' });
    expect(again.body).toEqual({ matched: 2, created: [], skipped: [{ accountId: accounts[0]!.id, reason: 'lead_exists' }, { accountId: stranger.id, reason: 'not_found' }] });
    const leads = await supervisor.get('/field/leads');
    expect(leads.body.total).toBe(8);
    expect(leads.body.items[0].account).toMatchObject({ latitude: expect.any(Number), corp: expect.any(String), branchCode: branch.code });
    expect(await db().auditLog.count({ where: { action: 'field.lead_created', accountId: { in: accounts.map((a) => a.id) } } })).toBe(8);
    expect((await rep1.get('/field/leads')).status).toBe(403);
    expect((await supervisor.post('/field/leads', { accountIds: [] })).status).toBe(400);
  });
});

describe('leads by criteria (F1)', () => {
  test("a supervisor requests visits for every account the bucket's filters match, in her branches only; too many are refused with the count", async () => {
    const north = await createBranch(db());
    const northSupervisor = await signIn(system, 'supervisor', north.id);
    const [fresh, older, oldest] = await Promise.all([10, 45, 70].map((days) => createAccountInArrears(db(), { branchId: north.id, daysPastDue: days })));
    const byFilter = { filter: { branchId: north.id, minDaysPastDue: 30 }, title: 'Visit the older debts' };
    const first = await northSupervisor.post('/field/leads', byFilter);
    expect(first.status).toBe(201);
    expect(first.body.matched).toBe(2);
    expect(first.body.created.map((c: { accountId: string }) => c.accountId).sort()).toEqual([older!.id, oldest!.id].sort());
    expect(await db().task.count({ where: { accountId: fresh!.id, kind: 'visit' } })).toBe(0);
    // Asked again: the same two match, and both already wait for a visit.
    const again = await northSupervisor.post('/field/leads', byFilter);
    expect(again.body).toMatchObject({ matched: 2, created: [] });
    expect(again.body.skipped.map((s: { reason: string }) => s.reason)).toEqual(['lead_exists', 'lead_exists']);
    // Another branch's supervisor naming this branch matches nothing of it.
    expect((await supervisor.post('/field/leads', byFilter)).body).toEqual({ matched: 0, created: [], skipped: [] });
    // One way of choosing at a time.
    const both = await northSupervisor.post('/field/leads', { ...byFilter, accountIds: [fresh!.id] });
    expect(both.status).toBe(400);
    expect(both.body.code).toBe('validation_failed');
    expect((await northSupervisor.post('/field/leads', { title: 'Nothing chosen' })).status).toBe(400);

    // More than the limit: refused before anything is created, with the count.
    const crowded = await createBranch(db());
    const customers = Array.from({ length: maxLeadsByFilter + 1 }, (_, i) => ({ id: randomUUID(), externalRef: `CUST-CROWD-${crowded.code}-${i}`, type: 'retail' as const, name: `Crowd ${i}`, timeZone: 'America/New_York', branchId: crowded.id }));
    await db().customer.createMany({ data: customers });
    await db().account.createMany({ data: customers.map((c, i) => ({ externalRef: `ACC-CROWD-${crowded.code}-${i}`, customerId: c.id, branchId: crowded.id, currency: 'USD', status: 'delinquent' as const, balanceMinor: 5_000n })) });
    const headOffice = await signIn(system, 'supervisor', null);
    const tooMany = await headOffice.post('/field/leads', { filter: { branchId: crowded.id }, title: 'Everyone' });
    expect(tooMany.status).toBe(422);
    expect(tooMany.body).toMatchObject({ code: 'selection_too_large', matched: maxLeadsByFilter + 1, max: maxLeadsByFilter });
    expect(await db().task.count({ where: { branchId: crowded.id } })).toBe(0);
  });
});

describe('planning and saving routes (F2, F3)', () => {
  test('a plan splits the leads between two reps within their limits, each ordered from the office; nothing is saved until the supervisor saves it', async () => {
    const plan = await supervisor.post('/field/routes/plan', { serviceDate, groupBy: 'none', reps: [{ repId: rep1.userId, maxStops: 4 }, { repId: rep2.userId, maxStops: 4 }], startTime: '09:00' });
    expect(plan.status).toBe(200);
    expect(plan.body.routes).toHaveLength(2);
    expect(plan.body.routes.map((r: { stops: unknown[] }) => r.stops.length)).toEqual([4, 4]);
    expect(plan.body.unassigned).toEqual([]);
    expect(plan.body.travelSource).toBe('great-circle');
    expect(plan.body.routes[0].start).toEqual({ latitude: office.lat, longitude: office.lon });
    const first = plan.body.routes[0].stops[0];
    expect(new Date(first.arrivesAt).getTime()).toBeGreaterThan(new Date(plan.body.startAt).getTime());
    expect(await db().fieldRoute.count({ where: { branchId: branch.id } })).toBe(0);

    // Too little room: the rest is left out, each with its reason.
    const tight = await supervisor.post('/field/routes/plan', { serviceDate, groupBy: 'zip', reps: [{ repId: rep1.userId, maxStops: 3 }] });
    expect(tight.body.routes.flatMap((r: { stops: unknown[] }) => r.stops)).toHaveLength(3);
    expect(new Set(tight.body.unassigned.map((u: { reason: string }) => u.reason))).toEqual(new Set(['no_capacity', 'no_rep_for_group']));

    // Saved as planned: the stops keep the plan's order, the leads leave the pool.
    const routes = plan.body.routes.map((r: { rep: { id: string }; stops: Array<{ taskId: string }> }) => ({ repId: r.rep.id, taskIds: r.stops.map((s) => s.taskId), optimise: false }));
    const saved = await supervisor.post('/field/routes', { serviceDate, startTime: '09:00', routes });
    expect(saved.status).toBe(201);
    expect(saved.body.items).toHaveLength(2);
    expect(saved.body.items[0].stops.map((s: { taskId: string }) => s.taskId)).toEqual(routes[0].taskIds);
    expect(saved.body.items[0].stops.map((s: { seq: number }) => s.seq)).toEqual([1, 2, 3, 4]);
    expect(saved.body.items[0].plannedDistanceM).toBeGreaterThan(0);
    expect((await supervisor.get('/field/leads')).body.total).toBe(0);
    expect(await db().auditLog.count({ where: { action: 'field.route_created' } })).toBe(2);

    // The same leads again: refused, with which and why; nothing written.
    const twice = await supervisor.post('/field/routes', { serviceDate, routes: [{ repId: rep1.userId, taskIds: [routes[0].taskIds[0]], optimise: true }] });
    expect(twice.status).toBe(400);
    expect(twice.body.errors[0].message).toMatch(/is already on route/);
    expect(await db().fieldRoute.count({ where: { branchId: branch.id } })).toBe(2);
  });

  test('the rep’s phone gets the day: their route, every stop’s account, and the processor key when one is configured', async () => {
    const day = await rep1.get(`/field/day?date=${serviceDate}`);
    expect(day.status).toBe(200);
    expect(day.body.routes).toHaveLength(1);
    expect(day.body.routes[0].stops).toHaveLength(4);
    expect(day.body.routes[0].stops[0].account).toMatchObject({ balanceMinor: expect.stringMatching(/^\d+$/), serviceAddress: expect.stringContaining('Test St'), openInvoices: [expect.objectContaining({ openMinor: expect.any(String) })] });
    expect(day.body.cardProcessor).toBeNull(); // no processor in this test system
    expect((await rep2.get(`/field/day?date=${serviceDate}`)).body.routes).toHaveLength(1);
    expect((await rep1.get('/field/day?date=2026-12-11')).body.routes).toEqual([]);
    expect((await rep1.get('/field/day?date=yesterday')).status).toBe(400);

    // Asked again with its ETag (the phone asks every minute): unchanged, so 304 and no body, whatever the clock.
    expect(day.headers.etag).toMatch(/^"[\w-]{43}"$/);
    expect(day.headers['cache-control']).toBe('private, no-cache');
    // The stops' cases may still be recording their first steps (the day shows them): once nothing moves, asking with the tag is a 304.
    const unchanged = await eventually(async () => {
      const fresh = await rep1.get(`/field/day?date=${serviceDate}`);
      const again = await rep1.get(`/field/day?date=${serviceDate}`).set('if-none-match', fresh.headers.etag as string);
      return { tag: fresh.headers.etag as string, status: again.status, text: again.text ?? '' };
    }, (r) => r.status === 304);
    expect(unchanged.text).toBe('');
    const tag = unchanged.tag;
    // Billing reports a new service address for the first stop's account: the day is new.
    const k = accounts.findIndex((a) => a.id === day.body.routes[0].stops[0].account.id);
    const report = delinquencyReport(branch.code, { accountRef: accounts[k]!.ref, amountMinor: 10_000 + k * 1_000 }) as ReturnType<typeof delinquencyReport> & { account: Record<string, unknown> };
    report.account.serviceLocation = { address: `${k + 1} Moved St, Boston`, postalCode: '02118', latitude: places[k]![0], longitude: places[k]![1] };
    expect((await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report)).status).toBeLessThan(300);
    const changed = await rep1.get(`/field/day?date=${serviceDate}`).set('if-none-match', tag);
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(tag);
    expect(changed.body.routes[0].stops[0].account.serviceAddress).toBe(`${k + 1} Moved St, Boston`);
  });

  test('by hand: re-order, order for least driving, move a stop to the other route, re-assign, cancel (the leads return)', async () => {
    const [a, b] = (await supervisor.get(`/field/routes?date=${serviceDate}`)).body.items as Array<{ id: string; rep: { id: string }; stops: Array<{ id: string; seq: number; plannedArrivalAt: string }> }>;
    const reversed = a!.stops.map((s) => s.id).reverse();
    const reordered = await supervisor.patch(`/field/routes/${a!.id}`, { stopIds: reversed });
    expect(reordered.status).toBe(200);
    expect(reordered.body.stops.map((s: { id: string }) => s.id)).toEqual(reversed);
    expect(reordered.body.stops.map((s: { seq: number }) => s.seq)).toEqual([1, 2, 3, 4]);
    const longer = reordered.body.plannedDistanceM as number;
    const optimised = await supervisor.patch(`/field/routes/${a!.id}`, { optimise: true });
    expect(optimised.body.plannedDistanceM).toBeLessThanOrEqual(longer);
    expect((await supervisor.patch(`/field/routes/${a!.id}`, { stopIds: reversed.slice(1) })).body.code).toBe('validation_failed');

    const moved = await supervisor.post(`/field/routes/${a!.id}/stops/${a!.stops[0]!.id}/move`, { toRouteId: b!.id, position: 1 });
    expect(moved.status).toBe(200);
    expect(moved.body.from.stops).toHaveLength(3);
    expect(moved.body.to.stops[0].id).toBe(a!.stops[0]!.id);
    expect(moved.body.to.stops).toHaveLength(5);

    const reassigned = await supervisor.patch(`/field/routes/${a!.id}`, { repId: b!.rep.id });
    expect(reassigned.body.rep.id).toBe(b!.rep.id);
    const collector = await signIn(system, 'collector', branch.id);
    expect((await supervisor.patch(`/field/routes/${a!.id}`, { repId: collector.userId })).body.errors[0].message).toBe('not an active field rep');

    expect((await supervisor.del(`/field/routes/${a!.id}`)).status).toBe(204);
    expect((await supervisor.get('/field/leads')).body.total).toBe(3);
    expect((await supervisor.patch(`/field/routes/${a!.id}`, { name: 'x' })).body.code).toBe('invalid_state');
  });

  test('a visit synced at a stop marks it visited and its lead done; the route completes with its last stop', async () => {
    const route = (await supervisor.get(`/field/routes?date=${serviceDate}`)).body.items[0] as { id: string; rep: { id: string }; stops: Array<{ id: string; account: { id: string } }> };
    const owner = route.rep.id === rep1.userId ? rep1 : rep2;
    const other = owner === rep1 ? rep2 : rep1;
    expect((await other.get(`/field/routes/${route.id}`)).status).toBe(404);
    for (const [k, stop] of route.stops.entries()) {
      const synced = await owner.post('/field/sync', { visits: [{ clientVisitId: randomUUID(), accountId: stop.account.id, routeStopId: stop.id, arrivedAt: new Date(Date.now() - 60_000).toISOString(), contactResult: 'no_one_home' }] });
      expect(synced.body.results[0].status).toBe('recorded');
      const now = await owner.get(`/field/routes/${route.id}`);
      expect(now.body.status).toBe(k === route.stops.length - 1 ? 'completed' : 'in_progress');
    }
    const stops = await db().routeStop.findMany({ where: { routeId: route.id }, include: { task: true } });
    expect(stops.every((s) => s.status === 'visited' && s.task?.status === 'done')).toBe(true);
  });

  test('bad plans and strangers are refused with reasons', async () => {
    const elsewhere = await createBranch(db());
    const outsider = await signIn(system, 'field_rep', elsewhere.id);
    const bad = await supervisor.post('/field/routes/plan', { serviceDate, groupBy: 'none', reps: [{ repId: outsider.userId }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'validation_failed' });
    expect((await supervisor.post('/field/routes/plan', { serviceDate: '2026-13-01', reps: [{ repId: rep1.userId }] })).status).toBe(400);
    expect((await supervisor.post('/field/routes/plan', { serviceDate, reps: [] })).status).toBe(400);
    expect((await supervisor.get(`/field/routes/${randomUUID()}`)).status).toBe(404);
    const otherSupervisor = await signIn(system, 'supervisor', elsewhere.id);
    const route = (await supervisor.get(`/field/routes?date=${serviceDate}`)).body.items[0] as { id: string };
    expect((await otherSupervisor.get(`/field/routes/${route.id}`)).status).toBe(404);
    expect((await otherSupervisor.get(`/field/routes?date=${serviceDate}`)).body.items).toEqual([]);
  });
});
