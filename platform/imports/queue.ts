// The queue that hands an uploaded delinquency file from the API to the worker process. The job ID is
// the import's ID, so enqueuing twice works the file once; a job whose worker died is picked up again
// (BullMQ's stalled-job check) and resumes after the import's last committed batch.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const importQueueName = 'delinquency-imports';
export const importAttempts = 5;

export interface ImportJob {
  importId: string;
}

export function createImportQueue(connection: Redis, options: { prefix?: string } = {}): Queue<ImportJob> {
  return new Queue<ImportJob>(importQueueName, { connection, prefix: options.prefix ?? 'bull' });
}

export async function enqueueImport(queue: Queue<ImportJob>, importId: string): Promise<void> {
  await queue.add('process', { importId }, {
    jobId: importId,
    attempts: importAttempts,
    backoff: { type: 'exponential', delay: 5_000 },
    removeOnComplete: { age: 7 * 86_400, count: 10_000 },
    removeOnFail: { age: 30 * 86_400 },
  });
}
