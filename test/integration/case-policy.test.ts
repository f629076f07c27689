// The case workflow under the contact policy (X1), with instalment plans (C6), across a worker crash
// and across continue-as-new: on Temporal's time-skipping server with real activities and PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from '../../workers/temporal-worker.ts';
import { caseSnapshotQuery, recordPromiseUpdate } from '../../workflows/messages.ts';
import { caseWorkflowType } from '../../workflows/messages.ts';
import { setJurisdictionPolicy } from '../../services/contact-policy.ts';
import { postPayment } from '../../services/payments.ts';
import { addDays, localMidnight } from '../../domain/case-schedule.ts';
import { localParts } from '../../domain/contact-policy.ts';
import { billing, billingActor, startCaseHarness, type CaseHarness } from '../support/case-harness.ts';
import { eventually } from '../support/system.ts';
import type { CaseWorkflowInput } from '../../workflows/collection-case.ts';
import { automatedLowRiskStrategy, corporateStrategy, referenceStrategyS5 } from '../../domain/reference-strategies.ts';
import { addStrategyVersion, publishStrategy } from '../../services/strategies.ts';

const timeZone = 'America/New_York';
let harness: CaseHarness;

beforeAll(async () => {
  harness = await startCaseHarness({ timeZone });
});
afterAll(async () => harness?.stop());

const db = () => harness.database.db;
const messages = (caseId: string, step: string) => db().message.count({ where: { idempotencyKey: `step:${caseId}:${step}` } });
const callTasks = (caseId: string) => db().task.count({ where: { caseId, kind: 'call' } });
const localInstant = (dueDate: string, day: number, hour: number) => new Date(localMidnight(addDays(dueDate, day), timeZone).getTime() + hour * 3_600_000);
const pay = (ref: string, externalRef: string, amountMinor: bigint) => postPayment(db(), harness.workflows(), billing, billingActor, { accountRef: ref, externalRef, amountMinor, currency: 'USD', method: 'card', source: 'billing', receivedAt: new Date() });

describe('contact policy (X1): deferred and explained, never dropped', () => {
  test('a reminder due at night on days the jurisdiction closes waits for 08:00 on the next open day', async () => {
    // A jurisdiction whose contact days leave out the two days on which this case's day-5 reminder
    // falls due (whatever today's date is), so the reminder has to cross a night and a "weekend".
    const probe = await harness.openCase(1n);
    await harness.endCase(probe.handle, 'probe only');
    const day5 = localParts(localInstant(probe.dueDate, 5, 12), timeZone).weekday;
    const closed = [day5, (day5 % 7) + 1];
    const weekdays = [1, 2, 3, 4, 5, 6, 7].filter((d) => !closed.includes(d));
    await setJurisdictionPolicy(db(), { type: 'system', id: 'test' }, 'US-ZZ', { window: { startHour: 8, endHour: 21, weekdays } });

    const c = await harness.openCase(8_000n, { customer: { jurisdiction: 'US-ZZ' } });
    const caseId = c.caseId!;
    const monday = localInstant(c.dueDate, 7, 8);
    expect((await c.handle.query(caseSnapshotQuery)).nextStep).toMatchObject({ id: 'reminder_email', dueAt: monday.toISOString() });

    await harness.skipTo(c.dueDate, 5, 22);
    expect(await messages(caseId, 'reminder_email')).toBe(0);
    // A partial payment at 03:00 on the second closed day wakes the case: the reminder is due, and waits.
    await harness.skipTo(c.dueDate, 6, 3);
    await pay(c.ref, 'P-NIGHT', 1_000n);
    const waiting = await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.paymentsSeen === 1);
    expect(waiting.nextStep).toMatchObject({ id: 'reminder_email', dueAt: monday.toISOString() });
    expect(waiting.nextStep?.note).toMatch(/^Outside contact hours \(08:00–21:00 .*debtor's local time\)$/);
    expect(await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: caseId } }), (row) => row.nextActionNote !== null)).toMatchObject({ nextAction: 'reminder_email', nextActionAt: monday });

    await harness.skipTo(c.dueDate, 7, 7);
    expect(await messages(caseId, 'reminder_email')).toBe(0);
    await harness.skipTo(c.dueDate, 7, 9);
    expect(await eventually(() => messages(caseId, 'reminder_email'), (n) => n === 1)).toBe(1);
    await harness.endCase(c.handle);
  });

  test('a collector call task waits while the account is at 7 call attempts in 7 days, then comes once', async () => {
    const c = await harness.openCase(9_000n, { contacts: [{ kind: 'mobile', value: '+15550001111' }] });
    const caseId = c.caseId!;
    await harness.skipTo(c.dueDate, 14, 10);
    // Seven calls logged by collectors on days 8 to 14, at 10:00.
    const attempts = [8, 9, 10, 11, 12, 13, 14].map((d) => localInstant(c.dueDate, d, 10));
    await db().activity.createMany({ data: attempts.map((at) => ({ accountId: c.accountId, caseId, kind: 'call' as const, direction: 'outbound' as const, outcome: 'no_answer', summary: 'No answer', occurredAt: at })) });

    await harness.skipTo(c.dueDate, 15, 10);
    const snapshot = await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.nextStep?.id === 'call_task' && s.nextStep.note !== undefined);
    expect(await callTasks(caseId)).toBe(0);
    // Free again when the day-8 call leaves the 7-day window: day 15 at 10:00.
    expect(snapshot.nextStep?.note).toBe('7 call attempts in the last 7 days (at most 7)');
    expect(snapshot.nextStep?.dueAt).toBe(new Date(attempts[0]!.getTime() + 7 * 86_400_000).toISOString());
    await harness.skipTo(c.dueDate, 15, 11);
    expect(await eventually(() => callTasks(caseId), (n) => n === 1)).toBe(1);
    await harness.skipTo(c.dueDate, 17, 11);
    expect(await callTasks(caseId)).toBe(1);
    await harness.endCase(c.handle);
  });

  test('after a written cease-communication request the reminder is not sent, and the log says why', async () => {
    const c = await harness.openCase(4_000n);
    await db().customer.updateMany({ where: { externalRef: `C-${c.ref}` }, data: { ceaseCommunicationAt: new Date() } });
    await harness.skipTo(c.dueDate, 5, 10);
    const note = await eventually(() => db().activity.findFirst({ where: { caseId: c.caseId!, kind: 'note', summary: { contains: 'not carried out' } } }), (n) => n !== null);
    expect(note!.summary).toContain('asked in writing that we stop contacting them');
    expect(await messages(c.caseId!, 'reminder_email')).toBe(0);
    expect(await db().auditLog.count({ where: { accountId: c.accountId, action: 'contact.blocked' } })).toBe(1);
    // Blocked is final for that step: it is not retried later.
    await harness.skipTo(c.dueDate, 8, 10);
    expect(await messages(c.caseId!, 'reminder_email')).toBe(0);
    expect((await c.handle.query(caseSnapshotQuery)).stepsDone).toContain('reminder_email');
    await harness.endCase(c.handle);
  });

  test('a debtor represented by a lawyer gets no call task', async () => {
    const c = await harness.openCase(4_000n, { contacts: [{ kind: 'phone', value: '+15550002222' }] });
    await db().customer.updateMany({ where: { externalRef: `C-${c.ref}` }, data: { attorneyRepresentedAt: new Date(), attorneyDetails: 'Dana Law LLP' } });
    await harness.skipTo(c.dueDate, 15, 10);
    const note = await eventually(() => db().activity.findFirst({ where: { caseId: c.caseId!, summary: { startsWith: 'Call task' } } }), (n) => n !== null);
    expect(note!.summary).toContain('represented by a lawyer');
    expect(await callTasks(c.caseId!)).toBe(0);
    await harness.endCase(c.handle);
  });
});

describe('instalment plans (C6)', () => {
  test('a plan partly kept: the first instalment paid, the second missed → broken, suspended, notice sent', async () => {
    const c = await harness.openCase(12_000n);
    const caseId = c.caseId!;
    const plan = [
      { amountMinor: '4000', dueDate: addDays(c.dueDate, 5) },
      { amountMinor: '4000', dueDate: addDays(c.dueDate, 10) },
      { amountMinor: '4000', dueDate: addDays(c.dueDate, 20) },
    ];
    const accepted = await c.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '12000', dueDate: plan[2]!.dueDate, instalments: plan, userId: null }] });
    expect(accepted).toMatchObject({ amountMinor: '12000', dueDate: plan[2]!.dueDate, breaksOn: addDays(c.dueDate, 6) });
    expect(await db().promiseInstalment.count({ where: { promiseId: accepted.promiseId } })).toBe(3);

    await harness.skipTo(c.dueDate, 4, 10);
    await pay(c.ref, 'P-INST-1', 4_000n);
    await harness.skipTo(c.dueDate, 7, 10);
    const midway = await c.handle.query(caseSnapshotQuery);
    expect(midway.promise?.instalments?.map((i) => i.status)).toEqual(['kept', 'pending', 'pending']);
    expect(midway.promise?.breaksOn).toBe(addDays(c.dueDate, 11));
    expect(await messages(caseId, 'reminder_email')).toBe(0); // held while the plan runs

    await harness.skipTo(c.dueDate, 11, 10);
    const promise = await eventually(() => db().promiseToPay.findUniqueOrThrow({ where: { id: accepted.promiseId }, include: { instalments: { orderBy: { seq: 'asc' } } } }), (p) => p.status !== 'pending');
    expect(promise.status).toBe('broken');
    expect(promise.instalments.map((i) => i.status)).toEqual(['kept', 'broken', 'pending']);
    expect((await db().account.findUniqueOrThrow({ where: { id: c.accountId } })).serviceStatus).toBe('suspended');
    expect(await messages(caseId, 'suspension_notice')).toBe(1);
    expect(await db().activity.count({ where: { caseId, summary: 'Instalment plan broken: 1 of 3 instalments paid' } })).toBe(1);
    // Kept as a fixture with RECORD_HISTORIES=1: later workflow versions must replay a plan, a deferral and a broken promise.
    await harness.endCase(c.handle);
    const history = await c.handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
    if (process.env.RECORD_HISTORIES === '1') writeFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'histories', 'instalment-plan-broken.pb'), temporal.api.history.v1.History.encode(history).finish());
  });

  test('a plan with dates out of order is refused by the case, and nothing is stored', async () => {
    const c = await harness.openCase(5_000n);
    const refused = await c.handle
      .executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '5000', dueDate: addDays(c.dueDate, 5), instalments: [{ amountMinor: '2500', dueDate: addDays(c.dueDate, 9) }, { amountMinor: '2500', dueDate: addDays(c.dueDate, 5) }], userId: null }] })
      .then(() => null, (e: { cause?: { message?: string } }) => e.cause?.message);
    expect(refused).toContain('dates_not_ascending');
    expect(await db().promiseToPay.count({ where: { caseId: c.caseId! } })).toBe(0);
    await harness.endCase(c.handle);
  });
});

describe('strategies that end a case without payment (E6, S8)', () => {
  test('a reminder, then placement with an agency on day 10 and a write-off on day 20: each once, and the case closes as written off', async () => {
    const segment = await db().segment.create({ data: { code: 'HARD-CORP', name: 'Corporate, hard', criteria: { customerType: 'corporate' }, priority: 1 } });
    const definition = {
      steps: [
        { id: 'review', stage: 'soft', trigger: { kind: 'days_past_due', days: 3 }, action: { kind: 'reminder', title: 'Check the account manager has called', inDays: 2 } },
        { id: 'agency', stage: 'pre_legal', trigger: { kind: 'days_past_due', days: 10 }, action: { kind: 'place_with_agency', agency: 'Acme Recoveries' } },
        { id: 'write_off', stage: 'legal', trigger: { kind: 'days_past_due', days: 20 }, action: { kind: 'write_off' } },
      ],
    };
    await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Corporate hard line', status: 'active', trafficPercent: 100, definition } });
    await db().webhookEndpoint.create({ data: { name: 'agency', url: 'http://127.0.0.1:9/agency', events: ['account.agency_placement', 'case.closed'] } });

    const c = await harness.openCase(25_000n, { customer: { type: 'corporate' } });
    const caseId = c.caseId!;
    await harness.skipTo(c.dueDate, 3, 10);
    const review = await eventually(() => db().task.findFirst({ where: { caseId, kind: 'review' } }), (t) => t !== null);
    expect(review!.title).toBe('Check the account manager has called');
    expect(review!.dueAt.getTime() - localInstant(c.dueDate, 3, 0).getTime()).toBeGreaterThanOrEqual(2 * 86_400_000);

    await harness.skipTo(c.dueDate, 10, 10);
    const placement = await eventually(() => db().webhookDelivery.findMany({ where: { accountId: c.accountId, event: 'account.agency_placement' } }), (d) => d.length === 1);
    expect(placement[0]!.payload).toMatchObject({ data: { agency: 'Acme Recoveries', balanceMinor: '25000' } });
    expect((await c.handle.query(caseSnapshotQuery)).stagesBeforeLegal).toBe(1);

    await harness.skipTo(c.dueDate, 20, 10);
    expect(await c.handle.result()).toMatchObject({ status: 'closed', closeReason: 'written_off', stepsDone: ['review', 'agency', 'write_off'] });
    expect(await db().invoice.findFirstOrThrow({ where: { accountId: c.accountId } })).toMatchObject({ status: 'written_off' });
    expect(await db().account.findUniqueOrThrow({ where: { id: c.accountId } })).toMatchObject({ status: 'written_off', balanceMinor: 0n });
    expect(await db().webhookDelivery.count({ where: { accountId: c.accountId, event: 'account.agency_placement' } })).toBe(1);
    // One closure per receiver: the agency hears of it once (billing, subscribed too, gets its own).
    expect(await db().webhookDelivery.count({ where: { accountId: c.accountId, event: 'case.closed', endpoint: { name: 'agency' } } })).toBe(1);
    // No "thank you for paying" notice for a write-off.
    expect(await db().message.count({ where: { caseId, idempotencyKey: `case-closed:${caseId}` } })).toBe(0);
    await db().segment.update({ where: { id: segment.id }, data: { active: false } });
  });
});

describe('triggers and guards', () => {
  test('two failed contacts send a field rep; a payment adds a note; steps guarded by a channel or an attribute the account lacks do not run', async () => {
    const segment = await db().segment.create({ data: { code: 'GUARDS', name: 'Guards', criteria: { customerType: 'corporate', minBalanceMinor: 77_000, maxBalanceMinor: 77_000 }, priority: 0 } });
    const definition = {
      steps: [
        { id: 'sms_first', stage: 'soft', trigger: { kind: 'days_past_due', days: 2 }, requiresChannel: 'sms', action: { kind: 'send_message', channel: 'sms', template: 'payment_reminder' } },
        { id: 'gold_note', stage: 'soft', trigger: { kind: 'days_past_due', days: 3 }, whenAttributes: { serviceLevel: 'gold' }, action: { kind: 'note', text: 'Gold customer: call personally' } },
        { id: 'email', stage: 'soft', trigger: { kind: 'days_past_due', days: 4 }, requiresChannel: 'email', action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
        { id: 'visit', stage: 'hard', trigger: { kind: 'event', event: 'contact_failed', times: 2 }, action: { kind: 'visit_task', title: 'Visit: we cannot reach them' } },
        { id: 'thanks', stage: 'soft', trigger: { kind: 'event', event: 'payment_received' }, action: { kind: 'note', text: 'Payment came in: check the rest' } },
      ],
    };
    await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Guards', status: 'active', trafficPercent: 100, definition } });
    const c = await harness.openCase(77_000n, { customer: { type: 'corporate' } });
    const caseId = c.caseId!;
    await harness.skipTo(c.dueDate, 4, 10);
    expect(await eventually(() => messages(caseId, 'email'), (n) => n === 1)).toBe(1);
    expect(await messages(caseId, 'sms_first')).toBe(0);
    expect(await db().activity.count({ where: { caseId, summary: 'Gold customer: call personally' } })).toBe(0);

    // The same bounce told twice counts once; a second, different failure sends the field rep.
    await harness.workflows().notifyContactFailed(c.workflowId!, { channel: 'email', reason: 'mailbox full', messageId: 'm-1' });
    await harness.workflows().notifyContactFailed(c.workflowId!, { channel: 'email', reason: 'mailbox full', messageId: 'm-1' });
    await harness.env.sleep('1 hour');
    expect(await db().task.count({ where: { caseId, kind: 'visit' } })).toBe(0);
    await harness.workflows().notifyContactFailed(c.workflowId!, { channel: 'email', reason: 'address unknown', messageId: 'm-2' });
    expect(await eventually(() => db().task.count({ where: { caseId, kind: 'visit' } }), (n) => n === 1)).toBe(1);

    await pay(c.ref, 'P-GUARDS', 1_000n);
    expect(await eventually(() => db().activity.count({ where: { caseId, summary: 'Payment came in: check the rest' } }), (n) => n === 1)).toBe(1);
    expect((await c.handle.query(caseSnapshotQuery)).stepsDone).toEqual(['email', 'visit', 'thanks']);
    await harness.endCase(c.handle);
    await db().segment.update({ where: { id: segment.id }, data: { active: false } });
  });
});

describe('event steps at every occurrence (C6)', () => {
  test('a second broken promise gets its notice too, and the service is not suspended twice', async () => {
    const c = await harness.openCase(9_100n);
    const caseId = c.caseId!;
    const status = (promiseId: string) => eventually(() => db().promiseToPay.findUniqueOrThrow({ where: { id: promiseId } }), (p) => p.status !== 'pending');
    const first = await c.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '3000', dueDate: addDays(c.dueDate, 3), userId: null }] });
    await harness.skipTo(c.dueDate, 4, 12);
    expect(await status(first.promiseId)).toMatchObject({ status: 'broken' });
    expect(await eventually(() => messages(caseId, 'suspension_notice'), (n) => n === 1)).toBe(1);
    const second = await c.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '3000', dueDate: addDays(c.dueDate, 8), userId: null }] });
    await harness.skipTo(c.dueDate, 9, 12);
    expect(await status(second.promiseId)).toMatchObject({ status: 'broken' });
    expect(await eventually(() => messages(caseId, 'suspension_notice#2'), (n) => n === 1)).toBe(1);
    const snapshot = await c.handle.query(caseSnapshotQuery);
    expect(snapshot.stepsDone).toEqual(expect.arrayContaining(['suspend_on_broken_promise', 'suspension_notice', 'suspend_on_broken_promise#2', 'suspension_notice#2']));
    expect(await db().auditLog.count({ where: { accountId: c.accountId, action: 'service.suspended' } })).toBe(1); // the second run found it suspended
    await harness.endCase(c.handle);
    // The new behaviour replays deterministically.
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await c.handle.fetchHistory());
  });
});

describe('continue-as-new', () => {
  test('a contact failure signalled while the run continued as new is applied by the next run, not lost', async () => {
    const segment = await db().segment.create({ data: { code: 'CAN-FAIL', name: 'Failures', criteria: { minBalanceMinor: 66_066, maxBalanceMinor: 66_066 }, priority: 0 } });
    await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Failures', status: 'active', trafficPercent: 100, definition: { steps: [
      { id: 'note', stage: 'soft', trigger: { kind: 'days_past_due', days: 60 }, action: { kind: 'note', text: 'Two months' } },
      { id: 'visit', stage: 'hard', trigger: { kind: 'event', event: 'contact_failed', times: 2 }, action: { kind: 'visit_task', title: 'Visit: we cannot reach them' } },
    ] } } });
    const c = await harness.openCase(66_066n);
    await harness.endCase(c.handle, 'restarted below as the next run of a continue-as-new');
    const row = await db().collectionCase.findUniqueOrThrow({ where: { id: c.caseId! } });
    const workflowId = `${row.workflowId}-next`;
    await db().collectionCase.update({ where: { id: row.id }, data: { workflowId } });
    // What the previous run hands over: one failure counted, a second that arrived while it was continuing as new.
    const input: CaseWorkflowInput = { caseId: row.id, accountId: c.accountId, episode: row.episode, currency: 'USD', carried: { paymentsSeen: 0, seenPaymentIds: [], promise: null, contactFailures: 1, seenFailureIds: ['m-1'], pendingFailures: [{ channel: 'email', reason: 'address unknown', messageId: 'm-2' }] } };
    const handle = await harness.env.client.workflow.start(caseWorkflowType, { workflowId, taskQueue: harness.taskQueue, args: [input] });
    expect(await eventually(() => db().task.count({ where: { caseId: row.id, kind: 'visit' } }), (n) => n === 1)).toBe(1);
    await harness.endCase(handle);
    await db().segment.update({ where: { id: segment.id }, data: { active: false } });
  });
});

describe('strategy versions and continue-as-new', () => {
  test('a case whose version was replaced takes the published version when it continues as new, its past steps counted as done; the old version’s later steps never run', async () => {
    const segment = await db().segment.create({ data: { code: 'MOVE', name: 'Move', criteria: { minBalanceMinor: 5_555, maxBalanceMinor: 5_555 }, priority: 0 } });
    const actor = { type: 'system' as const, id: 'test' };
    const v1 = await addStrategyVersion(db(), actor, segment.id, { name: 'Old', definition: { steps: [
      { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
      { id: 'old_call', stage: 'hard', trigger: { kind: 'days_past_due', days: 15 }, action: { kind: 'call_task', title: 'Old strategy call' } },
    ] } });
    await publishStrategy(db(), actor, v1.id, 'replace', 100);
    const c = await harness.openCase(5_555n, { contacts: [{ kind: 'email', value: `move-${Date.now()}@example.net` }, { kind: 'mobile', value: '+15550105555' }] });
    const caseId = c.caseId!;
    expect((await db().collectionCase.findUniqueOrThrow({ where: { id: caseId } })).strategyId).toBe(v1.id);
    await harness.skipTo(c.dueDate, 6, 12);
    expect(await eventually(() => messages(caseId, 'reminder_email'), (n) => n === 1)).toBe(1);

    const v2 = await addStrategyVersion(db(), actor, segment.id, { name: 'New', definition: { steps: [
      { id: 'sms_early', stage: 'soft', trigger: { kind: 'days_past_due', days: 3 }, action: { kind: 'send_message', channel: 'sms', template: 'payment_reminder' } },
      { id: 'new_note', stage: 'hard', trigger: { kind: 'days_past_due', days: 10 }, action: { kind: 'note', text: 'New strategy: day 10' } },
    ] } });
    await publishStrategy(db(), actor, v2.id, 'replace', 100);
    // The running case keeps v1 until it continues as new: here, its next run starts as continue-as-new would start it.
    await harness.endCase(c.handle, 'continued below');
    const row = await db().collectionCase.findUniqueOrThrow({ where: { id: caseId } });
    const workflowId = `${row.workflowId}-continued`;
    await db().collectionCase.update({ where: { id: caseId }, data: { workflowId } });
    const input: CaseWorkflowInput = { caseId, accountId: c.accountId, episode: row.episode, currency: 'USD', carried: { paymentsSeen: 0, seenPaymentIds: [], promise: null } };
    const handle = await harness.env.client.workflow.start(caseWorkflowType, { workflowId, taskQueue: harness.taskQueue, args: [input] });
    const moved = await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: caseId } }), (r) => r.strategyId === v2.id);
    expect(moved.stepsDone).toEqual(expect.arrayContaining(['reminder_email', 'sms_early']));
    expect((await db().auditLog.findFirstOrThrow({ where: { entityId: caseId, action: 'case.strategy_changed' } })).after).toMatchObject({ strategyId: v2.id, version: 2, stepsTakenAsDone: ['sms_early'] });
    await harness.skipTo(c.dueDate, 16, 12);
    expect(await eventually(() => db().activity.count({ where: { caseId, summary: 'New strategy: day 10' } }), (n) => n === 1)).toBe(1);
    expect(await messages(caseId, 'sms_early')).toBe(0); // its day had passed when the case moved
    expect(await db().task.count({ where: { caseId, kind: 'call' } })).toBe(0); // v1's day-15 call is not the case's any more
    await harness.endCase(handle);
    await db().segment.update({ where: { id: segment.id }, data: { active: false } });
  });
});

describe('a promise’s grace (C6: configurable)', () => {
  test('with two days of grace in the strategy a promise is not broken the day after its date, and is two days later; a payment in the grace keeps it', async () => {
    const segment = await db().segment.create({ data: { code: 'GRACE-2', name: 'Grace', criteria: { minBalanceMinor: 7_070, maxBalanceMinor: 7_070 }, priority: 0 } });
    await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Grace', status: 'active', trafficPercent: 100, definition: { steps: referenceStrategyS5.steps, promiseGraceDays: 2 } as object } });
    const broken = await harness.openCase(7_070n);
    const accepted = await broken.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '7070', dueDate: addDays(broken.dueDate, 3), userId: null }] });
    expect(accepted.breaksOn).toBe(addDays(broken.dueDate, 6)); // the date, two days' grace, then broken
    await harness.skipTo(broken.dueDate, 5, 12);
    expect((await broken.handle.query(caseSnapshotQuery)).promise).not.toBeNull();
    expect(await db().promiseToPay.findUniqueOrThrow({ where: { id: accepted.promiseId } })).toMatchObject({ status: 'pending' });
    await harness.skipTo(broken.dueDate, 6, 12);
    expect(await eventually(() => db().promiseToPay.findUniqueOrThrow({ where: { id: accepted.promiseId } }), (p) => p.status !== 'pending')).toMatchObject({ status: 'broken' });
    expect(await eventually(() => messages(broken.caseId!, 'suspension_notice'), (n) => n === 1)).toBe(1);
    await harness.endCase(broken.handle);

    const kept = await harness.openCase(7_070n);
    const promised = await kept.handle.executeUpdate(recordPromiseUpdate, { args: [{ amountMinor: '3000', dueDate: addDays(kept.dueDate, 3), userId: null }] });
    await harness.skipTo(kept.dueDate, 5, 10);
    await pay(kept.ref, `P-GRACE-${kept.ref}`, 3_000n); // two days late, within the grace
    expect(await eventually(() => db().promiseToPay.findUniqueOrThrow({ where: { id: promised.promiseId } }), (p) => p.status !== 'pending')).toMatchObject({ status: 'kept' });
    expect(await messages(kept.caseId!, 'suspension_notice')).toBe(0);
    await harness.endCase(kept.handle);
    await db().segment.update({ where: { id: segment.id }, data: { active: false } });
  });
});

describe('the strategies that ship beside S5 (S4, C2)', () => {
  async function segmentRunning(code: string, amountMinor: number, definition: object, customerType?: 'retail' | 'corporate') {
    const segment = await db().segment.create({ data: { code, name: code, criteria: { minBalanceMinor: amountMinor, maxBalanceMinor: amountMinor, ...(customerType ? { customerType } : {}) }, priority: 0 } });
    await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: code, status: 'active', trafficPercent: 100, definition } });
    return { retire: () => db().segment.update({ where: { id: segment.id }, data: { active: false } }) };
  }

  test('low-risk retail runs without a person: email on day 5, SMS on day 10, suspension with its notice on day 30, and no task for anyone', async () => {
    const strategy = await segmentRunning('AUTO-LOW', 4_321, automatedLowRiskStrategy);
    const c = await harness.openCase(4_321n, { contacts: [{ kind: 'email', value: `auto-${Date.now()}@example.net` }, { kind: 'mobile', value: '+15550104321' }] });
    const caseId = c.caseId!;
    await harness.skipTo(c.dueDate, 5, 12);
    expect(await eventually(() => messages(caseId, 'reminder_email'), (n) => n === 1)).toBe(1);
    expect(await messages(caseId, 'reminder_sms')).toBe(0);
    await harness.skipTo(c.dueDate, 10, 12);
    expect(await eventually(() => messages(caseId, 'reminder_sms'), (n) => n === 1)).toBe(1);
    await harness.skipTo(c.dueDate, 30, 12);
    expect(await eventually(() => messages(caseId, 'suspension_notice'), (n) => n === 1)).toBe(1);
    expect((await db().account.findUniqueOrThrow({ where: { id: c.accountId } })).serviceStatus).toBe('suspended');
    expect(await db().task.count({ where: { caseId } })).toBe(0);
    expect((await c.handle.query(caseSnapshotQuery)).stagesBeforeLegal).toBeNull();
    await harness.endCase(c.handle);
    await strategy.retire();
  });

  test('a corporate debt is called about first and written to after, in the corporate tone; it counts its stages to legal', async () => {
    const strategy = await segmentRunning('CORP-FIRST', 98_765, corporateStrategy, 'corporate');
    const c = await harness.openCase(98_765n, { customer: { type: 'corporate', name: 'Acme Widgets Ltd' } });
    const caseId = c.caseId!;
    expect((await c.handle.query(caseSnapshotQuery)).stagesBeforeLegal).toBe(3);
    await harness.skipTo(c.dueDate, 3, 12);
    const call = await eventually(() => db().task.findFirst({ where: { caseId, kind: 'call' } }), (t) => t !== null);
    expect(call!.title).toBe('Call the accounts-payable contact about the overdue invoices');
    expect(await messages(caseId, 'reminder_email')).toBe(0);
    await harness.skipTo(c.dueDate, 10, 12);
    const reminder = await eventually(() => db().message.findUnique({ where: { idempotencyKey: `step:${caseId}:reminder_email` } }), (m) => m !== null);
    expect(reminder!.subject).toContain('Overdue balance on account'); // the corporate tone, not the retail "friendly reminder"
    expect(reminder!.body).toContain('Dear Acme Widgets Ltd');
    await harness.endCase(c.handle);
    await strategy.retire();
  });
});
