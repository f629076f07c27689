// Travel between the places a route touches (reps' starting points and leads), as a matrix of road
// distances and driving times. Who fills it (a routing service, or great-circle estimates when none
// is configured) is platform/routing/travel-matrix.ts's business; planning only reads it.

export interface LatLon {
  lat: number;
  lon: number;
}

export interface TravelPoint extends LatLon {
  /** Unique among the points of one matrix; route planning uses `rep:<id>` and `lead:<id>`. */
  id: string;
}

/** Where the figures came from: a routing service's road network, or straight lines with a detour factor. */
export type TravelSource = 'osrm' | 'great-circle';

export interface TravelMatrix {
  /** The points, in matrix order. */
  pointIds: readonly string[];
  /** Row-major: `metres[i * n + j]` is the road distance from point i to point j. Not necessarily symmetric. */
  metres: Float64Array;
  /** Row-major driving time in seconds, from i to j. */
  seconds: Float64Array;
  source: TravelSource;
  /** Set when a routing service was configured but could not be used, so the figures are estimates. */
  fallbackReason?: string;
  /** Pairs the routing service found no road between; their entries are Infinity. */
  unreachablePairs?: number;
}

/** A point was asked for that the matrix does not cover (the caller built it for other points). */
export class MissingTravelPointError extends Error {
  override name = 'MissingTravelPointError';
  constructor(readonly pointId: string) {
    super(`the travel matrix has no point ${pointId}`);
  }
}

/** Finds rows by point id. */
export class TravelLookup {
  private readonly index = new Map<string, number>();
  readonly size: number;

  constructor(readonly matrix: TravelMatrix) {
    this.size = matrix.pointIds.length;
    if (matrix.metres.length !== this.size * this.size || matrix.seconds.length !== this.size * this.size) {
      throw new RangeError(`a travel matrix of ${this.size} points needs ${this.size * this.size} entries`);
    }
    matrix.pointIds.forEach((id, i) => this.index.set(id, i));
  }

  has(pointId: string): boolean {
    return this.index.has(pointId);
  }

  indexOf(pointId: string): number {
    const i = this.index.get(pointId);
    if (i === undefined) throw new MissingTravelPointError(pointId);
    return i;
  }

  seconds(from: number, to: number): number {
    return this.matrix.seconds[from * this.size + to]!;
  }

  metres(from: number, to: number): number {
    return this.matrix.metres[from * this.size + to]!;
  }

  /**
   * Driving times among the given rows as a symmetric matrix (the mean of both directions), for the
   * stop-ordering solver, which assumes symmetry. Legs are then costed with the real directed times.
   */
  symmetricSeconds(rows: readonly number[]): Float64Array {
    const n = rows.length;
    const d = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const value = (this.seconds(rows[a]!, rows[b]!) + this.seconds(rows[b]!, rows[a]!)) / 2;
        d[a * n + b] = value;
        d[b * n + a] = value;
      }
    }
    return d;
  }
}

/** Ids route planning gives the points it needs, so that one matrix can carry reps and leads. */
export const repPointId = (repId: string): string => `rep:${repId}`;
export const leadPointId = (leadId: string): string => `lead:${leadId}`;
