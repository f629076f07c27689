// The case workflow on Temporal's time-skipping test server, with its real activities writing to a
// real PostgreSQL and queueing real messages: the reference strategy S5 day by day, promises kept
// and broken, and contact hours. Weeks pass in seconds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Worker } from '@temporalio/worker';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from '../../workers/temporal-worker.ts';
import { caseSnapshotQuery, paymentReceivedSignal, recordPromiseUpdate } from '../../workflows/messages.ts';
import { postPayment } from '../../services/payments.ts';
import { openDispute, resolveDispute } from '../../services/disputes.ts';
import { addDays, localMidnight } from '../../domain/case-schedule.ts';
import { billing, billingActor as actor, startCaseHarness, type CaseHarness } from '../support/case-harness.ts';
import { eventually } from '../support/system.ts';

const historiesDir = path.join(import.meta.dirname, '..', 'fixtures', 'histories');
let harness: CaseHarness;
const timeZone = 'America/Chicago';

beforeAll(async () => {
  harness = await startCaseHarness({ timeZone });
});
afterAll(async () => harness?.stop());

const db = () => harness.database.db;
const workflows = () => harness.workflows();
const openCase = (amountMinor: bigint) => harness.openCase(amountMinor);
const skipTo = (dueDate: string, day: number, hour = 12) => harness.skipTo(dueDate, day, hour);

async function withWorker<T>(body: () => Promise<T>): Promise<T> {
  return body();
}

const count = {
  messages: (caseId: string, step: string) => db().message.count({ where: { idempotencyKey: `step:${caseId}:${step}` } }),
  tasks: (caseId: string) => db().task.count({ where: { caseId } }),
  audits: (accountId: string, action: string) => db().auditLog.count({ where: { accountId, action } }),
};

describe('the reference strategy S5, day by day', () => {
  test('day 5 email, day 15 call, a promise, day 21 broken → suspended with notice, day 25 paid → resumed, each exactly once', async () => {
    await withWorker(async () => {
      const c = await openCase(12_550n);
      const caseId = c.caseId!;
      expect(await c.handle.query(caseSnapshotQuery)).toMatchObject({
        status: 'open',
        stage: 'soft',
        daysPastDue: 1,
        stagesBeforeLegal: null, // S5 takes no legal action
        // Planned for 08:00 local on day 5: the day's start, moved to contact hours.
        nextStep: { id: 'reminder_email', dueAt: new Date(localMidnight(addDays(c.dueDate, 5), timeZone).getTime() + 8 * 3_600_000).toISOString() },
      });

      await skipTo(c.dueDate, 4);
      expect(await count.messages(caseId, 'reminder_email')).toBe(0);
      await skipTo(c.dueDate, 5, 9);
      const reminder = await db().message.findUniqueOrThrow({ where: { idempotencyKey: `step:${caseId}:reminder_email` } });
      expect(reminder).toMatchObject({ channel: 'email', status: 'queued' });
      expect(reminder.subject).toContain(c.ref);
      expect(await count.tasks(caseId)).toBe(0);

      await skipTo(c.dueDate, 15, 10);
      const tasks = await db().task.findMany({ where: { caseId } });
      expect(tasks).toHaveLength(1);
      expect(tasks[0]).toMatchObject({ kind: 'call', status: 'open' });
      expect((await c.handle.query(caseSnapshotQuery)).stage).toBe('hard');

      // The collector reaches the customer, who agrees to pay within 5 days.
      const accepted = await c.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '12550', dueDate: addDays(c.dueDate, 20), userId: null }] });
      expect(accepted.breaksOn).toBe(addDays(c.dueDate, 21));
      expect((await c.handle.query(caseSnapshotQuery)).promise?.promiseId).toBe(accepted.promiseId);

      await skipTo(c.dueDate, 20, 23);
      expect((await db().account.findUniqueOrThrow({ where: { id: c.accountId } })).serviceStatus).toBe('active');
      await skipTo(c.dueDate, 21, 10);
      expect((await db().account.findUniqueOrThrow({ where: { id: c.accountId } })).serviceStatus).toBe('suspended');
      expect(await count.messages(caseId, 'suspension_notice')).toBe(1);
      expect((await db().promiseToPay.findUniqueOrThrow({ where: { id: accepted.promiseId } })).status).toBe('broken');

      await skipTo(c.dueDate, 25, 11);
      await postPayment(db(), workflows(), billing, actor, { accountRef: c.ref, externalRef: 'PAY-DAY-25', amountMinor: 12_550n, currency: 'USD', method: 'card', source: 'billing', receivedAt: new Date() });
      expect(await c.handle.result()).toMatchObject({ status: 'closed', closeReason: 'paid' });
      const account = await db().account.findUniqueOrThrow({ where: { id: c.accountId } });
      expect(account).toMatchObject({ serviceStatus: 'active', status: 'current' });

      // Every side effect exactly once.
      expect(await count.messages(caseId, 'reminder_email')).toBe(1);
      expect(await count.messages(caseId, 'suspension_notice')).toBe(1);
      expect(await count.tasks(caseId)).toBe(1);
      expect(await count.audits(c.accountId, 'service.suspended')).toBe(1);
      expect(await count.audits(c.accountId, 'service.resumed')).toBe(1);
      const hooks = await db().webhookDelivery.findMany({ where: { accountId: c.accountId }, orderBy: { createdAt: 'asc' } });
      expect(hooks.map((h) => h.event)).toEqual(['service.suspend', 'service.resume', 'case.closed']);
      expect(await count.audits(c.accountId, 'case.closed')).toBe(1);
      // This run's history replays on the current code; with RECORD_HISTORIES=1 it is kept as a fixture
      // that every later version of the workflow must replay too (see the replay test below).
      const history = await c.handle.fetchHistory();
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
      if (process.env.RECORD_HISTORIES === '1') writeFileSync(path.join(historiesDir, 's5-full-run.pb'), temporal.api.history.v1.History.encode(history).finish());
      const sent = await db().message.findMany({ where: { caseId }, orderBy: { createdAt: 'asc' } });
      // The day-5 reminder is the first communication about the debt: the validation notice goes with it (X1, Reg F §1006.34).
      expect(sent.map((m) => m.idempotencyKey)).toEqual([`step:${caseId}:reminder_email`, `validation-notice:${caseId}`, `step:${caseId}:suspension_notice`, `case-closed:${caseId}`]);
    });
  });

  test('a kept promise holds the reminders and records the promise kept', async () => {
    await withWorker(async () => {
      const c = await openCase(9_000n);
      await skipTo(c.dueDate, 3);
      const accepted = await c.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '4000', dueDate: addDays(c.dueDate, 8), userId: null }] });
      await skipTo(c.dueDate, 6);
      expect(await count.messages(c.caseId!, 'reminder_email')).toBe(0); // held while the promise is pending
      await postPayment(db(), workflows(), billing, actor, { accountRef: c.ref, externalRef: 'P-KEPT', amountMinor: 4_000n, currency: 'USD', method: 'cash', source: 'field', receivedAt: new Date() });
      await skipTo(c.dueDate, 10);
      expect((await db().promiseToPay.findUniqueOrThrow({ where: { id: accepted.promiseId } })).status).toBe('kept');
      // Held reminders resume once the promise is settled.
      expect(await count.messages(c.caseId!, 'reminder_email')).toBe(1);
      const snapshot = await c.handle.query(caseSnapshotQuery);
      expect(snapshot).toMatchObject({ status: 'open', balanceMinor: '5000', promise: null, serviceSuspended: false });
      await harness.endCase(c.handle);
    });
  });

  test('a promise the workflow cannot accept is refused with the reason, and nothing is recorded', async () => {
    await withWorker(async () => {
      const c = await openCase(5_000n);
      const refused = await c.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '9000', dueDate: addDays(c.dueDate, -3), userId: null }] }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toContain('amount_exceeds_balance');
      expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toContain('date_in_past');
      expect(await db().promiseToPay.count({ where: { caseId: c.caseId! } })).toBe(0);
      await harness.endCase(c.handle);
    });
  });

  test('a step that falls due at night waits for 08:00 in the debtor’s time zone', async () => {
    await withWorker(async () => {
      const c = await openCase(5_000n);
      await skipTo(c.dueDate, 5, 3); // 03:00 local on day 5: the reminder is due but may not go out
      expect(await count.messages(c.caseId!, 'reminder_email')).toBe(0);
      const snapshot = await c.handle.query(caseSnapshotQuery);
      expect(snapshot.nextStep?.id).toBe('reminder_email');
      expect(snapshot.nextStep?.dueAt).toBe(new Date(localMidnight(addDays(c.dueDate, 5), timeZone).getTime() + 8 * 3_600_000).toISOString());
      await skipTo(c.dueDate, 5, 8);
      await new Promise((r) => setTimeout(r, 500));
      expect(await count.messages(c.caseId!, 'reminder_email')).toBe(1);
      await harness.endCase(c.handle);
    });
  });

  test('a dispute over everything owed pauses the case; rejecting it resumes the strategy', async () => {
    await withWorker(async () => {
      const c = await openCase(5_000n);
      await openDispute(db(), workflows(), billing, actor, { accountRef: c.ref, invoiceRefs: [`I-${c.ref}`], reason: 'customer says the service was never delivered' });
      await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.hold === 'everything_disputed');
      await skipTo(c.dueDate, 7);
      expect(await count.messages(c.caseId!, 'reminder_email')).toBe(0); // held while in dispute
      expect(await c.handle.query(caseSnapshotQuery)).toMatchObject({ status: 'open', balanceMinor: '0', disputedMinor: '5000', nextStep: null });
      await resolveDispute(db(), workflows(), billing, actor, { accountRef: c.ref, invoiceRefs: [`I-${c.ref}`], outcome: 'rejected' });
      await eventually(() => count.messages(c.caseId!, 'reminder_email'), (n) => n === 1);
      expect(await c.handle.query(caseSnapshotQuery)).toMatchObject({ hold: null, balanceMinor: '5000' });
      await harness.endCase(c.handle);
    });
  });

  test('a dispute upheld for the whole debt closes the case', async () => {
    await withWorker(async () => {
      const c = await openCase(3_000n);
      await openDispute(db(), workflows(), billing, actor, { accountRef: c.ref, invoiceRefs: [`I-${c.ref}`], reason: 'billing error' });
      await resolveDispute(db(), workflows(), billing, actor, { accountRef: c.ref, invoiceRefs: [`I-${c.ref}`], outcome: 'upheld', note: 'credit note CN-1' });
      expect(await c.handle.result()).toMatchObject({ status: 'closed', closeReason: 'settled' });
      const invoice = await db().invoice.findFirstOrThrow({ where: { accountId: c.accountId } });
      expect(invoice.status).toBe('written_off');
    });
  });

  test('a postponed account comes back to the queue as a call task at the time set (W4)', async () => {
    await withWorker(async () => {
      const c = await openCase(6_000n);
      const until = new Date((await harness.env.currentTimeMs()) + 2 * 86_400_000 + 3_600_000).toISOString();
      const refused = await workflows().postpone(c.workflowId!, { until: new Date((await harness.env.currentTimeMs()) - 1000).toISOString(), userId: null, reason: null }).catch((e: Error) => e);
      expect(String(refused)).toContain('not_in_future');
      await workflows().postpone(c.workflowId!, { until, userId: null, reason: 'customer travelling' });
      expect((await c.handle.query(caseSnapshotQuery)).postponedUntil).toBe(until);
      await harness.env.sleep('2 days');
      expect(await db().task.count({ where: { caseId: c.caseId!, title: { startsWith: 'Postponed' } } })).toBe(0);
      await harness.env.sleep('2 hours');
      const task = await eventually(() => db().task.findFirst({ where: { caseId: c.caseId!, title: { startsWith: 'Postponed' } } }), (t) => t !== null);
      expect(task).toMatchObject({ kind: 'call', title: 'Postponed call back: customer travelling' });
      expect(task!.dueAt.toISOString()).toBe(until);
      expect((await c.handle.query(caseSnapshotQuery)).postponedUntil).toBeNull();
      await harness.endCase(c.handle);
    });
  });

  test('a re-signalled payment counts once', async () => {
    await withWorker(async () => {
      const c = await openCase(7_000n);
      const first = await postPayment(db(), workflows(), billing, actor, { accountRef: c.ref, externalRef: 'P1', amountMinor: 2_000n, currency: 'USD', method: 'card', source: 'billing', receivedAt: new Date() });
      await c.handle.signal(paymentReceivedSignal, { paymentId: first.paymentId, amountMinor: '2000' });
      await harness.env.sleep('1 hour');
      expect(await c.handle.query(caseSnapshotQuery)).toMatchObject({ status: 'open', paymentsSeen: 1, balanceMinor: '5000' });
      await harness.endCase(c.handle);
    });
  });
});

describe('replay safety', () => {
  test('every recorded case history replays on the current workflow code', async () => {
    const files = readdirSync(historiesDir).filter((f) => f.endsWith('.pb'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const history = temporal.api.history.v1.History.decode(readFileSync(path.join(historiesDir, file)));
      await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, file);
    }
  });
});
