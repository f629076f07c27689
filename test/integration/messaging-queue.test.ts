// Outbound messages end to end on real Redis and PostgreSQL: queueMessage (services/messages.ts)
// writes the row and enqueues it, the BullMQ workers deliver it through the real SendGrid and Twilio
// clients to local fakes. Covers idempotent queuing, retries with backoff, the dead-letter state,
// permanent refusals, opted-out recipients, the opt-out notice (X1), audit entries, and a retry after
// the vendor accepted a message not sending it twice.
// Isolation: a database of its own (created from DATABASE_URL's server, dropped afterwards) and a
// BullMQ prefix of its own (its Redis keys deleted afterwards), so runs never collide or accumulate.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { emailOptOutLine, smsOptOutLine } from '../../domain/contact-policy.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Db } from '../../platform/db/client.ts';
import { createLogger } from '../../platform/logger.ts';
import { startMessageWorkers } from '../../platform/messaging/processor.ts';
import { providersFromConfig } from '../../platform/messaging/providers.ts';
import { createMessageQueues, enqueueDelivery, type MessageQueues } from '../../platform/messaging/queues.ts';
import { systemActor } from '../../services/audit.ts';
import { queueMessage, type NewMessage } from '../../services/messages.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/database.ts';
import { eventually } from '../support/system.ts';
import { SendGridFake } from '../fakes/sendgrid-fake.ts';
import { TwilioFake } from '../fakes/twilio-fake.ts';

const run = randomBytes(4).toString('hex');
const prefix = `test-messaging-${run}`;
const sendgridKey = 'SG.queue-test';
const twilioSid = 'AC11112222333344445555666677778888';
const sendgrid = new SendGridFake(sendgridKey);
const twilio = new TwilioFake(twilioSid, 'token');
let database: TestDatabase;
let redis: Redis;
let queues: MessageQueues;
let workers: { close(): Promise<void> };
/** Makes the workers' next database transaction fail, as if PostgreSQL went away for a moment. */
let failNextWorkerTransaction = false;

/** The workers' view of the database: the test database, except when told to fail a transaction. */
function flakyDb(db: Db): Db {
  return new Proxy(db, {
    get(target, property) {
      if (property === '$transaction' && failNextWorkerTransaction) {
        failNextWorkerTransaction = false;
        return () => Promise.reject(new Error('connection to PostgreSQL lost'));
      }
      const value: unknown = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

beforeAll(async () => {
  database = await createTestDatabase();
  await Promise.all([sendgrid.start(), twilio.start()]);
  redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  const config = loadConfig({
    ...process.env,
    EMAIL_PROVIDER: 'sendgrid',
    SENDGRID_API_KEY: sendgridKey,
    SENDGRID_API_URL: sendgrid.url,
    SMS_PROVIDER: 'twilio',
    TWILIO_ACCOUNT_SID: twilioSid,
    TWILIO_AUTH_TOKEN: 'token',
    TWILIO_API_URL: twilio.url,
  });
  queues = createMessageQueues(redis, { prefix, backoffDelayMs: 50 });
  workers = startMessageWorkers({ connection: redis, db: flakyDb(database.db), providers: providersFromConfig(config), ratePerSecond: { email: 100, sms: 100, letter: 100 }, logger: createLogger('test', 'silent'), prefix });
});

afterAll(async () => {
  await workers?.close();
  await queues?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis?.quit();
  await Promise.all([sendgrid.stop(), twilio.stop()]);
  await database?.drop();
});

beforeEach(() => {
  sendgrid.reset();
  twilio.reset();
});

const settled = (id: string) => eventually(() => database.db.message.findUniqueOrThrow({ where: { id } }), (m) => m.status !== 'queued', { timeoutMs: 15_000, intervalMs: 50 });
const queue = (input: NewMessage) => queueMessage(database.db, queues, systemActor, input);
const auditOf = (messageId: string) => database.db.auditLog.findMany({ where: { entityType: 'message', entityId: messageId }, orderBy: { id: 'asc' } });
const email = (key: string, to = 'debtor@example.net'): NewMessage => ({ idempotencyKey: key, channel: 'email', to, from: 'collections@example.com', subject: 'Payment reminder', body: 'Your account is 5 days past due.' });

async function customerWithContact(kind: 'email' | 'mobile', value: string, optedOut: boolean) {
  const db = database.db;
  const tag = randomBytes(3).toString('hex');
  const branch = await db.branch.create({ data: { code: `B${tag}`, name: 'Branch', timeZone: 'UTC' } });
  const customer = await db.customer.create({ data: { externalRef: `c-${tag}`, type: 'retail', name: 'Debtor', timeZone: 'UTC', branchId: branch.id, contacts: { create: { kind, value, optedOut } } } });
  return db.account.create({ data: { externalRef: `a-${tag}`, customerId: customer.id, branchId: branch.id, currency: 'USD' } });
}

describe('queueMessage', () => {
  test('the same idempotency key yields one row, one audit entry and one delivery, even when called concurrently', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => queue(email('reminder-1'))));
    const again = await queue(email('reminder-1'));
    expect(new Set([...results, again].map((r) => r.messageId)).size).toBe(1);
    expect([...results, again].filter((r) => r.created)).toHaveLength(1);
    const sent = await settled(again.messageId);
    expect(sent).toMatchObject({ status: 'sent', provider: 'sendgrid', attempts: 1, lastError: null });
    expect(sent.providerMessageId).toMatch(/^[\w-]{22}$/);
    await queue(email('reminder-1'));
    await new Promise((r) => setTimeout(r, 300));
    expect(sendgrid.accepted).toHaveLength(1);
    expect(await database.db.message.count({ where: { idempotencyKey: 'reminder-1' } })).toBe(1);
    expect((await auditOf(sent.id)).map((a) => a.action)).toEqual(['message.queued', 'message.sent']);
  });

  test('the stored and the sent body carry the opt-out notice', async () => {
    const { messageId } = await queue(email('reminder-notice'));
    const message = await settled(messageId);
    expect(message.body).toBe(`Your account is 5 days past due.\n\n--\n${emailOptOutLine}`);
    expect(sendgrid.mails[0]?.content?.[0]?.value).toBe(message.body);
    expect(sendgrid.mails[0]?.from?.email).toBe('collections@example.com');
  });
});

describe('delivery', () => {
  test('a provider failing twice then succeeding ends sent after 3 attempts', async () => {
    sendgrid.failNext(2, 503);
    const { messageId } = await queue(email('reminder-2'));
    const sent = await settled(messageId);
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, lastError: null });
    expect(sendgrid.received).toHaveLength(3);
    expect(sendgrid.accepted).toHaveLength(1);
  });

  test('a provider always failing ends dead after 5 attempts, audited and in the dead-letter queue', async () => {
    sendgrid.failNext(50, 500);
    const { messageId } = await queue(email('reminder-3'));
    const dead = await settled(messageId);
    expect(dead).toMatchObject({ status: 'dead', attempts: 5 });
    expect(dead.lastError).toContain('SendGrid 500');
    expect(sendgrid.received).toHaveLength(5);
    const parked = await queues.deadLetter.getJob(messageId);
    expect(parked?.data).toMatchObject({ messageId, channel: 'email', status: 'dead', attempts: 5 });
    const job = await queues.byChannel.email.getJob(messageId);
    expect(await eventually(() => job!.getState(), (s) => s === 'failed', { intervalMs: 50 })).toBe('failed');
    expect((await auditOf(messageId)).map((a) => a.action)).toEqual(['message.queued', 'message.dead']);
  });

  test('a permanent refusal is not retried: failed at once, parked for inspection', async () => {
    const { messageId } = await queue(email('reminder-4', 'no-at-sign'));
    const failed = await settled(messageId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('Does not contain a valid address');
    expect((await queues.deadLetter.getJob(messageId))?.data).toMatchObject({ status: 'failed', attempts: 1 });
  });

  test('a number that replied STOP to Twilio is not retried', async () => {
    twilio.optedOut.add('+15550003333');
    const { messageId } = await queue({ idempotencyKey: 'sms-stopped', channel: 'sms', to: '+15550003333', from: '+15005550006', body: 'Pay now' });
    const failed = await settled(messageId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.lastError).toContain('21610');
    expect(twilio.received).toHaveLength(1);
  });

  test('an opted-out contact is never contacted: failed and audited on the account', async () => {
    const account = await customerWithContact('mobile', '+15550001111', true);
    const { messageId } = await queue({ idempotencyKey: 'sms-opted-out', channel: 'sms', to: '+15550001111', from: '+15005550006', body: 'Pay now', accountId: account.id });
    const failed = await settled(messageId);
    expect(failed).toMatchObject({ status: 'failed', attempts: 0 });
    expect(failed.lastError).toContain('opted out');
    await new Promise((r) => setTimeout(r, 200));
    expect(twilio.received).toHaveLength(0);
    expect(await queues.deadLetter.getJob(messageId)).toBeUndefined();
    const audit = await auditOf(messageId);
    expect(audit.map((a) => [a.action, a.accountId])).toEqual([['message.queued', account.id], ['message.failed', account.id]]);
  });

  test('an address opted out on another customer is not contacted either (a STOP belongs to the number)', async () => {
    await customerWithContact('mobile', '+15550004444', true);
    const { messageId } = await queue({ idempotencyKey: 'sms-opted-out-elsewhere', channel: 'sms', to: '+15550004444', from: '+15005550006', body: 'Pay now' });
    expect(await settled(messageId)).toMatchObject({ status: 'failed', attempts: 0 });
    expect(twilio.received).toHaveLength(0);
  });

  test('an SMS ends with the STOP notice and a sent message is logged on the account', async () => {
    const account = await customerWithContact('mobile', '+15550002222', false);
    const { messageId } = await queue({ idempotencyKey: 'sms-2', channel: 'sms', to: '+15550002222', from: '+15005550006', body: 'Your payment is overdue.', accountId: account.id });
    const sent = await settled(messageId);
    expect(sent).toMatchObject({ status: 'sent', provider: 'twilio' });
    expect(sent.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(twilio.messages).toEqual([{ To: '+15550002222', From: '+15005550006', MessagingServiceSid: null, Body: `Your payment is overdue. ${smsOptOutLine}` }]);
    const activity = await database.db.activity.findFirst({ where: { accountId: account.id, kind: 'sms' } });
    expect(activity?.summary).toBe('SMS sent to +15550002222');
  });

  test('a letter is delivered to the outbox', async () => {
    const { messageId } = await queue({ idempotencyKey: 'letter-1', channel: 'letter', to: '1 Main St, Springfield', from: 'Collections department', subject: 'Final notice', body: 'Dear customer' });
    const sent = await settled(messageId);
    expect(sent).toMatchObject({ status: 'sent', provider: 'outbox', attempts: 1 });
    expect(sent.providerMessageId).toMatch(/^outbox-/);
    expect(sent.sentAt).toBeInstanceOf(Date);
  });

  test('a message already sent is not sent again when its delivery is enqueued once more', async () => {
    const row = await database.db.message.create({ data: { idempotencyKey: 'already-sent', channel: 'email', toAddress: 'x@example.net', body: 'Hi', status: 'sent', provider: 'sendgrid', providerMessageId: 'earlier', sentAt: new Date() } });
    await enqueueDelivery(queues, row.id, 'email');
    const job = await queues.byChannel.email.getJob(row.id);
    expect(await eventually(() => job!.getState(), (s) => s === 'completed', { intervalMs: 50 })).toBe('completed');
    expect(sendgrid.received).toHaveLength(0);
    expect(await database.db.message.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: 'sent', providerMessageId: 'earlier', attempts: 0 });
  });

  test('when recording a send fails after the vendor accepted it, the retry records it without sending again', async () => {
    failNextWorkerTransaction = true;
    const { messageId } = await queue(email('reminder-recorded-late'));
    const sent = await settled(messageId);
    expect(failNextWorkerTransaction).toBe(false);
    expect(sendgrid.accepted).toHaveLength(1);
    expect(sent).toMatchObject({ status: 'sent', provider: 'sendgrid', attempts: 1 });
    const job = await queues.byChannel.email.getJob(messageId);
    expect(job?.data.sent).toMatchObject({ provider: 'sendgrid', providerMessageId: sent.providerMessageId });
    expect(job?.attemptsMade).toBeGreaterThanOrEqual(1);
  });
});
