// Orders the nodes of a TSPLIB instance with the route solver, so that anyone can check the claim in
// docs/routing.md (within 2% of the best known tour, in under a second, for 50–250 stops) on any
// instance they like.
//
//   npm run route:tsplib -- path/to/file.tsp
//   npm run route:tsplib -- kroA100              # an instance of the TSPLIB library (fetched once, see docs/routing.md)
//   npm run route:tsplib -- kroA100 --seed 7 --tour --time-budget-ms 500
//
// The last line is always `length=<tour length> ms=<milliseconds>`: the length in TSPLIB's own
// rounded units, the time from the file's text in memory to the finished tour (parsing, the distance
// matrix and the search; not Node's start-up nor reading the file).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTsplib, tsplibDistanceMatrix, tsplibTourLength } from '../domain/routing/tsplib.ts';
import { solveTsp } from '../domain/routing/tsp.ts';
import { ensureTsplibLibrary, instancePath, optimumOf } from '../platform/routing/tsplib-library.ts';

const usage = 'usage: npm run route:tsplib -- <file.tsp | TSPLIB instance name> [--seed N] [--time-budget-ms N] [--tour]';

async function main(args: string[]): Promise<number> {
  const flags = new Set(args.filter((a) => a === '--tour' || a === '--help'));
  const value = (name: string): number | undefined => {
    const at = args.indexOf(`--${name}`);
    if (at < 0) return undefined;
    const parsed = Number(args[at + 1]);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`--${name} needs a non-negative number`);
    return parsed;
  };
  const positional = args.filter((a, i) => !a.startsWith('--') && !['--seed', '--time-budget-ms'].includes(args[i - 1] ?? ''));
  if (flags.has('--help') || positional.length !== 1) {
    console.error(usage);
    return flags.has('--help') ? 0 : 2;
  }
  const file = await resolveInstance(positional[0]!);
  const text = readFileSync(file, 'utf8');
  const seed = value('seed') ?? 1;
  const timeBudgetMs = value('time-budget-ms');

  const started = performance.now();
  const instance = parseTsplib(text);
  const distances = tsplibDistanceMatrix(instance);
  const solution = solveTsp(
    { size: instance.dimension, distances },
    { seed, ...(timeBudgetMs === undefined ? {} : { timeBudgetMs, clock: () => performance.now() }) },
  );
  const ms = performance.now() - started;
  const length = tsplibTourLength(instance, solution.order);

  const name = (instance.name || path.basename(file)).replace(/\.tsp$/, '');
  console.log(`${name}: ${instance.dimension} nodes, ${instance.edgeWeightType}; seed ${seed}; ${solution.iterations} kicks, stopped by ${solution.stoppedBy}`);
  const optimum = optimumOf(name);
  if (optimum !== undefined) console.log(`best known ${optimum}: gap ${((100 * (length - optimum)) / optimum).toFixed(2)}%`);
  if (flags.has('--tour')) console.log(['TOUR_SECTION', ...solution.order.map((node) => String(node + 1)), '-1'].join('\n'));
  console.log(`length=${length} ms=${Math.round(ms)}`);
  return 0;
}

/** A path to a file, or the name of a library instance (the library is fetched on first use). */
async function resolveInstance(argument: string): Promise<string> {
  if (existsSync(argument)) return argument;
  if (argument.includes('/') || argument.endsWith('.tsp')) throw new Error(`no such file: ${argument}`);
  const dir = await ensureTsplibLibrary({ log: (line) => console.error(line) });
  const file = instancePath(dir, argument);
  if (!file) throw new Error(`no file ${argument} and no TSPLIB instance of that name in ${dir}`);
  return file;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
