// Wires the days-past-due re-segmentation pass (services/resegmentation.ts) into the worker process:
// a BullMQ job scheduler runs one pass every RESEGMENT_EVERY_HOURS (one scheduler per id, so every
// worker may upsert it at start and there is still one job per period), taken by one worker at a time.
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import { resegmentationQueueName, runResegmentation } from '../services/resegmentation.ts';

export async function startResegmentationWorker(options: { connection: Redis; db: Db; logger: Logger; everyHours: number; prefix?: string }) {
  const prefix = options.prefix ?? 'bull';
  const queue = new Queue(resegmentationQueueName, { connection: options.connection, prefix });
  await queue.upsertJobScheduler('resegmentation-pass', { every: options.everyHours * 3_600_000 }, { name: 'pass', data: {}, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  const worker = new Worker(
    resegmentationQueueName,
    async () => {
      const run = await runResegmentation(options.db);
      options.logger.info(run, 're-segmentation pass finished');
      return run;
    },
    { connection: options.connection.duplicate({ maxRetriesPerRequest: null }), prefix, concurrency: 1 },
  );
  worker.on('failed', (_job, error) => options.logger.error({ err: error }, 're-segmentation pass failed'));
  return {
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
