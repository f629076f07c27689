// Import benchmark (C1): how fast does a billing file of N delinquent accounts become N running cases,
// compared with how fast the same Temporal server starts and completes N empty workflows?
//
//   npm run bench:import                      # 10,000 accounts
//   npm run bench:import -- --accounts 100000 # or any N; --batch 100 --concurrency 32 override the worker's settings
//
// It needs no running system: it starts its own PostgreSQL, Redis and Temporal dev server on free
// ports (data in $ARREARS_DATA_DIR/bench-import, wiped first), the worker process as a child (so its
// peak memory can be read from /proc), and the API in-process. Then:
//   1. yardstick: N empty workflows (a trivial workflow on its own task queue and worker), started
//      with the importer's concurrency, until all have completed, before the import (after it the
//      server is busy with the N new cases' first steps, which measured the cases, not the server: a
//      run on 2026-12-03 gave 6 empty workflows/s after against 41/s before). The machine's load
//      average is printed for each phase, so that a run disturbed by other work shows;
//   2. import: one CSV of N accounts POSTed to importDelinquencies, until every case's workflow is
//      RUNNING in Temporal (visibility count) and every case row is in PostgreSQL.
// Prints cases/s, empty workflows/s, their ratio (target >= 0.7), per-batch times and peak memory.
import { rmSync, mkdirSync, readFileSync, createWriteStream } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { dataDirFor, repoRoot } from '../scripts/services/paths.ts';
import { startPostgres } from '../scripts/services/postgres.ts';
import { startRedis } from '../scripts/services/redis.ts';
import { startTemporal } from '../scripts/services/temporal.ts';
import { freePort, stopChildren } from '../scripts/services/process.ts';
import { migrate } from '../scripts/db/migrate.ts';
import { createDb } from '../platform/db/client.ts';
import { loadConfig } from '../platform/config.ts';
import { createLogger } from '../platform/logger.ts';
import { seedDemoData } from '../prisma/demo-data.ts';
import { newApiKeySecret } from '../api/auth/api-keys.ts';
import { createApp } from '../api/app.ts';
import { temporalCaseWorkflows } from '../services/case-workflows.ts';
import { createImportQueue } from '../platform/imports/queue.ts';
import { caseWorkflowType } from '../workflows/messages.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const accounts = option('accounts', 10_000);
const batchSize = option('batch', 100);
const concurrency = option('concurrency', 32);
const log = (line: string) => console.log(`[bench] ${line}`);
const dataDir = dataDirFor('bench-import');
const caseTaskQueue = 'collections';
const emptyTaskQueue = 'bench-empty';

rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
for (const name of ['DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS']) delete process.env[name];
Runtime.install({ logger: new DefaultLogger('WARN') });

let pgStop: (() => Promise<void>) | undefined;
try {
  const [pgPort, redisPort, temporalPort, apiPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const [pg, redis, temporalServer] = await Promise.all([startPostgres(dataDir, pgPort, 'arrears_bench'), startRedis(dataDir, redisPort), startTemporal(dataDir, temporalPort, 0, log)]);
  pgStop = pg.stop;
  await migrate(pg.url);
  const db = createDb(pg.url);
  await seedDemoData(db, { accounts: 0 }); // branches, segments and their strategies; no accounts
  const branchCodes = (await db.branch.findMany({ select: { code: true }, orderBy: { code: 'asc' } })).map((b) => b.code);
  const secret = newApiKeySecret();
  await db.apiKey.create({ data: { name: 'bench billing', prefix: secret.prefix, secretHash: secret.secretHash, scopes: ['delinquencies:report'] } });

  const env = {
    ...process.env,
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    TEMPORAL_ADDRESS: temporalServer.address,
    TEMPORAL_TASK_QUEUE: caseTaskQueue,
    RATE_LIMIT_PER_MINUTE: '100000000',
    IMPORT_BATCH_SIZE: String(batchSize),
    IMPORT_START_CONCURRENCY: String(concurrency),
    LOG_LEVEL: 'info',
  };
  const config = loadConfig(env);

  // The worker process, as in production; its log carries one line per import batch.
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'workers/main.ts')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  worker.stderr.pipe(createWriteStream(path.join(dataDir, 'worker.err.log')));
  const batchTimes: number[] = [];
  const transactionTimes: number[] = [];
  let workerStarted: () => void;
  const workerReady = new Promise<void>((resolve) => (workerStarted = resolve));
  createInterface({ input: worker.stdout }).on('line', (line) => {
    if (line.includes('"worker started"')) workerStarted();
    if (line.includes('"import batch"')) {
      const batch = JSON.parse(line) as { ms: number; transactionMs: number };
      batchTimes.push(batch.ms);
      transactionTimes.push(batch.transactionMs);
    }
  });
  const peakMemory = () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${worker.pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024;

  const connection = await Connection.connect({ address: temporalServer.address });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  const queueConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
  const importQueue = createImportQueue(queueConnection);
  const apiRedis = new Redis(redis.url);
  const app = createApp({ config, db, redis: apiRedis, logger: createLogger('bench-api', 'warn'), workflows: temporalCaseWorkflows(temporal, caseTaskQueue), temporalHealthy: async () => true, importQueue });
  const server = app.listen(apiPort, '127.0.0.1');
  await workerReady;
  log(`services up; ${accounts.toLocaleString('en')} accounts, batches of ${batchSize}, ${concurrency} workflow starts in flight`);

  const count = async (query: string) => Number((await temporal.workflow.count(query)).count);

  // 1. The yardstick: N empty workflows, started as the importer starts cases, until all have completed.
  const emptyConnection = await NativeConnection.connect({ address: temporalServer.address });
  const emptyWorkflowsPerSecond = async (round: string) => {
    const emptyWorker = await Worker.create({ connection: emptyConnection, taskQueue: emptyTaskQueue, workflowsPath: fileURLToPath(new URL('./empty-workflow.ts', import.meta.url)) });
    const emptyRun = emptyWorker.run();
    const before = await count('WorkflowType="emptyWorkflow" AND ExecutionStatus="Completed"');
    const began = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (next < accounts) {
        const n = next++;
        await temporal.workflow.start('emptyWorkflow', { taskQueue: emptyTaskQueue, workflowId: `empty-${round}-${n}` });
      }
    }));
    const allStarted = performance.now();
    while ((await count('WorkflowType="emptyWorkflow" AND ExecutionStatus="Completed"')) < before + accounts) await sleep(1000);
    const seconds = (performance.now() - began) / 1000;
    emptyWorker.shutdown();
    await emptyRun;
    log(`empty workflows (${round}): ${accounts} completed in ${seconds.toFixed(1)}s (all started after ${((allStarted - began) / 1000).toFixed(1)}s)`);
    return { seconds, perSecond: accounts / seconds };
  };
  const loadBefore = loadavg()[0]!;
  const emptyBefore = await emptyWorkflowsPerSecond('before');
  const loadAfterYardstick = loadavg()[0]!;

  // 2. The import: one CSV, until every case runs in Temporal and is a row in PostgreSQL.
  const csv = benchCsv(accounts, branchCodes);
  const importStarted = performance.now();
  const reply = await fetch(`http://127.0.0.1:${apiPort}/api/v1/delinquencies/imports?filename=bench.csv`, { method: 'POST', headers: { 'x-api-key': secret.key, 'content-type': 'text/csv' }, body: csv });
  if (reply.status !== 202) throw new Error(`import refused: ${reply.status} ${await reply.text()}`);
  const { id } = (await reply.json()) as { id: string };
  let status: { status: string; processedRows: number; casesOpened: number; failedRows: number; rowsPerSecond: number | null } = { status: 'queued', processedRows: 0, casesOpened: 0, failedRows: 0, rowsPerSecond: null };
  let running = 0;
  let caseRows = 0;
  let importDoneAt = 0;
  let lastReport = 0;
  const runningQuery = `WorkflowType="${caseWorkflowType}" AND ExecutionStatus="Running"`;
  while (running < accounts || caseRows < accounts) {
    await sleep(1000);
    status = (await (await fetch(`http://127.0.0.1:${apiPort}/api/v1/delinquencies/imports/${id}`, { headers: { 'x-api-key': secret.key } })).json()) as typeof status;
    [running, caseRows] = await Promise.all([count(runningQuery), db.collectionCase.count()]);
    if (status.status === 'completed' && !importDoneAt) importDoneAt = performance.now();
    if (status.status === 'failed') throw new Error('the import failed');
    if (status.status === 'completed' && status.failedRows > 0) throw new Error(`${status.failedRows} rows failed`);
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      log(`  ${((performance.now() - importStarted) / 1000).toFixed(0)}s: ${status.processedRows} rows processed, ${caseRows} case rows, ${running} workflows running`);
    }
  }
  const importSeconds = (performance.now() - importStarted) / 1000;
  const memory = peakMemory();
  const loadAfterImport = loadavg()[0]!;
  await emptyConnection.close();

  const casesPerSecond = accounts / importSeconds;
  const emptyPerSecond = emptyBefore.perSecond;
  const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? NaN;
  console.log('');
  console.log(`import of ${accounts.toLocaleString('en')} delinquent accounts (batches of ${batchSize}, ${concurrency} starts in flight)`);
  console.log(`  every case running + in PostgreSQL  ${importSeconds.toFixed(1)} s   (import job completed at ${((importDoneAt - importStarted) / 1000).toFixed(1)} s, ${status.rowsPerSecond} rows/s by its own clock)`);
  console.log(`  cases per second                    ${casesPerSecond.toFixed(1)}`);
  console.log(`  empty workflows per second          ${emptyPerSecond.toFixed(1)}   (${accounts.toLocaleString('en')} in ${emptyBefore.seconds.toFixed(1)} s, before the import)`);
  console.log(`  load average (1 min)                ${loadBefore.toFixed(1)} → ${loadAfterYardstick.toFixed(1)} over the yardstick, ${loadAfterImport.toFixed(1)} at the import's end (2 cores; the bench itself loads them)`);
  console.log(`  ratio cases / empty workflows       ${(casesPerSecond / emptyPerSecond).toFixed(2)}   (target >= 0.70)`);
  console.log(`  batch time p50 / p95                ${pct(batchTimes, 50)} ms / ${pct(batchTimes, 95)} ms   (${batchTimes.length} batches: transaction, then waiting for the previous batch's starts)`);
  console.log(`  of which the transaction p50 / p95  ${pct(transactionTimes, 50)} ms / ${pct(transactionTimes, 95)} ms`);
  console.log(`  worker process peak memory (VmHWM)  ${memory.toFixed(0)} MiB`);

  server.close();
  await importQueue.close();
  await queueConnection.quit();
  await apiRedis.quit();
  await connection.close();
  await db.$disconnect();
  // The worker drains on SIGTERM; with thousands of cached workflows that can take a while.
  worker.kill('SIGTERM');
  const exited = await Promise.race([new Promise((resolve) => worker.once('exit', () => resolve(true))), sleep(15_000).then(() => false)]);
  if (!exited) worker.kill('SIGKILL');
} catch (error) {
  console.error(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await stopChildren();
  await pgStop?.().catch(() => {});
}
process.exit();

function sleep(ms: number) {
  return new Promise((r) => setTimeout(r, ms));
}

/** N accounts, one overdue invoice each, spread over the demo branches; retail and corporate. */
function benchCsv(n: number, branchCodes: string[]): string {
  const lines = ['customer_ref,customer_name,customer_type,time_zone,branch_code,email,mobile,account_ref,currency,invoice_ref,issued_at,due_date,amount_minor,open_minor'];
  for (let i = 0; i < n; i++) {
    const ref = String(500000 + i);
    const corporate = i % 4 === 0;
    const amount = corporate ? 150_000 + (i % 1000) * 100 : 3_000 + (i % 300) * 100;
    lines.push(`CUST-${ref},${corporate ? `Bench Co ${ref}` : `Bench Person ${ref}`},${corporate ? 'corporate' : 'retail'},America/New_York,${branchCodes[i % branchCodes.length]},bench${ref}@example.net,+1555${ref.padStart(7, '0')},ACC-${ref},USD,INV-${ref}-1,2026-09-01,2026-09-${String(10 + (i % 19)).padStart(2, '0')},${amount},${amount}`);
  }
  return `${lines.join('\n')}\n`;
}
