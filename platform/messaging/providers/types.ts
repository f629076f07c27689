// What every delivery provider does, and how its failures are told apart. The queue acts on the
// difference: a retryable failure (vendor 5xx, 408, 429, network trouble) is tried again with
// backoff; a permanent one (bad request, bad credentials, invalid or unsubscribed recipient) is not,
// because sending the same request again would be refused again.
import type { Channel } from '../../../domain/contact-policy.ts';

export type { Channel };

export interface OutboundMessage {
  /** The Message row's id; providers pass it on where the vendor allows (custom args). */
  id: string;
  channel: Channel;
  to: string;
  /** Empty: the provider's configured sender (EMAIL_FROM, SMS_FROM). */
  from: string;
  subject: string | null;
  /** Sent as is: the opt-out notice is already in it (domain/contact-policy.ts#withOptOutNotice). */
  body: string;
}

export interface MessageProvider {
  readonly name: string;
  send(message: OutboundMessage): Promise<{ providerMessageId: string }>;
}

export type DeliveryFailureKind = 'retryable' | 'permanent';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    readonly kind: DeliveryFailureKind,
    message: string,
    /** HTTP status of the vendor's answer; absent when there was none (network). */
    readonly status?: number,
    /** The vendor's own error code when it gives one (Twilio 21211, 21610 …), else the HTTP status. */
    readonly vendorCode?: string | number,
  ) {
    super(message);
  }
}

/** No answer, a timeout, a 408, a 429 or a 5xx may succeed later; any other 4xx will not. */
export function failureKindForStatus(status: number | undefined): DeliveryFailureKind {
  if (status === undefined || status === 408 || status === 429 || status >= 500) return 'retryable';
  return 'permanent';
}

const networkErrorCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_NETWORK', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

/**
 * A client library's error without an HTTP answer: retryable if the request never got through
 * (connection refused, reset, timed out), permanent if the library refused our input before sending.
 */
export function isNetworkError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && networkErrorCodes.has(code);
}
