// Wires the days-past-due re-segmentation pass (services/resegmentation.ts) into the worker process:
// one pass every RESEGMENT_EVERY_HOURS, taken by one worker at a time.
import type { Redis } from 'ioredis';
import type { Db } from '../platform/db/client.ts';
import type { Logger } from '../platform/logger.ts';
import { resegmentationQueueName, runResegmentation } from '../services/resegmentation.ts';
import { startPeriodicPass } from './periodic-pass.ts';

export function startResegmentationWorker(options: { connection: Redis; db: Db; logger: Logger; everyHours: number; prefix?: string }) {
  return startPeriodicPass({ ...options, queueName: resegmentationQueueName, what: 're-segmentation', run: () => runResegmentation(options.db) });
}
