// Email through SendGrid's v3 Mail Send API with the official @sendgrid/mail client. The client is
// our own instance (not the library's global), so its key and base URL are this provider's alone.
// `baseUrl` (SENDGRID_API_URL) points it at another origin: the tests' local fake, which checks
// requests as SendGrid does. `@sendgrid/client` has no timeout by default; a hung connection would
// hold a queue slot for ever, so one is set.
import { Client } from '@sendgrid/client';
import { MailService } from '@sendgrid/mail';
import { DeliveryError, failureKindForStatus, isNetworkError, type MessageProvider, type OutboundMessage } from './types.ts';

export interface SendGridOptions {
  apiKey: string;
  /** Sender when a message names none (EMAIL_FROM). */
  defaultFrom: string;
  /** Another origin for the API, e.g. http://127.0.0.1:4010 (tests). */
  baseUrl?: string;
  timeoutMs?: number;
}

export class SendGridEmailProvider implements MessageProvider {
  readonly name = 'sendgrid';
  private readonly mail = new MailService();

  constructor(private readonly options: SendGridOptions) {
    const client = new Client();
    client.setApiKey(options.apiKey); // resets the base URL to SendGrid's, so the override comes after
    if (options.baseUrl) client.setDefaultRequest('baseUrl', options.baseUrl);
    this.mail.setClient(client);
    this.mail.setTimeout(options.timeoutMs ?? 30_000);
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    try {
      const [response] = await this.mail.send({
        to: message.to,
        from: message.from || this.options.defaultFrom,
        subject: message.subject || '(no subject)', // SendGrid refuses a mail without one
        text: message.body,
        customArgs: { arrears_message_id: message.id },
      });
      const id = response.headers['x-message-id'];
      return { providerMessageId: typeof id === 'string' && id ? id : message.id };
    } catch (error) {
      throw toDeliveryError(error);
    }
  }
}

function toDeliveryError(error: unknown): DeliveryError {
  // ResponseError: `code` is the HTTP status, `response.body` SendGrid's `{ errors: [{ message, field }] }`.
  const status = (error as { code?: unknown }).code;
  if (typeof status === 'number') {
    const errors = (error as { response?: { body?: { errors?: Array<{ message?: string; field?: string | null }> } } }).response?.body?.errors ?? [];
    const detail = errors.map((e) => (e.field ? `${e.field}: ${e.message}` : e.message)).join('; ') || (error as Error).message;
    return new DeliveryError(failureKindForStatus(status), `SendGrid ${status}: ${detail}`, status, status);
  }
  const text = error instanceof Error ? error.message : String(error);
  if (isNetworkError(error)) return new DeliveryError('retryable', `SendGrid unreachable: ${text}`);
  return new DeliveryError('permanent', `SendGrid client refused the message: ${text}`);
}
