// Webhook signatures: `Arrears-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`,
// the scheme Stripe made familiar. Each endpoint's secret is derived from WEBHOOK_SIGNING_SECRET and
// its id, so no secret is stored; receivers get theirs once, when the endpoint is created.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const signatureHeader = 'Arrears-Signature';

export function endpointSecret(masterSecret: string, endpointId: string): string {
  return `whsec_${createHmac('sha256', masterSecret).update(`webhook-endpoint:${endpointId}`).digest('base64url')}`;
}

export function signPayload(secret: string, body: string, timestampSeconds: number): string {
  const mac = createHmac('sha256', secret).update(`${timestampSeconds}.${body}`).digest('hex');
  return `t=${timestampSeconds},v1=${mac}`;
}

/** What a receiver does: recompute the MAC over the raw body and refuse stale timestamps (replays). */
export function verifySignature(secret: string, body: string, header: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const t = Number(parts.t);
  if (!Number.isFinite(t) || Math.abs(nowSeconds - t) > toleranceSeconds || !parts.v1) return false;
  const expected = Buffer.from(signPayload(secret, body, t).split('v1=')[1]!, 'hex');
  const given = Buffer.from(parts.v1, 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}
