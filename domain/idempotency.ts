// The Idempotency-Key header's rules (billing API): what a key may look like, and what a repeat of a
// key gets. Pure: services/idempotency.ts keeps the records, api/http/idempotency.ts speaks HTTP.

/** A stored answer may be replayed for this long; after it the key may be used afresh (and the record cleaned up). */
export const idempotencyKeyLifetimeMs = 24 * 60 * 60 * 1000;
/** A first request still unfinished after this long is taken to have died with its process: the key may be claimed again. */
export const abandonedAfterMs = 5 * 60 * 1000;
export const maxIdempotencyKeyLength = 255;

/** The key from the header, `null` when absent, or a problem with it. */
export function parseIdempotencyKey(header: string | string[] | undefined): { key: string | null } | { problem: string } {
  if (header === undefined) return { key: null };
  if (Array.isArray(header)) return { problem: 'send one Idempotency-Key header' };
  const key = header.trim();
  if (key.length === 0) return { problem: 'the Idempotency-Key header is empty' };
  if (key.length > maxIdempotencyKeyLength) return { problem: `an Idempotency-Key is at most ${maxIdempotencyKeyLength} characters` };
  if (!/^[\x21-\x7e]+$/.test(key)) return { problem: 'an Idempotency-Key is printable ASCII without spaces' };
  return { key };
}

export interface RequestFingerprint {
  method: string;
  path: string;
  requestHash: string;
}

export interface RecordedKey extends RequestFingerprint {
  createdAt: Date;
  completedAt: Date | null;
}

export type RepeatDecision =
  /** Same request, answered: send the stored answer again. */
  | 'replay'
  /** The key was used for another request: refuse. */
  | 'key_reused'
  /** The first request is still running: ask the caller to retry later. */
  | 'in_progress'
  /** The record has expired (or its request was abandoned): claim the key for this request. */
  | 'claim_again';

export function decideRepeat(recorded: RecordedKey, request: RequestFingerprint, now: Date): RepeatDecision {
  const age = now.getTime() - recorded.createdAt.getTime();
  if (age >= idempotencyKeyLifetimeMs) return 'claim_again';
  const same = recorded.method === request.method && recorded.path === request.path && recorded.requestHash === request.requestHash;
  if (!same) return 'key_reused';
  if (recorded.completedAt) return 'replay';
  return age >= abandonedAfterMs ? 'claim_again' : 'in_progress';
}
