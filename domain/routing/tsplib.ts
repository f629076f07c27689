// TSPLIB 95 instances: the standard benchmark format for the travelling salesman problem, read here
// so that anyone can check the tour-quality claim in docs/routing.md against published optima.
// Only what that check needs: symmetric TSP with node coordinates, and the distance functions
// exactly as TSPLIB defines them (the published optima are in these rounded integer units, so
// a distance computed any other way would make the comparison meaningless).
// Pure: parses text handed in, reads no file.

export const supportedEdgeWeightTypes = ['EUC_2D', 'CEIL_2D', 'ATT', 'GEO'] as const;
export type EdgeWeightType = (typeof supportedEdgeWeightTypes)[number];

export interface TsplibInstance {
  name: string;
  comment: string;
  dimension: number;
  edgeWeightType: EdgeWeightType;
  /** First coordinate of each node, in file order (node k of the file is index k - 1). */
  x: Float64Array;
  /** Second coordinate of each node. For GEO these are latitude and longitude in DDD.MM form. */
  y: Float64Array;
}

/** The file is not a TSPLIB instance this module can read; `line` is 1-based where one is at fault. */
export class TsplibFormatError extends Error {
  override name = 'TsplibFormatError';
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
  }
}

/**
 * Parses a TSPLIB file of TYPE TSP with NODE_COORD_SECTION. Refuses, with the reason, any other
 * problem type (ATSP, HCP, CVRP, TOUR), explicit edge weights and unsupported distance functions.
 */
export function parseTsplib(text: string): TsplibInstance {
  const lines = text.split(/\r?\n/);
  const spec = new Map<string, string>();
  let coordinatesFrom = -1;
  let otherSection: { name: string; line: number } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line === 'EOF') break;
    if (/^NODE_COORD_SECTION\s*:?$/.test(line)) {
      coordinatesFrom = i + 1;
      break;
    }
    if (/^[A-Z_]+_SECTION\s*:?$/.test(line)) {
      otherSection = { name: line.replace(/\s*:$/, ''), line: i + 1 };
      break;
    }
    const match = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (!match) throw new TsplibFormatError(`expected "KEYWORD : value", got "${line}"`, i + 1);
    spec.set(match[1]!, match[2]!.trim());
  }

  const type = spec.get('TYPE');
  if (type === undefined) throw new TsplibFormatError('TYPE is missing');
  // Some files write "TSP (M.~Hofmeister)" and the like; only the first word counts.
  if (type.split(/\s+/)[0] !== 'TSP') throw new TsplibFormatError(`TYPE ${type} is not supported: only symmetric TSP instances (TYPE : TSP) can be read`);
  const weightType = spec.get('EDGE_WEIGHT_TYPE');
  if (weightType === undefined) throw new TsplibFormatError('EDGE_WEIGHT_TYPE is missing');
  if (!(supportedEdgeWeightTypes as readonly string[]).includes(weightType)) {
    throw new TsplibFormatError(`EDGE_WEIGHT_TYPE ${weightType} is not supported: use one of ${supportedEdgeWeightTypes.join(', ')}`);
  }
  const dimensionText = spec.get('DIMENSION');
  const dimension = Number(dimensionText);
  if (!Number.isInteger(dimension) || dimension < 1) throw new TsplibFormatError(`DIMENSION must be a positive integer, got ${dimensionText ?? 'nothing'}`);
  if (otherSection) throw new TsplibFormatError(`${otherSection.name} is not supported: only NODE_COORD_SECTION instances can be read`, otherSection.line);
  if (coordinatesFrom < 0) throw new TsplibFormatError('NODE_COORD_SECTION is missing');

  const x = new Float64Array(dimension);
  const y = new Float64Array(dimension);
  const seen = new Uint8Array(dimension);
  let count = 0;
  for (let i = coordinatesFrom; i < lines.length && count < dimension; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line === 'EOF') break;
    const fields = line.split(/\s+/);
    if (fields.length !== 3) throw new TsplibFormatError(`expected "node x y", got "${line}"`, i + 1);
    const node = Number(fields[0]);
    const nx = Number(fields[1]);
    const ny = Number(fields[2]);
    if (!Number.isInteger(node) || node < 1 || node > dimension) throw new TsplibFormatError(`node number ${fields[0]} is not between 1 and DIMENSION ${dimension}`, i + 1);
    if (!Number.isFinite(nx) || !Number.isFinite(ny)) throw new TsplibFormatError(`coordinates of node ${node} are not numbers`, i + 1);
    if (seen[node - 1]) throw new TsplibFormatError(`node ${node} appears twice`, i + 1);
    seen[node - 1] = 1;
    x[node - 1] = nx;
    y[node - 1] = ny;
    count++;
  }
  if (count < dimension) throw new TsplibFormatError(`NODE_COORD_SECTION has ${count} nodes, DIMENSION says ${dimension}`);
  return { name: spec.get('NAME') ?? '', comment: spec.get('COMMENT') ?? '', dimension, edgeWeightType: weightType as EdgeWeightType, x, y };
}

/** TSPLIB's nint: round half up, as `(int)(x + 0.5)` does for the non-negative values it is used on. */
const nint = (value: number): number => Math.floor(value + 0.5);

// GEO: TSPLIB's own constants, on purpose not Math.PI; the published optima were computed with them.
const geoPi = 3.141592;
const earthRadiusKm = 6378.388;

/**
 * GEO coordinates are DDD.MM (degrees and minutes); TSPLIB converts them to radians this way.
 * Degrees are truncated towards zero (as Concorde and the reference code do; the TSPLIB 95
 * document's "nint" would move negative coordinates by a degree).
 */
function geoRadians(value: number): number {
  const degrees = Math.trunc(value);
  const minutes = value - degrees;
  return (geoPi * (degrees + (5 * minutes) / 3)) / 180;
}

/** Distance between nodes i and j of an instance, in TSPLIB's integer units. */
export function tsplibDistance(instance: TsplibInstance, i: number, j: number): number {
  const { x, y } = instance;
  const dx = x[i]! - x[j]!;
  const dy = y[i]! - y[j]!;
  switch (instance.edgeWeightType) {
    case 'EUC_2D':
      return nint(Math.sqrt(dx * dx + dy * dy));
    case 'CEIL_2D':
      return Math.ceil(Math.sqrt(dx * dx + dy * dy));
    case 'ATT': {
      // Pseudo-Euclidean: round, then round up whenever rounding went down.
      const r = Math.sqrt((dx * dx + dy * dy) / 10);
      const t = nint(r);
      return t < r ? t + 1 : t;
    }
    case 'GEO': {
      if (i === j) return 0;
      const lat1 = geoRadians(x[i]!);
      const lon1 = geoRadians(y[i]!);
      const lat2 = geoRadians(x[j]!);
      const lon2 = geoRadians(y[j]!);
      const q1 = Math.cos(lon1 - lon2);
      const q2 = Math.cos(lat1 - lat2);
      const q3 = Math.cos(lat1 + lat2);
      return Math.trunc(earthRadiusKm * Math.acos(0.5 * ((1 + q1) * q2 - (1 - q1) * q3)) + 1);
    }
  }
}

/** The full distance matrix, row-major (`d[i * n + j]`), for the solver. */
export function tsplibDistanceMatrix(instance: TsplibInstance): Float64Array {
  const n = instance.dimension;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const value = tsplibDistance(instance, i, j);
      d[i * n + j] = value;
      d[j * n + i] = value;
    }
  }
  return d;
}

/** Length of a closed tour (0-based node indices, each once) under the instance's distance function. */
export function tsplibTourLength(instance: TsplibInstance, tour: ArrayLike<number>): number {
  assertPermutation(tour, instance.dimension);
  let total = 0;
  for (let k = 0; k < tour.length; k++) total += tsplibDistance(instance, tour[k]!, tour[(k + 1) % tour.length]!);
  return total;
}

/**
 * Parses a TSPLIB .tour file (TOUR_SECTION of 1-based node numbers ending in -1) into 0-based
 * indices: published optimal tours, to check the distance functions against published optima.
 */
export function parseTsplibTour(text: string): number[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => /^TOUR_SECTION\s*:?$/.test(l.trim()));
  if (start < 0) throw new TsplibFormatError('TOUR_SECTION is missing');
  const tour: number[] = [];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line === 'EOF') break;
    let ended = false;
    for (const field of line.split(/\s+/)) {
      const node = Number(field);
      if (node === -1) {
        ended = true;
        break;
      }
      if (!Number.isInteger(node) || node < 1) throw new TsplibFormatError(`"${field}" is not a node number`, i + 1);
      tour.push(node - 1);
    }
    if (ended) break;
  }
  return tour;
}

function assertPermutation(tour: ArrayLike<number>, n: number): void {
  if (tour.length !== n) throw new RangeError(`a tour must visit all ${n} nodes, this one has ${tour.length}`);
  const seen = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const v = tour[k]!;
    if (!Number.isInteger(v) || v < 0 || v >= n || seen[v]) throw new RangeError(`a tour must visit each node once; node ${v} is out of range or repeated`);
    seen[v] = 1;
  }
}
