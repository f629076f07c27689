// Runs delivery: one BullMQ worker per channel, each rate-limited to its channel's
// `*_RATE_PER_SECOND` (BullMQ's limiter counts across every worker process on the same Redis and
// prefix, so the vendor sees at most that rate however many workers run). The per-job logic is in
// deliver.ts. A job that BullMQ fails for its own reasons (e.g. stalled too often) is caught here
// and its message marked `dead` too, so no row stays `queued` without a job behind it.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel } from '../../domain/contact-policy.ts';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { startWebhookWorker } from '../webhooks/processor.ts';
import { deliverMessage, markUndeliverable, type UndeliverableHandler } from './deliver.ts';
import type { Providers } from './providers.ts';
import { channels, createMessageQueues, defaultPrefix, parkInDeadLetter, queueNameFor, type DeliveryJob } from './queues.ts';

export interface MessageWorkerOptions {
  /** Shared with the queues; each worker duplicates it for its blocking connection and closes that itself. */
  connection: Redis;
  db: Db;
  providers: Providers;
  logger: Logger;
  ratePerSecond: Record<Channel, number>;
  /** Redis key prefix; tests use one per run. Default `bull`. */
  prefix?: string;
  /** Master secret the webhook signatures derive from; webhooks are delivered when set. */
  webhookSigningSecret?: string;
  /** Told when a message could not be delivered for good. */
  onUndeliverable?: UndeliverableHandler;
}

export function startMessageWorkers(options: MessageWorkerOptions): { close(): Promise<void> } {
  const { connection, db, providers, logger } = options;
  const prefix = options.prefix ?? defaultPrefix;
  const queues = createMessageQueues(connection, { prefix });
  const context = { db, providers, queues, logger, onUndeliverable: options.onUndeliverable };

  const workers = channels.map((channel) => {
    const worker = new Worker<DeliveryJob>(queueNameFor(channel), (job) => deliverMessage(context, channel, job), {
      connection,
      prefix,
      concurrency: 5,
      limiter: { max: options.ratePerSecond[channel], duration: 1000 },
    });
    worker.on('failed', (job, error) => {
      if (!job || error instanceof UnrecoverableError || job.attemptsMade < (job.opts.attempts ?? 1)) return;
      if (job.data.sent) {
        // The vendor accepted it but every attempt to record that failed: not `dead`, which would
        // hide a contact from the attempt caps. The failed job keeps the marker; retrying it records the send.
        logger.error({ messageId: job.data.messageId, sent: job.data.sent, err: error }, 'message sent but not recorded; retry its job to record it');
        return;
      }
      // deliver.ts has normally marked the row already (then this finds it no longer queued and does
      // nothing); this only catches final failures outside it.
      void markUndeliverable(db, job.data.messageId, 'dead', error.message)
        .then((marked) => (marked ? parkInDeadLetter(queues, { messageId: job.data.messageId, channel, status: 'dead', reason: error.message.slice(0, 1000), attempts: job.attemptsMade, failedAt: new Date().toISOString() }) : undefined))
        .catch((e: unknown) => logger.error({ err: e, messageId: job.data.messageId }, 'could not dead-letter a message'));
    });
    worker.on('error', (error) => logger.error({ err: error, channel }, 'message worker error'));
    return worker;
  });
  const webhookWorker = options.webhookSigningSecret ? startWebhookWorker({ connection, db, logger, masterSecret: options.webhookSigningSecret, prefix }) : null;

  return {
    close: async () => {
      await Promise.all([...workers, ...(webhookWorker ? [webhookWorker] : [])].map((w) => w.close()));
      await queues.close();
    },
  };
}
