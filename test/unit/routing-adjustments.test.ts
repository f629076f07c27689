// A supervisor's changes by hand (F3): stops moved between routes and positions, taken off and put
// back, routes given to other reps and re-ordered; legs and totals always add up afterwards.
import { describe, expect, test } from 'vitest';
import { greatCircleMatrix } from '../../domain/routing/geo.ts';
import { seededRandom } from '../../domain/routing/prng.ts';
import { moveStop, planRoutes, reassignRoute, resequenceRoute, RoutingContext, travelPointsFor, type Lead, type PlanningContext, type RoutePlan, type Rep } from '../../domain/routing/route-planning.ts';

const startAt = new Date('2026-12-07T08:00:00Z');
const office = { lat: 40.75, lon: -73.98 };

function setting(leadCount = 24, repLimits: Partial<Rep> = {}): { context: PlanningContext; plan: RoutePlan } {
  const random = seededRandom(21);
  const leads: Lead[] = Array.from({ length: leadCount }, (_, i) => ({
    id: `L${String(i).padStart(2, '0')}`,
    lat: office.lat + (random() - 0.5) * 0.15,
    lon: office.lon + (random() - 0.5) * 0.2,
    groupKeys: {},
    serviceMinutes: 20,
    amountMinor: 5_000,
  }));
  const reps: Rep[] = [1, 2, 3, 4].map((i) => ({ id: `rep${i}`, start: office, ...repLimits }));
  const context = { leads, reps: reps.slice(0, 3), travel: greatCircleMatrix(travelPointsFor(leads, reps)), startAt };
  return { context: { ...context, reps }, plan: planRoutes({ ...context, groupBy: 'none' }) };
}

const order = (plan: RoutePlan, routeId: string) => plan.routes.find((r) => r.id === routeId)!.stops.map((s) => s.leadId);

/** Every route's legs, times and totals are what building it afresh from its stops gives, and the summary adds them up. */
function expectConsistent(context: PlanningContext, plan: RoutePlan): void {
  const routing = new RoutingContext(context);
  for (const route of plan.routes) {
    const fresh = routing.buildRoute({ id: route.id, repId: route.repId, groupKey: route.groupKey, leadIds: route.stops.map((s) => s.leadId) });
    expect(route).toEqual(fresh);
  }
  expect(plan.summary.stops).toBe(plan.routes.reduce((a, r) => a + r.totals.stops, 0));
  expect(plan.summary.unassigned).toBe(plan.unassigned.length);
  expect(plan.summary.travelSeconds).toBeCloseTo(plan.routes.reduce((a, r) => a + r.totals.travelSeconds, 0), 6);
  const all = [...plan.routes.flatMap((r) => r.stops.map((s) => s.leadId)), ...plan.unassigned.map((u) => u.leadId)];
  expect(new Set(all).size).toBe(all.length);
}

describe('moving a stop', () => {
  test('to a position in another route: it leaves the first, arrives where asked, and both routes are recomputed', () => {
    const { context, plan } = setting();
    const [a, b] = plan.routes;
    const leadId = a!.stops[1]!.leadId;
    const moved = moveStop(context, plan, { leadId, to: { routeId: b!.id, position: 2 } });
    expect(order(moved, a!.id)).toEqual(order(plan, a!.id).filter((id) => id !== leadId));
    expect(order(moved, b!.id)).toEqual([order(plan, b!.id)[0], leadId, ...order(plan, b!.id).slice(1)]);
    expect(moved.routes.find((r) => r.id === a!.id)!.totals.stops).toBe(a!.totals.stops - 1);
    expectConsistent(context, moved);
    expect(order(plan, a!.id)).toContain(leadId); // the plan given is not changed
  });

  test('within its route, to another position', () => {
    const { context, plan } = setting();
    const route = plan.routes[0]!;
    const ids = order(plan, route.id);
    const moved = moveStop(context, plan, { leadId: ids[0]!, to: { routeId: route.id, position: ids.length } });
    expect(order(moved, route.id)).toEqual([...ids.slice(1), ids[0]]);
    expectConsistent(context, moved);
  });

  test('without a position, to where it adds the least driving', () => {
    const leads: Lead[] = [1, 2, 3, 4].map((k) => ({ id: `E${k}`, lat: 0, lon: k * 0.01, groupKeys: {}, serviceMinutes: 5, amountMinor: 1 }));
    const reps: Rep[] = [{ id: 'r', start: { lat: 0, lon: 0 } }];
    const context = { leads, reps, travel: greatCircleMatrix(travelPointsFor(leads, reps)), startAt };
    const plan = planRoutes({ ...context, groupBy: 'none', selection: ['E1', 'E2', 'E4'] });
    expect(order(plan, 'R1')).toEqual(['E1', 'E2', 'E4']);
    const placed = moveStop(context, { ...plan, unassigned: [{ leadId: 'E3', groupKey: null, reason: 'removed_by_hand' }] }, { leadId: 'E3', to: { routeId: 'R1' } });
    expect(order(placed, 'R1')).toEqual(['E1', 'E2', 'E3', 'E4']);
    expect(placed.unassigned).toEqual([]);
  });

  test('over a rep\'s limit: the move is made and the overfull day is flagged, not refused', () => {
    const { context, plan } = setting(24, { maxStops: 8 });
    const full = plan.routes.find((r) => r.totals.stops === 8)!;
    const other = plan.routes.find((r) => r.id !== full.id)!;
    const moved = moveStop(context, plan, { leadId: other.stops[0]!.leadId, to: { routeId: full.id } });
    expect(moved.routes.find((r) => r.id === full.id)!.violations).toEqual([{ kind: 'max_stops', limit: 8, actual: 9 }]);
    expect(moved.routes.find((r) => r.id === other.id)!.violations).toEqual([]);
  });

  test('off every route and back: it is listed as taken off by hand, then placed again', () => {
    const { context, plan } = setting();
    const leadId = plan.routes[2]!.stops[3]!.leadId;
    const off = moveStop(context, plan, { leadId, to: { unassigned: true } });
    expect(off.unassigned).toEqual([{ leadId, groupKey: null, reason: 'removed_by_hand' }]);
    expect(off.summary.stops).toBe(plan.summary.stops - 1);
    expectConsistent(context, off);
    const back = moveStop(context, off, { leadId, to: { routeId: plan.routes[0]!.id, position: 1 } });
    expect(back.unassigned).toEqual([]);
    expect(order(back, plan.routes[0]!.id)[0]).toBe(leadId);
    expectConsistent(context, back);
  });

  test('to a rep who has no route yet: a route is made for them', () => {
    const { context, plan } = setting();
    const leadId = plan.routes[0]!.stops[0]!.leadId;
    const moved = moveStop(context, plan, { leadId, to: { repId: 'rep4' } });
    const created = moved.routes.find((r) => r.repId === 'rep4')!;
    expect(created.id).toBe('R4');
    expect(created.stops.map((s) => s.leadId)).toEqual([leadId]);
    expectConsistent(context, moved);
  });

  test('mistakes are refused with the reason: unknown lead, route, rep or position', () => {
    const { context, plan } = setting();
    const leadId = plan.routes[0]!.stops[0]!.leadId;
    expect(() => moveStop(context, plan, { leadId: 'nobody', to: { routeId: 'R1' } })).toThrow(/unknown lead nobody/);
    expect(() => moveStop(context, plan, { leadId, to: { routeId: 'R9' } })).toThrow(/no route R9/);
    expect(() => moveStop(context, plan, { leadId, to: { repId: 'ghost' } })).toThrow(/unknown rep ghost/);
    expect(() => moveStop(context, plan, { leadId, to: { routeId: 'R2', position: 99 } })).toThrow(/position must be between 1 and/);
  });

  test('after any series of moves, every route still adds up', () => {
    const { context, plan } = setting(30);
    const random = seededRandom(5);
    let current = plan;
    for (let step = 0; step < 40; step++) {
      const leadId = context.leads[Math.floor(random() * context.leads.length)]!.id;
      const choice = random();
      const route = current.routes[Math.floor(random() * current.routes.length)]!;
      const to = choice < 0.15 ? ({ unassigned: true } as const) : choice < 0.5 ? { routeId: route.id } : { routeId: route.id, position: 1 + Math.floor(random() * (route.stops.length + 1)) };
      if (!current.routes.some((r) => r.stops.some((s) => s.leadId === leadId)) && !current.unassigned.some((u) => u.leadId === leadId)) continue;
      if ('position' in to && route.stops.some((s) => s.leadId === leadId) && to.position! > route.stops.length) continue;
      current = moveStop(context, current, { leadId, to });
      expectConsistent(context, current);
    }
  });
});

test('re-ordering a route undoes a bad order made by hand', () => {
  const { context, plan } = setting();
  const route = plan.routes[0]!;
  const ids = order(plan, route.id);
  let shuffled = plan;
  for (const leadId of [...ids].reverse()) shuffled = moveStop(context, shuffled, { leadId, to: { routeId: route.id, position: 1 + (ids.indexOf(leadId) % 3) } });
  const worse = shuffled.routes[0]!.totals.travelSeconds;
  const again = resequenceRoute(context, shuffled, route.id);
  expect(again.routes[0]!.totals.travelSeconds).toBeLessThanOrEqual(worse);
  expect(again.routes[0]!.totals.travelSeconds).toBeCloseTo(route.totals.travelSeconds, 3);
  expectConsistent(context, again);
});

test('giving a route to a rep who has one swaps the two; to a free rep, moves it', () => {
  const { context, plan } = setting();
  const [r1, r2] = plan.routes;
  const swapped = reassignRoute(context, plan, r1!.id, r2!.repId);
  expect(swapped.routes.find((r) => r.id === r1!.id)!.repId).toBe(r2!.repId);
  expect(swapped.routes.find((r) => r.id === r2!.id)!.repId).toBe(r1!.repId);
  expectConsistent(context, swapped);
  const given = reassignRoute(context, plan, r1!.id, 'rep4');
  expect(given.routes.find((r) => r.id === r1!.id)!.repId).toBe('rep4');
  expect(order(given, r1!.id)).toEqual(order(plan, r1!.id));
  expectConsistent(context, given);
});
