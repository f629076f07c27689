// A case worker in a process of its own, so that a test can kill it outright (SIGKILL) in the
// middle of a case, the way a crashed machine would. Configured through the environment.
import { NativeConnection } from '@temporalio/worker';
import { Redis } from 'ioredis';
import { createDb } from '../../platform/db/client.ts';
import { createMessageQueues } from '../../platform/messaging/queues.ts';
import { createTemporalWorker } from '../../workers/temporal-worker.ts';
import { requireEnv } from './database.ts';

const connection = await NativeConnection.connect({ address: requireEnv('CASE_WORKER_TEMPORAL_ADDRESS') });
const redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
const worker = await createTemporalWorker({
  connection,
  namespace: process.env.CASE_WORKER_NAMESPACE ?? 'default',
  taskQueue: requireEnv('CASE_WORKER_TASK_QUEUE'),
  // Sticky execution off: the time-skipping test server does not hand a dead worker's sticky workflow
  // tasks back to the shared queue in skipped time (a real server does, after the sticky
  // schedule-to-start timeout), and the case would stall on real time for minutes.
  maxCachedWorkflows: 0,
  activities: { db: createDb(requireEnv('CASE_WORKER_DATABASE_URL')), queues: createMessageQueues(redis, { prefix: requireEnv('CASE_WORKER_QUEUE_PREFIX') }), senders: { email: 'collections@example.com', sms: '+15005550006' } },
});
process.stdout.write('worker ready\n');
await worker.run();
