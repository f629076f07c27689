// Re-segmentation as debts grow older (S1, E4: "again when facts change"): the scheduled pass moves an
// account whose days past due crossed a segment's band, audited with the reason; accounts that stay
// put are not written; with no segment on days past due nothing is read; the worker schedules it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { Queue } from 'bullmq';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/database.ts';
import { createAccountInArrears, createBranch } from '../support/fixtures.ts';
import { resegmentationQueueName, runResegmentation } from '../../services/resegmentation.ts';
import { startResegmentationWorker } from '../../workers/resegmentation.ts';
import { createLogger } from '../../platform/logger.ts';

let database: TestDatabase;
let branchId: string;
const db = () => database.db;

beforeAll(async () => {
  database = await createTestDatabase();
  branchId = (await createBranch(db())).id;
});
afterAll(async () => database?.drop());

describe('re-segmentation as days pass', () => {
  test('with no segment on days past due the pass reads nothing', async () => {
    await db().segment.create({ data: { code: 'ANY', name: 'Everyone', criteria: {}, priority: 100 } });
    expect(await runResegmentation(db())).toEqual({ examined: 0, moved: 0, skipped: 'no active segment depends on days past due' });
  });

  test('an account that crosses the 60-day band moves, audited with the reason; one that does not is not written', async () => {
    const early = await db().segment.create({ data: { code: 'EARLY', name: 'Early', criteria: { maxDaysPastDue: 59 }, priority: 10 } });
    const late = await db().segment.create({ data: { code: 'LATE', name: 'Late', criteria: { minDaysPastDue: 60 }, priority: 10 } });
    const ageing = await createAccountInArrears(db(), { branchId, daysPastDue: 58, timeZone: 'UTC', segmentId: early.id });
    const young = await createAccountInArrears(db(), { branchId, daysPastDue: 10, timeZone: 'UTC', segmentId: early.id });
    await db().account.updateMany({ where: { id: { in: [ageing.id, young.id] } }, data: { segmentReason: 'days past due ≤ 59' } });

    const today = await runResegmentation(db(), { batchSize: 1 });
    expect(today).toMatchObject({ moved: 0, skipped: null });
    expect(today.examined).toBeGreaterThanOrEqual(2);

    const inThreeDays = await runResegmentation(db(), { now: new Date(Date.now() + 3 * 86_400_000), batchSize: 1 });
    expect(inThreeDays.moved).toBe(1);
    expect(await db().account.findUniqueOrThrow({ where: { id: ageing.id } })).toMatchObject({ segmentId: late.id, segmentReason: 'days past due ≥ 60' });
    expect(await db().account.findUniqueOrThrow({ where: { id: young.id } })).toMatchObject({ segmentId: early.id });
    const audit = await db().auditLog.findFirstOrThrow({ where: { accountId: ageing.id, action: 'account.segmented' } });
    expect(audit.after).toEqual({ segmentId: late.id, segment: 'LATE', reason: 'days past due ≥ 60' });
    // Run again: nothing left to move.
    expect((await runResegmentation(db(), { now: new Date(Date.now() + 3 * 86_400_000) })).moved).toBe(0);
  });

  test('the worker schedules one pass per period', async () => {
    const redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
    const prefix = `reseg-${randomBytes(3).toString('hex')}`;
    const worker = await startResegmentationWorker({ connection: redis, db: db(), logger: createLogger('test', 'silent'), everyHours: 24, prefix });
    const queue = new Queue(resegmentationQueueName, { connection: redis, prefix });
    try {
      expect(await queue.getJobScheduler('resegmentation-pass')).toMatchObject({ every: 24 * 3_600_000 });
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    }
  });
});
