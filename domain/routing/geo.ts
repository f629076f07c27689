// Straight-line ("great-circle") travel estimates, used when no routing service is configured or
// when it fails. Roads are longer than straight lines and speeds vary, so a distance is the
// haversine distance times a detour factor and a time is that distance at an average speed; the
// defaults (1.3, 35 km/h) are typical of mixed urban and suburban driving and can be set per call.
import type { LatLon, TravelMatrix, TravelPoint } from './travel-matrix.ts';

/** Mean Earth radius (IUGG), metres. */
export const earthRadiusMetres = 6_371_008.8;

export interface GreatCircleOptions {
  /** Road distance per straight-line distance. Default 1.3. */
  detourFactor?: number;
  /** Average driving speed, km/h. Default 35. */
  speedKmh?: number;
}

export const defaultGreatCircle = { detourFactor: 1.3, speedKmh: 35 } as const;

const radians = (degrees: number) => (degrees * Math.PI) / 180;

/** Great-circle distance in metres (haversine formula; accurate for any distance on a sphere). */
export function haversineMetres(a: LatLon, b: LatLon): number {
  const dLat = radians(b.lat - a.lat);
  const dLon = radians(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.lat)) * Math.cos(radians(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * earthRadiusMetres * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated road distance and driving time between two points. */
export function greatCircleTravel(a: LatLon, b: LatLon, options: GreatCircleOptions = {}): { metres: number; seconds: number } {
  const { detourFactor, speedKmh } = resolve(options);
  const metres = haversineMetres(a, b) * detourFactor;
  return { metres, seconds: metres / (speedKmh / 3.6) };
}

/** The full matrix of estimates between the given points, in their order. */
export function greatCircleMatrix(points: readonly TravelPoint[], options: GreatCircleOptions = {}): TravelMatrix {
  const { detourFactor, speedKmh } = resolve(options);
  const n = points.length;
  const metres = new Float64Array(n * n);
  const seconds = new Float64Array(n * n);
  const metresPerSecond = speedKmh / 3.6;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const m = haversineMetres(points[i]!, points[j]!) * detourFactor;
      metres[i * n + j] = metres[j * n + i] = m;
      seconds[i * n + j] = seconds[j * n + i] = m / metresPerSecond;
    }
  }
  return { pointIds: points.map((p) => p.id), metres, seconds, source: 'great-circle' };
}

/** Latitude within ±90 and longitude within ±180, both finite. */
export function isValidLocation(point: LatLon): boolean {
  return Number.isFinite(point.lat) && Number.isFinite(point.lon) && Math.abs(point.lat) <= 90 && Math.abs(point.lon) <= 180;
}

function resolve(options: GreatCircleOptions): { detourFactor: number; speedKmh: number } {
  const detourFactor = options.detourFactor ?? defaultGreatCircle.detourFactor;
  const speedKmh = options.speedKmh ?? defaultGreatCircle.speedKmh;
  if (!(detourFactor >= 1)) throw new RangeError(`detourFactor must be at least 1, got ${detourFactor}`);
  if (!(speedKmh > 0)) throw new RangeError(`speedKmh must be positive, got ${speedKmh}`);
  return { detourFactor, speedKmh };
}
