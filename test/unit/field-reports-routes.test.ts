// Route reports (F10): a route's plan against what happened on it, and how stops, accounts and arrears
// spread over reps and areas (postal-code prefix, corp, audit route).
import { describe, expect, test } from 'vitest';
import { areaOf, buildDistribution, buildRouteSummary, type RouteFact, type StopAccount } from '../../domain/field-route-reports.ts';
import type { RepRef, VisitFact } from '../../domain/field-reports.ts';

const frank: RepRef = { id: 'rep-f', name: 'Frank Fielding', branchCode: 'EAST' };
const erin: RepRef = { id: 'rep-e', name: 'Erin Evans', branchCode: 'EAST' };

function account(id: string, fields: Partial<StopAccount> = {}): StopAccount {
  return { id, currency: 'USD', balanceMinor: 10_000n, postalCode: '02118', corp: 'Metro Cable', auditRoute: 'AR-1', ...fields };
}

function route(id: string, rep: RepRef | null, stops: Array<[string, RouteFact['stops'][number]['status'], StopAccount, string]>, fields: Partial<RouteFact> = {}): RouteFact {
  return {
    id,
    name: `Route ${id}`,
    serviceDate: '2026-03-10',
    status: 'in_progress',
    rep,
    branchCode: 'EAST',
    timeZone: 'America/New_York',
    groupBy: 'zip',
    groupKey: '021',
    plannedDistanceM: 42_000,
    plannedDurationS: 5 * 3600,
    stops: stops.map(([stopId, status, acc, plannedArrival]) => ({ id: stopId, status, account: acc, plannedArrivalAt: new Date(plannedArrival) })),
    ...fields,
  };
}

function visit(routeId: string, stopId: string, at: string, fields: Partial<VisitFact> = {}): VisitFact {
  return {
    id: `v-${stopId}-${at}`,
    rep: frank,
    timeZone: 'America/New_York',
    arrivedAt: new Date(at),
    currency: 'USD',
    account: { id: 'a', externalRef: 'ACC', customerName: 'C' },
    receiptNumber: 'R',
    contactResult: 'spoke_with_customer',
    taking: null,
    promise: null,
    equipment: [],
    retentionOutcome: null,
    routeId,
    routeStopId: stopId,
    ...fields,
  };
}

const posted = (amountMinor: number) => ({ method: 'cash' as const, amountMinor: BigInt(amountMinor), reference: null, status: 'posted' as const, card: null, reversedAt: null });

describe('the route summary', () => {
  test('planned stops against visited and skipped, the results at the doors, money, promises, equipment, and the planned against the actual span', () => {
    const r = route('r1', frank, [
      ['s1', 'visited', account('a1'), '2026-03-10T13:00:00Z'],
      ['s2', 'visited', account('a2'), '2026-03-10T13:40:00Z'],
      ['s3', 'skipped', account('a3'), '2026-03-10T14:30:00Z'],
      ['s4', 'pending', account('a4'), '2026-03-10T15:00:00Z'],
    ]);
    const { routes, totals } = buildRouteSummary({
      routes: [r],
      visits: [
        visit('r1', 's1', '2026-03-10T13:10:00Z', { taking: posted(5_000), equipment: [{ type: 'Modem', serial: 'X' }] }),
        visit('r1', 's2', '2026-03-10T14:25:00Z', { contactResult: 'no_one_home' }),
        visit('r1', 's2', '2026-03-10T15:55:00Z', { promise: { amountMinor: 2_000n, outcome: 'pending' } }), // back later the same day
        visit('other', 'sx', '2026-03-10T16:00:00Z', { taking: posted(99_999) }), // another route's visit
      ],
    });
    const row = routes[0]!;
    expect(row.stops).toEqual({ planned: 4, visited: 2, skipped: 1, pending: 1 });
    expect(row.visits).toBe(3);
    expect(row.results.filter((x) => x.count > 0)).toEqual([
      { result: 'spoke_with_customer', count: 2 },
      { result: 'no_one_home', count: 1 },
    ]);
    expect(row).toMatchObject({ payments: 1, collected: [{ currency: 'USD', amountMinor: 5_000n }], promises: { count: 1, amounts: [{ currency: 'USD', amountMinor: 2_000n }] }, equipment: 1 });
    expect(row).toMatchObject({ plannedMinutes: 300, plannedSpanMinutes: 120, actualSpanMinutes: 165, plannedDistanceM: 42_000 });
    expect(row.firstArrivalAt?.toISOString()).toBe('2026-03-10T13:10:00.000Z');
    expect(totals.collected).toEqual([{ currency: 'USD', amountMinor: 5_000n }]);
  });

  test('a route not yet started has no actual span and no division by zero anywhere', () => {
    const { routes, totals } = buildRouteSummary({ routes: [route('r2', null, [['s1', 'pending', account('a1'), '2026-03-11T13:00:00Z']])], visits: [] });
    expect(routes[0]).toMatchObject({ visits: 0, actualSpanMinutes: null, firstArrivalAt: null, plannedSpanMinutes: 0, collected: [] });
    expect(totals.stops).toEqual({ planned: 1, visited: 0, skipped: 0, pending: 1 });
    expect(buildRouteSummary({ routes: [], visits: [] }).totals.stops.planned).toBe(0);
  });
});

describe('the route distribution', () => {
  test('areas are postal-code prefixes compared without spaces in capitals, the corp, or the audit route; unknown when billing did not say', () => {
    expect(areaOf(account('a', { postalCode: ' sw1a 1aa' }), 'postal_prefix', 4)).toBe('SW1A');
    expect(areaOf(account('a', { postalCode: '02118' }), 'postal_prefix')).toBe('021');
    expect(areaOf(account('a', { postalCode: null }), 'postal_prefix')).toBeNull();
    expect(areaOf(account('a', { corp: '  ' }), 'corp')).toBeNull();
    expect(areaOf(account('a'), 'audit_route')).toBe('AR-1');
  });

  test('stops, distinct accounts and their arrears per area and per rep: an account on two routes is one account with one balance', () => {
    const boston = account('a1', { postalCode: '02118', balanceMinor: 30_000n });
    const bostonToo = account('a2', { postalCode: '02110', balanceMinor: 20_000n });
    const providence = account('a3', { postalCode: '02903', balanceMinor: 5_000n });
    const nowhere = account('a4', { postalCode: null, balanceMinor: 1_000n });
    const report = buildDistribution({
      by: 'postal_prefix',
      routes: [
        route('r1', frank, [['s1', 'visited', boston, '2026-03-10T13:00:00Z'], ['s2', 'pending', bostonToo, '2026-03-10T14:00:00Z'], ['s3', 'visited', providence, '2026-03-10T15:00:00Z']]),
        route('r2', erin, [['s4', 'pending', boston, '2026-03-11T13:00:00Z'], ['s5', 'pending', nowhere, '2026-03-11T14:00:00Z']], { serviceDate: '2026-03-11' }),
      ],
      visits: [visit('r1', 's1', '2026-03-10T13:05:00Z', { taking: posted(10_000) }), visit('r1', 's3', '2026-03-10T15:05:00Z', { taking: { ...posted(500), status: 'reversed' } })],
    });
    expect(report.byArea.map((a) => [a.area, a.stops, a.visitedStops, a.accounts, a.arrears[0]?.amountMinor, a.collected[0]?.amountMinor ?? 0n])).toEqual([
      ['021', 3, 1, 2, 50_000n, 10_000n],
      ['029', 1, 1, 1, 5_000n, 0n],
      [null, 1, 0, 1, 1_000n, 0n],
    ]);
    expect(report.byRep.map((r) => [r.rep?.name, r.stops, r.accounts])).toEqual([
      ['Erin Evans', 2, 2],
      ['Frank Fielding', 3, 3],
    ]);
    expect(report.cells.map((c) => [c.area, c.rep?.name, c.stops])).toEqual([
      ['021', 'Erin Evans', 1],
      ['021', 'Frank Fielding', 2],
      ['029', 'Frank Fielding', 1],
      [null, 'Erin Evans', 1],
    ]);
    expect(report.total).toMatchObject({ stops: 5, accounts: 4, arrears: [{ currency: 'USD', amountMinor: 56_000n }], collected: [{ currency: 'USD', amountMinor: 10_000n }] });
  });

  test('routes with no rep are spread as unassigned; by corp and audit route the same way', () => {
    const report = buildDistribution({ by: 'corp', routes: [route('r1', null, [['s1', 'pending', account('a1', { corp: 'Valley Broadband' }), '2026-03-10T13:00:00Z']])], visits: [] });
    expect(report.byRep).toEqual([expect.objectContaining({ rep: null, stops: 1 })]);
    expect(report.byArea[0]?.area).toBe('Valley Broadband');
    expect(buildDistribution({ by: 'audit_route', routes: [], visits: [] }).total).toEqual({ stops: 0, visitedStops: 0, accounts: 0, arrears: [], collected: [] });
  });
});
