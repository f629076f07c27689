// The worker process: the Temporal worker (case workflows and activities), the BullMQ message
// processors, the delinquency-import processor and the retention job. SIGINT/SIGTERM drain them before exit.
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { loadConfig } from '../platform/config.ts';
import { createDb } from '../platform/db/client.ts';
import { createLogger } from '../platform/logger.ts';
import { createTemporalWorker } from './temporal-worker.ts';
import { startMessaging } from './messaging.ts';
import { startImportWorker } from './imports.ts';
import { startRetentionWorker } from './retention.ts';
import { connectTemporalClient } from '../platform/temporal.ts';
import { temporalCaseWorkflows } from '../services/case-workflows.ts';
import { reportContactFailure } from '../services/messages.ts';
import { Redis } from 'ioredis';
import { startResegmentationWorker } from './resegmentation.ts';

const config = loadConfig();
const logger = createLogger('worker', config.LOG_LEVEL);
Runtime.install({ logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'DEBUG' : 'WARN') });
const db = createDb(config.DATABASE_URL);
const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
const temporalClient = await connectTemporalClient(config);
const caseWorkflows = temporalCaseWorkflows(temporalClient, config.TEMPORAL_TASK_QUEUE);
// A message that cannot be delivered counts as a failed contact on its case (strategies' contact_failed steps).
const messaging = await startMessaging(config, db, logger, async (failure) => {
  await reportContactFailure(db, caseWorkflows, failure);
});
const importConnection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
// Imports get a pool of their own: a batch must not queue for a connection behind the case activities.
const importDb = createDb(config.DATABASE_URL, { max: 3 });
const imports = startImportWorker({
  connection: importConnection,
  db: importDb,
  logger,
  workflows: caseWorkflows,
  batchSize: config.IMPORT_BATCH_SIZE,
  startConcurrency: config.IMPORT_START_CONCURRENCY,
  onBatch: (batch) => logger.info(batch, 'import batch'),
});
// Records past retention are pseudonymised once per period (X1, docs/compliance.md).
const retention = await startRetentionWorker({ connection: importConnection, db: importDb, logger, retentionYears: config.RETENTION_YEARS, everyHours: config.RETENTION_JOB_EVERY_HOURS });
// Debts that only grow older cross segments' day bands: re-segmented once per period (S1, E4).
const resegmentation = await startResegmentationWorker({ connection: importConnection, db: importDb, logger, everyHours: config.RESEGMENT_EVERY_HOURS });
const worker = await createTemporalWorker({
  connection,
  namespace: config.TEMPORAL_NAMESPACE,
  taskQueue: config.TEMPORAL_TASK_QUEUE,
  activities: { db, queues: messaging.queues, senders: messaging.senders },
});

/** How long a stop may take to drain before the process exits anyway (the parent kills at 10 s). */
const shutdownDeadlineMs = 8_000;
let stopping = false;
let drainDeadline: NodeJS.Timeout | undefined;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker shutting down');
  worker.shutdown();
  // A drain that cannot finish (Temporal or Redis already gone) must not keep the process alive.
  drainDeadline = setTimeout(() => {
    logger.warn({ afterMs: shutdownDeadlineMs }, 'worker did not drain in time; exiting');
    process.exit(1);
  }, shutdownDeadlineMs).unref();
};
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));

logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'worker started');
try {
  await worker.run();
} finally {
  await imports.close();
  await retention.close();
  await resegmentation.close();
  await importConnection.quit();
  await importDb.$disconnect();
  await temporalClient.connection.close();
  await messaging.close();
  await connection.close();
  await db.$disconnect();
  clearTimeout(drainDeadline);
  logger.info('worker stopped');
}
