// Wires the retention job (services/retention.ts) into the worker process: one pass every
// RETENTION_JOB_EVERY_HOURS, taken by one worker at a time; each customer is its own transaction.
import type { Redis } from 'ioredis';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import { retentionQueueName } from '../platform/retention/queue.ts';
import { runRetention } from '../services/retention.ts';
import { startPeriodicPass } from './periodic-pass.ts';

export function startRetentionWorker(options: { connection: Redis; db: Db; logger: Logger; retentionYears: number; everyHours: number; prefix?: string }) {
  return startPeriodicPass({
    ...options,
    queueName: retentionQueueName,
    what: 'retention',
    run: async () => {
      const run = await runRetention(options.db, { retentionYears: options.retentionYears });
      return { retentionYears: run.retentionYears, examined: run.examined, pseudonymised: run.pseudonymised.length };
    },
  });
}
