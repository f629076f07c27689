// Outbound webhooks to billing and CRM systems (E5, E9): signed so receivers can verify them, retried
// with backoff, refused ones not retried, every attempt logged, any delivery replayable.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createAccountInArrears, createApiKey, createBranch } from '../support/fixtures.ts';
import { requireEnv } from '../support/database.ts';
import { emitEvent, recordEvent } from '../../services/webhooks.ts';
import { performStep } from '../../services/case-steps.ts';
import { auditedTransaction } from '../../services/audit.ts';
import { createCaseActivities } from '../../activities/cases.ts';
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
const senders = { email: 'collections@example.com', sms: '+15005550006' };
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

  test('a suspension and its webhook commit together: a step retried after a crash before the queue sends it once; another step finding the service suspended sends nothing', async () => {
    const db = system.database.db;
    const branch = await createBranch(db);
    const acc = await createAccountInArrears(db, { branchId: branch.id });
    const event = { event: 'service.suspend' as const, key: `step:${acc.caseId}:suspend`, account: { id: acc.id, externalRef: acc.externalRef }, caseId: acc.caseId };
    // What a worker that died right after the commit leaves behind: the account suspended, the delivery recorded, nothing queued.
    await auditedTransaction(db, async (tx) => {
      await tx.account.update({ where: { id: acc.id }, data: { serviceStatus: 'suspended' } });
      await recordEvent(tx, event);
    });
    const recorded = await db.webhookDelivery.findFirstOrThrow({ where: { accountId: acc.id, event: 'service.suspend' } });
    expect(recorded.status).toBe('pending');
    // Temporal retries the step: the service is already as asked, and by this step, so its webhook goes now.
    const step = { caseId: acc.caseId, stepId: 'suspend', action: { kind: 'suspend_service' as const }, daysPastDue: 21 };
    expect(await performStep(db, system.queues, senders, step)).toMatchObject({ status: 'done', detail: 'service suspended' });
    expect(await eventually(() => delivery(recorded.id), (d) => d.status === 'delivered')).toMatchObject({ attempts: 1 });
    expect(await performStep(db, system.queues, senders, step)).toMatchObject({ status: 'done' });
    expect(await performStep(db, system.queues, senders, { ...step, stepId: 'suspend_again' })).toMatchObject({ status: 'skipped', detail: 'service is suspended' });
    await new Promise((r) => setTimeout(r, 300));
    expect(received.filter((r) => r.headers['arrears-delivery'] === recorded.id)).toHaveLength(1);
    expect(await db.webhookDelivery.count({ where: { accountId: acc.id } })).toBe(1);
  });

  test('a case that closes paid lifts the suspension itself and tells billing once, even when no resume step ran', async () => {
    const db = system.database.db;
    const branch = await createBranch(db);
    const acc = await createAccountInArrears(db, { branchId: branch.id });
    await db.account.update({ where: { id: acc.id }, data: { serviceStatus: 'suspended' } });
    const activities = createCaseActivities({ db, queues: system.queues, senders: { ...senders, creditorName: 'Example Telecom Inc.' } });
    await activities.closeCase({ caseId: acc.caseId, reason: 'paid' });
    await activities.closeCase({ caseId: acc.caseId, reason: 'paid' }); // a retried activity
    expect((await db.account.findUniqueOrThrow({ where: { id: acc.id } })).serviceStatus).toBe('active');
    const resume = await eventually(() => db.webhookDelivery.findMany({ where: { accountId: acc.id, event: 'service.resume' } }), (rows) => rows.length === 1 && rows[0]!.status === 'delivered');
    expect(received.filter((r) => r.headers['arrears-delivery'] === resume[0]!.id)).toHaveLength(1);
    expect(JSON.parse(received.find((r) => r.headers['arrears-delivery'] === resume[0]!.id)!.body)).toMatchObject({ type: 'service.resume', account: { id: acc.id }, caseId: acc.caseId });
    expect((await db.webhookDelivery.findMany({ where: { accountId: acc.id }, orderBy: { createdAt: 'asc' } })).map((d) => d.event)).toEqual(['service.resume', 'case.closed']);
    // A case closing on an account whose service was never suspended sends no resume.
    const other = await createAccountInArrears(db, { branchId: branch.id });
    await activities.closeCase({ caseId: other.caseId, reason: 'paid' });
    expect(await db.webhookDelivery.count({ where: { accountId: other.id, event: 'service.resume' } })).toBe(0);
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
