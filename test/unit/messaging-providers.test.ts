// Choosing providers from configuration and classifying failures: no network, no services.
import { describe, expect, test } from 'vitest';
import { providersFromConfig } from '../../platform/messaging/providers.ts';
import { OutboxProvider } from '../../platform/messaging/providers/outbox.ts';
import { SendGridEmailProvider } from '../../platform/messaging/providers/sendgrid.ts';
import { TwilioSmsProvider } from '../../platform/messaging/providers/twilio.ts';
import { DeliveryError, failureKindForStatus, isNetworkError } from '../../platform/messaging/providers/types.ts';

const base = { EMAIL_PROVIDER: 'outbox', SMS_PROVIDER: 'outbox', EMAIL_FROM: 'collections@example.com', SMS_FROM: '+15005550006' } as const;

describe('providersFromConfig', () => {
  test('the embedded outbox serves every channel by default', () => {
    const providers = providersFromConfig(base);
    expect(providers.email).toBeInstanceOf(OutboxProvider);
    expect(providers.sms).toBeInstanceOf(OutboxProvider);
    expect(providers.letter).toBeInstanceOf(OutboxProvider);
  });

  test('vendors are chosen per channel; letters stay in the outbox', () => {
    const providers = providersFromConfig({ ...base, EMAIL_PROVIDER: 'sendgrid', SENDGRID_API_KEY: 'SG.x', SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000', TWILIO_AUTH_TOKEN: 't' });
    expect(providers.email).toBeInstanceOf(SendGridEmailProvider);
    expect(providers.sms).toBeInstanceOf(TwilioSmsProvider);
    expect(providers.letter.name).toBe('outbox');
  });

  test('a vendor without its credentials is a startup error', () => {
    expect(() => providersFromConfig({ ...base, EMAIL_PROVIDER: 'sendgrid' })).toThrow('SENDGRID_API_KEY');
    expect(() => providersFromConfig({ ...base, SMS_PROVIDER: 'twilio', TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000000' })).toThrow('TWILIO_AUTH_TOKEN');
  });

  test('the outbox hands out a fresh id per message', async () => {
    const outbox = new OutboxProvider();
    const [a, b] = await Promise.all([outbox.send(), outbox.send()]);
    expect(a.providerMessageId).toMatch(/^outbox-[0-9a-f-]{36}$/);
    expect(a.providerMessageId).not.toBe(b.providerMessageId);
  });
});

describe('failure classification', () => {
  test('no answer, 408, 429 and 5xx are retryable; other 4xx are permanent', () => {
    expect([undefined, 408, 429, 500, 502, 503].map(failureKindForStatus)).toEqual(Array(6).fill('retryable'));
    expect([400, 401, 403, 404, 413, 422].map(failureKindForStatus)).toEqual(Array(6).fill('permanent'));
  });

  test('connection errors count as network trouble; other library errors do not', () => {
    expect(isNetworkError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isNetworkError(Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ECONNABORTED' }))).toBe(true);
    expect(isNetworkError(new Error('Provide at least one of to, cc or bcc'))).toBe(false);
    expect(isNetworkError(Object.assign(new Error('Bad Request'), { code: 400 }))).toBe(false);
  });

  test('DeliveryError tells its kind', () => {
    expect(new DeliveryError('retryable', 'x', 503)).toMatchObject({ kind: 'retryable', status: 503, name: 'DeliveryError' });
    expect(new DeliveryError('permanent', 'x', 400, 21211)).toMatchObject({ kind: 'permanent', status: 400, vendorCode: 21211, name: 'DeliveryError' });
  });
});
