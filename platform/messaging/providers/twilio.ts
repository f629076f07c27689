// SMS through Twilio's Messages API with the official `twilio` client. `apiUrl` (TWILIO_API_URL)
// replaces the base URL of the client's `api` domain (the public `Domain.baseUrl` field), so the
// library still builds the path, Basic auth and form body itself and only the origin changes: the
// tests point it at a local fake that checks requests as Twilio does. The library's own 429 retry
// stays off; retries belong to the queue, which backs off and keeps count.
import twilio from 'twilio';
import { DeliveryError, failureKindForStatus, isNetworkError, type MessageProvider, type OutboundMessage } from './types.ts';

export interface TwilioOptions {
  accountSid: string;
  authToken: string;
  /** Sender when a message names none (SMS_FROM): an E.164 number or a Messaging Service SID (MG…). */
  defaultFrom: string;
  /** Another origin for the API, e.g. http://127.0.0.1:4011 (tests). */
  apiUrl?: string;
  timeoutMs?: number;
}

/** Twilio's codes for a recipient who cannot or will not receive: never worth a retry. */
const permanentCodes = new Set([21211, 21408, 21610, 21612, 21614]);

export class TwilioSmsProvider implements MessageProvider {
  readonly name = 'twilio';
  private readonly client: twilio.Twilio;

  constructor(private readonly options: TwilioOptions) {
    this.client = twilio(options.accountSid, options.authToken, { autoRetry: false, timeout: options.timeoutMs ?? 30_000 });
    if (options.apiUrl) this.client.api.baseUrl = options.apiUrl;
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    const from = message.from || this.options.defaultFrom;
    const sender = from.startsWith('MG') ? { messagingServiceSid: from } : { from };
    try {
      const sent = await this.client.messages.create({ to: message.to, body: message.body, ...sender });
      return { providerMessageId: sent.sid };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

function toDeliveryError(error: unknown): DeliveryError {
  // RestException / TwilioServiceException: `status` is the HTTP status, `code` Twilio's error code.
  const { status, code } = error as { status?: unknown; code?: unknown };
  const text = error instanceof Error ? error.message : String(error);
  if (typeof status === 'number') {
    const kind = typeof code === 'number' && permanentCodes.has(code) ? 'permanent' : failureKindForStatus(status);
    return new DeliveryError(kind, `Twilio ${status}${typeof code === 'number' ? ` (${code})` : ''}: ${text}`, status, typeof code === 'number' ? code : status);
  }
  if (isNetworkError(error)) return new DeliveryError('retryable', `Twilio unreachable: ${text}`);
  return new DeliveryError('permanent', `Twilio client refused the message: ${text}`);
}
