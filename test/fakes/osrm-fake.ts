// Checks requests the way OSRM's table service (osrm-routed, API v1) does and answers as it does, so
// that the OSRM client can be tested without a routing server and a map extract:
//   GET /table/v1/{profile}/{lon},{lat};{lon},{lat}…[.json]?annotations=…&sources=…&destinations=…
//   - the service must be `table`, the version `v1`, the profile the one served (400 InvalidService,
//     InvalidVersion, InvalidOptions);
//   - coordinates are longitude first; a value out of range is 400 InvalidValue, and a point outside
//     the area the "map" covers is 400 NoSegment (so latitude and longitude swapped are caught: a New
//     York point read as lon 40.7, lat -74 is in Antarctica);
//   - annotations are `duration`, `distance` or both; sources and destinations are `all` or indices of
//     the coordinates; any other parameter or a malformed value is 400 InvalidQuery;
//   - sources × destinations above --max-table-size squared is 400 TooBig ("Too many table coordinates");
//   - an answer is 200 `{ code: 'Ok', durations, distances, sources, destinations }`, rows per source,
//     columns per destination, null where no road joins the pair.
// The "roads" are a model the tests can compute too (fakeRoad): 1.25 × the straight line, 10 m/s, and
// 30 s more when heading east (one-way streets), so that a matrix read the wrong way round shows.
import { haversineMetres } from '../../domain/routing/geo.ts';
import type { LatLon } from '../../domain/routing/travel-matrix.ts';
import { HttpFake, type RecordedRequest, type Reply } from './http-fake.ts';

export interface OsrmFakeOptions {
  profile?: string;
  /** osrm-routed's --max-table-size (default 100). */
  maxTableSize?: number;
  /** The area the map extract covers; default greater New York. */
  area?: { south: number; north: number; west: number; east: number };
  /** Places with no road to anywhere (an island without a ferry): pairs with them are null. */
  islands?: LatLon[];
}

export interface TableRequest {
  profile: string;
  coordinates: LatLon[];
  sources: number[];
  destinations: number[];
  annotations: string[];
}

const allowedParameters = new Set(['sources', 'destinations', 'annotations', 'fallback_speed', 'fallback_coordinate', 'scale_factor', 'generate_hints', 'bearings', 'radiuses', 'hints', 'approaches', 'exclude', 'skip_waypoints']);

/** The fake's road between two points: what the OSRM client should report for the pair. */
export function fakeRoad(from: LatLon, to: LatLon): { metres: number; seconds: number } {
  const metres = Math.round(haversineMetres(from, to) * 1.25 * 10) / 10;
  const seconds = Math.round((metres / 10 + (to.lon > from.lon ? 30 : 0)) * 10) / 10;
  return { metres, seconds };
}

const error = (code: string, message: string): Reply => ({ status: 400, body: { code, message } });

export class OsrmFake extends HttpFake {
  readonly profile: string;
  readonly maxTableSize: number;
  readonly area: NonNullable<OsrmFakeOptions['area']>;
  private readonly islands: LatLon[];

  constructor(options: OsrmFakeOptions = {}) {
    super();
    this.profile = options.profile ?? 'driving';
    this.maxTableSize = options.maxTableSize ?? 100;
    this.area = options.area ?? { south: 40.4, north: 41.0, west: -74.4, east: -73.5 };
    this.islands = options.islands ?? [];
  }

  /** The table requests answered, parsed. */
  get tables(): TableRequest[] {
    return this.accepted.map((r) => parse(r, this.profile) as TableRequest);
  }

  protected override failureReply(status: number): Reply {
    return { status, body: { code: 'InternalError', message: 'simulated failure' } };
  }

  protected override handle(req: RecordedRequest): Reply {
    const request = parse(req, this.profile);
    if ('status' in request) return request;
    const { coordinates, sources, destinations, annotations } = request;
    if (sources.length * destinations.length > this.maxTableSize * this.maxTableSize) return error('TooBig', 'Too many table coordinates');
    const outside = coordinates.findIndex((c) => c.lat < this.area.south || c.lat > this.area.north || c.lon < this.area.west || c.lon > this.area.east);
    if (outside >= 0) return error('NoSegment', `Could not find a matching segment for coordinate ${outside}`);
    const isIsland = (c: LatLon) => this.islands.some((i) => Math.abs(i.lat - c.lat) < 1e-9 && Math.abs(i.lon - c.lon) < 1e-9);
    const cell = (from: number, to: number, measure: 'metres' | 'seconds') => {
      if (from === to || (coordinates[from]!.lat === coordinates[to]!.lat && coordinates[from]!.lon === coordinates[to]!.lon)) return 0;
      if (isIsland(coordinates[from]!) || isIsland(coordinates[to]!)) return null;
      return fakeRoad(coordinates[from]!, coordinates[to]!)[measure];
    };
    const waypoint = (i: number) => ({ hint: `fake-${i}`, distance: 0, name: '', location: [coordinates[i]!.lon, coordinates[i]!.lat] });
    return {
      status: 200,
      body: {
        code: 'Ok',
        ...(annotations.includes('duration') ? { durations: sources.map((s) => destinations.map((d) => cell(s, d, 'seconds'))) } : {}),
        ...(annotations.includes('distance') ? { distances: sources.map((s) => destinations.map((d) => cell(s, d, 'metres'))) } : {}),
        sources: sources.map(waypoint),
        destinations: destinations.map(waypoint),
      },
    };
  }
}

function parse(req: RecordedRequest, servedProfile: string): TableRequest | Reply {
  if (req.method !== 'GET') return error('InvalidUrl', `URL string malformed close to position 0: "${req.path}"`);
  const url = new URL(req.path, 'http://osrm.invalid');
  const match = /^\/([^/]+)\/([^/]+)\/([^/]+)\/([^/?]+?)(\.json)?$/.exec(url.pathname);
  if (!match) return error('InvalidUrl', `URL string malformed close to position 1: "${req.path}"`);
  const [, service, version, profile, coordinateText] = match;
  if (service !== 'table') return error('InvalidService', `Service ${service} not found!`);
  if (version !== 'v1') return error('InvalidVersion', `Service ${service} not found!`);
  if (profile !== servedProfile) return error('InvalidOptions', `profile ${profile} is not served`);

  const coordinates: LatLon[] = [];
  for (const pair of decodeURIComponent(coordinateText!).split(';')) {
    const parts = pair.split(',');
    const [lon, lat] = parts.map(Number);
    if (parts.length !== 2 || !/^-?\d+(\.\d+)?$/.test(parts[0]!) || !/^-?\d+(\.\d+)?$/.test(parts[1]!)) return error('InvalidQuery', `Query string malformed close to position ${req.path.indexOf(pair)}`);
    if (Math.abs(lon!) > 180 || Math.abs(lat!) > 90) return error('InvalidValue', 'Invalid coordinate value.');
    coordinates.push({ lon: lon!, lat: lat! });
  }
  for (const key of url.searchParams.keys()) if (!allowedParameters.has(key)) return error('InvalidQuery', `Query string malformed close to position ${req.path.indexOf(key)}`);

  const annotationText = url.searchParams.get('annotations') ?? 'duration';
  const annotations = annotationText.split(',');
  if (!annotations.every((a) => a === 'duration' || a === 'distance')) return error('InvalidQuery', `Query string malformed close to position ${req.path.indexOf('annotations')}`);

  const indices = (name: 'sources' | 'destinations'): number[] | Reply => {
    const text = url.searchParams.get(name);
    if (text === null || text === 'all') return coordinates.map((_, i) => i);
    const values = text.split(';').map((v) => (/^\d+$/.test(v) ? Number(v) : Number.NaN));
    if (values.some((v) => Number.isNaN(v))) return error('InvalidQuery', `Query string malformed close to position ${req.path.indexOf(name)}`);
    if (values.some((v) => v >= coordinates.length)) return error('InvalidOptions', `${name} index out of bounds`);
    return values;
  };
  const sources = indices('sources');
  if (!Array.isArray(sources)) return sources;
  const destinations = indices('destinations');
  if (!Array.isArray(destinations)) return destinations;
  return { profile: profile!, coordinates, sources, destinations, annotations };
}
