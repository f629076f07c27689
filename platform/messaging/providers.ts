// Chooses each channel's provider from configuration. Letters always go to the outbox (print run).
import type { Channel } from '../../domain/contact-policy.ts';
import type { Config } from '../config.ts';
import { OutboxProvider } from './outbox.ts';
import type { MessageProvider } from './provider.ts';
import { SendGridEmailProvider } from './sendgrid.ts';
import { TwilioSmsProvider } from './twilio.ts';

export type Providers = Record<Channel, MessageProvider>;

export function providersFromConfig(config: Config): Providers {
  const outbox = new OutboxProvider();
  const email = config.EMAIL_PROVIDER === 'sendgrid' ? new SendGridEmailProvider(required(config.SENDGRID_API_KEY, 'SENDGRID_API_KEY'), config.SENDGRID_API_URL) : outbox;
  const sms =
    config.SMS_PROVIDER === 'twilio'
      ? new TwilioSmsProvider(required(config.TWILIO_ACCOUNT_SID, 'TWILIO_ACCOUNT_SID'), required(config.TWILIO_AUTH_TOKEN, 'TWILIO_AUTH_TOKEN'), config.TWILIO_API_URL)
      : outbox;
  return { email, sms, letter: outbox };
}

export function senderFor(config: Config, channel: Channel): string {
  return channel === 'email' ? config.EMAIL_FROM : channel === 'sms' ? config.SMS_FROM : 'Collections department';
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} must be set when its provider is selected`);
  return value;
}
