// Delivers webhooks: POST the JSON payload, signed, to the endpoint; 2xx is delivered; anything else
// (or no answer in 10 s) is retried with backoff, and after the last attempt the delivery is `dead`.
// 4xx other than 408/429 is a permanent refusal (`failed`). Every attempt updates the delivery row.
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Db } from '../db/client.ts';
import type { Logger } from '../logger.ts';
import { webhookQueueName, type WebhookJob } from '../messaging/queues.ts';
import { endpointSecret, signatureHeader, signPayload } from './signature.ts';

export function startWebhookWorker(options: { connection: Redis; db: Db; logger: Logger; masterSecret: string; prefix?: string }): Worker<WebhookJob> {
  const { db } = options;
  const worker = new Worker<WebhookJob>(
    webhookQueueName,
    async (job) => {
      const delivery = await db.webhookDelivery.findUnique({ where: { id: job.data.deliveryId }, include: { endpoint: true } });
      if (!delivery) throw new UnrecoverableError('no such delivery');
      if (delivery.status === 'delivered' && !job.id?.includes(':replay:')) return;
      const body = JSON.stringify({ id: delivery.id, ...(delivery.payload as object) });
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Arrears-Webhooks/1',
        'Arrears-Event': delivery.event,
        'Arrears-Delivery': delivery.id,
        [signatureHeader]: signPayload(endpointSecret(options.masterSecret, delivery.endpointId), body, timestamp),
      };
      let status: number | null = null;
      let error: string | null = null;
      try {
        const res = await fetch(delivery.endpoint.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) });
        status = res.status;
        await res.arrayBuffer().catch(() => {});
      } catch (e) {
        error = e instanceof Error ? e.message : String(e);
      }
      const ok = status !== null && status >= 200 && status < 300;
      await db.webhookDelivery.update({
        where: { id: delivery.id },
        data: { attempts: { increment: 1 }, lastStatusCode: status, lastError: ok ? null : (error ?? `HTTP ${status}`), ...(ok ? { status: 'delivered', deliveredAt: new Date() } : {}) },
      });
      if (ok) return;
      const permanent = status !== null && status >= 400 && status < 500 && status !== 408 && status !== 429;
      if (permanent) throw new UnrecoverableError(`refused with HTTP ${status}`);
      throw new Error(error ?? `HTTP ${status}`);
    },
    { connection: options.connection.duplicate({ maxRetriesPerRequest: null }), prefix: options.prefix ?? 'bull', concurrency: 10 },
  );
  worker.on('failed', (job, error) => {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    if (final) void db.webhookDelivery.update({ where: { id: job.data.deliveryId }, data: { status: error instanceof UnrecoverableError ? 'failed' : 'dead' } }).catch(() => {});
  });
  worker.on('error', (error) => options.logger.error({ err: error }, 'webhook worker error'));
  return worker;
}
