// Travel matrices from a routing service: the OSRM table client against a local fake that checks each
// request as osrm-routed would (path, longitude-first coordinates, annotations, table size) and answers
// in OSRM's JSON; chunking of large sets; falling back to great-circle estimates, with a warning and a
// flag, when the service fails; and the provider chosen from the environment.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { greatCircleMatrix } from '../../domain/routing/geo.ts';
import { seededRandom } from '../../domain/routing/prng.ts';
import { planRoutes, travelPointsFor, type Lead } from '../../domain/routing/route-planning.ts';
import type { TravelPoint } from '../../domain/routing/travel-matrix.ts';
import { GreatCircleMatrixProvider, OsrmTableProvider, travelMatrixProviderFromEnv, type WarningLogger } from '../../platform/routing/travel-matrix.ts';
import { fakeRoad, OsrmFake } from '../fakes/osrm-fake.ts';

const island = { lat: 40.6, lon: -73.75 };
const osrm = new OsrmFake({ maxTableSize: 5, islands: [island] });

beforeAll(async () => {
  await osrm.start();
});
afterAll(async () => {
  await osrm.stop();
});
beforeEach(() => osrm.reset());

/** Points in New York with at most 6 decimals (what the client sends). */
function newYork(count: number, seed = 1): TravelPoint[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => ({ id: `p${i}`, lat: Number((40.6 + random() * 0.25).toFixed(6)), lon: Number((-74.05 + random() * 0.3).toFixed(6)) }));
}

function recordingLogger(): WarningLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (_details, message) => warnings.push(message) };
}

function expectRoadMatrix(matrix: { metres: Float64Array; seconds: Float64Array }, points: TravelPoint[]): void {
  const n = points.length;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const expected = i === j ? { metres: 0, seconds: 0 } : fakeRoad(points[i]!, points[j]!);
      expect(matrix.seconds[i * n + j], `seconds ${i}→${j}`).toBe(expected.seconds);
      expect(matrix.metres[i * n + j], `metres ${i}→${j}`).toBe(expected.metres);
    }
  }
}

describe('OSRM table client', () => {
  test('asks for durations and distances of all pairs in one request, longitude first, and reads rows as sources', async () => {
    const points = newYork(4);
    const matrix = await new OsrmTableProvider({ baseUrl: `${osrm.url}/`, maxTableSize: 5 }).matrix(points);
    expect(osrm.received).toHaveLength(1);
    const request = osrm.accepted[0]!;
    const [path, query] = request.path.split('?');
    expect(path).toBe(`/table/v1/driving/${points.map((p) => `${p.lon.toFixed(6)},${p.lat.toFixed(6)}`).join(';')}`);
    expect(new URLSearchParams(query).get('annotations')).toBe('duration,distance');
    expect(osrm.tables[0]!.sources).toEqual([0, 1, 2, 3]);
    expect(matrix.source).toBe('osrm');
    expect(matrix.fallbackReason).toBeUndefined();
    expect(matrix.pointIds).toEqual(['p0', 'p1', 'p2', 'p3']);
    expectRoadMatrix(matrix, points); // asymmetric: heading east costs 30 s more, so a transposed read fails here
  });

  test('a set larger than the server\'s table size is asked in blocks, none too big, and put together in place', async () => {
    const points = newYork(13, 2);
    const matrix = await new OsrmTableProvider({ baseUrl: osrm.url, maxTableSize: 5 }).matrix(points);
    expect(osrm.received).toHaveLength(9); // blocks of 5, 5 and 3: 3 × 3 requests
    expect(osrm.accepted).toHaveLength(9);
    for (const table of osrm.tables) expect(table.sources.length * table.destinations.length).toBeLessThanOrEqual(25);
    expect(matrix.source).toBe('osrm');
    expectRoadMatrix(matrix, points);
  });

  test('pairs with no road between them are Infinity and counted; route planning leaves such a lead out as unreachable', async () => {
    const leads: Lead[] = newYork(5, 3).map((p, i) => ({ id: `L${i}`, lat: p.lat, lon: p.lon, groupKeys: {}, serviceMinutes: 10, amountMinor: 100 }));
    leads.push({ id: 'ISLAND', ...island, groupKeys: {}, serviceMinutes: 10, amountMinor: 100 });
    const reps = [{ id: 'rep1', start: { lat: 40.75, lon: -73.98 } }];
    const travel = await new OsrmTableProvider({ baseUrl: osrm.url, maxTableSize: 5 }).matrix(travelPointsFor(leads, reps));
    expect(travel.source).toBe('osrm');
    expect(travel.unreachablePairs).toBe(2 * 6);
    const plan = planRoutes({ leads, reps, travel, startAt: new Date('2026-12-07T08:00:00Z'), groupBy: 'none' });
    expect(plan.unassigned).toEqual([{ leadId: 'ISLAND', groupKey: null, reason: 'unreachable' }]);
    expect(plan.summary.stops).toBe(5);
    expect(plan.travelSource).toBe('osrm');
  });

  test('a point without a valid location is not sent (it would fail the whole table) and stays at Infinity', async () => {
    const points = [...newYork(3, 4), { id: 'bad', lat: Number.NaN, lon: -74 }];
    const matrix = await new OsrmTableProvider({ baseUrl: osrm.url }).matrix(points);
    expect(osrm.tables[0]!.coordinates).toHaveLength(3);
    expect(matrix.source).toBe('osrm');
    expect(matrix.seconds[3 * 4 + 0]).toBe(Number.POSITIVE_INFINITY);
    expect(matrix.seconds[0 * 4 + 3]).toBe(Number.POSITIVE_INFINITY);
    expect(matrix.seconds[0 * 4 + 2]).toBe(fakeRoad(points[0]!, points[2]!).seconds);
    expect(matrix.metres[2 * 4 + 1]).toBe(fakeRoad(points[2]!, points[1]!).metres);
  });

  test('the fake itself refuses latitude and longitude swapped, as OSRM would (no road there)', async () => {
    const response = await fetch(`${osrm.url}/table/v1/driving/40.750000,-73.980000;40.700000,-74.000000?annotations=duration,distance`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 'NoSegment', message: 'Could not find a matching segment for coordinate 0' });
    const unknown = await fetch(`${osrm.url}/table/v1/driving/-73.98,40.75;-74,40.7?annotation=duration`);
    expect(((await unknown.json()) as { code: string }).code).toBe('InvalidQuery');
  });
});

describe('when the routing service fails', () => {
  test('a refusal (table too big for the server) falls back to great-circle estimates, logs a warning and says why', async () => {
    const logger = recordingLogger();
    const points = newYork(8, 5);
    const matrix = await new OsrmTableProvider({ baseUrl: osrm.url, maxTableSize: 50, logger }).matrix(points);
    expect(osrm.received).toHaveLength(1);
    expect(osrm.accepted).toHaveLength(0);
    expect(matrix.source).toBe('great-circle');
    expect(matrix.fallbackReason).toBe('routing service answered 400 TooBig: Too many table coordinates');
    expect(Array.from(matrix.seconds)).toEqual(Array.from(greatCircleMatrix(points).seconds));
    expect(logger.warnings).toEqual(['routing service failed (routing service answered 400 TooBig: Too many table coordinates); using great-circle estimates']);
  });

  test('a server error falls back the same way', async () => {
    const logger = recordingLogger();
    osrm.failNext(1, 503);
    const matrix = await new OsrmTableProvider({ baseUrl: osrm.url, logger }).matrix(newYork(3, 6));
    expect(matrix.source).toBe('great-circle');
    expect(matrix.fallbackReason).toMatch(/^routing service answered 503 InternalError/);
    expect(logger.warnings).toHaveLength(1);
  });

  test('no server listening falls back the same way', async () => {
    const logger = recordingLogger();
    const matrix = await new OsrmTableProvider({ baseUrl: 'http://127.0.0.1:9', logger, timeoutMs: 2_000 }).matrix(newYork(3, 7));
    expect(matrix.source).toBe('great-circle');
    expect(matrix.fallbackReason).toMatch(/^routing service unreachable/);
    expect(logger.warnings).toHaveLength(1);
  });
});

describe('provider from the environment', () => {
  test('without ROUTING_OSRM_URL: great-circle estimates, with the detour factor and speed configured', async () => {
    const provider = travelMatrixProviderFromEnv({ ROUTING_DETOUR_FACTOR: '1.5', ROUTING_SPEED_KMH: '50' });
    expect(provider).toBeInstanceOf(GreatCircleMatrixProvider);
    const points = newYork(2, 8);
    const matrix = await provider.matrix(points);
    expect(matrix.seconds[1]).toBeCloseTo(greatCircleMatrix(points, { detourFactor: 1.5, speedKmh: 50 }).seconds[1]!, 9);
    expect(osrm.received).toHaveLength(0);
  });

  test('with ROUTING_OSRM_URL: the routing service, with its table size', async () => {
    const provider = travelMatrixProviderFromEnv({ ROUTING_OSRM_URL: osrm.url, ROUTING_OSRM_MAX_TABLE_SIZE: '5' });
    expect(provider.name).toBe('osrm');
    const matrix = await provider.matrix(newYork(7, 9));
    expect(matrix.source).toBe('osrm');
    expect(osrm.accepted).toHaveLength(4);
  });

  test('a malformed setting is refused at start-up with its name', () => {
    expect(() => travelMatrixProviderFromEnv({ ROUTING_OSRM_URL: 'not a url' })).toThrow(/ROUTING_OSRM_URL/);
    expect(() => travelMatrixProviderFromEnv({ ROUTING_DETOUR_FACTOR: '0.5' })).toThrow(/ROUTING_DETOUR_FACTOR/);
  });
});
