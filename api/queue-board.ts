// bull-board over the message queues, mounted at /admin/queues for admins (see app.ts).
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { Router } from 'express';
import { Redis } from 'ioredis';
import { allQueueNames } from '../platform/messaging/queues.ts';
import { importQueueName } from '../platform/imports/queue.ts';
import { retentionQueueName } from '../platform/retention/queue.ts';
import { resegmentationQueueName } from '../services/resegmentation.ts';


export function createQueueBoard(redisUrl: string): { router: Router; close(): Promise<void> } {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queues = [...allQueueNames, importQueueName, retentionQueueName, resegmentationQueueName].map((name) => new Queue(name, { connection }));
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/admin/queues');
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: adapter });
  return {
    router: adapter.getRouter() as Router,
    close: async () => {
      await Promise.all(queues.map((q) => q.close()));
      await connection.quit();
    },
  };
}
