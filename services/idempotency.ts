// Idempotency-Key records: the first request with a key claims it; its answer is stored once it
// succeeds; repeats are decided by domain/idempotency.ts. Records older than 24 h are claimed afresh
// (`deleteExpiredIdempotencyRecords` cleans them up in bulk).
import { createHash } from 'node:crypto';
import { Prisma, type Db } from '../platform/db/client.ts';
import { decideRepeat, idempotencyKeyLifetimeMs, type RequestFingerprint } from '../domain/idempotency.ts';
import { canonicalJson, toJsonValue } from './audit.ts';

export type KeyClaim =
  | { kind: 'claimed'; recordId: string }
  | { kind: 'replay'; statusCode: number; body: unknown }
  | { kind: 'key_reused' }
  | { kind: 'in_progress' };

/** The request's fingerprint: method, path and a hash of its JSON body (key order does not matter). */
export function fingerprint(method: string, path: string, body: unknown): RequestFingerprint {
  return { method: method.toUpperCase(), path, requestHash: createHash('sha256').update(canonicalJson(body ?? null)).digest('hex') };
}

export async function claimIdempotencyKey(db: Db, scope: string, key: string, request: RequestFingerprint, now = new Date()): Promise<KeyClaim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const created = await db.idempotencyRecord.create({ data: { scope, key, ...request, createdAt: now } });
      return { kind: 'claimed', recordId: created.id };
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
    }
    const recorded = await db.idempotencyRecord.findUnique({ where: { scope_key: { scope, key } } });
    if (!recorded) continue; // released meanwhile: try to create it again
    const decision = decideRepeat(recorded, request, now);
    if (decision === 'replay') return { kind: 'replay', statusCode: recorded.statusCode!, body: recorded.responseBody };
    if (decision === 'key_reused' || decision === 'in_progress') return { kind: decision };
    // Expired or abandoned: take it over, unless another request just did (then look again).
    const taken = await db.idempotencyRecord.updateMany({
      where: { id: recorded.id, createdAt: recorded.createdAt },
      data: { ...request, createdAt: now, completedAt: null, statusCode: null, responseBody: Prisma.DbNull },
    });
    if (taken.count === 1) return { kind: 'claimed', recordId: recorded.id };
  }
  return { kind: 'in_progress' };
}

export async function completeIdempotencyKey(db: Db, recordId: string, statusCode: number, body: unknown): Promise<void> {
  const json = toJsonValue(body);
  await db.idempotencyRecord.update({ where: { id: recordId }, data: { statusCode, responseBody: json ?? Prisma.DbNull, completedAt: new Date() } });
}

/** A failed request gives its key back: the caller may fix the request and send it again with the same key. */
export async function releaseIdempotencyKey(db: Db, recordId: string): Promise<void> {
  await db.idempotencyRecord.deleteMany({ where: { id: recordId, completedAt: null } });
}

export async function deleteExpiredIdempotencyRecords(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.idempotencyRecord.deleteMany({ where: { createdAt: { lt: new Date(now.getTime() - idempotencyKeyLifetimeMs) } } });
  return count;
}
