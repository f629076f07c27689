// The outbox: visits recorded on this phone, kept in IndexedDB until long after they sync. Every
// change is one IndexedDB transaction, so a visit is either saved whole or not at all, and a reload
// or a crash at any moment loses nothing. The sync service moves entries between states; the pages
// record, edit and read them.
import type { VisitProblem } from '$domain/field-visits.ts';
import type { ReceiptChannel, VisitInput, VisitSyncResult } from '../api/field.ts';
import { fieldDb } from './db.ts';
import { outboxStatuses, type OutboxCounts, type OutboxEntry, type OutboxStatus, type ReceiptRequest, type VisitContext } from './outbox-types.ts';
import { problemsOf } from './visit-rules.ts';

export class VisitRefused extends Error {
  constructor(readonly problems: VisitProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

const now = () => new Date().toISOString();

/** What is stored is exactly what is sent: plain JSON (no reactive proxies, no undefined). */
function plainJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Saves a new visit as waiting. Refuses (VisitRefused) what the server would refuse, so a waiting
 * visit is one the server will take. The returned entry is what the receipt is printed from.
 */
export async function recordVisit(repId: string, given: VisitInput, context: VisitContext): Promise<OutboxEntry> {
  const visit = plainJson(given);
  const problems = problemsOf(visit);
  if (problems.length) throw new VisitRefused(problems);
  const at = now();
  const entry: OutboxEntry = { clientVisitId: visit.clientVisitId, repId, status: 'waiting', visit, context: plainJson(context), recordedAt: at, updatedAt: at, attempts: 0, lastAttemptAt: null, problems: [], reason: null, result: null, receiptRequests: [] };
  await (await fieldDb()).add('outbox', entry);
  return entry;
}

/** Whether the rep may still change the visit: anything the server does not hold yet. */
export function isEditable(entry: OutboxEntry): boolean {
  return entry.status === 'waiting' || entry.status === 'needs_fix' || entry.status === 'retry';
}

/**
 * The rep's corrected visit replaces the one the server refused (or one still waiting), and waits to
 * be sent. It keeps its ID, hence its receipt number, unless the server said the ID is taken.
 */
export async function correctVisit(clientVisitId: string, given: VisitInput): Promise<OutboxEntry> {
  const visit = plainJson(given);
  const problems = problemsOf(visit);
  if (problems.length) throw new VisitRefused(problems);
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  const entry = await tx.store.get(clientVisitId);
  if (!entry) throw new Error('this visit is no longer on the phone');
  if (!isEditable(entry)) throw new Error(entry.status === 'synced' ? 'this visit is already on the server' : 'this visit is being sent; try again in a moment');
  const idTaken = entry.problems.some((p) => p.path === 'clientVisitId');
  const corrected: OutboxEntry = { ...entry, visit: { ...visit, clientVisitId: idTaken ? crypto.randomUUID() : clientVisitId }, status: 'waiting', problems: [], reason: null, updatedAt: now() };
  if (idTaken) await tx.store.delete(clientVisitId);
  corrected.clientVisitId = corrected.visit.clientVisitId;
  await tx.store.put(corrected);
  await tx.done;
  return corrected;
}

export async function outboxEntry(clientVisitId: string): Promise<OutboxEntry | undefined> {
  return (await fieldDb()).get('outbox', clientVisitId);
}

/** The rep's visits on this phone, newest first. */
export async function repVisits(repId: string): Promise<OutboxEntry[]> {
  const entries = await (await fieldDb()).getAllFromIndex('outbox', 'byRep', repId);
  return entries.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
}

export async function accountVisits(accountId: string): Promise<OutboxEntry[]> {
  const entries = await (await fieldDb()).getAllFromIndex('outbox', 'byAccount', accountId);
  return entries.sort((a, b) => b.recordedAt.localeCompare(a.recordedAt));
}

export async function outboxCounts(repId: string): Promise<OutboxCounts> {
  const counts = Object.fromEntries(outboxStatuses.map((s) => [s, 0])) as OutboxCounts;
  for (const entry of await (await fieldDb()).getAllFromIndex('outbox', 'byRep', repId)) counts[entry.status] += 1;
  return counts;
}

/**
 * Takes up to `limit` of the rep's visits that are due to be sent (waiting first, then those to
 * retry, oldest first), skipping `exclude`, and marks them sending, in one transaction.
 */
export async function claimForSending(repId: string, limit: number, exclude: ReadonlySet<string>): Promise<OutboxEntry[]> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  const due = (await tx.store.index('byRep').getAll(repId))
    .filter((e) => (e.status === 'waiting' || e.status === 'retry') && !exclude.has(e.clientVisitId))
    .sort((a, b) => (a.status === b.status ? a.recordedAt.localeCompare(b.recordedAt) : a.status === 'waiting' ? -1 : 1))
    .slice(0, limit);
  const at = now();
  const claimed = due.map((e) => ({ ...e, status: 'sending' as const, attempts: e.attempts + 1, lastAttemptAt: at, updatedAt: at }));
  for (const entry of claimed) await tx.store.put(entry);
  await tx.done;
  return claimed;
}

/**
 * The request got no usable answer: the visits go back to waiting (no connection: nothing to explain
 * to the rep) or to retry with the reason (the server failed).
 */
export async function releaseUnsent(entries: OutboxEntry[], outcome: { status: 'waiting'; reason: null } | { status: 'retry'; reason: string }): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  for (const sent of entries) {
    const entry = await tx.store.get(sent.clientVisitId);
    if (entry?.status === 'sending') await tx.store.put({ ...entry, status: outcome.status, reason: outcome.reason ?? entry.reason, updatedAt: now() });
  }
  await tx.done;
}

/** Visits found "sending" when the app starts were cut off mid-request: send them again (the server knows repeats). */
export async function resumeInterruptedSends(): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  for (const entry of await tx.store.index('byStatus').getAll('sending')) await tx.store.put({ ...entry, status: 'waiting', updatedAt: now() });
  await tx.done;
}

/** Applies the server's answer to each visit: synced, needs a fix (with the problems) or to retry (with the reason). */
export async function applySyncResults(results: VisitSyncResult[], syncedAt: string): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  for (const result of results) {
    const entry = await tx.store.get(result.clientVisitId);
    if (!entry) continue;
    const updatedAt = now();
    if (result.status === 'rejected') {
      await tx.store.put({ ...entry, status: 'needs_fix', problems: result.problems, reason: null, updatedAt });
    } else if (result.status === 'retry') {
      await tx.store.put({ ...entry, status: 'retry', reason: result.reason, updatedAt });
    } else {
      await tx.store.put({
        ...entry,
        status: 'synced',
        problems: [],
        reason: null,
        updatedAt,
        result: { visitId: result.visitId, receiptNumber: result.receiptNumber, paymentId: result.paymentId ?? null, card: result.card ?? null, balanceAfterMinor: result.balanceAfterMinor, currency: result.currency, conflicts: result.conflicts ?? [], syncedAt, repeat: result.status === 'duplicate' || entry.result !== null },
      });
    }
  }
  await tx.done;
}

/** Problems the server found in a whole batch (a malformed request): each goes to its visit, the others wait. */
export async function refuseInBatch(entries: OutboxEntry[], problemsByIndex: Map<number, VisitProblem[]>, reason: string): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  for (const [index, sent] of entries.entries()) {
    const entry = await tx.store.get(sent.clientVisitId);
    if (entry?.status !== 'sending') continue;
    const problems = problemsByIndex.get(index);
    await tx.store.put(problems ? { ...entry, status: 'needs_fix', problems, reason: null, updatedAt: now() } : { ...entry, status: 'retry', reason, updatedAt: now() });
  }
  await tx.done;
}

/** The customer wants the receipt by email or SMS: kept with the visit, sent once it has synced. */
export async function requestReceipt(clientVisitId: string, channel: ReceiptChannel, to: string | null): Promise<ReceiptRequest> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  const entry = await tx.store.get(clientVisitId);
  if (!entry) throw new Error('this visit is no longer on the phone');
  const request: ReceiptRequest = { id: crypto.randomUUID(), channel, to: to?.trim() || null, status: 'waiting', requestedAt: now(), sentTo: null, error: null };
  await tx.store.put({ ...entry, receiptRequests: [...entry.receiptRequests, request], updatedAt: now() });
  await tx.done;
  return request;
}

export async function updateReceiptRequest(clientVisitId: string, requestId: string, change: Pick<ReceiptRequest, 'status' | 'sentTo' | 'error'>): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction('outbox', 'readwrite');
  const entry = await tx.store.get(clientVisitId);
  if (entry) await tx.store.put({ ...entry, receiptRequests: entry.receiptRequests.map((r) => (r.id === requestId ? { ...r, ...change } : r)), updatedAt: now() });
  await tx.done;
}

/** Synced visits with receipt requests still to send. */
export async function pendingReceiptRequests(repId: string): Promise<Array<{ entry: OutboxEntry; request: ReceiptRequest }>> {
  const pending: Array<{ entry: OutboxEntry; request: ReceiptRequest }> = [];
  for (const entry of await repVisits(repId)) {
    if (entry.status !== 'synced') continue;
    for (const request of entry.receiptRequests) if (request.status === 'waiting') pending.push({ entry, request });
  }
  return pending;
}

export function isOutboxStatus(value: string): value is OutboxStatus {
  return (outboxStatuses as readonly string[]).includes(value);
}
