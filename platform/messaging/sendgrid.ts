// Email through SendGrid's v3 Mail Send API, with the official @sendgrid/mail client.
// SENDGRID_API_URL points the client elsewhere (the tests' local fake checks requests as SendGrid does).
import { MailService } from '@sendgrid/mail';
import { Client } from '@sendgrid/client';
import { DeliveryError, isRetryableStatus, type MessageProvider, type OutboundMessage } from './provider.ts';

export class SendGridEmailProvider implements MessageProvider {
  readonly name = 'sendgrid';
  private readonly mail: MailService;

  constructor(apiKey: string, baseUrl?: string) {
    const client = new Client();
    client.setApiKey(apiKey);
    if (baseUrl) client.setDefaultRequest('baseUrl', baseUrl);
    this.mail = new MailService();
    this.mail.setClient(client);
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    try {
      const [response] = await this.mail.send({
        to: message.to,
        from: message.from,
        subject: message.subject ?? '(no subject)',
        text: message.body,
        customArgs: { arrears_message_id: message.id },
      });
      const id = response.headers['x-message-id'];
      return { providerMessageId: typeof id === 'string' ? id : message.id };
    } catch (error) {
      const status = (error as { code?: number }).code;
      const body = (error as { response?: { body?: { errors?: Array<{ message?: string }> } } }).response?.body;
      const detail = body?.errors?.map((e) => e.message).join('; ') || (error as Error).message;
      throw new DeliveryError(`SendGrid ${status ?? 'network error'}: ${detail}`, isRetryableStatus(typeof status === 'number' ? status : undefined), status);
    }
  }
}
