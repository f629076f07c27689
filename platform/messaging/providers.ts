// Chooses each channel's provider from configuration: EMAIL_PROVIDER and SMS_PROVIDER pick a vendor
// or the embedded outbox; letters always go to the outbox (a print run reads it). A vendor selected
// without its credentials is a startup error, not a stream of failed deliveries later.
import type { Config } from '../config.ts';
import { OutboxProvider } from './providers/outbox.ts';
import { SendGridEmailProvider } from './providers/sendgrid.ts';
import { TwilioSmsProvider } from './providers/twilio.ts';
import type { Channel, MessageProvider } from './providers/types.ts';

export type Providers = Record<Channel, MessageProvider>;

type ProviderConfig = Pick<Config, 'EMAIL_PROVIDER' | 'SMS_PROVIDER' | 'SENDGRID_API_KEY' | 'SENDGRID_API_URL' | 'EMAIL_FROM' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_API_URL' | 'SMS_FROM'>;

export function providersFromConfig(config: ProviderConfig): Providers {
  const outbox = new OutboxProvider();
  const email =
    config.EMAIL_PROVIDER === 'sendgrid'
      ? new SendGridEmailProvider({ apiKey: required(config.SENDGRID_API_KEY, 'SENDGRID_API_KEY'), baseUrl: config.SENDGRID_API_URL, defaultFrom: config.EMAIL_FROM })
      : outbox;
  const sms =
    config.SMS_PROVIDER === 'twilio'
      ? new TwilioSmsProvider({ accountSid: required(config.TWILIO_ACCOUNT_SID, 'TWILIO_ACCOUNT_SID'), authToken: required(config.TWILIO_AUTH_TOKEN, 'TWILIO_AUTH_TOKEN'), apiUrl: config.TWILIO_API_URL, defaultFrom: config.SMS_FROM })
      : outbox;
  return { email, sms, letter: outbox };
}

/** The sender written on a message's row when the caller names none. */
export function senderFor(config: Pick<Config, 'EMAIL_FROM' | 'SMS_FROM'>, channel: Channel): string {
  return channel === 'email' ? config.EMAIL_FROM : channel === 'sms' ? config.SMS_FROM : 'Collections department';
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} must be set when its provider is selected`);
  return value;
}
