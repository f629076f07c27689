// S1, E4 "again when facts change", for the fact that changes by itself: days past due. Payments,
// reversals, adjustments, disputes and billing's reports re-segment an account as they happen
// (resegmentAccount); a debt that only grows older crosses a segment's day band with nobody touching
// it, so a scheduled pass (workers/resegmentation.ts) re-reads every account with an open case. It
// does nothing unless some active segment's criteria use days past due, reads in batches, decides in
// memory, and opens a transaction only for an account that moves (audited like any segmentation).
import type { Db } from '../platform/db/client.ts';
import { segmentFor } from '../domain/segmentation.ts';
import { auditedTransaction, systemActor } from './audit.ts';
import { accountFactsOf, accountFactsSelect, resegmentAccount, segmentRules } from './segments.ts';

/** The BullMQ queue the scheduled pass runs on (workers/resegmentation.ts; shown on the queue board). */
export const resegmentationQueueName = 'resegmentation';

export interface ResegmentationRun {
  examined: number;
  moved: number;
  /** Why nothing was read, when nothing was. */
  skipped: string | null;
}

export async function runResegmentation(db: Db, options: { now?: Date; batchSize?: number } = {}): Promise<ResegmentationRun> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  const rules = segmentRules(await db.segment.findMany({ where: { active: true }, select: { id: true, code: true, priority: true, criteria: true } }));
  if (!rules.some((r) => r.criteria.minDaysPastDue !== undefined || r.criteria.maxDaysPastDue !== undefined)) return { examined: 0, moved: 0, skipped: 'no active segment depends on days past due' };
  let examined = 0;
  let moved = 0;
  let cursor: string | undefined;
  for (;;) {
    const batch = await db.account.findMany({
      where: { cases: { some: { status: 'open' } } },
      orderBy: { id: 'asc' },
      take: batchSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
      select: accountFactsSelect,
    });
    if (batch.length === 0) break;
    for (const account of batch) {
      examined += 1;
      const match = segmentFor(rules, accountFactsOf(account, now));
      if (!match || (match.segment.id === account.segmentId && match.reason === account.segmentReason)) continue;
      await auditedTransaction(db, (tx) => resegmentAccount(tx, systemActor, account.id, now));
      moved += 1;
    }
    cursor = batch[batch.length - 1]!.id;
  }
  return { examined, moved, skipped: null };
}
