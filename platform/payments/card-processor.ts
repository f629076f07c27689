// The merchant's card processor (F9), behind one interface: the field app encrypts the card on the
// phone with the processor's public key (client-side encryption, as Adyen and Braintree offer it),
// so that a card can be taken with no signal and Arrears never sees or stores the number; the server
// sends the ciphertext to the processor when the visit syncs, with the visit's ID as the idempotency
// key, so a visit synced twice is charged once.
//
// `httpCardProcessor` speaks the processor API that `sandbox-processor.ts` serves (the embedded
// default and the tests' processor). A real processor is another implementation of `CardProcessor`.

import type { PublicJwk } from './jwk.ts';

export interface CardClientConfig {
  processor: string;
  /** How the phone encrypts the card: RSA-OAEP with SHA-256 over the JSON of `CardData`. */
  algorithm: 'RSA-OAEP-256';
  keyId: string;
  publicKeyJwk: PublicJwk;
}

export interface CardChargeRequest {
  /** Base64 ciphertext from the phone. */
  encryptedCard: string;
  keyId: string;
  amountMinor: bigint;
  currency: string;
  /** The same key charges once, however often it is sent (the visit's client ID). */
  idempotencyKey: string;
  /** Shown on the merchant's statement lines and reports (the receipt number). */
  reference: string;
}

export type CardChargeResult =
  | { status: 'approved'; processorRef: string; brand: string; last4: string }
  | { status: 'declined'; processorRef: string | null; declineCode: string; declineMessage: string; brand: string | null; last4: string | null };

export interface CardProcessor {
  readonly name: string;
  clientConfig(): Promise<CardClientConfig>;
  charge(request: CardChargeRequest): Promise<CardChargeResult>;
}

/** The processor could not be reached or answered with an error of its own (not a decline): try again later. */
export class CardProcessorUnavailable extends Error {
  constructor(message: string, readonly retryable: boolean) {
    super(message);
    this.name = 'CardProcessorUnavailable';
  }
}

interface ChargeResponse {
  id: string;
  status: 'succeeded' | 'failed';
  card: { brand: string; last4: string } | null;
  failure_code?: string;
  failure_message?: string;
}

export function httpCardProcessor(options: { baseUrl: string; secretKey: string; name?: string; timeoutMs?: number; keyTtlMs?: number }): CardProcessor {
  const base = options.baseUrl.replace(/\/$/, '');
  const call = async (path: string, init: RequestInit) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(options.timeoutMs ?? 15_000) });
    } catch (error) {
      throw new CardProcessorUnavailable(`the card processor did not answer: ${error instanceof Error ? error.message : String(error)}`, true);
    }
    const body = (await response.json().catch(() => null)) as unknown;
    if (!response.ok) {
      const message = (body as { error?: { message?: string } } | null)?.error?.message ?? `HTTP ${response.status}`;
      throw new CardProcessorUnavailable(`the card processor refused the request: ${message}`, response.status >= 500 || response.status === 429);
    }
    return body;
  };
  // Every phone's day download carries the key, and keys change seldom: asked for again after a while, not each time.
  let key: { config: CardClientConfig; at: number } | null = null;
  const keyTtlMs = options.keyTtlMs ?? 10 * 60_000;
  return {
    name: options.name ?? 'sandbox',
    async clientConfig() {
      if (key && Date.now() - key.at < keyTtlMs) return key.config;
      const body = (await call('/v1/client-key', { headers: { authorization: `Bearer ${options.secretKey}` } })) as { key_id: string; algorithm: 'RSA-OAEP-256'; public_key_jwk: PublicJwk };
      key = { config: { processor: options.name ?? 'sandbox', algorithm: body.algorithm, keyId: body.key_id, publicKeyJwk: body.public_key_jwk }, at: Date.now() };
      return key.config;
    },
    async charge(request) {
      const body = (await call('/v1/charges', {
        method: 'POST',
        headers: { authorization: `Bearer ${options.secretKey}`, 'content-type': 'application/json', 'idempotency-key': request.idempotencyKey },
        body: JSON.stringify({ amount: Number(request.amountMinor), currency: request.currency.toLowerCase(), encrypted_card: request.encryptedCard, key_id: request.keyId, reference: request.reference }),
      })) as ChargeResponse;
      if (body.status === 'succeeded') return { status: 'approved', processorRef: body.id, brand: body.card?.brand ?? 'Card', last4: body.card?.last4 ?? '' };
      return { status: 'declined', processorRef: body.id ?? null, declineCode: body.failure_code ?? 'declined', declineMessage: body.failure_message ?? 'The card was declined', brand: body.card?.brand ?? null, last4: body.card?.last4 ?? null };
    },
  };
}
