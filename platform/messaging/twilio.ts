// SMS through Twilio's Messages API, with the official `twilio` client. TWILIO_API_URL sends the
// client's requests to another origin (the tests' local fake), keeping Twilio's paths, auth and form
// encoding exactly as the library produces them.
import twilio from 'twilio';
import { DeliveryError, isRetryableStatus, type MessageProvider, type OutboundMessage } from './provider.ts';

type RequestOptions = Parameters<InstanceType<typeof twilio.RequestClient>['request']>[0];

class RedirectingRequestClient extends twilio.RequestClient {
  constructor(private readonly origin: string) {
    super({ autoRetry: false });
  }
  override request<T>(opts: RequestOptions) {
    const url = new URL(opts.uri);
    const target = new URL(this.origin);
    url.protocol = target.protocol;
    url.host = target.host;
    return super.request<T>({ ...opts, uri: url.toString() } as never);
  }
}

export class TwilioSmsProvider implements MessageProvider {
  readonly name = 'twilio';
  private readonly client: ReturnType<typeof twilio>;

  constructor(accountSid: string, authToken: string, apiUrl?: string) {
    this.client = twilio(accountSid, authToken, apiUrl ? { httpClient: new RedirectingRequestClient(apiUrl) } : {});
  }

  async send(message: OutboundMessage): Promise<{ providerMessageId: string }> {
    try {
      const sent = await this.client.messages.create({ to: message.to, from: message.from, body: message.body });
      return { providerMessageId: sent.sid };
    } catch (error) {
      const status = (error as { status?: number }).status;
      const code = (error as { code?: number }).code;
      throw new DeliveryError(`Twilio ${status ?? 'network error'}${code ? ` (${code})` : ''}: ${(error as Error).message}`, isRetryableStatus(status), code ?? status);
    }
  }
}
