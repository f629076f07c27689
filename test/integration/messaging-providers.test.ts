// The SendGrid and Twilio providers, through the vendors' real client libraries, against local
// fakes that check each request as the vendor's API would.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SendGridEmailProvider } from '../../platform/messaging/sendgrid.ts';
import { TwilioSmsProvider } from '../../platform/messaging/twilio.ts';
import { DeliveryError } from '../../platform/messaging/provider.ts';
import { sendGridFake } from '../fakes/sendgrid-fake.ts';
import { twilioFake } from '../fakes/twilio-fake.ts';
import type { HttpFake } from '../fakes/http-fake.ts';

const sendgridKey = 'SG.test-key';
const twilioSid = 'AC0123456789abcdef0123456789abcdef';
const twilioToken = 'test-auth-token';
let sendgrid: HttpFake;
let twilio: HttpFake;

beforeAll(async () => {
  sendgrid = await sendGridFake(sendgridKey).start();
  twilio = await twilioFake(twilioSid, twilioToken, new Set(['+15550000999'])).start();
});
afterAll(async () => {
  await sendgrid?.stop();
  await twilio?.stop();
});

const email = { id: 'm1', channel: 'email' as const, to: 'jane@example.net', from: 'collections@example.com', subject: 'Your balance is overdue', body: 'Please pay.' };
const sms = { id: 'm2', channel: 'sms' as const, to: '+15550000123', from: '+15005550006', subject: null, body: 'Your payment is overdue. Reply STOP to opt out.' };

async function failure(promise: Promise<unknown>): Promise<DeliveryError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}

describe('SendGrid provider', () => {
  test('sends a mail the v3 API accepts and returns its message id', async () => {
    const result = await new SendGridEmailProvider(sendgridKey, sendgrid.url).send(email);
    expect(result.providerMessageId).toMatch(/^[\w-]{10,}$/);
    const request = JSON.parse(sendgrid.accepted.at(-1)!.body);
    expect(request.personalizations[0].to[0].email).toBe('jane@example.net');
    expect(request.from.email).toBe('collections@example.com');
    expect(request.content[0]).toEqual({ type: 'text/plain', value: 'Please pay.' });
  });

  test('a wrong API key is a permanent failure', async () => {
    const error = await failure(new SendGridEmailProvider('SG.wrong', sendgrid.url).send(email));
    expect(error.retryable).toBe(false);
    expect(error.vendorCode).toBe(401);
  });

  test('an invalid recipient is a permanent failure with SendGrid’s reason', async () => {
    const error = await failure(new SendGridEmailProvider(sendgridKey, sendgrid.url).send({ ...email, to: 'not-an-address' }));
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('valid address');
  });

  test('a 5xx or 429 is retryable', async () => {
    sendgrid.failNext(1, 503);
    expect((await failure(new SendGridEmailProvider(sendgridKey, sendgrid.url).send(email))).retryable).toBe(true);
    sendgrid.failNext(1, 429);
    expect((await failure(new SendGridEmailProvider(sendgridKey, sendgrid.url).send(email))).retryable).toBe(true);
  });
});

describe('Twilio provider', () => {
  test('sends an SMS the Messages API accepts and returns its SM sid', async () => {
    const result = await new TwilioSmsProvider(twilioSid, twilioToken, twilio.url).send(sms);
    expect(result.providerMessageId).toMatch(/^SM[0-9a-f]{32}$/);
    const form = new URLSearchParams(twilio.accepted.at(-1)!.body);
    expect(form.get('To')).toBe('+15550000123');
    expect(form.get('Body')).toContain('Reply STOP');
  });

  test('wrong credentials, an invalid number and a STOPped recipient are permanent failures', async () => {
    const badAuth = await failure(new TwilioSmsProvider(twilioSid, 'wrong', twilio.url).send(sms));
    expect([badAuth.retryable, badAuth.vendorCode]).toEqual([false, 20003]);
    const badNumber = await failure(new TwilioSmsProvider(twilioSid, twilioToken, twilio.url).send({ ...sms, to: '555-1234' }));
    expect([badNumber.retryable, badNumber.vendorCode]).toEqual([false, 21211]);
    const stopped = await failure(new TwilioSmsProvider(twilioSid, twilioToken, twilio.url).send({ ...sms, to: '+15550000999' }));
    expect([stopped.retryable, stopped.vendorCode]).toEqual([false, 21610]);
  });

  test('a 5xx is retryable', async () => {
    twilio.failNext(1, 500, { code: 20500, message: 'Internal Server Error', status: 500 });
    expect((await failure(new TwilioSmsProvider(twilioSid, twilioToken, twilio.url).send(sms))).retryable).toBe(true);
  });
});
