// Route planning (F2, F3): routes fit each rep's day, are balanced across reps, respect the grouping,
// are ordered to minimise driving, and every lead left out says why.
import { describe, expect, test } from 'vitest';
import { greatCircleMatrix, greatCircleTravel } from '../../domain/routing/geo.ts';
import { seededRandom } from '../../domain/routing/prng.ts';
import { planRoutes, travelPointsFor, type Lead, type PlanRequest, type RoutePlan, type Rep } from '../../domain/routing/route-planning.ts';
import { MissingTravelPointError } from '../../domain/routing/travel-matrix.ts';

const startAt = new Date('2026-12-07T08:00:00Z');
const office = { lat: 40.75, lon: -73.98 };

/** Leads scattered over a town of about 20 × 20 km around the office. */
function town(count: number, seed: number, extra: (i: number) => Partial<Lead> = () => ({})): Lead[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `L${String(i).padStart(3, '0')}`,
    lat: office.lat + (random() - 0.5) * 0.18,
    lon: office.lon + (random() - 0.5) * 0.24,
    groupKeys: {},
    serviceMinutes: 15,
    amountMinor: 10_000 + i,
    ...extra(i),
  }));
}

const reps = (count: number, limits: Partial<Rep> = {}): Rep[] => Array.from({ length: count }, (_, i) => ({ id: `rep${i + 1}`, start: office, ...limits }));

function plan(leads: Lead[], people: Rep[], more: Partial<PlanRequest> = {}): RoutePlan {
  return planRoutes({ leads, reps: people, travel: greatCircleMatrix(travelPointsFor(leads, people)), startAt, groupBy: 'none', ...more });
}

const plannedIds = (p: RoutePlan) => p.routes.flatMap((r) => r.stops.map((s) => s.leadId));

/** Every lead given is either on exactly one route or listed as unassigned, once. */
function expectAccountedFor(p: RoutePlan, leadIds: string[]): void {
  const seen = [...plannedIds(p), ...p.unassigned.map((u) => u.leadId)].sort();
  expect(seen).toEqual([...leadIds].sort());
}

describe("routes fit each rep's day", () => {
  test('no rep gets more stops than their limit; the leads that do not fit are the least valuable, marked "no capacity"', () => {
    const leads = town(30, 1, (i) => ({ amountMinor: i < 6 ? 100 + i : 50_000 + i }));
    const result = plan(leads, reps(3, { maxStops: 8 }));
    expect(result.routes).toHaveLength(3);
    for (const route of result.routes) expect(route.totals.stops).toBeLessThanOrEqual(8);
    expect(result.summary.stops).toBe(24);
    expect(result.unassigned.map((u) => u.leadId).sort()).toEqual(['L000', 'L001', 'L002', 'L003', 'L004', 'L005']);
    expect(result.unassigned.every((u) => u.reason === 'no_capacity')).toBe(true);
    expectAccountedFor(result, leads.map((l) => l.id));
  });

  test('no day runs over the rep\'s hours, counting driving and time on site; high-priority leads are kept first', () => {
    const leads = town(40, 2, (i) => ({ serviceMinutes: 30, priority: i % 4 === 0 ? 1 : 0 }));
    const result = plan(leads, reps(3, { maxMinutes: 240 }));
    for (const route of result.routes) {
      expect(route.totals.workMinutes).toBeLessThanOrEqual(240);
      expect(route.violations).toEqual([]);
    }
    expect(result.unassigned.length).toBeGreaterThan(0);
    expect(result.unassigned.every((u) => u.reason === 'no_capacity')).toBe(true);
    const priorityIds = leads.filter((l) => l.priority === 1).map((l) => l.id);
    expect(plannedIds(result)).toEqual(expect.arrayContaining(priorityIds));
    expectAccountedFor(result, leads.map((l) => l.id));
  });

  test('a rep who cannot take any stop today leaves the work to the others; with nobody able, leads are left out for capacity', () => {
    const leads = town(9, 17);
    const result = plan(leads, [{ id: 'off-sick', start: office, maxStops: 0 }, { id: 'short-day', start: office, maxMinutes: 3 }, ...reps(3)]);
    expect(result.routes.map((r) => [r.repId, r.totals.stops])).toEqual([['rep1', 3], ['rep2', 3], ['rep3', 3]]);
    const nobody = plan(leads, [{ id: 'off-sick', start: office, maxStops: 0 }]);
    expect(nobody.routes).toEqual([]);
    expect(new Set(nobody.unassigned.map((u) => u.reason))).toEqual(new Set(['no_capacity']));
  });

  test('a visit that alone is longer than any rep\'s day is reported as such', () => {
    const far: Lead = { id: 'FAR', lat: 42.36, lon: -71.06, groupKeys: {}, serviceMinutes: 30, amountMinor: 1 }; // Boston, from New York
    const result = plan([...town(5, 3), far], reps(2, { maxMinutes: 120 }));
    expect(result.unassigned).toEqual([{ leadId: 'FAR', groupKey: null, reason: 'longer_than_a_day' }]);
  });
});

describe('routes are balanced across reps', () => {
  test('reps leaving from one office get days of similar length', () => {
    const result = plan(town(80, 4), reps(4));
    expect(result.routes).toHaveLength(4);
    const { min, max, mean } = result.summary.workMinutes;
    expect(max / mean).toBeLessThan(1.08);
    expect(min / mean).toBeGreaterThan(0.92);
  });

  test('reps with fewer stops allowed get proportionally less, and nobody gets more than allowed', () => {
    const result = plan(town(40, 5), [{ id: 'part-time', start: office, maxStops: 6 }, ...reps(2)]);
    const stops = Object.fromEntries(result.routes.map((r) => [r.repId, r.totals.stops]));
    expect(stops['part-time']).toBeLessThanOrEqual(6);
    expect(stops['rep1']! + stops['rep2']!).toBe(40 - stops['part-time']!);
    expect(Math.abs(stops['rep1']! - stops['rep2']!)).toBeLessThanOrEqual(4);
  });

  test("each rep gets the leads on their side of town when they start from different places", () => {
    const west = { lat: 40.75, lon: -74.2 };
    const east = { lat: 40.75, lon: -73.7 };
    const leads = town(30, 6, (i) => ({ lon: i < 15 ? -74.15 + i * 0.001 : -73.75 - (i - 15) * 0.001 }));
    const result = plan(leads, [{ id: 'east-rep', start: east }, { id: 'west-rep', start: west }]);
    const routeOf = (repId: string) => result.routes.find((r) => r.repId === repId)!.stops.map((s) => s.leadId);
    expect(routeOf('west-rep').sort()).toEqual(leads.slice(0, 15).map((l) => l.id));
    expect(routeOf('east-rep').sort()).toEqual(leads.slice(15).map((l) => l.id));
  });
});

describe('grouping', () => {
  test('by ZIP: no route mixes ZIP codes, and a bigger ZIP gets more reps', () => {
    const zips = ['10001', '10002', '10003'];
    const leads = town(60, 7, (i) => ({ groupKeys: { zip: zips[i < 36 ? 0 : i < 48 ? 1 : 2] } }));
    const result = plan(leads, reps(5), { groupBy: 'zip' });
    const zipOf = new Map(leads.map((l) => [l.id, l.groupKeys.zip]));
    for (const route of result.routes) {
      const inRoute = new Set(route.stops.map((s) => zipOf.get(s.leadId)));
      expect([...inRoute]).toEqual([route.groupKey]);
    }
    const repsPerZip = (zip: string) => result.routes.filter((r) => r.groupKey === zip).length;
    expect(repsPerZip('10001')).toBe(3);
    expect(repsPerZip('10002')).toBe(1);
    expect(repsPerZip('10003')).toBe(1);
    expectAccountedFor(result, leads.map((l) => l.id));
  });

  test('by corp with more corps than reps: the corps owed most are routed, the others wait with that reason', () => {
    const corps = ['Acme', 'Globex', 'Initech'];
    const leads = town(15, 8, (i) => ({ groupKeys: { corp: corps[i % 3] }, amountMinor: i % 3 === 2 ? 100 : 10_000 }));
    const result = plan(leads, reps(2), { groupBy: 'corp' });
    expect(result.routes.map((r) => r.groupKey).sort()).toEqual(['Acme', 'Globex']);
    expect(result.unassigned).toHaveLength(5);
    expect(result.unassigned.every((u) => u.reason === 'no_rep_for_group' && u.groupKey === 'Initech')).toBe(true);
  });

  test('leads without a value for the key form their own group; audit route and branch group the same way', () => {
    const leads = town(12, 9, (i) => ({ groupKeys: i < 8 ? { auditRoute: 'AR-7', branch: 'EAST' } : { branch: 'EAST' } }));
    const byAudit = plan(leads, reps(2), { groupBy: 'auditRoute' });
    expect(byAudit.routes.map((r) => `${r.groupKey}: ${r.totals.stops}`).sort()).toEqual(['AR-7: 8', 'null: 4']);
    const byBranch = plan(leads, reps(2), { groupBy: 'branch' });
    expect(byBranch.routes.every((r) => r.groupKey === 'EAST')).toBe(true);
    expect(byBranch.summary.stops).toBe(12);
  });

  test('a selection (say, drawn on the map) plans only the leads selected', () => {
    const leads = town(20, 10);
    const selection = leads.filter((_, i) => i % 2 === 0).map((l) => l.id);
    const result = plan(leads, reps(2), { selection });
    expect(plannedIds(result).sort()).toEqual(selection);
    expect(result.unassigned).toEqual([]);
  });
});

describe('order, legs and times', () => {
  test('stops on a road heading east from the start are visited from nearest to farthest', () => {
    const start = { lat: 0, lon: 0 };
    const leads: Lead[] = [5, 1, 4, 2, 3].map((k) => ({ id: `E${k}`, lat: 0, lon: k * 0.01, groupKeys: {}, serviceMinutes: 10, amountMinor: 1 }));
    const result = plan(leads, [{ id: 'r', start }]);
    expect(result.routes[0]!.stops.map((s) => s.leadId)).toEqual(['E1', 'E2', 'E3', 'E4', 'E5']);
  });

  test('each leg, arrival and departure follows from the one before; totals add up', () => {
    const leads = town(6, 11, (i) => ({ serviceMinutes: 10 + i }));
    const result = plan(leads, reps(1));
    const route = result.routes[0]!;
    let clock = startAt.getTime();
    let previous = office;
    let travelSeconds = 0;
    for (const stop of route.stops) {
      const lead = leads.find((l) => l.id === stop.leadId)!;
      const leg = greatCircleTravel(previous, lead);
      expect(stop.legSeconds).toBeCloseTo(leg.seconds, 6);
      expect(stop.legMetres).toBeCloseTo(leg.metres, 6);
      expect(stop.arrivesAt.getTime()).toBe(Math.round(clock + leg.seconds * 1000));
      expect(stop.departsAt.getTime() - stop.arrivesAt.getTime()).toBe(lead.serviceMinutes * 60_000);
      clock = stop.departsAt.getTime();
      previous = lead;
      travelSeconds += leg.seconds;
    }
    expect(route.totals.endsAt.getTime()).toBe(clock);
    expect(route.totals.travelSeconds).toBeCloseTo(travelSeconds, 6);
    expect(route.totals.serviceMinutes).toBe(leads.reduce((a, l) => a + l.serviceMinutes, 0));
    expect(route.totals.workMinutes).toBeCloseTo(travelSeconds / 60 + route.totals.serviceMinutes, 9);
    expect(route.totals.amountMinor).toBe(leads.reduce((a, l) => a + l.amountMinor, 0));
    expect(route.stops.map((s) => s.sequence)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  test('a short route is in the order with the least driving of all orders', () => {
    const leads = town(7, 12);
    const result = plan(leads, reps(1));
    const travel = (order: Lead[]) => order.reduce((acc, lead, k) => acc + greatCircleTravel(k === 0 ? office : order[k - 1]!, lead).seconds, 0);
    let best = Infinity;
    const permute = (rest: Lead[], chosen: Lead[]) => {
      if (rest.length === 0) best = Math.min(best, travel(chosen));
      rest.forEach((lead, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...chosen, lead]));
    };
    permute(leads, []);
    expect(result.routes[0]!.totals.travelSeconds).toBeCloseTo(best, 6);
  });
});

describe('leads that cannot be routed', () => {
  test('a lead without valid coordinates, or that the road network cannot reach, is left out with the reason', () => {
    const leads = [...town(4, 13), { id: 'NOWHERE', lat: Number.NaN, lon: 0, groupKeys: {}, serviceMinutes: 10, amountMinor: 1 }, { id: 'ISLAND', lat: 40.7, lon: -74, groupKeys: {}, serviceMinutes: 10, amountMinor: 1 }];
    const people = reps(1);
    const travel = greatCircleMatrix(travelPointsFor(leads, people));
    const island = travel.pointIds.indexOf('lead:ISLAND');
    const n = travel.pointIds.length;
    for (let j = 0; j < n; j++) if (j !== island) travel.seconds[island * n + j] = travel.seconds[j * n + island] = Number.POSITIVE_INFINITY;
    const result = planRoutes({ leads, reps: people, travel, startAt, groupBy: 'none' });
    expect(result.unassigned).toEqual([
      { leadId: 'NOWHERE', groupKey: null, reason: 'invalid_location' },
      { leadId: 'ISLAND', groupKey: null, reason: 'unreachable' },
    ]);
    expect(result.summary.stops).toBe(4);
  });

  test('a travel matrix that does not cover a rep or a lead is an error, not a silent guess', () => {
    const leads = town(3, 14);
    const travel = greatCircleMatrix(travelPointsFor(leads.slice(0, 2), reps(1)));
    expect(() => planRoutes({ leads, reps: reps(1), travel, startAt, groupBy: 'none' })).toThrow(MissingTravelPointError);
  });
});

test('the same request gives the same plan', () => {
  const leads = town(50, 15, (i) => ({ groupKeys: { zip: i % 2 ? 'A' : 'B' } }));
  const request = { leads, reps: reps(4, { maxMinutes: 300, maxStops: 12 }), groupBy: 'zip' as const };
  expect(plan(request.leads, request.reps, { groupBy: 'zip' })).toEqual(plan(request.leads, request.reps, { groupBy: 'zip' }));
});

test('the plan says where the travel figures came from', () => {
  const leads = town(3, 16);
  const travel = { ...greatCircleMatrix(travelPointsFor(leads, reps(1))), fallbackReason: 'routing service answered 503' };
  const result = planRoutes({ leads, reps: reps(1), travel, startAt, groupBy: 'none' });
  expect(result.travelSource).toBe('great-circle');
  expect(result.travelFallbackReason).toBe('routing service answered 503');
});
