// Delivering one queued message, the body of every channel's BullMQ job. Each step is safe to run
// twice, because BullMQ may run a job again (retry, stalled worker):
// - a message that is no longer `queued` (sent, failed, dead) is left alone;
// - an opted-out recipient is never contacted: the row is marked `failed` (audited) and the job
//   completes; it is not parked in the dead-letter queue, as there is nothing for a person to fix;
// - once the provider has accepted a message its id is written into the job before the row is
//   updated, so if that update fails the retry records the send instead of sending again;
// - a retryable failure is rethrown for BullMQ to retry with backoff; on the last attempt, and on a
//   permanent failure at once, the row is marked `dead` / `failed` and the message is parked in
//   the dead-letter queue for a person.
import { UnrecoverableError, type Job } from 'bullmq';
import type { Channel } from '../../domain/contact-policy.ts';
import { auditedTransaction, recordAudit, systemActor } from '../../services/audit.ts';
import type { ContactKind, Db } from '../db/client.ts';
import type { Message } from '../db/generated/client.ts';
import type { Logger } from '../logger.ts';
import type { Providers } from './providers.ts';
import { DeliveryError, type MessageProvider } from './providers/types.ts';
import { parkInDeadLetter, type DeliveryJob, type MessageQueues } from './queues.ts';

export interface DeliveryContext {
  db: Db;
  providers: Providers;
  queues: Pick<MessageQueues, 'deadLetter'>;
  logger: Logger;
  /** Told when a message could not be delivered for good (its case counts a failed contact). */
  onUndeliverable?: UndeliverableHandler;
}

export type UndeliverableHandler = (failure: { messageId: string; caseId: string | null; channel: Channel; status: 'failed' | 'dead'; reason: string }) => Promise<void>;

export type DeliveryOutcome = 'sent' | 'skipped' | 'opted-out';

export async function deliverMessage(ctx: DeliveryContext, channel: Channel, job: Job<DeliveryJob>): Promise<DeliveryOutcome> {
  const { db, logger } = ctx;
  const message = await db.message.findUnique({ where: { id: job.data.messageId } });
  if (!message) throw new UnrecoverableError(`message ${job.data.messageId} does not exist`);
  if (message.status !== 'queued') return 'skipped';
  const provider = ctx.providers[channel];
  if (job.data.sent) {
    await markSent(db, message, job.data.sent.provider, job.data.sent.providerMessageId, new Date(job.data.sent.at));
    return 'sent';
  }
  if (await recipientOptedOut(db, channel, message.toAddress)) {
    await markUndeliverable(db, message.id, 'failed', `the recipient ${message.toAddress} has opted out of ${channel}; not sent`);
    logger.info({ messageId: message.id, channel }, 'message not sent: recipient opted out');
    return 'opted-out';
  }

  const attempt = job.attemptsMade + 1;
  await db.message.update({ where: { id: message.id }, data: { attempts: { increment: 1 }, provider: provider.name } });
  let providerMessageId: string;
  try {
    ({ providerMessageId } = await provider.send({ id: message.id, channel, to: message.toAddress, from: message.fromAddress ?? '', subject: message.subject, body: message.body }));
  } catch (error) {
    return failed(ctx, job, message, provider, attempt, error);
  }
  const at = new Date();
  await job.updateData({ ...job.data, sent: { provider: provider.name, providerMessageId, at: at.toISOString() } });
  await markSent(db, message, provider.name, providerMessageId, at);
  logger.info({ messageId: message.id, channel, provider: provider.name, providerMessageId, attempt }, 'message sent');
  return 'sent';
}

async function failed(ctx: DeliveryContext, job: Job<DeliveryJob>, message: Message, provider: MessageProvider, attempt: number, error: unknown): Promise<never> {
  const failure = error instanceof DeliveryError ? error : new DeliveryError('retryable', error instanceof Error ? error.message : String(error));
  const reason = failure.message.slice(0, 1000);
  const lastAttempt = attempt >= (job.opts.attempts ?? 1);
  ctx.logger.warn({ messageId: message.id, channel: message.channel, provider: provider.name, attempt, kind: failure.kind, err: failure }, 'message delivery failed');
  if (failure.kind === 'permanent' || lastAttempt) {
    const status = failure.kind === 'permanent' ? 'failed' : 'dead';
    const marked = await markUndeliverable(ctx.db, message.id, status, reason);
    if (marked) await ctx.onUndeliverable?.({ messageId: message.id, caseId: message.caseId, channel: message.channel, status, reason }).catch((e: unknown) => ctx.logger.warn({ err: e, messageId: message.id }, 'could not tell the case about an undeliverable message'));
    await parkInDeadLetter(ctx.queues, { messageId: message.id, channel: message.channel, status, reason, attempts: attempt, failedAt: new Date().toISOString() });
    if (status === 'failed') throw new UnrecoverableError(reason);
    throw failure;
  }
  await ctx.db.message.update({ where: { id: message.id }, data: { lastError: reason } });
  throw failure;
}

async function markSent(db: Db, message: Message, provider: string, providerMessageId: string, sentAt: Date): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    await tx.message.update({ where: { id: message.id }, data: { status: 'sent', provider, providerMessageId, sentAt, lastError: null } });
    if (message.accountId) {
      const what = message.channel === 'sms' ? 'SMS' : message.channel === 'email' ? 'Email' : 'Letter';
      await tx.activity.create({ data: { accountId: message.accountId, caseId: message.caseId, kind: message.channel, direction: 'outbound', summary: `${what} sent to ${message.toAddress}${message.subject ? `: ${message.subject}` : ''}` } });
    }
    await recordAudit(tx, systemActor, { action: 'message.sent', entityType: 'message', entityId: message.id, accountId: message.accountId, after: { provider, providerMessageId } });
  });
}

/** Marks a still-queued message `failed` or `dead`, audited on its account; false if it had already left `queued`. */
export async function markUndeliverable(db: Db, messageId: string, status: 'failed' | 'dead', reason: string): Promise<boolean> {
  return auditedTransaction(db, async (tx) => {
    const { count } = await tx.message.updateMany({ where: { id: messageId, status: 'queued' }, data: { status, lastError: reason.slice(0, 1000) } });
    if (count === 0) return false;
    const { accountId } = await tx.message.findUniqueOrThrow({ where: { id: messageId }, select: { accountId: true } });
    await recordAudit(tx, systemActor, { action: `message.${status}`, entityType: 'message', entityId: messageId, accountId, after: { status, reason } });
    return true;
  });
}

const contactKinds: Record<Channel, ContactKind[]> = { email: ['email'], sms: ['mobile', 'phone'], letter: ['address'] };

/**
 * Whether any contact with this address has opted out of the channel. Any, not only the account's
 * own: an opt-out belongs to the address (a STOP reply from a number stops all texts to it).
 */
async function recipientOptedOut(db: Db, channel: Channel, address: string): Promise<boolean> {
  const value = channel === 'email' ? { equals: address.trim(), mode: 'insensitive' as const } : address.trim();
  return (await db.contact.count({ where: { kind: { in: contactKinds[channel] }, value, optedOut: true } })) > 0;
}
