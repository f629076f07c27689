// Outbound messages through BullMQ on real Redis and PostgreSQL, delivered by the real SendGrid and
// Twilio clients to local fakes: idempotent queuing, retries with backoff, the dead-letter state,
// opted-out recipients and the opt-out notice.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMessageQueues, type MessageQueues } from '../../platform/messaging/queues.ts';
import { startMessageWorkers } from '../../platform/messaging/processor.ts';
import { SendGridEmailProvider } from '../../platform/messaging/providers/sendgrid.ts';
import { TwilioSmsProvider } from '../../platform/messaging/providers/twilio.ts';
import { OutboxProvider } from '../../platform/messaging/providers/outbox.ts';
import { createLogger } from '../../platform/logger.ts';
import { queueMessage } from '../../services/messages.ts';
import { systemActor } from '../../services/audit.ts';
import { smsOptOutLine } from '../../domain/contact-policy.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/database.ts';
import { eventually } from '../support/system.ts';
import { SendGridFake } from '../fakes/sendgrid-fake.ts';
import { TwilioFake } from '../fakes/twilio-fake.ts';

const prefix = `test-${randomBytes(4).toString('hex')}`;
const twilioSid = 'AC11112222333344445555666677778888';
let database: TestDatabase;
let redis: Redis;
let queues: MessageQueues;
let workers: { close(): Promise<void> };
let sendgrid: SendGridFake;
let twilio: TwilioFake;

beforeAll(async () => {
  database = await createTestDatabase();
  redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  sendgrid = await new SendGridFake('SG.queue-test').start();
  twilio = await new TwilioFake(twilioSid, 'token').start();
  queues = createMessageQueues(redis, { prefix, backoffDelayMs: 50 });
  workers = startMessageWorkers({
    connection: redis,
    db: database.db,
    logger: createLogger('test', 'silent'),
    prefix,
    ratePerSecond: { email: 100, sms: 100, letter: 100 },
    providers: {
      email: new SendGridEmailProvider({ apiKey: 'SG.queue-test', baseUrl: sendgrid.url, defaultFrom: 'collections@example.com' }),
      sms: new TwilioSmsProvider({ accountSid: twilioSid, authToken: 'token', apiUrl: twilio.url, defaultFrom: '+15005550006' }),
      letter: new OutboxProvider(),
    },
  });
});
afterAll(async () => {
  await workers?.close();
  await queues?.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis?.quit();
  await sendgrid?.stop();
  await twilio?.stop();
  await database?.drop();
});
beforeEach(() => {
  sendgrid.accepted.length = 0;
});

const email = (key: string, to = 'debtor@example.net') => ({ idempotencyKey: key, channel: 'email' as const, to, from: 'collections@example.com', subject: 'Payment reminder', body: 'Your account is 5 days past due.' });
const statusOf = (id: string) => database.db.message.findUniqueOrThrow({ where: { id } });

describe('outbound messages', () => {
  test('the same message queued twice is stored and delivered once', async () => {
    const first = await queueMessage(database.db, queues, systemActor, email('reminder-1'));
    const second = await queueMessage(database.db, queues, systemActor, email('reminder-1'));
    expect(second).toEqual({ messageId: first.messageId, created: false });
    const sent = await eventually(() => statusOf(first.messageId), (m) => m.status === 'sent');
    expect(sent).toMatchObject({ status: 'sent', provider: 'sendgrid', attempts: 1 });
    await new Promise((r) => setTimeout(r, 300));
    expect(sendgrid.accepted).toHaveLength(1);
    expect(await database.db.message.count({ where: { idempotencyKey: 'reminder-1' } })).toBe(1);
  });

  test('a vendor outage is retried with backoff until the message goes out', async () => {
    sendgrid.failNext(2, 503);
    const { messageId } = await queueMessage(database.db, queues, systemActor, email('reminder-2'));
    const sent = await eventually(() => statusOf(messageId), (m) => m.status === 'sent', 15_000);
    expect(sent).toMatchObject({ status: 'sent', attempts: 3 });
  });

  test('a message that keeps failing ends dead, in the dead-letter queue', async () => {
    sendgrid.failNext(5, 500);
    const { messageId } = await queueMessage(database.db, queues, systemActor, email('reminder-3'));
    const dead = await eventually(() => statusOf(messageId), (m) => m.status === 'dead', 20_000);
    expect(dead).toMatchObject({ status: 'dead', attempts: 5 });
    expect(dead.lastError).toContain('500');
    const parked = await eventually(() => queues.deadLetter.getJob(messageId), (job) => Boolean(job));
    expect(parked?.data).toMatchObject({ messageId });
  });

  test('a permanent refusal is not retried', async () => {
    const { messageId } = await queueMessage(database.db, queues, systemActor, email('reminder-4', 'no-at-sign'));
    const failed = await eventually(() => statusOf(messageId), (m) => m.status === 'failed');
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
  });

  test('an opted-out recipient is never contacted', async () => {
    const branch = await database.db.branch.create({ data: { code: prefix.slice(-6), name: 'B', timeZone: 'UTC' } });
    const customer = await database.db.customer.create({ data: { externalRef: `c-${prefix}`, type: 'retail', name: 'Opted Out', timeZone: 'UTC', branchId: branch.id, contacts: { create: { kind: 'mobile', value: '+15550001111', optedOut: true } } } });
    const account = await database.db.account.create({ data: { externalRef: `a-${prefix}`, customerId: customer.id, branchId: branch.id, currency: 'USD' } });
    const before = twilio.received.length;
    const { messageId } = await queueMessage(database.db, queues, systemActor, { idempotencyKey: 'sms-1', channel: 'sms', to: '+15550001111', from: '+15005550006', body: 'Pay now', accountId: account.id });
    const failed = await eventually(() => statusOf(messageId), (m) => m.status === 'failed');
    expect(failed.lastError).toContain('opted out');
    expect(twilio.received.length).toBe(before);
  });

  test('every SMS carries the STOP notice and a sent message is logged on the account', async () => {
    const branch = await database.db.branch.create({ data: { code: `S${prefix.slice(-5)}`, name: 'B', timeZone: 'UTC' } });
    const customer = await database.db.customer.create({ data: { externalRef: `c2-${prefix}`, type: 'retail', name: 'Reachable', timeZone: 'UTC', branchId: branch.id } });
    const account = await database.db.account.create({ data: { externalRef: `a2-${prefix}`, customerId: customer.id, branchId: branch.id, currency: 'USD' } });
    const { messageId } = await queueMessage(database.db, queues, systemActor, { idempotencyKey: 'sms-2', channel: 'sms', to: '+15550002222', from: '+15005550006', body: 'Your payment is overdue.', accountId: account.id });
    await eventually(() => statusOf(messageId), (m) => m.status === 'sent');
    const form = new URLSearchParams(twilio.accepted.at(-1)!.body);
    expect(form.get('Body')).toBe(`Your payment is overdue. ${smsOptOutLine}`);
    const activity = await database.db.activity.findFirst({ where: { accountId: account.id, kind: 'sms' } });
    expect(activity?.summary).toContain('SMS sent to +15550002222');
  });
});
