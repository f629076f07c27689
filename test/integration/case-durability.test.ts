// Durability of the case workflow on Temporal's time-skipping server, in a file (and a test server) of
// its own: a worker process killed outright mid-case, and continue-as-new keeping the case's state.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { caseSnapshotQuery, caseWorkflowType, recordPromiseUpdate } from '../../workflows/messages.ts';
import { postPayment } from '../../services/payments.ts';
import { addDays } from '../../domain/case-schedule.ts';
import { billing, billingActor, startCaseHarness, type CaseHarness } from '../support/case-harness.ts';
import { eventually } from '../support/system.ts';
import type { CaseWorkflowInput } from '../../workflows/collection-case.ts';

let harness: CaseHarness;

beforeAll(async () => {
  harness = await startCaseHarness({ timeZone: 'America/New_York' });
});
afterAll(async () => harness?.stop());

const db = () => harness.database.db;
const messages = (caseId: string, step: string) => db().message.count({ where: { idempotencyKey: `step:${caseId}:${step}` } });
const callTasks = (caseId: string) => db().task.count({ where: { caseId, kind: 'call' } });
const pay = (ref: string, externalRef: string, amountMinor: bigint) => postPayment(db(), harness.workflows(), billing, billingActor, { accountRef: ref, externalRef, amountMinor, currency: 'USD', method: 'card', source: 'billing', receivedAt: new Date() });

describe('durability', () => {
  test('a worker killed mid-case: another picks the case up and nothing happens twice', async () => {
    await harness.stopWorker();
    const child = await harness.spawnWorkerProcess();
    try {
      const c = await harness.openCase(6_000n);
      await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.ready);
      const caseId = c.caseId!;
      await harness.skipTo(c.dueDate, 5, 8);
      // Killed the moment the reminder is written: its activity may not have reported back yet.
      await eventually(() => messages(caseId, 'reminder_email'), (n) => n === 1, { intervalMs: 5 });
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));

      // The reminder's activity, if the dead worker had not reported it, times out after its 30 s
      // start-to-close (real time: the test server does not skip time past a running activity) and is retried.
      await harness.startWorker();
      await harness.skipTo(c.dueDate, 15, 10);
      await eventually(() => callTasks(caseId), (n) => n === 1, 90_000);
      await pay(c.ref, 'P-AFTER-CRASH', 6_000n);
      expect(await c.handle.result()).toMatchObject({ status: 'closed', closeReason: 'paid', stepsDone: ['reminder_email', 'call_task', 'resume_on_payment'] });
      expect(await messages(caseId, 'reminder_email')).toBe(1);
      expect(await callTasks(caseId)).toBe(1);
      expect(await db().auditLog.count({ where: { accountId: c.accountId, action: 'case.closed' } })).toBe(1);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await harness.startWorker(); // later tests in this file need one
    }
  }, 180_000);

  test('continue-as-new keeps the promise, the payments seen and the steps done', async () => {
    const c = await harness.openCase(10_000n);
    await harness.endCase(c.handle, 'restarted below with a short history limit');
    const row = await db().collectionCase.findUniqueOrThrow({ where: { id: c.caseId! } });
    const workflowId = `${row.workflowId}-can`;
    await db().collectionCase.update({ where: { id: row.id }, data: { workflowId } });
    const input: CaseWorkflowInput = { caseId: row.id, accountId: c.accountId, episode: row.episode, currency: 'USD', continueAsNewAfterEvents: 40 };
    const handle = await harness.env.client.workflow.start(caseWorkflowType, { workflowId, taskQueue: harness.taskQueue, args: [input] });
    const firstRunId = handle.firstExecutionRunId;
    await eventually(() => handle.query(caseSnapshotQuery), (s) => s.ready);
    await harness.skipTo(c.dueDate, 5, 10);
    await eventually(() => messages(row.id, 'reminder_email'), (n) => n === 1);
    const accepted = await handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '6000', dueDate: addDays(c.dueDate, 12), userId: null }] });
    // Payments arrive one by one until the history passes its limit and the case continues as new.
    for (let i = 1; i <= 8; i++) await pay(c.ref, `P-CAN-${i}`, 500n);
    const described = await eventually(() => harness.env.client.workflow.getHandle(workflowId).describe(), (d) => d.runId !== firstRunId);
    expect(described.status.name).toBe('RUNNING');
    const after = await eventually(() => harness.env.client.workflow.getHandle(workflowId).query(caseSnapshotQuery), (s) => s.ready && s.paymentsSeen === 8);
    expect(after).toMatchObject({ stepsDone: ['reminder_email'], balanceMinor: '6000', promise: { promiseId: accepted.promiseId, paidSinceMinor: '4000' } });
    // The promise is still honoured in the new run: the rest paid by its date keeps it.
    await pay(c.ref, 'P-CAN-LAST', 2_000n);
    await harness.skipTo(c.dueDate, 13, 10);
    expect((await db().promiseToPay.findUniqueOrThrow({ where: { id: accepted.promiseId } })).status).toBe('kept');
    expect(await messages(row.id, 'reminder_email')).toBe(1);
    await harness.endCase(harness.env.client.workflow.getHandle(workflowId));
  });
});

