// The Idempotency-Key header on a route declared `idempotency: keys` (api/http/route.ts): the caller's
// key scoped to the caller (API key or user), the first successful answer stored and replayed with
// `Idempotent-Replayed: true`. Only successful (2xx) answers are stored: a request that fails (a 4xx
// problem or a 5xx) gives its key back, so the caller can correct it and retry with the same key.
import type { Request } from 'express';
import type { Db } from '../../platform/db/client.ts';
import type { Principal } from '../../domain/access.ts';
import { maxIdempotencyKeyLength, parseIdempotencyKey } from '../../domain/idempotency.ts';
import { claimIdempotencyKey, completeIdempotencyKey, fingerprint, releaseIdempotencyKey } from '../../services/idempotency.ts';
import { HttpProblem } from './problem.ts';
import { z } from './openapi-registry.ts';

export interface IdempotencyKeys {
  db: Db;
}

export function idempotencyKeys(db: Db): IdempotencyKeys {
  return { db };
}

export type IdempotentRequest =
  | { kind: 'none' }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'claimed'; complete(statusCode: number, body: unknown): Promise<void>; release(): Promise<void> };

/** Refuses a malformed header (400), before anything else is looked at. */
export function idempotencyKeyOf(req: Request): string | null {
  const parsed = parseIdempotencyKey(req.headers['idempotency-key']);
  if ('problem' in parsed) throw new HttpProblem(400, 'idempotency_key_invalid', parsed.problem);
  return parsed.key;
}

export async function beginIdempotentRequest(keys: IdempotencyKeys, key: string | null, principal: Principal, req: Request): Promise<IdempotentRequest> {
  if (key === null) return { kind: 'none' };
  const scope = `${principal.kind}:${principal.id}`;
  const claim = await claimIdempotencyKey(keys.db, scope, key, fingerprint(req.method, req.baseUrl + req.path, req.body ?? null));
  switch (claim.kind) {
    case 'replay':
      return claim;
    case 'key_reused':
      throw new HttpProblem(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request; use a new key');
    case 'in_progress':
      throw new HttpProblem(409, 'idempotency_in_progress', 'a request with this Idempotency-Key is still being processed; retry later');
    case 'claimed':
      return {
        kind: 'claimed',
        complete: (statusCode, body) => completeIdempotencyKey(keys.db, claim.recordId, statusCode, body),
        release: () => releaseIdempotencyKey(keys.db, claim.recordId),
      };
  }
}

/** The header as documented in the OpenAPI document. */
export const IdempotencyKeyHeader = z.object({
  'Idempotency-Key': z
    .string()
    .min(1)
    .max(maxIdempotencyKeyLength)
    .optional()
    .openapi({ description: 'Optional. A unique key per operation (a UUID, say). A repeat with the same key and request within 24 h gets the first answer again, with `Idempotent-Replayed: true`, and does nothing; the same key with another request is refused (422 `idempotency_key_reused`); a repeat while the first is running gets 409 `idempotency_in_progress`. Only successful answers are stored.', example: '6f1c2a9e-3f7b-4c1e-9a55-0d2b7e4c8a11' }),
});
