// One BullMQ queue per channel, so that each has its own rate limit, plus a dead-letter queue where
// messages that could not be delivered wait for a person (nothing consumes it; bull-board shows it).
// The job ID is the message ID, so a message enqueued twice is delivered once. Retries are a job
// option: 5 attempts, exponential backoff. `prefix` namespaces every Redis key, so test runs (and
// several installations on one Redis) cannot see each other's jobs.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel } from '../../domain/contact-policy.ts';

export const channels: readonly Channel[] = ['email', 'sms', 'letter'];
export const queueNameFor = (channel: Channel) => `messages-${channel}`;
export const deadLetterQueueName = 'messages-dead-letter';
/** Signed outbound webhooks (platform/webhooks) share this module's connection and prefix. */
export const webhookQueueName = 'webhooks';
export const allQueueNames = [...channels.map(queueNameFor), deadLetterQueueName, webhookQueueName];
export const defaultPrefix = 'bull';

export const deliveryAttempts = 5;
export const deliveryBackoff = { type: 'exponential' as const, delay: 2_000 };

export interface DeliveryJob {
  messageId: string;
  /** Set by the processor once the provider accepted the message, so that a retry does not send again. */
  sent?: { provider: string; providerMessageId: string; at: string };
}

export interface DeadLetterJob {
  messageId: string;
  channel: Channel;
  /** `dead`: retries exhausted; `failed`: the provider refused it for good. */
  status: 'dead' | 'failed';
  reason: string;
  attempts: number;
  failedAt: string;
}

export interface WebhookJob {
  deliveryId: string;
}

export interface MessageQueues {
  byChannel: Record<Channel, Queue<DeliveryJob>>;
  deadLetter: Queue<DeadLetterJob>;
  /** Signed webhooks to other systems (suspend/resume, blacklist, case closed). */
  webhooks: Queue<WebhookJob>;
  /** First retry delay; doubles each attempt. Tests shorten it. */
  backoffDelayMs: number;
  close(): Promise<void>;
}

export interface QueueOptions {
  prefix?: string;
  backoffDelayMs?: number;
}

/** The queues share the caller's connection and leave it open. */
export function createMessageQueues(connection: Redis, options: QueueOptions = {}): MessageQueues {
  const prefix = options.prefix ?? defaultPrefix;
  const byChannel = Object.fromEntries(channels.map((c) => [c, new Queue<DeliveryJob>(queueNameFor(c), { connection, prefix })])) as Record<Channel, Queue<DeliveryJob>>;
  const deadLetter = new Queue<DeadLetterJob>(deadLetterQueueName, { connection, prefix });
  const webhooks = new Queue<WebhookJob>(webhookQueueName, { connection, prefix });
  return {
    byChannel,
    deadLetter,
    webhooks,
    backoffDelayMs: options.backoffDelayMs ?? deliveryBackoff.delay,
    close: async () => {
      await Promise.all([...Object.values(byChannel), deadLetter, webhooks].map((q) => q.close()));
    },
  };
}

/** Queues a delivery; a second call for the same message is a no-op while its job exists. */
export async function enqueueDelivery(queues: MessageQueues, messageId: string, channel: Channel, notBefore?: Date): Promise<void> {
  await queues.byChannel[channel].add(
    'deliver',
    { messageId },
    {
      jobId: messageId,
      delay: notBefore ? Math.max(0, notBefore.getTime() - Date.now()) : 0,
      attempts: deliveryAttempts,
      backoff: { ...deliveryBackoff, delay: queues.backoffDelayMs },
      removeOnComplete: { age: 7 * 86_400, count: 50_000 },
      removeOnFail: { age: 30 * 86_400 },
    },
  );
}

/** Parks an undeliverable message for inspection; job ID = message ID, so parking twice is a no-op. */
export async function parkInDeadLetter(queues: Pick<MessageQueues, 'deadLetter'>, job: DeadLetterJob): Promise<void> {
  await queues.deadLetter.add('undeliverable', job, { jobId: job.messageId });
}

/** Enqueues a webhook delivery (job ID = delivery ID, so a repeat is a no-op); `replay` re-sends a finished one. */
export async function enqueueWebhook(queues: MessageQueues, deliveryId: string, options: { replay?: boolean } = {}): Promise<void> {
  await queues.webhooks.add(
    'deliver',
    { deliveryId },
    {
      jobId: options.replay ? `${deliveryId}:replay:${Date.now()}` : deliveryId,
      attempts: 8,
      backoff: { ...deliveryBackoff, delay: queues.backoffDelayMs },
      removeOnComplete: { age: 7 * 86_400, count: 50_000 },
      removeOnFail: { age: 30 * 86_400 },
    },
  );
}
