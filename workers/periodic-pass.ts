// A pass that runs once per period in the worker process (retention, re-segmentation): a BullMQ job
// scheduler adds one job every `everyHours` and one worker at a time takes it. BullMQ keeps one
// scheduler per id, so every worker process may upsert it at start: there is still one job per period.
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.ts';

export interface PeriodicPassOptions<Summary> {
  queueName: string;
  /** In the logs: "<what> pass finished" / "<what> pass failed". */
  what: string;
  everyHours: number;
  connection: Redis;
  logger: Logger;
  prefix?: string;
  /** One pass; what it returns is logged and kept as the job's result. */
  run: () => Promise<Summary>;
}

export async function startPeriodicPass<Summary extends object>(options: PeriodicPassOptions<Summary>) {
  const prefix = options.prefix ?? 'bull';
  const queue = new Queue(options.queueName, { connection: options.connection, prefix });
  await queue.upsertJobScheduler(`${options.queueName}-pass`, { every: options.everyHours * 3_600_000 }, { name: 'pass', data: { trigger: 'schedule' }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
  const worker = new Worker(
    options.queueName,
    async () => {
      const summary = await options.run();
      const fields: object = { ...summary };
      options.logger.info(fields, `${options.what} pass finished`);
      return summary;
    },
    { connection: options.connection.duplicate({ maxRetriesPerRequest: null }), prefix, concurrency: 1 },
  );
  worker.on('failed', (_job, error) => options.logger.error({ err: error }, `${options.what} pass failed`));
  return {
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
