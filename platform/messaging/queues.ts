// One BullMQ queue per channel so that each has its own rate limit, plus a dead-letter queue where
// messages that could not be delivered wait for a person. The job ID is the message ID, so a
// message enqueued twice is delivered once.
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Channel } from '../../domain/contact-policy.ts';

export const channels: readonly Channel[] = ['email', 'sms', 'letter'];
export const queueNameFor = (channel: Channel) => `messages-${channel}`;
export const deadLetterQueueName = 'messages-dead-letter';
export const webhookQueueName = 'webhooks';
export const allQueueNames = [...channels.map(queueNameFor), deadLetterQueueName, webhookQueueName];

export const deliveryAttempts = 5;
export const deliveryBackoff = { type: 'exponential' as const, delay: 2_000 };

export interface DeliveryJob {
  messageId: string;
}

export interface WebhookJob {
  deliveryId: string;
}

export interface MessageQueues {
  byChannel: Record<Channel, Queue<DeliveryJob>>;
  deadLetter: Queue<DeliveryJob & { reason: string }>;
  /** Signed webhooks to other systems (suspend/resume, blacklist, case closed). */
  webhooks: Queue<WebhookJob>;
  /** First retry delay; doubles each attempt. Tests shorten it. */
  backoffDelayMs: number;
  close(): Promise<void>;
}

export function createMessageQueues(connection: Redis, options: { prefix?: string; backoffDelayMs?: number } = {}): MessageQueues {
  const prefix = options.prefix ?? 'bull';
  const byChannel = Object.fromEntries(channels.map((c) => [c, new Queue<DeliveryJob>(queueNameFor(c), { connection, prefix })])) as Record<Channel, Queue<DeliveryJob>>;
  const deadLetter = new Queue<DeliveryJob & { reason: string }>(deadLetterQueueName, { connection, prefix });
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

/** Enqueues a webhook delivery (job ID = delivery ID, so a repeat is a no-op); `fresh` re-sends a finished one (replay). */
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
