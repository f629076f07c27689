// Field collections reports (F10, F11) through the API, on real PostgreSQL, Temporal and Redis, from
// visits synced from reps' phones (syncFieldVisits, with card payments through the processor's
// sandbox): each report's figures, a reversed cheque kept out of what was collected, a declined card
// that took nothing, a supervisor who sees only her branch, the CSV downloads, and bad input refused.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { randomUUID } from 'node:crypto';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, delinquencyReport } from '../support/fixtures.ts';
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
let east: { id: string; code: string };
let west: { id: string; code: string };
let frank: Agent;
let erin: Agent;
let walt: Agent;
let supervisor: Agent;
let admin: Agent;
const timeZone = 'America/New_York';
const anyHour = 'US-ZZ';
/** Yesterday and the day before, in the East branch's calendar. */
let d1: string;
let d2: string;
const accounts: Record<string, { accountId: string; ref: string }> = {};
let routeId: string;
let chequeVisit: string;

const db = () => system.database.db;
const signature = (seed: number) => ({ pngBase64: Buffer.from(signaturePng(200, 60, seed)).toString('base64'), signedByName: 'Jane Doe' });
const at = (date: string, hour: number, zone = timeZone) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return instantOfLocal(y, m, d, hour, zone).toISOString();
};

async function reportAccount(branchCode: string, amountMinor: number, where: { postalCode: string; corp: string; auditRoute: string }, zone = timeZone) {
  const report = delinquencyReport(branchCode, { amountMinor, timeZone: zone }) as ReturnType<typeof delinquencyReport> & { customer: { jurisdiction?: string }; account: Record<string, unknown> };
  report.customer.jurisdiction = anyHour;
  report.account.serviceLocation = { address: '12 Elm Street', postalCode: where.postalCode, latitude: 42.34, longitude: -71.07 };
  report.account.corp = where.corp;
  report.account.auditRoute = where.auditRoute;
  const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
  expect(res.status).toBe(201);
  await eventually(() => system.temporal.workflow.getHandle(res.body.workflowId).query(caseSnapshotQuery), (s) => s.ready);
  return { accountId: res.body.accountId as string, ref: report.account.externalRef as string };
}

function visit(accountId: string, arrivedAt: string, fields: Record<string, unknown> = {}) {
  return { clientVisitId: randomUUID(), accountId, arrivedAt, contactResult: 'spoke_with_customer', ...fields };
}

async function sync(agent: Agent, visits: object[]) {
  const res = await agent.post('/field/sync', { deviceId: 'phone', visits });
  expect(res.status).toBe(200);
  expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(visits.map(() => 'recorded'));
  return res.body.results as Array<{ visitId: string; paymentId: string | null }>;
}

beforeAll(async () => {
  card = await startCardSandbox();
  system = await startTestSystem({ deps: { cardProcessor: card.processor } });
  east = await createBranch(db(), undefined, timeZone);
  west = await createBranch(db(), undefined, 'America/Denver');
  billingKey = await createApiKey(db(), ['delinquencies:report', 'payments:write', 'accounts:read']);
  [frank, erin, walt, supervisor, admin] = await Promise.all([signIn(system, 'field_rep', east.id), signIn(system, 'field_rep', east.id), signIn(system, 'field_rep', west.id), signIn(system, 'supervisor', east.id), signIn(system, 'admin', null)]);
  await db().user.update({ where: { id: frank.userId }, data: { name: 'Frank Fielding' } });
  await db().user.update({ where: { id: erin.userId }, data: { name: 'Erin Evans' } });
  expect((await admin.put(`/contact-policies/${anyHour}`, { window: { startHour: 0, endHour: 24, weekdays: [1, 2, 3, 4, 5, 6, 7] } })).status).toBe(200);
  d1 = localDate(new Date(Date.now() - 86_400_000), timeZone);
  d2 = localDate(new Date(Date.now() - 2 * 86_400_000), timeZone);

  const boston = { postalCode: '02118', corp: 'Metro Cable', auditRoute: 'AR-7' };
  const providence = { postalCode: '02903', corp: 'Valley Broadband', auditRoute: 'AR-9' };
  for (const [name, amount, where] of [
    ['cash', 12_000, boston],
    ['cheque', 7_000, boston],
    ['card', 9_000, boston],
    ['declined', 8_000, boston],
    ['nobody', 6_000, providence],
    ['equipment', 15_000, providence],
    ['promise', 4_000, boston],
    ['moneyOrder', 2_500, boston],
    ['pending', 3_000, providence],
    ['skipped', 5_000, boston],
  ] as const) {
    accounts[name] = await reportAccount(east.code, amount, where);
  }
  accounts.west = await reportAccount(west.code, 10_000, boston, 'America/Denver');

  // Yesterday's route for Frank, as the route planner writes it: four stops, one skipped.
  const plannedAt = (hour: number) => new Date(at(d1, hour));
  const route = await db().fieldRoute.create({
    data: {
      branchId: east.id,
      repId: frank.userId,
      name: 'Providence and Boston',
      serviceDate: new Date(`${d1}T00:00:00Z`),
      status: 'in_progress',
      groupBy: 'zip',
      groupKey: '029',
      startLatitude: 42.35,
      startLongitude: -71.06,
      startAt: plannedAt(13),
      plannedDistanceM: 48_300,
      plannedDurationS: 4 * 3600,
      travelSource: 'great_circle',
      stops: {
        create: [
          { seq: 1, accountId: accounts.nobody!.accountId, plannedArrivalAt: plannedAt(14) },
          { seq: 2, accountId: accounts.equipment!.accountId, plannedArrivalAt: plannedAt(15) },
          { seq: 3, accountId: accounts.pending!.accountId, plannedArrivalAt: plannedAt(16) },
          { seq: 4, accountId: accounts.skipped!.accountId, plannedArrivalAt: plannedAt(17), status: 'skipped' },
        ],
      },
    },
    include: { stops: { orderBy: { seq: 'asc' } } },
  });
  routeId = route.id;
  const [nobodyStop, equipmentStop] = route.stops;

  const key = (await frank.get('/field/card-processor')).body;
  const year = new Date().getUTCFullYear() + 2;
  const approved = await encryptCard({ number: '4242424242424242', expMonth: 12, expYear: year, cvc: '123', holder: 'Jane Doe' }, key);
  const declined = await encryptCard({ number: '4000000000000002', expMonth: 12, expYear: year, cvc: '123', holder: 'Jane Doe' }, key);
  const promiseDue = localDate(new Date(Date.now() + 5 * 86_400_000), timeZone);

  const franks = await sync(frank, [
    visit(accounts.cash!.accountId, at(d2, 12), { payment: { amountMinor: 5_000, method: 'cash' }, signature: signature(1) }),
    visit(accounts.cheque!.accountId, at(d2, 13), { payment: { amountMinor: 7_000, method: 'cheque', reference: '000123' }, signature: signature(2) }),
    visit(accounts.card!.accountId, at(d1, 12), { payment: { amountMinor: 9_000, method: 'card', card: approved }, signature: signature(3) }),
    visit(accounts.declined!.accountId, at(d1, 13), { payment: { amountMinor: 8_000, method: 'card', card: declined }, signature: signature(4) }),
    visit(accounts.nobody!.accountId, at(d1, 14), { contactResult: 'no_one_home', routeStopId: nobodyStop!.id }),
    visit(accounts.equipment!.accountId, at(d1, 15), { routeStopId: equipmentStop!.id, equipment: [{ type: 'Modem', serial: 'MD-1' }, { type: 'Set-top box', serial: 'STB-9' }], retention: { offer: 'Three months at half price', outcome: 'accepted' }, signature: signature(5) }),
    visit(accounts.promise!.accountId, at(d1, 16), { promise: { amountMinor: 4_000, dueDate: promiseDue } }),
  ]);
  chequeVisit = franks[1]!.visitId;
  await sync(erin, [visit(accounts.moneyOrder!.accountId, at(d1, 12), { payment: { amountMinor: 2_500, method: 'money_order', reference: 'MO-77' }, signature: signature(6) })]);
  await sync(walt, [visit(accounts.west!.accountId, at(d1, 12, 'America/Denver'), { payment: { amountMinor: 1_000, method: 'cash' }, signature: signature(7) })]);

  // The cheque bounces: billing reverses the payment the visit posted.
  const cheque = await db().fieldVisit.findUniqueOrThrow({ where: { id: chequeVisit } });
  const reversal = await request(system.app).post('/api/v1/payments/reversals').set('x-api-key', billingKey).send({ accountRef: accounts.cheque!.ref, paymentRef: `field-visit:${cheque.clientVisitId}`, reason: 'cheque returned unpaid' });
  expect(reversal.status).toBe(201);
}, 240_000);

afterAll(async () => {
  await system?.stop();
  await card?.close();
});

const usd = (amountMinor: number) => ({ currency: 'USD', amountMinor: String(amountMinor) });
const range = () => `from=${d2}&to=${d1}`;

describe('collections by day, week and month (F10)', () => {
  test('the branch’s collections by rep and for all reps: posted payments by method, the bounced cheque apart, the declined card nothing, another branch not at all', async () => {
    const res = await supervisor.get(`/field/reports/collections?${range()}&period=day`);
    expect(res.status).toBe(200);
    expect(res.body.periods.map((p: { key: string }) => p.key)).toEqual([d2, d1]);
    const all = res.body.allReps.total;
    expect(all).toMatchObject({ visits: 8, payments: 3, collected: [usd(16_500)], reversed: { count: 1, amounts: [usd(7_000)] } });
    expect(all.byMethod).toEqual([
      { method: 'cash', count: 1, amounts: [usd(5_000)] },
      { method: 'cheque', count: 0, amounts: [] },
      { method: 'card', count: 1, amounts: [usd(9_000)] },
      { method: 'money_order', count: 1, amounts: [usd(2_500)] },
    ]);
    expect(res.body.allReps.periods.map((p: { visits: number; collected: unknown }) => [p.visits, p.collected])).toEqual([
      [2, [usd(5_000)]],
      [6, [usd(11_500)]],
    ]);
    expect(res.body.reps.map((r: { rep: { name: string }; total: { visits: number } }) => [r.rep.name, r.total.visits])).toEqual([
      ['Erin Evans', 1],
      ['Frank Fielding', 7],
    ]);

    // Head office sees every branch; narrowed to one rep, only hers.
    expect((await admin.get(`/field/reports/collections?${range()}`)).body.allReps.total.visits).toBe(9);
    const erins = await supervisor.get(`/field/reports/collections?${range()}&period=month&repId=${erin.userId}`);
    expect(erins.body.reps).toHaveLength(1);
    expect(erins.body.allReps.total).toMatchObject({ visits: 1, collected: [usd(2_500)] });
  });

  test('as CSV: one row per rep and period, then all reps, amounts in dollars in a column per currency', async () => {
    const res = await supervisor.get(`/field/reports/collections?${range()}&period=day`).set('accept', 'text/csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="field-collections-${d2}-to-${d1}.csv"`);
    const [header, ...rows] = res.text.trim().split('\r\n').map((line) => line.split(','));
    expect(header).toEqual(['period', 'period_start', 'period_end', 'rep_id', 'rep_name', 'visits', 'payments', 'collected_USD', 'cash_count', 'cash_USD', 'cheque_count', 'cheque_USD', 'card_count', 'card_USD', 'money_order_count', 'money_order_USD', 'reversed_count', 'reversed_USD']);
    expect(rows).toHaveLength(6); // (2 reps + all reps) × 2 days
    expect(rows.at(-1)).toEqual([d1, d1, d1, '', 'All reps', '6', '2', '115.00', '0', '0.00', '0', '0.00', '1', '90.00', '1', '25.00', '0', '0.00']);
    expect(rows.at(-2)).toEqual([d2, d2, d2, '', 'All reps', '2', '1', '50.00', '1', '50.00', '0', '0.00', '0', '0.00', '0', '0.00', '1', '70.00']);
    expect((await supervisor.get(`/field/reports/collections?${range()}&format=csv`)).headers['content-type']).toBe('text/csv; charset=utf-8');
  });
});

describe('commissions (F10) and the plan they come from', () => {
  test('each rep’s month: collected (the bounced cheque excluded), equipment, tiers; head office sets a new plan, audited; a branch supervisor may not', async () => {
    const total = (body: { lines: Array<{ rep: { id: string }; totalMinor: string; collectedMinor: string; equipmentUnits: number }> }, rep: string) =>
      body.lines.filter((l) => l.rep.id === rep).reduce((sum, l) => ({ total: sum.total + Number(l.totalMinor), collected: sum.collected + Number(l.collectedMinor), units: sum.units + l.equipmentUnits }), { total: 0, collected: 0, units: 0 });
    const before = await supervisor.get(`/field/reports/commissions?${range()}`);
    expect(before.status).toBe(200);
    expect(before.body.plan).toMatchObject({ id: null, isDefault: true });
    expect(before.body.from.endsWith('-01')).toBe(true); // whole months
    // 3 % of $140.00, $15 for the modem and $25 for the set-top box (d1 and d2 may be in two months: the sum is the same).
    expect(total(before.body, frank.userId)).toEqual({ total: 420 + 1_500 + 2_500, collected: 14_000, units: 2 });

    const state = await supervisor.get('/field/commission-plan');
    expect(state.body).toMatchObject({ canChange: false, current: { isDefault: true, definition: { tiers: [{ fromMinor: 0, rateBps: 300 }, { fromMinor: 500_000, rateBps: 500 }] } } });
    const plan = { name: 'Spring 2027', definition: { tiers: [{ fromMinor: 0, rateBps: 500 }], perEquipmentMinor: 1_000, perEquipmentTypeMinor: { 'Set-Top Box ': 3_000 } } };
    const refused = await supervisor.put('/field/commission-plan', plan);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    // Pay rules are head office's: a supervisor of every branch may not set them either.
    const headSupervisor = await signIn(system, 'supervisor', null);
    expect((await headSupervisor.put('/field/commission-plan', plan)).status).toBe(403);
    expect((await admin.put('/field/commission-plan', { ...plan, definition: { tiers: [{ fromMinor: 100, rateBps: 500 }] } })).body).toMatchObject({ status: 400, code: 'validation_failed' });
    const set = await admin.put('/field/commission-plan', plan);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ name: 'Spring 2027', isDefault: false, definition: { perEquipmentTypeMinor: { 'set-top box': 3_000 } } });
    expect(await db().auditLog.count({ where: { action: 'field.commission_plan_set', entityId: set.body.id } })).toBe(1);

    // Set now, it pays the month now open; a month already closed (d2's, early in a month) keeps the built-in plan.
    const after = await supervisor.get(`/field/reports/commissions?${range()}`);
    expect(after.body.plan).toMatchObject({ id: set.body.id, name: 'Spring 2027' });
    const thisMonth = localDate(new Date(), timeZone).slice(0, 7);
    const franksLines = (body: { lines: Array<{ month: string; rep: { id: string }; plan: { id: string | null; name: string } }> }) => body.lines.filter((l) => l.rep.id === frank.userId);
    expect(franksLines(after.body).length).toBeGreaterThan(0);
    for (const line of franksLines(after.body)) expect(line.plan).toEqual(line.month === thisMonth ? { id: set.body.id, name: 'Spring 2027' } : { id: null, name: 'Default plan' });
    expect((await admin.get('/field/commission-plan')).body).toMatchObject({ canChange: true, current: { id: set.body.id }, history: [] });

    // The clock moved, as the database would have it. Had the plan been set before d2, both days are paid on it:
    // 5 % of $140.00, $10 for the modem and $30 for the set-top box.
    const moveSet = (createdAt: string) => db().commissionPlan.update({ where: { id: set.body.id }, data: { createdAt: new Date(createdAt) } });
    await moveSet(at(localDate(new Date(Date.now() - 40 * 86_400_000), timeZone), 9));
    const earlier = await supervisor.get(`/field/reports/commissions?${range()}`);
    expect(total(earlier.body, frank.userId).total).toBe(700 + 1_000 + 3_000);
    for (const line of franksLines(earlier.body)) expect(line.plan.name).toBe('Spring 2027');
    // Had it been set only after d1's month closed (on the 1st of the next month, 00:30 in the branch), that month keeps the built-in plan.
    const [y, mo] = d1.split('-').map(Number) as [number, number];
    const nextFirst = `${mo === 12 ? y + 1 : y}-${String(mo === 12 ? 1 : mo + 1).padStart(2, '0')}-01`;
    await moveSet(new Date(new Date(at(nextFirst, 0)).getTime() + 30 * 60_000).toISOString());
    const closed = await supervisor.get(`/field/reports/commissions?${range()}`);
    expect(total(closed.body, frank.userId).total).toBe(420 + 1_500 + 2_500);
    for (const line of franksLines(closed.body)) expect(line.plan).toEqual({ id: null, name: 'Default plan' });
    await moveSet(new Date().toISOString());

    const csv = await supervisor.get(`/field/reports/commissions?${range()}&format=csv`);
    expect(csv.text.split('\r\n')[0]).toBe('month,rep_id,rep_name,currency,collected,equipment_units,collected_commission,equipment_commission,total_commission,tiers,plan');
    expect(csv.text).toContain('Spring 2027');
  });
});

describe('routes (F10)', () => {
  test('the route summary: planned stops against visited and skipped, what the doors said, equipment, and the actual span against the planned', async () => {
    const res = await supervisor.get(`/field/reports/routes?${range()}`);
    expect(res.status).toBe(200);
    expect(res.body.routes).toHaveLength(1);
    const row = res.body.routes[0];
    expect(row.route).toMatchObject({ id: routeId, name: 'Providence and Boston', serviceDate: d1, rep: { id: frank.userId, name: 'Frank Fielding' } });
    expect(row.stops).toEqual({ planned: 4, visited: 2, skipped: 1, pending: 1 });
    expect(row.results.filter((r: { count: number }) => r.count > 0)).toEqual([
      { result: 'spoke_with_customer', count: 1 },
      { result: 'no_one_home', count: 1 },
    ]);
    expect(row).toMatchObject({ visits: 2, equipment: 2, payments: 0, collected: [], plannedMinutes: 240, plannedSpanMinutes: 180, actualSpanMinutes: 60, plannedDistanceM: 48_300 });
    const csv = await supervisor.get(`/field/reports/routes?${range()}&format=csv`);
    const [header, line] = csv.text.trim().split('\r\n');
    expect(header).toContain('stops_planned,stops_visited,stops_skipped,stops_pending,visits,spoke_with_customer,spoke_with_other,no_one_home');
    expect(line).toContain(',4,2,1,1,2,1,0,1,');
    // Another branch's supervisor sees no route of East's.
    const westSupervisor = await signIn(system, 'supervisor', west.id);
    expect((await westSupervisor.get(`/field/reports/routes?${range()}`)).body.routes).toEqual([]);
  });

  test('the route distribution: stops, accounts and arrears per area and per rep, by postal prefix or corp', async () => {
    const balances = await db().account.findMany({ where: { id: { in: [accounts.nobody!, accounts.equipment!, accounts.pending!, accounts.skipped!].map((a) => a.accountId) } }, select: { id: true, balanceMinor: true, postalCode: true } });
    const owed = (prefix: string) => String(balances.filter((b) => b.postalCode!.startsWith(prefix)).reduce((sum, b) => sum + b.balanceMinor, 0n));
    const res = await supervisor.get(`/field/reports/distribution?${range()}&by=postal_prefix`);
    expect(res.status).toBe(200);
    expect(res.body.byArea.map((a: { area: string; stops: number; visitedStops: number; accounts: number; arrears: unknown }) => [a.area, a.stops, a.visitedStops, a.accounts, a.arrears])).toEqual([
      ['029', 3, 2, 3, [usd(Number(owed('029')))]],
      ['021', 1, 0, 1, [usd(Number(owed('021')))]],
    ]);
    expect(res.body.byRep).toEqual([expect.objectContaining({ rep: expect.objectContaining({ id: frank.userId }), stops: 4, accounts: 4 })]);
    const byCorp = await supervisor.get(`/field/reports/distribution?${range()}&by=corp&format=csv`);
    const lines = byCorp.text.trim().split('\r\n');
    expect(lines[0]).toBe('area,rep_id,rep_name,stops,visited_stops,accounts,arrears_USD,collected_USD');
    expect(lines.slice(1).map((l) => l.split(',').slice(0, 4))).toEqual([
      ['Valley Broadband', frank.userId, 'Frank Fielding', '3'],
      ['Metro Cable', frank.userId, 'Frank Fielding', '1'],
    ]);
  });
});

describe('the collections sweep (F10)', () => {
  test('each rep’s day item by item — the cheque with its number, marked reversed; the money order; the card — to reconcile with deposits', async () => {
    const res = await supervisor.get(`/field/reports/sweep?${range()}`);
    expect(res.status).toBe(200);
    const day = (date: string, repId: string) => res.body.days.find((d: { date: string; rep: { id: string } }) => d.date === date && d.rep.id === repId);
    const frankD2 = day(d2, frank.userId);
    expect(frankD2.items.map((i: { method: string; reference: string | null; status: string; amount: unknown }) => [i.method, i.reference, i.status, i.amount])).toEqual([
      ['cash', null, 'posted', usd(5_000)],
      ['cheque', '000123', 'reversed', usd(7_000)],
    ]);
    expect(frankD2.totals).toMatchObject({ taken: [usd(12_000)], reversed: { count: 1, amounts: [usd(7_000)] }, declinedCards: 0 });
    const frankD1 = day(d1, frank.userId);
    expect(frankD1.items).toEqual([expect.objectContaining({ method: 'card', card: expect.objectContaining({ brand: 'Visa', last4: '4242' }), status: 'posted' })]);
    expect(frankD1.totals.declinedCards).toBe(1);
    expect(day(d1, erin.userId).items[0]).toMatchObject({ method: 'money_order', reference: 'MO-77' });
    expect(res.body.totals.byMethod.find((m: { method: string }) => m.method === 'cheque')).toEqual({ method: 'cheque', count: 1, amounts: [usd(7_000)] });

    const csv = await supervisor.get(`/field/reports/sweep?${range()}&format=csv`);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('date,time,rep_id,rep_name,receipt_number,account_ref,customer,method,reference,card,processor_ref,currency,amount,status');
    expect(lines).toHaveLength(5);
    expect(lines.find((l) => l.includes('000123'))).toMatch(new RegExp(`^${d2},13:00,.*,cheque,000123,,,USD,70.00,reversed$`));
  });
});

describe('effectiveness (F10, F11)', () => {
  test('each rep’s rates and the staff’s from its own totals; rates with no visits are unknown, not zero', async () => {
    const res = await supervisor.get(`/field/reports/effectiveness?${range()}`);
    expect(res.status).toBe(200);
    const frankRow = res.body.reps.find((r: { rep: { id: string } }) => r.rep.id === frank.userId);
    expect(frankRow).toMatchObject({
      visits: 7,
      rightPartyContacts: 6,
      rightPartyRate: 0.8571,
      visitsWithPayment: 2,
      paymentRate: 0.2857,
      collected: [usd(14_000)],
      amountPerVisit: [usd(2_000)],
      promises: { made: 1, kept: 0, broken: 0, keptRate: null },
      equipmentRecovered: 2,
      retention: { offers: 1, accepted: 1, acceptedRate: 1 },
      cards: { charged: 1, declined: 1 },
    });
    expect(res.body.staff).toMatchObject({ visits: 8, rightPartyContacts: 7, rightPartyRate: 0.875, visitsWithPayment: 3, collected: [usd(16_500)] });
    const lastWeek = await supervisor.get(`/field/reports/effectiveness?from=${localDate(new Date(Date.now() - 20 * 86_400_000), timeZone)}&to=${localDate(new Date(Date.now() - 10 * 86_400_000), timeZone)}`);
    expect(lastWeek.body.staff).toMatchObject({ visits: 0, rightPartyRate: null, paymentRate: null, amountPerVisit: [] });
    expect(lastWeek.body.reps.map((r: { rep: { name: string } }) => r.rep.name)).toEqual(['Erin Evans', 'Frank Fielding']);

    const csv = await supervisor.get(`/field/reports/effectiveness?${range()}&format=csv`);
    const [header, ...rows] = csv.text.trim().split('\r\n').map((l) => l.split(','));
    expect(header!.slice(0, 9)).toEqual(['rep_id', 'rep_name', 'visits', 'right_party_contacts', 'right_party_rate', 'visits_with_payment', 'payment_rate', 'collected_USD', 'amount_per_visit_USD']);
    expect(rows.at(-1)!.slice(0, 9)).toEqual(['', 'All reps', '8', '7', '0.875', '3', '0.375', '165.00', '20.63']);
  });
});

describe('who may read the reports, and bad input', () => {
  test('reps and collectors may not; a supervisor’s rep list is her branch’s', async () => {
    expect((await frank.get(`/field/reports/collections?${range()}`)).status).toBe(403);
    expect((await (await signIn(system, 'collector', east.id)).get(`/field/reports/sweep?${range()}`)).status).toBe(403);
    expect((await supervisor.get('/field/reports/reps')).body.items.map((r: { name: string }) => r.name)).toEqual(['Erin Evans', 'Frank Fielding']);
  });

  test('dates, ranges, reps, branches and parameters that do not make sense are 400 (or 404) problem documents', async () => {
    const problem = async (path: string, status = 400) => {
      const res = await supervisor.get(path);
      expect(res.status, path).toBe(status);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      return res.body as { code: string; errors?: Array<{ path: string; message: string }> };
    };
    expect(await problem(`/field/reports/collections?from=${d1}&to=${d2}`)).toMatchObject({ code: 'validation_failed', errors: [{ path: 'query.to', message: 'must not be before from' }] });
    expect((await problem('/field/reports/effectiveness?from=2025-01-01&to=2026-02-05')).errors![0]!.message).toContain('at most 400 days');
    expect((await problem('/field/reports/sweep?from=2026-02-30&to=2026-03-01')).errors![0]!.path).toBe('query.from');
    expect(await problem(`/field/reports/collections?${range()}`.replace('from=', 'from=x'))).toMatchObject({ code: 'validation_failed' });
    expect(await problem(`/field/reports/routes?to=${d1}`)).toMatchObject({ code: 'validation_failed' });
    expect(await problem(`/field/reports/collections?${range()}&repId=${randomUUID()}`)).toMatchObject({ code: 'validation_failed', errors: [{ path: 'query.repId' }] });
    expect(await problem(`/field/reports/collections?${range()}&repId=${walt.userId}`)).toMatchObject({ errors: [{ path: 'query.repId' }] }); // another branch's rep
    expect(await problem(`/field/reports/collections?${range()}&repId=${supervisor.userId}`)).toMatchObject({ errors: [{ path: 'query.repId' }] }); // not a rep
    expect(await problem(`/field/reports/collections?${range()}&period=fortnight`)).toMatchObject({ code: 'validation_failed' });
    expect(await problem(`/field/reports/distribution?${range()}&by=planet`)).toMatchObject({ code: 'validation_failed' });
    expect(await problem(`/field/reports/sweep?${range()}&colour=blue`)).toMatchObject({ code: 'validation_failed' });
    expect(await problem(`/field/reports/sweep?${range()}&branchId=${west.id}`, 404)).toMatchObject({ code: 'not_found' });
    expect(await problem(`/field/reports/sweep?${range()}&format=xlsx`)).toMatchObject({ code: 'validation_failed' });
  });
});
