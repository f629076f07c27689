// Outbound events to other systems (E5 service changes for billing, E9 blacklisting in the CRM,
// case closures): one delivery row per subscribed endpoint, idempotent on the event's key, delivered
// signed and retried by the worker, every attempt logged, any delivery replayable.
import type { Db } from '../platform/db/client.ts';
import { enqueueWebhook, type MessageQueues } from '../platform/messaging/queues.ts';
import { Prisma } from '../platform/db/client.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';

export const webhookEvents = ['service.suspend', 'service.resume', 'account.blacklist', 'account.agency_placement', 'account.credit_report', 'case.closed'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export interface EventToEmit {
  event: WebhookEvent;
  /** Stable key of the occurrence (e.g. the strategy step's idempotency key). */
  key: string;
  account: { id: string; externalRef: string };
  caseId?: string | null;
  data?: Record<string, unknown>;
}

function payloadOf(input: EventToEmit): Prisma.InputJsonValue {
  return { type: input.event, occurredAt: new Date().toISOString(), account: input.account, caseId: input.caseId ?? null, data: (input.data ?? {}) as Prisma.InputJsonValue };
}

/**
 * Records an event's deliveries inside the caller's transaction, with the change they announce (the
 * outbox pattern): the change and its webhooks commit together, so a crash between the commit and the
 * queue loses nothing. `enqueueRecordedEvent` queues them after the commit, and again on a retry.
 */
export async function recordEvent(tx: Prisma.TransactionClient, input: EventToEmit): Promise<void> {
  const endpoints = await tx.webhookEndpoint.findMany({ where: { active: true, events: { has: input.event } }, select: { id: true } });
  if (endpoints.length === 0) return;
  await tx.webhookDelivery.createMany({
    data: endpoints.map((endpoint) => ({ endpointId: endpoint.id, event: input.event, accountId: input.account.id, idempotencyKey: `${input.key}:${endpoint.id}`, payload: payloadOf(input) })),
    skipDuplicates: true,
  });
}

/** Queues the deliveries `recordEvent` made for an occurrence that are still pending (a repeat queues nothing twice). Returns every delivery recorded for it. */
export async function enqueueRecordedEvent(db: Db, queues: MessageQueues, input: Pick<EventToEmit, 'event' | 'key' | 'account'>): Promise<string[]> {
  const rows = await db.webhookDelivery.findMany({ where: { accountId: input.account.id, event: input.event }, orderBy: { createdAt: 'asc' }, select: { id: true, idempotencyKey: true, status: true } });
  const recorded = rows.filter((r) => r.idempotencyKey.startsWith(`${input.key}:`));
  for (const row of recorded) if (row.status === 'pending') await enqueueWebhook(queues, row.id);
  return recorded.map((r) => r.id);
}

/** An event on its own (no change of ours to commit with it): recorded, once per key, and queued. Returns its deliveries. */
export async function emitEvent(db: Db, queues: MessageQueues, input: EventToEmit): Promise<string[]> {
  await recordEvent(db, input);
  return enqueueRecordedEvent(db, queues, input);
}

export async function createEndpoint(db: Db, actor: Actor, input: { name: string; url: string; events: WebhookEvent[] }) {
  return auditedTransaction(db, async (tx) => {
    const endpoint = await tx.webhookEndpoint.create({ data: input });
    await recordAudit(tx, actor, { action: 'webhook_endpoint.created', entityType: 'webhook_endpoint', entityId: endpoint.id, after: endpoint });
    return endpoint;
  });
}

export async function replayDelivery(db: Db, queues: MessageQueues, actor: Actor, deliveryId: string) {
  const delivery = await db.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery) throw new ServiceError('not_found', 'no such delivery');
  await auditedTransaction(db, async (tx) => {
    await tx.webhookDelivery.update({ where: { id: deliveryId }, data: { status: 'pending' } });
    await recordAudit(tx, actor, { action: 'webhook_delivery.replayed', entityType: 'webhook_delivery', entityId: deliveryId, accountId: delivery.accountId, before: { status: delivery.status }, after: { status: 'pending' } });
  });
  await enqueueWebhook(queues, deliveryId, { replay: true });
}
