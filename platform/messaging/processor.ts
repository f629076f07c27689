// Delivers queued messages: one BullMQ worker per channel, rate-limited per channel. A delivery is
// idempotent (an already-sent message is skipped), an opted-out recipient is never contacted,
// retryable failures back off and retry, and what cannot be delivered lands in the dead-letter
// queue with the Message row marked `dead` (attempts exhausted) or `failed` (permanent refusal).
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { auditedTransaction, recordAudit, systemActor } from '../../services/audit.ts';
import type { Channel } from '../../domain/contact-policy.ts';
import { DeliveryError } from './providers/types.ts';
import { startWebhookWorker } from '../webhooks/processor.ts';
import type { Providers } from './providers.ts';
import { channels, createMessageQueues, queueNameFor, type DeliveryJob } from './queues.ts';

export interface MessageWorkerOptions {
  connection: Redis;
  db: Db;
  providers: Providers;
  logger: Logger;
  ratePerSecond: Record<Channel, number>;
  prefix?: string;
  /** Master secret the webhook signatures derive from; webhooks are delivered when set. */
  webhookSigningSecret?: string;
}

export function startMessageWorkers(options: MessageWorkerOptions): { close(): Promise<void> } {
  const { db, providers, logger } = options;
  const queues = createMessageQueues(options.connection, { prefix: options.prefix });
  const workers = channels.map((channel) => {
    const worker = new Worker<DeliveryJob>(queueNameFor(channel), (job) => deliver(db, providers, channel, job), {
      connection: options.connection.duplicate({ maxRetriesPerRequest: null }),
      prefix: options.prefix ?? 'bull',
      concurrency: 5,
      limiter: { max: options.ratePerSecond[channel], duration: 1000 },
    });
    worker.on('failed', (job, error) => {
      if (!job) return;
      const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
      if (!final) return;
      void deadLetter(db, job, error, error instanceof UnrecoverableError ? 'failed' : 'dead')
        .then(() => queues.deadLetter.add('undeliverable', { messageId: job.data.messageId, reason: error.message }, { jobId: job.data.messageId, removeOnComplete: false }))
        .catch((e: unknown) => logger.error({ err: e, messageId: job.data.messageId }, 'could not dead-letter a message'));
    });
    worker.on('error', (error) => logger.error({ err: error, channel }, 'message worker error'));
    return worker;
  });
  const webhookWorker = options.webhookSigningSecret ? startWebhookWorker({ connection: options.connection, db, logger, masterSecret: options.webhookSigningSecret, prefix: options.prefix }) : null;
  return {
    close: async () => {
      await Promise.all([...workers, ...(webhookWorker ? [webhookWorker] : [])].map((w) => w.close()));
      await queues.close();
    },
  };
}

async function deliver(db: Db, providers: Providers, channel: Channel, job: Job<DeliveryJob>): Promise<void> {
  const message = await db.message.findUnique({ where: { id: job.data.messageId } });
  if (!message) throw new UnrecoverableError(`message ${job.data.messageId} does not exist`);
  if (message.status === 'sent' || message.status === 'delivered') return;
  if (await recipientOptedOut(db, message.accountId, message.toAddress)) {
    throw new UnrecoverableError('the recipient has opted out of this channel');
  }
  const provider = providers[channel];
  await db.message.update({ where: { id: message.id }, data: { attempts: { increment: 1 } } });
  try {
    const { providerMessageId } = await provider.send({ id: message.id, channel, to: message.toAddress, from: message.fromAddress ?? '', subject: message.subject, body: message.body });
    await auditedTransaction(db, async (tx) => {
      await tx.message.update({ where: { id: message.id }, data: { status: 'sent', provider: provider.name, providerMessageId, sentAt: new Date(), lastError: null } });
      if (message.accountId) {
        await tx.activity.create({ data: { accountId: message.accountId, caseId: message.caseId, kind: channel, direction: 'outbound', summary: `${channel === 'sms' ? 'SMS' : channel === 'email' ? 'Email' : 'Letter'} sent to ${message.toAddress}${message.subject ? `: ${message.subject}` : ''}` } });
      }
      await recordAudit(tx, systemActor, { action: 'message.sent', entityType: 'message', entityId: message.id, accountId: message.accountId, after: { provider: provider.name, providerMessageId } });
    });
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    await db.message.update({ where: { id: message.id }, data: { lastError: text.slice(0, 1000), provider: provider.name } });
    if (error instanceof DeliveryError && error.kind === 'permanent') throw new UnrecoverableError(text);
    throw error;
  }
}

async function recipientOptedOut(db: Db, accountId: string | null, address: string): Promise<boolean> {
  if (!accountId) return false;
  const account = await db.account.findUnique({ where: { id: accountId }, select: { customerId: true } });
  if (!account) return false;
  return (await db.contact.count({ where: { customerId: account.customerId, value: address, optedOut: true } })) > 0;
}

async function deadLetter(db: Db, job: Job<DeliveryJob>, error: Error, status: 'dead' | 'failed'): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const message = await tx.message.update({ where: { id: job.data.messageId }, data: { status, lastError: error.message.slice(0, 1000) } });
    await recordAudit(tx, systemActor, { action: `message.${status}`, entityType: 'message', entityId: message.id, accountId: message.accountId, after: { status, reason: error.message } });
  });
}
