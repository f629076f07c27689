// The retention job's queue (X1): a BullMQ job scheduler runs one pass every RETENTION_JOB_EVERY_HOURS.
// BullMQ keeps one scheduler per id, so every worker process may upsert it at start: there is still
// one job per period, taken by one worker.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const retentionQueueName = 'retention';
const schedulerId = 'retention-pass';

export interface RetentionJob {
  /** Who asked: the scheduler, or a person through `npm run retention:run`. */
  trigger: 'schedule';
}

export function createRetentionQueue(connection: Redis, options: { prefix?: string } = {}): Queue<RetentionJob> {
  return new Queue<RetentionJob>(retentionQueueName, { connection, prefix: options.prefix ?? 'bull' });
}

export async function scheduleRetention(queue: Queue<RetentionJob>, everyHours: number): Promise<void> {
  await queue.upsertJobScheduler(schedulerId, { every: everyHours * 3_600_000 }, { name: 'pass', data: { trigger: 'schedule' }, opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } } });
}
