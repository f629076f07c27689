// Outbound webhooks to billing and CRM systems (E5, E9): signed so receivers can verify them, retried
// with backoff, refused ones not retried, every attempt logged, any delivery replayable.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey } from '../support/fixtures.ts';
import { requireEnv } from '../support/database.ts';
import { emitEvent } from '../../services/webhooks.ts';
import { startWebhookWorker } from '../../platform/webhooks/processor.ts';
import { verifySignature } from '../../platform/webhooks/signature.ts';
import { createLogger } from '../../platform/logger.ts';
import { loadConfig } from '../../platform/config.ts';

let system: TestSystem;
let adminKey: string;
let redis: Redis;
let worker: Worker;
let receiver: http.Server;
let receiverUrl: string;
let secret = '';
const received: Array<{ headers: http.IncomingHttpHeaders; body: string; verified: boolean }> = [];
const answers: number[] = []; // status codes to answer next (default 200)

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  adminKey = await createApiKey(system.database.db, ['webhooks:manage']);
  redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  worker = startWebhookWorker({ connection: redis, db: system.database.db, logger: createLogger('test', 'silent'), masterSecret: loadConfig({ ...process.env }).WEBHOOK_SIGNING_SECRET, prefix: system.queuePrefix });
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body, verified: verifySignature(secret, body, String(req.headers['arrears-signature'] ?? '')) });
      res.writeHead(answers.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await worker?.close();
  await redis?.quit();
  await new Promise((r) => receiver?.close(r));
  await system?.stop();
});

const account = { id: '00000000-0000-4000-8000-000000000001', externalRef: 'ACC-HOOK' };
const delivery = (id: string) => system.database.db.webhookDelivery.findUniqueOrThrow({ where: { id } });

describe('webhooks', () => {
  test('an admin registers a receiver and gets its signing secret once', async () => {
    const res = await request(system.app).post('/api/v1/webhook-endpoints').set('x-api-key', adminKey).send({ name: 'billing', url: receiverUrl, events: ['service.suspend', 'service.resume', 'case.closed'] });
    expect(res.status).toBe(201);
    expect(res.body.secret).toMatch(/^whsec_/);
    secret = res.body.secret;
    const list = await request(system.app).get('/api/v1/webhook-endpoints').set('x-api-key', adminKey);
    expect(list.body.items[0]).not.toHaveProperty('secret');
    const readOnly = await createApiKey(system.database.db, ['accounts:read']);
    expect((await request(system.app).get('/api/v1/webhook-endpoints').set('x-api-key', readOnly)).status).toBe(403);
  });

  test('an event is delivered once, signed so the receiver can verify it', async () => {
    const [id] = await emitEvent(system.database.db, system.queues, { event: 'service.suspend', key: 'step:case-1:suspend', account, caseId: null });
    const again = await emitEvent(system.database.db, system.queues, { event: 'service.suspend', key: 'step:case-1:suspend', account, caseId: null });
    expect(again).toEqual([id]);
    expect(await eventually(() => delivery(id!), (d) => d.status === 'delivered')).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200 });
    const hit = received.find((r) => r.headers['arrears-delivery'] === id)!;
    expect(hit.verified).toBe(true);
    expect(hit.headers['arrears-event']).toBe('service.suspend');
    expect(JSON.parse(hit.body)).toMatchObject({ id, type: 'service.suspend', account });
    expect(verifySignature('whsec_wrong', hit.body, String(hit.headers['arrears-signature']))).toBe(false);
    expect(verifySignature(secret, hit.body.replace('ACC-HOOK', 'ACC-EVIL'), String(hit.headers['arrears-signature']))).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(received.filter((r) => r.headers['arrears-delivery'] === id)).toHaveLength(1);
  });

  test('a receiver outage is retried with backoff; a refusal is not', async () => {
    answers.push(503, 500);
    const [retried] = await emitEvent(system.database.db, system.queues, { event: 'service.resume', key: 'step:case-2:resume', account });
    expect(await eventually(() => delivery(retried!), (d) => d.status === 'delivered', 15_000)).toMatchObject({ attempts: 3 });
    answers.push(400);
    const [refused] = await emitEvent(system.database.db, system.queues, { event: 'case.closed', key: 'case-closed:case-3', account });
    expect(await eventually(() => delivery(refused!), (d) => d.status === 'failed')).toMatchObject({ attempts: 1, lastStatusCode: 400 });
  });

  test('events nobody subscribed to are not sent', async () => {
    expect(await emitEvent(system.database.db, system.queues, { event: 'account.blacklist', key: 'bl-1', account })).toEqual([]);
  });

  test('any delivery can be replayed, with the same id and a fresh signature', async () => {
    const [id] = await emitEvent(system.database.db, system.queues, { event: 'case.closed', key: 'case-closed:case-4', account });
    await eventually(() => delivery(id!), (d) => d.status === 'delivered');
    const res = await request(system.app).post(`/api/v1/webhook-deliveries/${id}/replay`).set('x-api-key', adminKey);
    expect(res.status).toBe(202);
    await eventually(async () => received.filter((r) => r.headers['arrears-delivery'] === id).length, (n) => n === 2);
    expect(received.filter((r) => r.headers['arrears-delivery'] === id).every((r) => r.verified)).toBe(true);
    const log = await request(system.app).get(`/api/v1/webhook-deliveries?accountId=${account.id}`).set('x-api-key', adminKey);
    expect(log.body.items.length).toBeGreaterThanOrEqual(4);
  });
});
