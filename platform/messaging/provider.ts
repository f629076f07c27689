// What every delivery provider does, and how its failures are told apart: a retryable failure
// (vendor 5xx, 429, network) is tried again with backoff; a permanent one (bad request, bad
// credentials, recipient opted out) is not.
import type { Channel } from '../../domain/contact-policy.ts';

export interface OutboundMessage {
  id: string;
  channel: Channel;
  to: string;
  from: string;
  subject: string | null;
  body: string;
}

export interface MessageProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}

export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly vendorCode?: string | number,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export function isRetryableStatus(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}
