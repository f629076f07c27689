// Where travel times and distances come from: a routing service's table API when one is configured
// (OSRM, or anything that speaks its HTTP API: ROUTING_OSRM_URL), straight-line estimates otherwise.
// A routing service that fails does not stop planning: the provider logs a warning and answers with
// great-circle estimates, and the matrix says so (`source`, `fallbackReason`), so that the UI can tell
// the supervisor the times are estimates.
//
// OSRM's table service (GET /table/v1/{profile}/{lon},{lat};…?annotations=duration,distance) answers
// an n×n matrix in one request, but a server refuses requests whose sources × destinations exceed
// its --max-table-size squared (100² by default). Larger sets are asked in blocks: each request takes
// one block of sources and one of destinations (`sources=` / `destinations=` index the coordinates).
import { z } from 'zod';
import { greatCircleMatrix, isValidLocation, type GreatCircleOptions } from '../../domain/routing/geo.ts';
import type { TravelMatrix, TravelPoint } from '../../domain/routing/travel-matrix.ts';

export interface TravelMatrixProvider {
  /** 'osrm' or 'great-circle'; the matrices it returns may still say 'great-circle' after a fallback. */
  readonly name: string;
  /** Travel between every ordered pair of points. Points without a valid location get Infinity. */
  matrix(points: readonly TravelPoint[]): Promise<TravelMatrix>;
}

/** Straight lines times a detour factor, at an average speed (domain/routing/geo.ts). Never fails. */
export class GreatCircleMatrixProvider implements TravelMatrixProvider {
  readonly name = 'great-circle';
  constructor(private readonly options: GreatCircleOptions = {}) {}

  async matrix(points: readonly TravelPoint[]): Promise<TravelMatrix> {
    const matrix = greatCircleMatrix(points, this.options);
    markInvalidPoints(points, matrix);
    return matrix;
  }
}

/** The part of a logger the provider uses (pino's Logger fits). */
export interface WarningLogger {
  warn(details: object, message: string): void;
}

export interface OsrmOptions {
  /** e.g. http://osrm.internal:5000 (a path prefix is kept: https://host/routed-car). */
  baseUrl: string;
  /** The profile segment of the URL. Default 'driving'. */
  profile?: string;
  /** The server's --max-table-size: a request asks at most this many sources × this many destinations. Default 100. */
  maxTableSize?: number;
  /** Per request. Default 10,000 ms. */
  timeoutMs?: number;
  /** Requests in flight at once for a large set. Default 4. */
  concurrency?: number;
  /** Answers when the service fails. Default: great-circle estimates with the default factors. */
  fallback?: TravelMatrixProvider;
  logger?: WarningLogger;
}

/** The routing service refused or failed a request; `code` is OSRM's (TooBig, NoSegment, …) when it gave one. */
export class OsrmError extends Error {
  override name = 'OsrmError';
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

interface OsrmTableResponse {
  code?: string;
  message?: string;
  durations?: Array<Array<number | null>>;
  distances?: Array<Array<number | null>>;
}

export class OsrmTableProvider implements TravelMatrixProvider {
  readonly name = 'osrm';
  private readonly baseUrl: string;
  private readonly profile: string;
  private readonly maxTableSize: number;
  private readonly timeoutMs: number;
  private readonly concurrency: number;
  private readonly fallback: TravelMatrixProvider;

  constructor(private readonly options: OsrmOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.profile = options.profile ?? 'driving';
    this.maxTableSize = options.maxTableSize ?? 100;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.concurrency = options.concurrency ?? 4;
    this.fallback = options.fallback ?? new GreatCircleMatrixProvider();
    if (!Number.isInteger(this.maxTableSize) || this.maxTableSize < 1) throw new RangeError('maxTableSize must be a positive integer');
  }

  async matrix(points: readonly TravelPoint[]): Promise<TravelMatrix> {
    try {
      return await this.fromService(points);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.logger?.warn({ err: error, points: points.length, url: this.baseUrl }, `routing service failed (${reason}); using great-circle estimates`);
      return { ...(await this.fallback.matrix(points)), fallbackReason: reason };
    }
  }

  private async fromService(points: readonly TravelPoint[]): Promise<TravelMatrix> {
    const n = points.length;
    const metres = new Float64Array(n * n).fill(Number.POSITIVE_INFINITY);
    const seconds = new Float64Array(n * n).fill(Number.POSITIVE_INFINITY);
    for (let i = 0; i < n; i++) metres[i * n + i] = seconds[i * n + i] = 0;
    // Points without a location stay at Infinity: the planner reports them; asking would fail the whole table.
    const valid = points.map((p, i) => (isValidLocation(p) ? i : -1)).filter((i) => i >= 0);
    const blocks: number[][] = [];
    for (let b = 0; b < valid.length; b += this.maxTableSize) blocks.push(valid.slice(b, b + this.maxTableSize));
    const jobs = blocks.flatMap((sources) => blocks.map((destinations) => ({ sources, destinations })));
    let unreachablePairs = 0;
    await inPool(jobs, this.concurrency, async ({ sources, destinations }) => {
      const table = await this.request(points, sources, destinations);
      sources.forEach((from, r) => {
        destinations.forEach((to, c) => {
          if (from === to) return;
          const duration = table.durations[r]![c];
          const distance = table.distances[r]![c];
          if (duration === null || duration === undefined || distance === null || distance === undefined) {
            unreachablePairs++;
            return;
          }
          seconds[from * n + to] = duration;
          metres[from * n + to] = distance;
        });
      });
    });
    return { pointIds: points.map((p) => p.id), metres, seconds, source: 'osrm', ...(unreachablePairs > 0 ? { unreachablePairs } : {}) };
  }

  /** One table request: the given sources to the given destinations (indices into `points`). */
  private async request(points: readonly TravelPoint[], sources: number[], destinations: number[]): Promise<{ durations: Array<Array<number | null>>; distances: Array<Array<number | null>> }> {
    const same = sources === destinations;
    const used = same ? sources : [...sources, ...destinations];
    const coordinates = used.map((i) => `${points[i]!.lon.toFixed(6)},${points[i]!.lat.toFixed(6)}`).join(';');
    const query = new URLSearchParams({ annotations: 'duration,distance' });
    if (!same) {
      query.set('sources', sources.map((_, k) => k).join(';'));
      query.set('destinations', destinations.map((_, k) => sources.length + k).join(';'));
    }
    // URLSearchParams would write ';' and ',' as %3B and %2C; OSRM reads them either way, but the plain form is its documented one.
    const url = `${this.baseUrl}/table/v1/${encodeURIComponent(this.profile)}/${coordinates}?${query.toString().replace(/%3B/g, ';').replace(/%2C/g, ',')}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(this.timeoutMs), headers: { accept: 'application/json' } });
    } catch (error) {
      throw new OsrmError(`routing service unreachable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const text = await response.text();
    let body: OsrmTableResponse;
    try {
      body = JSON.parse(text) as OsrmTableResponse;
    } catch {
      throw new OsrmError(`routing service answered ${response.status} without JSON`, response.status);
    }
    if (!response.ok || body.code !== 'Ok') {
      throw new OsrmError(`routing service answered ${response.status} ${body.code ?? ''}${body.message ? `: ${body.message}` : ''}`.trim(), response.status, body.code);
    }
    const shaped = (table: OsrmTableResponse['durations']) => Array.isArray(table) && table.length === sources.length && table.every((row) => Array.isArray(row) && row.length === destinations.length);
    if (!shaped(body.durations) || !shaped(body.distances)) {
      throw new OsrmError(`routing service answered a table that is not ${sources.length}×${destinations.length} durations and distances`, response.status, body.code);
    }
    return { durations: body.durations!, distances: body.distances! };
  }
}

/** Runs `work` on every job, at most `limit` at a time; the first failure fails the whole. */
async function inPool<T>(jobs: readonly T[], limit: number, work: (job: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await work(jobs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
}

function markInvalidPoints(points: readonly TravelPoint[], matrix: TravelMatrix): void {
  const n = points.length;
  points.forEach((p, i) => {
    if (isValidLocation(p)) return;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      matrix.metres[i * n + j] = matrix.metres[j * n + i] = Number.POSITIVE_INFINITY;
      matrix.seconds[i * n + j] = matrix.seconds[j * n + i] = Number.POSITIVE_INFINITY;
    }
  });
}

const settings = z.object({
  ROUTING_OSRM_URL: z.string().url().optional().or(z.literal('').transform(() => undefined)),
  ROUTING_OSRM_PROFILE: z.string().min(1).default('driving'),
  ROUTING_OSRM_MAX_TABLE_SIZE: z.coerce.number().int().positive().default(100),
  ROUTING_OSRM_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  ROUTING_DETOUR_FACTOR: z.coerce.number().min(1).default(1.3),
  ROUTING_SPEED_KMH: z.coerce.number().positive().default(35),
});

/**
 * The provider the environment asks for: OSRM at ROUTING_OSRM_URL (falling back to great-circle
 * estimates on failure), or great-circle estimates when it is unset. docs/routing.md lists the variables.
 */
export function travelMatrixProviderFromEnv(env: NodeJS.ProcessEnv = process.env, logger?: WarningLogger): TravelMatrixProvider {
  const parsed = settings.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid routing configuration:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  const s = parsed.data;
  const greatCircle = new GreatCircleMatrixProvider({ detourFactor: s.ROUTING_DETOUR_FACTOR, speedKmh: s.ROUTING_SPEED_KMH });
  if (!s.ROUTING_OSRM_URL) return greatCircle;
  return new OsrmTableProvider({
    baseUrl: s.ROUTING_OSRM_URL,
    profile: s.ROUTING_OSRM_PROFILE,
    maxTableSize: s.ROUTING_OSRM_MAX_TABLE_SIZE,
    timeoutMs: s.ROUTING_OSRM_TIMEOUT_MS,
    fallback: greatCircle,
    ...(logger ? { logger } : {}),
  });
}
