// The retention job's queue (X1): workers/retention.ts schedules one pass every RETENTION_JOB_EVERY_HOURS
// (workers/periodic-pass.ts); tests and the queue board open the queue by this name.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const retentionQueueName = 'retention';

export interface RetentionJob {
  /** Who asked: the scheduler, or a person through `npm run retention:run`. */
  trigger: 'schedule';
}

export function createRetentionQueue(connection: Redis, options: { prefix?: string } = {}): Queue<RetentionJob> {
  return new Queue<RetentionJob>(retentionQueueName, { connection, prefix: options.prefix ?? 'bull' });
}
