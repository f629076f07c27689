// Wires the retention job into the worker process: the scheduler (one pass per period) and a BullMQ
// worker that runs services/retention.ts. One pass at a time; each customer is its own transaction.
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import { createRetentionQueue, retentionQueueName, scheduleRetention, type RetentionJob } from '../platform/retention/queue.ts';
import { runRetention } from '../services/retention.ts';

export async function startRetentionWorker(options: { connection: Redis; db: Db; logger: Logger; retentionYears: number; everyHours: number; prefix?: string }) {
  const prefix = options.prefix ?? 'bull';
  const queue = createRetentionQueue(options.connection, { prefix });
  await scheduleRetention(queue, options.everyHours);
  const worker = new Worker<RetentionJob>(
    retentionQueueName,
    async () => {
      const run = await runRetention(options.db, { retentionYears: options.retentionYears });
      options.logger.info({ retentionYears: run.retentionYears, examined: run.examined, pseudonymised: run.pseudonymised.length }, 'retention pass finished');
      return { examined: run.examined, pseudonymised: run.pseudonymised.length };
    },
    { connection: options.connection.duplicate({ maxRetriesPerRequest: null }), prefix, concurrency: 1 },
  );
  worker.on('failed', (_job, error) => options.logger.error({ err: error }, 'retention pass failed'));
  return {
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
