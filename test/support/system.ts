// The API wired to real services for integration tests: a fresh database, the shared Redis and
// Temporal dev server, and an in-process Temporal worker on a task queue of the test's own.
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createApp } from '../../api/app.ts';
import type { ApiDeps } from '../../api/deps.ts';
import { createQueueBoard } from '../../api/queue-board.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/logger.ts';
import { temporalCaseWorkflows } from '../../services/case-workflows.ts';
import { createTemporalWorker } from '../../workers/temporal-worker.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from './database.ts';
import { createMessageQueues, type MessageQueues } from '../../platform/messaging/queues.ts';
import { createImportQueue } from '../../platform/imports/queue.ts';

export interface TestSystem {
  app: ReturnType<typeof createApp>;
  database: TestDatabase;
  temporal: Client;
  taskQueue: string;
  /** Where the case's messages are queued (a prefix of the test's own; no processors run). */
  queues: MessageQueues;
  queuePrefix: string;
  config: ReturnType<typeof loadConfig>;
  stop(): Promise<void>;
}

let runtimeInstalled = false;

export async function startTestSystem(options: { withWorker?: boolean; withQueueBoard?: boolean; env?: Record<string, string>; deps?: Pick<ApiDeps, 'cardProcessor'> } = {}): Promise<TestSystem> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const database = await createTestDatabase();
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const config = loadConfig({ ...process.env, DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue, REDIS_URL: requireEnv('REDIS_URL'), RATE_LIMIT_PER_MINUTE: '100000', LOGIN_RATE_LIMIT_PER_15_MIN: '1000', ...options.env });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2 });
  const queueConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
  const queuePrefix = `${taskQueue}-bull`;
  const queues = createMessageQueues(queueConnection, { prefix: queuePrefix });
  const importQueue = createImportQueue(queueConnection, { prefix: queuePrefix });
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const temporal = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let workerConnection: NativeConnection | undefined;
  if (options.withWorker !== false) {
    workerConnection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    worker = await createTemporalWorker({ connection: workerConnection, namespace: config.TEMPORAL_NAMESPACE, taskQueue, activities: { db: database.db, queues, senders: { email: config.EMAIL_FROM, sms: config.SMS_FROM, creditorName: config.COMPANY_NAME } } });
    workerRun = worker.run();
  }
  const board = options.withQueueBoard ? createQueueBoard(config.REDIS_URL) : undefined;
  const app = createApp({
    config,
    db: database.db,
    redis,
    logger: createLogger('test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    workflows: temporalCaseWorkflows(temporal, taskQueue),
    temporalHealthy: () => connection.workflowService.getSystemInfo({}).then(() => true),
    queueBoard: board?.router,
    queues,
    importQueue,
    ...options.deps,
  });
  return {
    app,
    database,
    temporal,
    taskQueue,
    queues,
    queuePrefix,
    config,
    stop: async () => {
      worker?.shutdown();
      await workerRun;
      await workerConnection?.close();
      await connection.close();
      await board?.close();
      await queues.close();
      await importQueue.close();
      const keys = await queueConnection.keys(`${queuePrefix}:*`);
      if (keys.length) await queueConnection.del(...keys);
      await queueConnection.quit();
      await redis.quit();
      await database.drop();
    },
  };
}

/** Polls `probe` until `accept` holds and returns that value; throws (with the last value seen) when it never does. */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, options: number | { timeoutMs?: number; intervalMs?: number } = 20_000): Promise<T> {
  const { timeoutMs = 20_000, intervalMs = 200 } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let last: T;
  do {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  } while (Date.now() < deadline);
  // A wait that never came true is a failure, not a value to carry on with.
  throw new Error(`not true within ${timeoutMs} ms; last seen: ${describe(last)}`);
}

function describe(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
    return text === undefined ? String(value) : text.length > 500 ? `${text.slice(0, 500)}…` : text;
  } catch {
    return String(value);
  }
}
