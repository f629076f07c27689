// Reminders (S3 "set a reminder") through the API: a strategy's reminder step leaves a reminder on the
// account; collectors and supervisors of the branch see it on its day, mark it done once (logged on the
// account, audited), and another branch neither sees nor touches it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createAccountInArrears, createBranch } from '../support/fixtures.ts';
import { signIn, type Agent } from '../support/agents.ts';
import { performStep } from '../../services/case-steps.ts';

let system: TestSystem;
let branch: { id: string; code: string };
let collector: Agent;
const senders = { email: 'collections@example.com', sms: '+15005550006' };
const db = () => system.database.db;

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  branch = await createBranch(db());
  collector = await signIn(system, 'collector', branch.id);
});
afterAll(async () => system?.stop());

async function reminderOn(title: string, inDays: number) {
  const acc = await createAccountInArrears(db(), { branchId: branch.id });
  const outcome = await performStep(db(), system.queues, senders, { caseId: acc.caseId, stepId: 'check', action: { kind: 'reminder', title, inDays }, daysPastDue: 3 });
  expect(outcome).toMatchObject({ status: 'done' });
  return acc;
}

describe('reminders (S3)', () => {
  test('a reminder shows on its day, not before; the collector marks it done once; it is logged, audited and leaves the list', async () => {
    const later = await reminderOn('Check the account manager has called', 2);
    const today = await reminderOn('Ring the finance office back', 0);
    const due = await collector.get('/reminders');
    expect(due.status).toBe(200);
    expect(due.body.items.map((r: { account: { id: string } }) => r.account.id)).toEqual([today.id]);
    expect(due.body.items[0]).toMatchObject({ title: 'Ring the finance office back', status: 'open', account: { externalRef: today.externalRef, branchCode: branch.code } });
    const coming = await collector.get(`/reminders?dueBy=${encodeURIComponent(new Date(Date.now() + 3 * 86_400_000).toISOString())}`);
    expect(coming.body.items.map((r: { account: { id: string } }) => r.account.id)).toEqual([today.id, later.id]);
    expect((await collector.get(`/reminders?accountId=${later.id}&dueBy=${encodeURIComponent(new Date(Date.now() + 3 * 86_400_000).toISOString())}`)).body.total).toBe(1);

    const id = due.body.items[0].id as string;
    // Two taps at the same moment: one completes it, the other answers the same.
    const [done, simultaneous] = await Promise.all([collector.post(`/reminders/${id}/done`), collector.post(`/reminders/${id}/done`)]);
    expect(done.status).toBe(200);
    expect(simultaneous.body).toEqual(done.body);
    expect(done.body).toMatchObject({ id, status: 'done', completedAt: expect.any(String) });
    const again = await collector.post(`/reminders/${id}/done`);
    expect(again.body).toEqual(done.body); // a double tap changes nothing
    expect(await db().activity.count({ where: { accountId: today.id, summary: 'Reminder done: Ring the finance office back' } })).toBe(1);
    expect(await db().auditLog.count({ where: { entityId: id, action: 'task.completed' } })).toBe(1);
    expect((await collector.get('/reminders')).body.items).toEqual([]);
    // The account's timeline says it was set.
    const timeline = await collector.get(`/accounts/${today.id}/timeline`);
    expect(timeline.body.items.map((e: { summary: string }) => e.summary)).toContain(`Reminder set: Ring the finance office back (due ${new Date().toISOString().slice(0, 10)}, done)`);
  });

  test('another branch sees none of them and cannot mark one done; a viewer reads but cannot complete; bad input is refused', async () => {
    const mine = await reminderOn('Call back at noon', 0);
    const [reminder] = (await collector.get(`/reminders?accountId=${mine.id}`)).body.items;
    const elsewhere = await signIn(system, 'collector', (await createBranch(db())).id);
    expect((await elsewhere.get('/reminders')).body.items).toEqual([]);
    expect((await elsewhere.get(`/reminders?accountId=${mine.id}`)).status).toBe(404);
    const refused = await elsewhere.post(`/reminders/${reminder.id}/done`);
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('not_found');
    const viewer = await signIn(system, 'viewer', branch.id);
    expect((await viewer.get('/reminders')).body.items.map((r: { id: string }) => r.id)).toContain(reminder.id);
    expect((await viewer.post(`/reminders/${reminder.id}/done`)).status).toBe(403);
    expect((await collector.get('/reminders?dueBy=tomorrow')).status).toBe(400);
    expect((await collector.get('/reminders?sort=name')).status).toBe(400);
    // A task that is not a reminder is not one.
    const call = await db().task.create({ data: { accountId: mine.id, branchId: branch.id, kind: 'call', title: 'Call', dueAt: new Date() } });
    expect((await collector.post(`/reminders/${call.id}/done`)).status).toBe(404);
    expect((await db().task.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe('open');
  });
});
