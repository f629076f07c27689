// Route quality and speed: the stop-ordering solver on the TSPLIB benchmark instances (every symmetric
// EUC_2D instance of 50–250 nodes) against their published optima, over several seeds; then route
// planning's throughput on a day of many leads.
//
//   npm run bench:routes                              # 32 instances × 5 seeds, then 1,000 leads / 10 reps
//   npm run bench:routes -- --seeds 10
//   npm run bench:routes -- --instances kroA100,a280 --seeds 3
//   npm run bench:routes -- --beyond                  # also the larger instances with known optima (262–1002 nodes)
//   npm run bench:routes -- --leads 2000 --reps 20 --runs 5
//
// The instances are fetched once from a package registry (see platform/routing/tsplib-library.ts;
// TSPLIB_DIR to use your own copy). Each solve is timed from the file's text in memory to the tour,
// like `npm run route:tsplib`, in one process (after the first instance the code is warm).
import { cpus, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { greatCircleMatrix } from '../domain/routing/geo.ts';
import { seededRandom } from '../domain/routing/prng.ts';
import { planRoutes, travelPointsFor, type Lead, type Rep } from '../domain/routing/route-planning.ts';
import { solveTsp } from '../domain/routing/tsp.ts';
import { parseTsplib, tsplibDistanceMatrix, tsplibTourLength } from '../domain/routing/tsplib.ts';
import { benchmarkInstances, ensureTsplibLibrary, instancePath, optimumOf, tsplibOptima } from '../platform/routing/tsplib-library.ts';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : undefined);
const seeds = Number(option('seeds') ?? 5);
const beyond = args.includes('--beyond');
const leadCount = Number(option('leads') ?? 1000);
const repCount = Number(option('reps') ?? 10);
const runs = Number(option('runs') ?? 3);
const larger = Object.keys(tsplibOptima).filter((name) => !(benchmarkInstances as readonly string[]).includes(name) && /^(gil262|pr264|a280|pr299|lin318|rd400|fl417|pr439|pcb442|d493|rat575|p654|d657|rat783|pr1002)$/.test(name));
const names = option('instances')?.split(',') ?? [...benchmarkInstances, ...(beyond ? larger : [])];

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(p * values.length))]!;
const pad = (value: string | number, width: number) => String(value).padStart(width);

async function main(): Promise<void> {
  console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Node ${process.version}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const dir = await ensureTsplibLibrary({ log: (line) => console.log(line) });
  console.log(`instances from ${dir}; seeds 1..${seeds}\n`);
  console.log(`${'instance'.padEnd(10)} ${pad('n', 5)} ${pad('best known', 10)} ${pad('best', 8)} ${pad('mean', 10)} ${pad('gap mean', 9)} ${pad('gap max', 8)} ${pad('ms p50', 7)} ${pad('ms max', 7)}`);
  const gaps: number[] = [];
  const times: number[] = [];
  for (const name of names) {
    const file = instancePath(dir, name);
    const optimum = optimumOf(name);
    if (!file || optimum === undefined) {
      console.log(`${name}: not in the library or no known optimum, skipped`);
      continue;
    }
    const text = readFileSync(file, 'utf8');
    const lengths: number[] = [];
    const ms: number[] = [];
    let dimension = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const started = performance.now();
      const instance = parseTsplib(text);
      const solution = solveTsp({ size: instance.dimension, distances: tsplibDistanceMatrix(instance) }, { seed });
      ms.push(performance.now() - started);
      lengths.push(tsplibTourLength(instance, solution.order));
      dimension = instance.dimension;
    }
    const instanceGaps = lengths.map((l) => (100 * (l - optimum)) / optimum);
    gaps.push(...instanceGaps);
    times.push(...ms);
    const mean = lengths.reduce((a, b) => a + b, 0) / lengths.length;
    console.log(
      `${name.padEnd(10)} ${pad(dimension, 5)} ${pad(optimum, 10)} ${pad(Math.min(...lengths), 8)} ${pad(mean.toFixed(1), 10)} ${pad(((100 * (mean - optimum)) / optimum).toFixed(2) + '%', 9)} ${pad(Math.max(...instanceGaps).toFixed(2) + '%', 8)} ${pad(percentile(ms, 0.5).toFixed(0), 7)} ${pad(Math.max(...ms).toFixed(0), 7)}`,
    );
  }
  if (gaps.length > 0) {
    const within = (limit: number) => gaps.filter((g) => g <= limit + 1e-9).length;
    console.log(
      `\nsummary: ${gaps.length} solves; gap mean ${(gaps.reduce((a, b) => a + b, 0) / gaps.length).toFixed(3)}%, max ${Math.max(...gaps).toFixed(2)}%; ` +
        `optimal ${within(0)}, within 1% ${within(1)}, within 2% ${within(2)}; ms p50 ${percentile(times, 0.5).toFixed(0)}, p95 ${percentile(times, 0.95).toFixed(0)}, max ${Math.max(...times).toFixed(0)}`,
    );
  }
  planningThroughput();
}

/** Route planning on a synthetic day: leads over a 30 × 25 km town, reps leaving one office. */
function planningThroughput(): void {
  const random = seededRandom(2026);
  const zips = ['10001', '10002', '10003', '10004', '10005'];
  const leads: Lead[] = Array.from({ length: leadCount }, (_, i) => ({
    id: `L${i}`,
    lat: 40.6 + random() * 0.22,
    lon: -74.1 + random() * 0.36,
    groupKeys: { zip: zips[Math.floor(random() * zips.length)]! },
    serviceMinutes: 10 + 5 * Math.floor(random() * 3),
    amountMinor: Math.floor(random() * 200_000),
    priority: random() < 0.1 ? 1 : 0,
  }));
  const office = { lat: 40.71, lon: -73.92 };
  const scenarios: Array<{ label: string; reps: Rep[]; groupBy: 'none' | 'zip' }> = [
    { label: 'no limits, by geography', reps: Array.from({ length: repCount }, (_, i) => ({ id: `rep${i}`, start: office })), groupBy: 'none' },
    { label: '30 stops / 8 h each, by ZIP', reps: Array.from({ length: repCount }, (_, i) => ({ id: `rep${i}`, start: office, maxStops: 30, maxMinutes: 480 })), groupBy: 'zip' },
  ];
  console.log(`\nroute planning: ${leadCount} leads, ${repCount} reps, great-circle travel; ${runs} runs each`);
  for (const { label, reps, groupBy } of scenarios) {
    const matrixMs: number[] = [];
    const planMs: number[] = [];
    let plan: ReturnType<typeof planRoutes> | undefined;
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const travel = greatCircleMatrix(travelPointsFor(leads, reps));
      const built = performance.now();
      plan = planRoutes({ leads, reps, travel, startAt: new Date('2026-12-07T08:00:00Z'), groupBy });
      matrixMs.push(built - started);
      planMs.push(performance.now() - built);
    }
    const { summary } = plan!;
    console.log(
      `  ${label}: plan ms ${planMs.map((m) => m.toFixed(0)).join(' / ')} (matrix ${percentile(matrixMs, 0.5).toFixed(0)} ms); ` +
        `${summary.routes} routes, ${summary.stops} stops, ${summary.unassigned} left out; ` +
        `work per rep ${summary.workMinutes.min.toFixed(0)}–${summary.workMinutes.max.toFixed(0)} min (mean ${summary.workMinutes.mean.toFixed(0)})`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
