// The audit trail (X2): who did what to which record, with before and after. Rows are hash-chained
// (each hash covers the row and the previous hash) and the table refuses updates and deletes, so
// tampering is evident. Writers serialise on a transaction-scoped advisory lock to keep one chain.
import { createHash } from 'node:crypto';
import type { Db, Prisma } from '../platform/db/client.ts';

export type ActorType = 'user' | 'api_key' | 'system';

export interface Actor {
  type: ActorType;
  id: string | null;
  requestId?: string | null;
}

export const systemActor: Actor = { type: 'system', id: 'system' };

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  accountId?: string | null;
  before?: unknown;
  after?: unknown;
}

const chainLockKey = 0x61756469; // "audi"
export const genesisHash = '0'.repeat(64);

/**
 * A transaction that writes audit records. It takes the chain's lock first, so every audited
 * transaction acquires its locks in the same order (chain, then rows) and two of them can never
 * deadlock over the chain. The price is that audited writes are serialised; see docs/architecture.md.
 */
export async function auditedTransaction<T>(db: Db, work: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`select pg_advisory_xact_lock(${chainLockKey})`;
    return work(tx);
  }, { maxWait: 10_000, timeout: 20_000 });
}

/**
 * The chain's head as a transaction last wrote it. Once a transaction holds the chain's lock nobody
 * else can move the head, so its later records need neither the lock nor a read of the head again:
 * two round trips saved per record (imports write five per account). A savepoint rolled back must
 * `forgetAuditHead`, since the rows it wrote are gone.
 */
const headWrittenBy = new WeakMap<object, string>();

export function forgetAuditHead(tx: Prisma.TransactionClient): void {
  headWrittenBy.delete(tx);
}

export async function recordAudit(tx: Prisma.TransactionClient, actor: Actor, entry: AuditEntry): Promise<void> {
  let prevHash = headWrittenBy.get(tx);
  if (prevHash === undefined) {
    await tx.$executeRaw`select pg_advisory_xact_lock(${chainLockKey})`;
    const last = await tx.auditLog.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
    prevHash = last?.hash ?? genesisHash;
  }
  const at = new Date();
  const row = {
    at: at.toISOString(),
    actorType: actor.type,
    actorId: actor.id,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    accountId: entry.accountId ?? null,
    before: toJsonValue(entry.before),
    after: toJsonValue(entry.after),
  };
  const hash = auditHash(prevHash, row);
  await tx.auditLog.create({
    data: {
      ...row,
      at,
      before: row.before ?? undefined,
      after: row.after ?? undefined,
      requestId: actor.requestId ?? null,
      prevHash,
      hash,
    },
  });
  headWrittenBy.set(tx, hash);
}

export function auditHash(prevHash: string, row: Record<string, unknown>): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(row)).digest('hex');
}

/** JSON with sorted keys, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Plain JSON for before/after snapshots: bigint as string, dates as ISO strings. */
export function toJsonValue(value: unknown): Prisma.InputJsonValue | null {
  if (value === undefined || value === null) return null;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))) as Prisma.InputJsonValue;
}

/** Walks the chain and reports the first row whose hash does not match its content. */
export async function verifyAuditChain(db: { auditLog: { findMany: (args: object) => Promise<Array<Record<string, unknown>>> } }): Promise<{ ok: true; rows: number } | { ok: false; brokenAt: string }> {
  let prev = genesisHash;
  let rows = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditLog.findMany({ orderBy: { id: 'asc' }, take: 1000, ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}) });
    if (batch.length === 0) return { ok: true, rows };
    for (const r of batch) {
      const row = {
        at: (r.at as Date).toISOString(),
        actorType: r.actorType,
        actorId: r.actorId,
        action: r.action,
        entityType: r.entityType,
        entityId: r.entityId,
        accountId: r.accountId,
        before: r.before ?? null,
        after: r.after ?? null,
      };
      if (r.prevHash !== prev || auditHash(prev, row) !== r.hash) return { ok: false, brokenAt: String(r.id) };
      prev = r.hash as string;
      rows += 1;
      cursor = r.id as bigint;
    }
  }
}
