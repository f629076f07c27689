// The field app's one conversation with the server about visits (F5): it sends the outbox, applies
// the answers, sends the receipts customers asked for, and refreshes the day. It runs when the app
// opens, when the connection returns (`online`), every minute while online, and when the rep taps
// "Sync now"; one run at a time on this phone (a Web Lock spans tabs).
//
// Rules:
//   - at most 25 visits a request (the API's limit), oldest first, waiting before retry;
//   - recorded / duplicate → synced (with the visit's ID, receipt number, card answer, conflicts);
//     rejected → needs fix, with the server's problems, until the rep edits it; retry → kept, sent
//     again on the next run; a visit is sent at most once a run;
//   - no answer (offline, server down) → the visits go back as they were: nothing is ever dropped,
//     and resending is harmless because the server records each clientVisitId once;
//   - session ended (401) → stop and ask the rep to sign in; the outbox waits for them.
import type { VisitProblem } from '$domain/field-visits.ts';
import { ApiError } from '../api/client.ts';
import { fieldApi } from '../api/field.ts';
import { messageFor, refusalInServerWords } from '../messages.ts';
import { readMeta, writeMeta, deviceId, type SyncMeta } from './db.ts';
import { downloadDay } from './day.ts';
import { applySyncResults, claimForSending, outboxCounts, pendingReceiptRequests, refuseInBatch, releaseUnsent, repVisits, resumeInterruptedSends, updateReceiptRequest } from './outbox.ts';
import { outboxStatuses, type OutboxCounts, type OutboxEntry } from './outbox-types.ts';

export const syncBatchSize = 25;
const everyMinute = 60_000;

export const fieldStatus = $state({
  /** The browser says it has a network. */
  online: true,
  /** The last request reached the server (false: no connection to it, whatever the browser says). */
  reachable: true,
  syncing: false,
  lastSyncAt: null as string | null,
  lastError: null as string | null,
  /** The server ended the session: sync waits until the rep signs in again. */
  signedOut: false,
  counts: Object.fromEntries(outboxStatuses.map((s) => [s, 0])) as OutboxCounts,
  /** Bumped whenever the outbox or the day changes: pages that show them read them again. */
  revision: 0,
});

let repId: string | null = null;

/** Something changed on the phone (a visit saved, edited, synced): recount and tell the pages. */
export async function outboxChanged(): Promise<void> {
  if (repId) fieldStatus.counts = await outboxCounts(repId);
  fieldStatus.revision += 1;
}

/** Waiting to reach the server: everything not synced yet. */
export function unsentCount(counts: OutboxCounts = fieldStatus.counts): number {
  return counts.waiting + counts.sending + counts.retry + counts.needs_fix;
}

let running: Promise<void> | null = null;
let again = false;

/** Runs a sync now (or right after the one under way). Resolves when done; never throws. */
export function syncNow(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await withSyncLock(runSync);
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function withSyncLock(work: () => Promise<void>): Promise<void> {
  if (typeof navigator !== 'undefined' && navigator.locks) await navigator.locks.request('arrears-field-sync', work);
  else await work();
}

async function runSync(): Promise<void> {
  const rep = repId;
  if (!rep || fieldStatus.signedOut) return;
  fieldStatus.syncing = true;
  const attemptAt = new Date().toISOString();
  let error: string | null = null;
  try {
    const device = await deviceId();
    // Inside the lock no other tab is sending: a visit still marked sending was cut off; send it again.
    await resumeInterruptedSends();
    const tried = new Set<string>();
    for (;;) {
      const batch = await claimForSending(rep, syncBatchSize, tried);
      if (batch.length === 0) break;
      await outboxChanged();
      for (const entry of batch) tried.add(entry.clientVisitId);
      error = await sendBatch(device, batch);
      await outboxChanged();
      if (error) break;
    }
    if (!error) error = await sendReceiptRequests(rep);
    if (!error) await learnCompanyName(rep);
    if (!error) {
      await downloadDay();
      fieldStatus.reachable = true;
      fieldStatus.revision += 1;
    }
  } catch (caught) {
    if (caught instanceof ApiError && caught.code === 'network_error') fieldStatus.reachable = false;
    error = failureText(caught);
  } finally {
    fieldStatus.syncing = false;
    fieldStatus.lastError = error;
    if (!error) fieldStatus.lastSyncAt = attemptAt;
    const meta: SyncMeta = { lastSyncAt: fieldStatus.lastSyncAt, lastAttemptAt: attemptAt, lastError: error };
    await writeMeta('sync', meta).catch(() => {});
    await outboxChanged();
  }
}

/** Sends one batch and applies the answer: null when answered, otherwise why there is no answer to apply. */
async function sendBatch(device: string, batch: OutboxEntry[]): Promise<string | null> {
  try {
    const answer = await fieldApi.sync({ deviceId: device, visits: batch.map((e) => e.visit) });
    fieldStatus.reachable = true;
    await applySyncResults(answer.results, answer.syncedAt);
    // A visit the answer did not mention (it should not happen) waits for the next run.
    const answered = new Set(answer.results.map((r) => r.clientVisitId));
    const missing = batch.filter((e) => !answered.has(e.clientVisitId));
    if (missing.length) await releaseUnsent(missing, { status: 'retry', reason: 'the server did not answer for this visit' });
    return null;
  } catch (error) {
    // The request's schema refused it as a whole (400): each problem names its visit by index.
    if (error instanceof ApiError && error.code === 'validation_failed') {
      const byVisit = problemsByVisit(error);
      await refuseInBatch(batch, byVisit, byVisit.size ? 'another visit in the same request was refused; sent again on the next sync' : `the server refused the request: ${error.detail}`);
      return null;
    }
    if (error instanceof ApiError && error.code === 'network_error') {
      fieldStatus.reachable = false;
      await releaseUnsent(batch, { status: 'waiting', reason: null });
    } else {
      if (error instanceof ApiError && error.status === 401) fieldStatus.signedOut = true;
      await releaseUnsent(batch, { status: 'retry', reason: failureText(error) });
    }
    return failureText(error);
  }
}

/** The schema's errors name the visit by its index in the batch: `body.visits.3.payment.amountMinor`. */
function problemsByVisit(error: ApiError): Map<number, VisitProblem[]> {
  const byIndex = new Map<number, VisitProblem[]>();
  for (const e of error.errors) {
    const match = /^(?:body\.)?visits\.(\d+)\.?(.*)$/.exec(e.path);
    if (!match) continue;
    const index = Number(match[1]);
    byIndex.set(index, [...(byIndex.get(index) ?? []), { path: match[2] || 'visit', code: 'invalid', message: e.message }]);
  }
  return byIndex;
}

/** Receipts the customers asked for by email or SMS, for visits now on the server. */
async function sendReceiptRequests(rep: string): Promise<string | null> {
  for (const { entry, request } of await pendingReceiptRequests(rep)) {
    try {
      const sent = await fieldApi.sendReceipt(entry.result!.visitId, { channel: request.channel, to: request.to });
      await updateReceiptRequest(entry.clientVisitId, request.id, { status: 'sent', sentTo: sent.to, error: null });
    } catch (error) {
      if (error instanceof ApiError && (error.code === 'network_error' || error.status >= 500 || error.status === 401 || error.status === 429)) return failureText(error);
      // The server will not send it as asked (no address on file, opted out…): the rep must choose again.
      await updateReceiptRequest(entry.clientVisitId, request.id, { status: 'failed', sentTo: null, error: refusalInServerWords(error) });
    }
    await outboxChanged();
  }
  return null;
}

/**
 * The company's name heads a receipt; the day carries it (a day cached before it did, not): read it
 * from a server receipt once if it is still missing, so that receipts printed offline are headed like the server's.
 */
async function learnCompanyName(rep: string): Promise<void> {
  if (await readMeta('companyName')) return;
  const synced = (await repVisits(rep)).find((e) => e.result);
  if (!synced?.result) return;
  const receipt = await fieldApi.receipt(synced.result.visitId).catch(() => null);
  if (receipt?.heading[0]) await writeMeta('companyName', receipt.heading[0]);
}

function failureText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'network_error') return 'No connection to the server.';
  if (error instanceof ApiError && error.status === 401) return 'Your session has ended: sign in again to send your visits. They are safe on this phone.';
  return messageFor(error);
}

/**
 * Starts the field app's background work for a signed-in rep: sync runs now, when the connection returns and every minute while online. Returns a stop.
 */
export function startFieldSync(rep: string): () => void {
  repId = rep;
  fieldStatus.signedOut = false;
  fieldStatus.online = navigator.onLine;
  const wentOnline = () => {
    fieldStatus.online = true;
    void syncNow();
  };
  const wentOffline = () => {
    fieldStatus.online = false;
  };
  addEventListener('online', wentOnline);
  addEventListener('offline', wentOffline);
  const timer = setInterval(() => {
    if (navigator.onLine) void syncNow();
  }, everyMinute);
  void (async () => {
    const meta = await readMeta('sync');
    if (meta) {
      fieldStatus.lastSyncAt = meta.lastSyncAt;
      fieldStatus.lastError = meta.lastError;
    }
    await outboxChanged();
    if (navigator.onLine) await syncNow();
  })();
  return () => {
    removeEventListener('online', wentOnline);
    removeEventListener('offline', wentOffline);
    clearInterval(timer);
    if (repId === rep) repId = null;
  };
}

/** The rep signed in again after the session ended: sync may resume. */
export function sessionRestored(): void {
  fieldStatus.signedOut = false;
}
