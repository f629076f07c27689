// The claim of docs/routing.md, checked on the real TSPLIB library (fetched once from crates.io by
// cargo; see platform/routing/tsplib-library.ts): our distance functions give the published optimal
// tours their published lengths, and the solver lands within 2% of the best known tour in under a
// second on every EUC_2D instance of 50–250 nodes. The route:tsplib command prints what it promises.
// The project's machines have cargo (rustup); elsewhere set TSPLIB_DIR to a folder of TSPLIB files.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, test } from 'vitest';
import { solveTsp } from '../../domain/routing/tsp.ts';
import { parseTsplib, parseTsplibTour, TsplibFormatError, tsplibDistanceMatrix, tsplibTourLength } from '../../domain/routing/tsplib.ts';
import { benchmarkInstances, ensureTsplibLibrary, instancePath, optimumOf, tsplibLibraryAvailable } from '../../platform/routing/tsplib-library.ts';

describe('TSPLIB library', () => {
  let dir = '';
  beforeAll(async () => {
    if (!tsplibLibraryAvailable()) throw new Error('no TSPLIB library here and no cargo to fetch it: install cargo (rustup) or set TSPLIB_DIR');
    dir = await ensureTsplibLibrary();
  }, 600_000);

  test('the published optimal tours have the published optimal lengths under our distance functions', () => {
    const checked: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.opt.tour'))) {
      const name = file.replace('.opt.tour', '');
      const optimum = optimumOf(name);
      if (optimum === undefined) continue;
      let instance;
      try {
        instance = parseTsplib(readFileSync(instancePath(dir, name)!, 'utf8'));
      } catch (error) {
        expect(error).toBeInstanceOf(TsplibFormatError); // explicit-matrix instances are refused, with the reason
        continue;
      }
      const text = readFileSync(path.join(dir, file), 'utf8');
      if (!/TOUR_SECTION/.test(text)) {
        // Some files of the package carry only the value (BEST_SOLUTION): it must agree with ours.
        expect(Number(/BEST_SOLUTION:\s*(\d+)/.exec(text)?.[1]), name).toBe(optimum);
        continue;
      }
      expect(tsplibTourLength(instance, parseTsplibTour(text)), name).toBe(optimum);
      checked.push(`${name.toLowerCase()} ${instance.edgeWeightType}`);
    }
    // EUC_2D, ATT and GEO (the one whose rounding of degrees is easy to get wrong) are all among them.
    expect(checked).toEqual(expect.arrayContaining(['eil51 EUC_2D', 'kroa100 EUC_2D', 'a280 EUC_2D', 'att48 ATT', 'gr96 GEO', 'gr202 GEO', 'ulysses22 GEO']));
  });

  describe('the solver on every TSPLIB EUC_2D instance of 50 to 250 nodes', () => {
    test.each([...benchmarkInstances])('%s: within 2% of the best known tour, in under a second', (name) => {
      const text = readFileSync(instancePath(dir, name)!, 'utf8');
      const started = performance.now();
      const instance = parseTsplib(text);
      const { order } = solveTsp({ size: instance.dimension, distances: tsplibDistanceMatrix(instance) }, { seed: 1 });
      const ms = performance.now() - started;
      const length = tsplibTourLength(instance, order);
      expect(length / optimumOf(name)!).toBeLessThanOrEqual(1.02);
      expect(ms).toBeLessThan(1000);
    });
  });

  test('npm run route:tsplib prints the tour length and the time as its last line', async () => {
    const file = instancePath(dir, 'kroA100')!;
    const { stdout } = await promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'scripts/route-tsplib.ts', file], { cwd: path.resolve(import.meta.dirname, '../..') });
    const last = stdout.trim().split('\n').at(-1)!;
    const match = /^length=(\d+) ms=(\d+)$/.exec(last);
    expect(match, last).not.toBeNull();
    expect(Number(match![1])).toBeLessThanOrEqual(21282 * 1.02);
    expect(stdout).toContain('best known 21282');
  });
});
