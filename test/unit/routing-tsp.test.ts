// The stop-ordering solver on instances whose optimum is known by construction or by exhaustive
// search, so that a weaker solver fails here rather than in a rep's day.
import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../domain/routing/prng.ts';
import { closedLength, pathLength, solveTsp } from '../../domain/routing/tsp.ts';

type Point = [number, number];

function euclidean(points: Point[]): Float64Array {
  const n = points.length;
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d[i * n + j] = Math.hypot(points[i]![0] - points[j]![0], points[i]![1] - points[j]![1]);
  return d;
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** Held–Karp dynamic programme: the exact optimal closed tour length, for n ≤ 12. */
function heldKarp(d: Float64Array, n: number): number {
  const full = 1 << (n - 1);
  const cost = new Float64Array(full * (n - 1)).fill(Infinity);
  for (let j = 1; j < n; j++) cost[(1 << (j - 1)) * (n - 1) + (j - 1)] = d[j]!;
  for (let set = 1; set < full; set++) {
    for (let j = 1; j < n; j++) {
      const here = cost[set * (n - 1) + (j - 1)]!;
      if (!(set & (1 << (j - 1))) || here === Infinity) continue;
      for (let k = 1; k < n; k++) {
        if (set & (1 << (k - 1))) continue;
        const next = set | (1 << (k - 1));
        const value = here + d[j * n + k]!;
        if (value < cost[next * (n - 1) + (k - 1)]!) cost[next * (n - 1) + (k - 1)] = value;
      }
    }
  }
  let best = Infinity;
  for (let j = 1; j < n; j++) best = Math.min(best, cost[(full - 1) * (n - 1) + (j - 1)]! + d[j * n]!);
  return best;
}

/** Exact shortest open path from `start` through every node (ending anywhere), by the same programme. */
function shortestPathFrom(d: Float64Array, n: number, start: number): number {
  const others = [...Array(n).keys()].filter((i) => i !== start);
  const m = others.length;
  const cost = new Float64Array((1 << m) * m).fill(Infinity);
  for (let j = 0; j < m; j++) cost[(1 << j) * m + j] = d[start * n + others[j]!]!;
  for (let set = 1; set < 1 << m; set++) {
    for (let j = 0; j < m; j++) {
      const here = cost[set * m + j]!;
      if (!(set & (1 << j)) || here === Infinity) continue;
      for (let k = 0; k < m; k++) {
        if (set & (1 << k)) continue;
        const next = set | (1 << k);
        cost[next * m + k] = Math.min(cost[next * m + k]!, here + d[others[j]! * n + others[k]!]!);
      }
    }
  }
  return Math.min(...Array.from({ length: m }, (_, j) => cost[((1 << m) - 1) * m + j]!));
}

const randomPoints = (n: number, seed: number, size = 1000): Point[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => [Math.round(random() * size), Math.round(random() * size)] as Point);
};

function expectPermutation(order: number[], n: number): void {
  expect([...order].sort((a, b) => a - b)).toEqual([...Array(n).keys()]);
}

describe('closed tours with a known optimum', () => {
  test.each([60, 250])('%i points on a circle, given in shuffled order, are visited around the circle', (n) => {
    // Points in convex position: the optimal tour is the hull order and nothing else.
    const random = seededRandom(n);
    const angles = Array.from({ length: n }, () => random() * 2 * Math.PI).sort((a, b) => a - b);
    const byAngle: Point[] = angles.map((a) => [500 + 400 * Math.cos(a), 500 + 400 * Math.sin(a)]);
    const input = shuffled(byAngle.map((p, rank) => ({ p, rank })), 7);
    const d = euclidean(input.map((x) => x.p));
    const solution = solveTsp({ size: n, distances: d });
    const perimeter = closedLength(euclidean(byAngle), n, [...Array(n).keys()]);
    expect(solution.length).toBeCloseTo(perimeter, 6);
    const ranks = solution.order.map((i) => input[i]!.rank);
    const steps = ranks.map((r, k) => (ranks[(k + 1) % n]! - r + n) % n);
    expect(steps.every((s) => s === 1) || steps.every((s) => s === n - 1)).toBe(true);
  });

  test.each([
    [10, 12],
    [16, 16],
  ])('a %i×%i unit grid (an even side): the optimum, as many units as points, within 3 seeds, and every seed within 0.5%', (rows, columns) => {
    // Every point needs two edges of length at least 1, and a boustrophedon achieves exactly n. Grids
    // are full of ties; a seed may end one diagonal (2√2 − 2) above it, which is why several are tried.
    const n = rows * columns;
    const points = shuffled(
      Array.from({ length: n }, (_, i): Point => [i % columns, Math.floor(i / columns)]),
      3,
    );
    const lengths = [1, 2, 3].map((seed) => solveTsp({ size: n, distances: euclidean(points) }, { seed }).length);
    expect(Math.min(...lengths)).toBeCloseTo(n, 9);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(n * 1.005);
  });

  test('random instances of 4 to 12 stops match the exact optimum (Held–Karp)', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const n = 4 + (seed % 9);
      const d = euclidean(randomPoints(n, seed));
      const solution = solveTsp({ size: n, distances: d }, { seed });
      expectPermutation(solution.order, n);
      expect(solution.length, `seed ${seed}, ${n} stops`).toBeCloseTo(heldKarp(d, n), 6);
    }
  });

  test('a tour of 200 random stops is 2-opt optimal: no two edges can be swapped for shorter ones', () => {
    const n = 200;
    const d = euclidean(randomPoints(n, 11));
    const { order, length } = solveTsp({ size: n, distances: d });
    expect(length).toBeCloseTo(closedLength(d, n, order), 6);
    for (let i = 0; i < n; i++) {
      for (let j = i + 2; j < n; j++) {
        const a = order[i]!, b = order[i + 1]!, c = order[j]!, e = order[(j + 1) % n]!;
        if (e === a) continue;
        expect(d[a * n + c]! + d[b * n + e]! - d[a * n + b]! - d[c * n + e]!).toBeGreaterThan(-1e-6);
      }
    }
  });
});

describe('behaviour callers rely on', () => {
  test('the same seed gives the same tour; a function gives the same tour as its matrix', () => {
    const points = randomPoints(120, 5);
    const d = euclidean(points);
    const first = solveTsp({ size: 120, distances: d }, { seed: 9 });
    expect(solveTsp({ size: 120, distances: d }, { seed: 9 })).toEqual(first);
    const fromFunction = solveTsp({ size: 120, distances: (i, j) => d[i * 120 + j]! }, { seed: 9 });
    expect(fromFunction).toEqual(first);
  });

  test('a closed tour can be made to begin at a chosen stop', () => {
    const d = euclidean(randomPoints(30, 2));
    const solution = solveTsp({ size: 30, distances: d }, { start: 17 });
    expect(solution.order[0]).toBe(17);
    expectPermutation(solution.order, 30);
  });

  test('a time budget stops the search on the injected clock, never on the wall clock', () => {
    let now = 0;
    const clock = () => (now += 1);
    const d = euclidean(randomPoints(100, 3));
    const solution = solveTsp({ size: 100, distances: d }, { timeBudgetMs: 25, clock, maxIterations: 1_000_000, stallIterations: 1_000_000 });
    expect(solution.stoppedBy).toBe('time');
    expect(solution.iterations).toBeLessThan(25);
    expectPermutation(solution.order, 100);
    expect(() => solveTsp({ size: 100, distances: d }, { timeBudgetMs: 25 })).toThrow(/needs a clock/);
  });

  test('tiny problems need no search', () => {
    expect(solveTsp({ size: 0, distances: new Float64Array(0) }).order).toEqual([]);
    expect(solveTsp({ size: 1, distances: new Float64Array(1) }).order).toEqual([0]);
    expect(solveTsp({ size: 1, distances: new Float64Array(1) }, { path: { start: 0 } }).order).toEqual([0]);
    expect(solveTsp({ size: 2, distances: euclidean([[0, 0], [3, 4]]) }).length).toBe(10);
  });

  test('a matrix of the wrong size or with a missing distance is refused', () => {
    expect(() => solveTsp({ size: 3, distances: new Float64Array(8) })).toThrow(/needs 9 distances/);
    expect(() => solveTsp({ size: 2, distances: Float64Array.from([0, NaN, 1, 0]) })).toThrow(/finite/);
    expect(() => solveTsp({ size: 2, distances: new Float64Array(4) }, { start: 2 })).toThrow(/start must be a node/);
  });
});

describe('open routes (a rep leaves from a start and does not come back)', () => {
  test('stops on a line, starting from one end, are visited in order along the line', () => {
    const xs = shuffled([...Array(40).keys()].map((i) => i * 10), 4);
    const points: Point[] = [[-5, 0], ...xs.map((x): Point => [x, 0])];
    const solution = solveTsp({ size: 41, distances: euclidean(points) }, { path: { start: 0 } });
    expect(solution.order[0]).toBe(0);
    expect(solution.order.map((i) => points[i]![0])).toEqual([-5, ...[...Array(40).keys()].map((i) => i * 10)]);
    expect(solution.length).toBe(395);
  });

  test('starting in the middle of a line, the rep does the nearer side first and ends at the far end', () => {
    const points: Point[] = [[0, 0], ...[-3, -2, -1, 1, 2, 3, 4, 5, 6].map((x): Point => [x * 100, 0])];
    const solution = solveTsp({ size: points.length, distances: euclidean(points) }, { path: { start: 0 } });
    expect(solution.order.map((i) => points[i]![0])).toEqual([0, -100, -200, -300, 100, 200, 300, 400, 500, 600]);
    expect(solution.length).toBe(300 + 900);
  });

  test('random open routes of up to 12 stops match the exact shortest path from their start', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const n = 3 + (seed % 10);
      const d = euclidean(randomPoints(n, 100 + seed));
      const start = seed % n;
      const solution = solveTsp({ size: n, distances: d }, { path: { start }, seed });
      expect(solution.order[0]).toBe(start);
      expectPermutation(solution.order, n);
      expect(solution.length).toBeCloseTo(pathLength(d, n, solution.order), 9);
      expect(solution.length, `seed ${seed}, ${n} stops`).toBeCloseTo(shortestPathFrom(d, n, start), 6);
    }
  });

  test('a path with a fixed end finishes there', () => {
    const points = randomPoints(60, 8);
    const solution = solveTsp({ size: 60, distances: euclidean(points) }, { path: { start: 5, end: 42 } });
    expect(solution.order[0]).toBe(5);
    expect(solution.order.at(-1)).toBe(42);
    expectPermutation(solution.order, 60);
  });
});
