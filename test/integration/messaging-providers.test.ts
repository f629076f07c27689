// The SendGrid and Twilio providers through the vendors' real client libraries (@sendgrid/mail,
// twilio), pointed at local fakes that check each request as the vendor's API would. What matters
// here is the request the library really makes and how each answer is classified: retryable
// (5xx, 429, no connection) or permanent (bad credentials, invalid or unsubscribed recipient).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { SendGridEmailProvider } from '../../platform/messaging/providers/sendgrid.ts';
import { TwilioSmsProvider } from '../../platform/messaging/providers/twilio.ts';
import { DeliveryError, type OutboundMessage } from '../../platform/messaging/providers/types.ts';
import { SendGridFake } from '../fakes/sendgrid-fake.ts';
import { TwilioFake } from '../fakes/twilio-fake.ts';

const sendgridKey = 'SG.test-key.0123456789';
const twilioSid = 'AC0123456789abcdef0123456789abcdef';
const twilioToken = 'test-auth-token';
const sendgrid = new SendGridFake(sendgridKey);
const twilio = new TwilioFake(twilioSid, twilioToken);

beforeAll(async () => {
  await Promise.all([sendgrid.start(), twilio.start()]);
  twilio.optedOut.add('+15550000999');
});
afterAll(async () => {
  await Promise.all([sendgrid.stop(), twilio.stop()]);
});
beforeEach(() => {
  sendgrid.reset();
  twilio.reset();
});

const email: OutboundMessage = { id: 'msg-1', channel: 'email', to: 'jane@example.net', from: 'collections@example.com', subject: 'Your balance is overdue', body: 'Please pay.' };
const sms: OutboundMessage = { id: 'msg-2', channel: 'sms', to: '+15550000123', from: '+15005550006', subject: null, body: 'Your payment is overdue. Reply STOP to opt out.' };
const mailer = (apiKey = sendgridKey, baseUrl = sendgrid.url) => new SendGridEmailProvider({ apiKey, baseUrl, defaultFrom: 'default@example.com' });
const texter = (authToken = twilioToken, apiUrl = twilio.url, defaultFrom = '+15005550006') => new TwilioSmsProvider({ accountSid: twilioSid, authToken, apiUrl, defaultFrom });

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('SendGrid provider (@sendgrid/mail → fake v3 API)', () => {
  test('sends a mail the v3 API accepts and returns its X-Message-Id', async () => {
    const result = await mailer().send(email);
    expect(sendgrid.accepted).toHaveLength(1);
    const request = sendgrid.accepted[0]!;
    expect(request.headers.authorization).toBe(`Bearer ${sendgridKey}`);
    expect(result.providerMessageId).toMatch(/^[\w-]{22}$/);
    const [mail] = sendgrid.mails;
    expect(mail?.personalizations?.[0]?.to?.[0]?.email).toBe('jane@example.net');
    expect(mail?.from?.email).toBe('collections@example.com');
    expect(mail?.subject).toBe('Your balance is overdue');
    expect(mail?.content).toEqual([{ type: 'text/plain', value: 'Please pay.' }]);
    expect(mail?.custom_args).toEqual({ arrears_message_id: 'msg-1' });
  });

  test('a message without a sender goes from the configured EMAIL_FROM', async () => {
    await mailer().send({ ...email, from: '' });
    expect(sendgrid.mails[0]?.from?.email).toBe('default@example.com');
  });

  test('a wrong API key is a permanent failure', async () => {
    const error = await failure(mailer('SG.wrong').send(email));
    expect([error.kind, error.status]).toEqual(['permanent', 401]);
    expect(error.message).toContain('authorization grant is invalid');
  });

  test('an invalid recipient is a permanent failure with SendGrid’s reason and field', async () => {
    const error = await failure(mailer().send({ ...email, to: 'not-an-address' }));
    expect([error.kind, error.status]).toEqual(['permanent', 400]);
    expect(error.message).toContain('personalizations.0.to.0.email: Does not contain a valid address.');
  });

  test('a 5xx or a 429 is retryable', async () => {
    sendgrid.failNext(1, 500).failNext(1, 429);
    const outage = await failure(mailer().send(email));
    expect([outage.kind, outage.status]).toEqual(['retryable', 500]);
    const throttled = await failure(mailer().send(email));
    expect([throttled.kind, throttled.status]).toEqual(['retryable', 429]);
    expect(sendgrid.received).toHaveLength(2);
    expect(sendgrid.accepted).toHaveLength(0);
  });

  test('no connection at all is retryable', async () => {
    const gone = await new SendGridFake(sendgridKey).start();
    await gone.stop();
    const error = await failure(mailer(sendgridKey, gone.url).send(email));
    expect([error.kind, error.status]).toEqual(['retryable', undefined]);
  });
});

describe('Twilio provider (twilio → fake Messages API)', () => {
  test('sends an SMS the Messages API accepts and returns its SM sid', async () => {
    const result = await texter().send(sms);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const request = twilio.accepted[0]!;
    expect(request.path).toBe(`/2010-04-01/Accounts/${twilioSid}/Messages.json`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`${twilioSid}:${twilioToken}`).toString('base64')}`);
    expect(twilio.messages).toEqual([{ To: '+15550000123', From: '+15005550006', MessagingServiceSid: null, Body: sms.body }]);
  });

  test('a Messaging Service SID as sender is sent as MessagingServiceSid', async () => {
    await texter(twilioToken, twilio.url, 'MG0123456789abcdef0123456789abcdef').send({ ...sms, from: '' });
    expect(twilio.messages[0]).toMatchObject({ From: null, MessagingServiceSid: 'MG0123456789abcdef0123456789abcdef' });
  });

  test('wrong credentials are a permanent failure (20003)', async () => {
    const error = await failure(texter('wrong').send(sms));
    expect([error.kind, error.status, error.vendorCode]).toEqual(['permanent', 401, 20003]);
  });

  test('an invalid number is a permanent failure (21211)', async () => {
    const error = await failure(texter().send({ ...sms, to: '555-1234' }));
    expect([error.kind, error.status, error.vendorCode]).toEqual(['permanent', 400, 21211]);
  });

  test('a number that replied STOP is a permanent failure (21610)', async () => {
    const error = await failure(texter().send({ ...sms, to: '+15550000999' }));
    expect([error.kind, error.status, error.vendorCode]).toEqual(['permanent', 400, 21610]);
    expect(twilio.accepted).toHaveLength(0);
  });

  test('a 5xx or a 429 is retryable', async () => {
    twilio.failNext(1, 500).failNext(1, 429);
    const outage = await failure(texter().send(sms));
    expect([outage.kind, outage.status, outage.vendorCode]).toEqual(['retryable', 500, 20500]);
    const throttled = await failure(texter().send(sms));
    expect([throttled.kind, throttled.status, throttled.vendorCode]).toEqual(['retryable', 429, 20429]);
  });

  test('no connection at all is retryable', async () => {
    const gone = await new TwilioFake(twilioSid, twilioToken).start();
    await gone.stop();
    const error = await failure(texter(twilioToken, gone.url).send(sms));
    expect([error.kind, error.status]).toEqual(['retryable', undefined]);
  });
});
