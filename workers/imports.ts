// Wires delinquency imports into the worker process: a BullMQ worker on the import queue that works
// each uploaded file through services/delinquency-imports.ts. One import at a time per process: the
// audit chain's lock serialises the batches anyway, and the time goes to the batches, not the jobs.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import type { CaseWorkflows } from '../services/case-workflows.ts';
import { failImport, processImport } from '../services/delinquency-imports.ts';
import { ServiceError } from '../services/errors.ts';
import { importQueueName, type ImportJob } from '../platform/imports/queue.ts';
import { validateDelinquencyReport } from '../api/report-validation.ts';

export interface ImportWorkerOptions {
  connection: Redis;
  db: Db;
  workflows: CaseWorkflows;
  logger: Logger;
  batchSize: number;
  startConcurrency: number;
  prefix?: string;
  /** Called after each batch (the benchmark reads batch times from it). */
  onBatch?: (batch: { reports: number; ms: number; transactionMs: number }) => void;
}

export function startImportWorker(options: ImportWorkerOptions): Worker<ImportJob> {
  const { db, logger } = options;
  const worker = new Worker<ImportJob>(
    importQueueName,
    async (job) => {
      const done = await processImport(db, options.workflows, job.data.importId, {
        validate: validateDelinquencyReport,
        batchSize: options.batchSize,
        startConcurrency: options.startConcurrency,
        onBatch: options.onBatch,
      }).catch(async (error: unknown) => {
        // A refusal (importer revoked, import gone) will not heal by retrying; anything else may (database, Temporal).
        if (!(error instanceof ServiceError)) throw error;
        await failImport(db, job.data.importId, error.message);
        throw new UnrecoverableError(error.message);
      });
      logger.info({ importId: done.id, rows: done.processedRows, failed: done.failedRows, casesOpened: done.casesOpened }, 'import finished');
    },
    { connection: options.connection.duplicate({ maxRetriesPerRequest: null }), prefix: options.prefix ?? 'bull', concurrency: 1 },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    logger.error({ err: error, importId: job.data.importId, attempt: job.attemptsMade }, 'import attempt failed');
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) void failImport(db, job.data.importId, error.message).catch((e: unknown) => logger.error({ err: e }, 'could not mark an import failed'));
  });
  worker.on('error', (error) => logger.error({ err: error }, 'import worker error'));
  return worker;
}
