// X1 on a running case, on Temporal's time-skipping server with real activities and PostgreSQL:
// the validation notice and its period (Reg F §1006.34), disputes within it, the credit-reporting
// wait (§1006.30(a)) and time-barred debt (§1006.26(b)). Months pass in seconds.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from '../../workers/temporal-worker.ts';
import { caseSnapshotQuery } from '../../workflows/messages.ts';
import { addDays, localMidnight } from '../../domain/case-schedule.ts';
import { localDate } from '../../domain/ageing.ts';
import { validationPeriodEndsOn, usValidationNotice } from '../../domain/validation-notice.ts';
import { reportDelinquency } from '../../services/delinquency-intake.ts';
import { openDispute, resolveDispute } from '../../services/disputes.ts';
import { recordContactOutcome } from '../../services/contact-outcomes.ts';
import { syncFieldVisits } from '../../services/field-visits.ts';
import { caseComplianceViewOf } from '../../services/case-compliance.ts';
import { longDate } from '../../services/validation-notices.ts';
import { billing, billingActor, startCaseHarness, type CaseHarness } from '../support/case-harness.ts';
import { createUser } from '../support/fixtures.ts';
import { eventually } from '../support/system.ts';
import type { Prisma } from '../../platform/db/client.ts';
import type { StrategyStep } from '../../domain/strategy.ts';

const timeZone = 'America/New_York';
let harness: CaseHarness;

beforeAll(async () => {
  harness = await startCaseHarness({ timeZone });
  await db().webhookEndpoint.create({ data: { name: 'bureau', url: 'http://127.0.0.1:9/bureau', events: ['account.credit_report'] } });
});
afterAll(async () => harness?.stop());

const db = () => harness.database.db;
const now = async () => new Date(await harness.env.currentTimeMs());
const localInstant = (dueDate: string, day: number, hour: number) => new Date(localMidnight(addDays(dueDate, day), timeZone).getTime() + hour * 3_600_000);
const message = (key: string) => db().message.findUnique({ where: { idempotencyKey: key } });
const creditReports = (accountId: string) => db().webhookDelivery.count({ where: { accountId, event: 'account.credit_report' } });

/** This run's history replays on the current code; with RECORD_HISTORIES=1 it becomes a fixture every later version must replay. */
async function keepHistory(handle: { fetchHistory(): Promise<temporal.api.history.v1.IHistory> }, fixture: string) {
  const history = await handle.fetchHistory();
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
  if (process.env.RECORD_HISTORIES === '1') writeFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'histories', fixture), temporal.api.history.v1.History.encode(history).finish());
}

/**
 * A segment of its own (matched by a balance no other test uses) running `steps`, then a note far
 * ahead: the case always waits on a timer, which is what `harness.endCase` waits for.
 */
async function strategyFor(balanceMinor: number, given: StrategyStep[]) {
  const last = given[given.length - 1]!;
  const steps = [...given, { id: 'far_ahead', stage: last.stage, trigger: { kind: 'days_past_due', days: 3_650 }, action: { kind: 'note', text: 'Still open after ten years' } }];
  const segment = await db().segment.create({ data: { code: `X1-${randomBytes(3).toString('hex')}`, name: 'X1 test', criteria: { minBalanceMinor: balanceMinor, maxBalanceMinor: balanceMinor }, priority: 0 } });
  await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'X1 test', status: 'active', trafficPercent: 100, definition: { steps } as unknown as Prisma.InputJsonObject } });
  return { retire: () => db().segment.update({ where: { id: segment.id }, data: { active: false } }) };
}

describe('the validation notice (Reg F §1006.34)', () => {
  test('the validation notice goes out with the day-5 reminder and the period ends 30 days after its assumed receipt; the credit report waits until first contact + 14 days and the period’s end, then goes once', async () => {
    const strategy = await strategyFor(31_337, [
      { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
      { id: 'credit_report', stage: 'hard', trigger: { kind: 'days_past_due', days: 8 }, action: { kind: 'report_to_credit_bureau' } },
    ]);
    const c = await harness.openCase(31_337n);
    const caseId = c.caseId!;
    await harness.skipTo(c.dueDate, 5, 10);
    const notice = await eventually(() => message(`validation-notice:${caseId}`), (m) => m !== null);
    const reminder = await message(`step:${caseId}:reminder_email`);
    expect(reminder).not.toBeNull();
    const day5 = localDate(localInstant(c.dueDate, 5, 10), timeZone);
    const periodEndsOn = validationPeriodEndsOn(day5, usValidationNotice, 'US');
    expect(notice).toMatchObject({ channel: 'email', toAddress: reminder!.toAddress });
    expect(notice!.body).toContain('$313.37');
    expect(notice!.body).toContain('a debt that you owe to Example Telecom Inc.');
    expect(notice!.body).toContain(`Tell us by ${longDate(periodEndsOn)}`);
    expect(notice!.body).toContain(`As of ${longDate(addDays(c.dueDate, -20))}`); // the itemization date: the invoice's date
    const row = await db().collectionCase.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.firstContactAt).not.toBeNull();
    expect(row.validationNoticeChannel).toBe('email');
    expect(row.validationPeriodEndsOn?.toISOString().slice(0, 10)).toBe(periodEndsOn);
    expect(await db().auditLog.count({ where: { accountId: c.accountId, action: 'validation_notice.sent' } })).toBe(1);
    const snapshot = await c.handle.query(caseSnapshotQuery);
    expect(snapshot.compliance).toMatchObject({ validationPeriodEndsOn: periodEndsOn, validationPeriodOpen: true, validationNoticeChannel: 'email', timeBarredSince: null });
    expect(await caseComplianceViewOf(db(), caseId, await now())).toMatchObject({ validationNoticeSentAt: row.validationNoticeSentAt!.toISOString(), validationPeriodEndsOn: periodEndsOn });

    // Day 8: the report is due. The 14 days after the first communication end on day 19, the validation
    // period weeks later: it waits for the later of the two, and says why.
    const periodOver = localInstant(periodEndsOn, 1, 0);
    await harness.skipTo(c.dueDate, 8, 12);
    const waiting = await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.nextStep?.id === 'credit_report' && s.nextStep.note !== undefined);
    expect(waiting.nextStep).toMatchObject({ dueAt: periodOver.toISOString(), note: `The validation period runs until ${periodEndsOn}: no credit reporting before it ends` });
    expect(await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: caseId } }), (r) => r.nextAction === 'credit_report')).toMatchObject({ nextActionAt: periodOver, nextActionNote: waiting.nextStep!.note });
    await harness.skipTo(c.dueDate, 20, 12);
    expect(await creditReports(c.accountId)).toBe(0);
    expect((await c.handle.query(caseSnapshotQuery)).stepsDone).toEqual(['reminder_email']);

    // The day after the period: reported, once.
    const periodDay = Math.round((Date.parse(periodEndsOn) - Date.parse(c.dueDate)) / 86_400_000);
    await harness.skipTo(c.dueDate, periodDay, 23);
    expect(await creditReports(c.accountId)).toBe(0);
    await harness.skipTo(c.dueDate, periodDay + 1, 1);
    expect(await eventually(() => creditReports(c.accountId), (n) => n === 1)).toBe(1);
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { accountId: c.accountId, event: 'account.credit_report' } });
    expect(delivery.payload).toMatchObject({ type: 'account.credit_report', data: { balanceMinor: '31337', currency: 'USD', validationPeriodEndsOn: periodEndsOn } });
    await harness.skipTo(c.dueDate, periodDay + 3, 12);
    expect(await creditReports(c.accountId)).toBe(1);
    expect(await db().message.count({ where: { caseId, idempotencyKey: { startsWith: 'validation-notice:' } } })).toBe(1);
    await harness.endCase(c.handle);
    await keepHistory(c.handle, 'validation-notice-and-credit-report.pb');
    await strategy.retire();
  });

  test('where no validation notice is required (HU), the credit report waits 14 days after the first communication, then goes once', async () => {
    const strategy = await strategyFor(14_014, [
      { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
      { id: 'credit_report', stage: 'hard', trigger: { kind: 'days_past_due', days: 8 }, action: { kind: 'report_to_credit_bureau' } },
    ]);
    const c = await harness.openCase(14_014n, { customer: { jurisdiction: 'HU' } });
    await harness.skipTo(c.dueDate, 5, 12);
    // Hungary's contact days leave out Sunday: the reminder may wait a day.
    const first = (await eventually(async () => (await harness.env.sleep('6 hours'), db().collectionCase.findUniqueOrThrow({ where: { id: c.caseId! } })), (r) => r.firstContactAt !== null)).firstContactAt!;
    await harness.skipTo(c.dueDate, 9, 12);
    const waiting = await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.nextStep?.id === 'credit_report' && s.nextStep.note !== undefined);
    const waitOver = new Date(first.getTime() + 14 * 86_400_000);
    expect(waiting.nextStep).toMatchObject({ dueAt: waitOver.toISOString(), note: `First communicated with on ${first.toISOString().slice(0, 10)}: credit reporting waits 14 days after it` });
    expect(waiting.compliance).toMatchObject({ validationNoticeRequired: false, validationNoticeSentAt: null });
    await harness.env.sleep(waitOver.getTime() - (await harness.env.currentTimeMs()) - 3_600_000);
    expect(await creditReports(c.accountId)).toBe(0);
    await harness.env.sleep('2 hours');
    expect(await eventually(() => creditReports(c.accountId), (n) => n === 1)).toBe(1);
    expect(await message(`validation-notice:${c.caseId}`)).toBeNull();
    await harness.endCase(c.handle);
    await strategy.retire();
  });

  test('a dispute within the validation period holds collection of the disputed part; disputing the rest holds the case and the credit report until it is resolved', async () => {
    const strategy = await strategyFor(27_182, [
      { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
      { id: 'second_reminder', stage: 'soft', trigger: { kind: 'days_past_due', days: 10 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
      { id: 'credit_report', stage: 'hard', trigger: { kind: 'days_past_due', days: 12 }, action: { kind: 'report_to_credit_bureau' } },
    ]);
    const ref = `ACC-${randomBytes(3).toString('hex')}`;
    const today = localDate(await now(), timeZone);
    const dueDate = addDays(today, -1);
    const opened = await reportDelinquency(db(), harness.workflows(), billing, billingActor, {
      customer: { externalRef: `C-${ref}`, name: 'Pat Doe', type: 'retail', timeZone, branchCode: harness.branchCode, contacts: [{ kind: 'email', value: `${ref.toLowerCase()}@example.net` }] },
      account: { externalRef: ref, currency: 'USD' },
      invoices: [
        { externalRef: `${ref}-A`, issuedAt: addDays(dueDate, -20), dueDate, amountMinor: 17_182n, openMinor: 17_182n },
        { externalRef: `${ref}-B`, issuedAt: addDays(dueDate, -20), dueDate, amountMinor: 10_000n, openMinor: 10_000n },
      ],
    }, await now());
    const handle = harness.env.client.workflow.getHandle(opened.workflowId!);
    const caseId = opened.caseId!;
    await harness.skipTo(dueDate, 5, 10);
    await eventually(() => message(`validation-notice:${caseId}`), (m) => m !== null);

    // Day 7: the debtor disputes invoice A, within the validation period.
    await harness.skipTo(dueDate, 7, 10);
    await openDispute(db(), harness.workflows(), billing, billingActor, { accountRef: ref, invoiceRefs: [`${ref}-A`], reason: 'never ordered the upgrade' });
    const logged = await db().activity.findFirstOrThrow({ where: { caseId, summary: { startsWith: 'Dispute opened' } } });
    expect(logged.summary).toMatch(/within the validation period \(ends \d{4}-\d{2}-\d{2}\)$/);
    expect((await db().auditLog.findFirstOrThrow({ where: { accountId: opened.accountId, action: 'dispute.opened' } })).after).toMatchObject({ withinValidationPeriod: true });
    // Collection goes on for the undisputed part only: the day-10 reminder asks for invoice B alone.
    await harness.skipTo(dueDate, 10, 10);
    const second = await eventually(() => message(`step:${caseId}:second_reminder`), (m) => m !== null);
    expect(second!.body).toContain('$100.00');
    expect(second!.body).not.toContain('$271.82');
    expect(await handle.query(caseSnapshotQuery)).toMatchObject({ hold: null, balanceMinor: '10000', disputedMinor: '17182' });

    // Everything disputed: the case holds, and nothing is reported while the dispute is open.
    await openDispute(db(), harness.workflows(), billing, billingActor, { accountRef: ref, invoiceRefs: [`${ref}-B`], reason: 'moved out in August' });
    await eventually(() => handle.query(caseSnapshotQuery), (s) => s.hold === 'everything_disputed');
    const periodEnds = (await db().collectionCase.findUniqueOrThrow({ where: { id: caseId } })).validationPeriodEndsOn!.toISOString().slice(0, 10);
    const afterPeriod = Math.round((Date.parse(periodEnds) - Date.parse(dueDate)) / 86_400_000) + 2;
    await harness.skipTo(dueDate, afterPeriod, 12);
    expect(await creditReports(opened.accountId)).toBe(0);
    expect((await handle.query(caseSnapshotQuery)).stepsDone).toEqual(['reminder_email', 'second_reminder']);

    // Rejected: owed again, and the report (after the period, 14 days after first contact) goes out.
    await resolveDispute(db(), harness.workflows(), billing, billingActor, { accountRef: ref, invoiceRefs: [`${ref}-A`, `${ref}-B`], outcome: 'rejected', note: 'service logs show use' });
    await harness.skipTo(dueDate, afterPeriod, 13);
    expect(await eventually(() => creditReports(opened.accountId), (n) => n === 1)).toBe(1);
    await harness.endCase(handle);
    await strategy.retire();
  });

  test('a collector’s conversation that is the first communication brings the notice by letter when there is no email', async () => {
    const collector = await createUser(db(), 'collector');
    const c = await harness.openCase(4_242n, { contacts: [{ kind: 'phone', value: '+15550004242' }, { kind: 'address', value: '1 Main St, Springfield, IL 62701' }] });
    const at = await now();
    await recordContactOutcome({ db: db(), workflows: harness.workflows() }, { kind: 'user', id: collector.id, role: 'collector', branchId: null, name: collector.name }, { type: 'user', id: collector.id }, c.accountId, { channel: 'inbound', outcome: 'reached', note: 'called about the bill' }, at);
    const letter = await eventually(() => message(`validation-notice:${c.caseId}`), (m) => m !== null);
    expect(letter).toMatchObject({ channel: 'letter', toAddress: '1 Main St, Springfield, IL 62701' });
    // The message is queued first, then the case records the notice.
    const row = await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: c.caseId! } }), (r) => r.validationNoticeSentAt !== null);
    expect(row.firstContactAt?.toISOString()).toBe(at.toISOString());
    expect(row.validationNoticeChannel).toBe('letter');
    expect(await db().auditLog.count({ where: { accountId: c.accountId, action: 'case.first_contact' } })).toBe(1);
    await harness.endCase(c.handle);
  });

  test('a field rep who speaks with the customer at the door is the first communication: the notice follows by email', async () => {
    const rep = await createUser(db(), 'field_rep');
    const c = await harness.openCase(5_151n);
    const at = await now();
    const synced = await syncFieldVisits({ db: db(), workflows: harness.workflows(), cardProcessor: null }, { kind: 'user', id: rep.id, role: 'field_rep', branchId: null, name: rep.name }, { type: 'user', id: rep.id }, { deviceId: null, visits: [{ clientVisitId: randomUUID(), accountId: c.accountId, arrivedAt: at, contactResult: 'spoke_with_customer', notes: 'Will pay on Friday' }] }, at);
    expect(synced.results[0]).toMatchObject({ status: 'recorded' });
    const notice = await eventually(() => message(`validation-notice:${c.caseId}`), (m) => m !== null);
    expect(notice).toMatchObject({ channel: 'email' });
    const row = await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: c.caseId! } }), (r) => r.validationNoticeSentAt !== null);
    expect(row.firstContactAt?.toISOString()).toBe(at.toISOString());
    await harness.endCase(c.handle);
  });

  test('a strategy whose first message is the validation notice sends no second one', async () => {
    const strategy = await strategyFor(16_180, [{ id: 'notice', stage: 'soft', trigger: { kind: 'days_past_due', days: 2 }, action: { kind: 'send_message', channel: 'email', template: 'validation_notice' } }]);
    const c = await harness.openCase(16_180n);
    await harness.skipTo(c.dueDate, 2, 10);
    await eventually(() => message(`step:${c.caseId}:notice`), (m) => m !== null);
    const row = await eventually(() => db().collectionCase.findUniqueOrThrow({ where: { id: c.caseId! } }), (r) => r.validationNoticeSentAt !== null);
    expect(row.validationNoticeChannel).toBe('email');
    await harness.skipTo(c.dueDate, 3, 10);
    expect(await message(`validation-notice:${c.caseId}`)).toBeNull();
    await harness.endCase(c.handle);
    await strategy.retire();
  });
});

describe('time-barred debt (Reg F §1006.26(b))', () => {
  test('a time-barred debt is not referred to legal and gets no letter threatening suit, and the log says why', async () => {
    const strategy = await strategyFor(8_888, [
      { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 30 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
      { id: 'legal_warning', stage: 'pre_legal', trigger: { kind: 'days_past_due', days: 60 }, action: { kind: 'send_message', channel: 'email', template: 'legal_action_notice' } },
      { id: 'refer', stage: 'legal', trigger: { kind: 'days_past_due', days: 90 }, action: { kind: 'refer_to_legal' } },
    ]);
    // Massachusetts: six years from the due date of the oldest unpaid invoice, seven years ago.
    const ref = `ACC-${randomBytes(3).toString('hex')}`;
    const dueDate = addDays(localDate(await now(), timeZone), -7 * 365);
    const opened = await reportDelinquency(db(), harness.workflows(), billing, billingActor, {
      customer: { externalRef: `C-${ref}`, name: 'Lee Old', type: 'retail', timeZone, jurisdiction: 'US-MA', branchCode: harness.branchCode, contacts: [{ kind: 'email', value: `${ref.toLowerCase()}@example.net` }] },
      account: { externalRef: ref, currency: 'USD' },
      invoices: [{ externalRef: `${ref}-1`, issuedAt: addDays(dueDate, -20), dueDate, amountMinor: 8_888n, openMinor: 8_888n }],
    }, await now());
    const handle = harness.env.client.workflow.getHandle(opened.workflowId!);
    const caseId = opened.caseId!;
    const barredSince = `${Number(dueDate.slice(0, 4)) + 6}${dueDate.slice(4)}`;
    await harness.env.sleep('1 day');
    const referral = await eventually(() => db().activity.findFirst({ where: { caseId, summary: { startsWith: 'Referral to legal not carried out' } } }), (a) => a !== null);
    expect(referral!.summary).toBe(`Referral to legal not carried out: The debt is time-barred since ${barredSince}: no legal action, and no threat of it, may be taken`);
    const warning = await db().activity.findFirstOrThrow({ where: { caseId, summary: { startsWith: 'Email legal action notice not carried out' } } });
    expect(warning.summary).toContain(`time-barred since ${barredSince}`);
    expect(await message(`step:${caseId}:legal_warning`)).toBeNull();
    expect(await db().activity.count({ where: { caseId, summary: 'Referred to the legal department' } })).toBe(0);
    expect((await db().auditLog.findFirstOrThrow({ where: { accountId: opened.accountId, action: 'compliance.blocked' } })).after).toMatchObject({ step: 'refer', reason: 'time_barred' });
    expect((await db().auditLog.findFirstOrThrow({ where: { accountId: opened.accountId, action: 'contact.blocked' } })).after).toMatchObject({ step: 'legal_warning', reason: 'time_barred' });
    // The reminder still goes (collecting is allowed; suing is not), the case does not move to pre-legal or legal, and both views say why.
    expect(await message(`step:${caseId}:reminder_email`)).not.toBeNull();
    const snapshot = await handle.query(caseSnapshotQuery);
    expect(snapshot).toMatchObject({ stage: 'soft', stagesBeforeLegal: 2, compliance: { timeBarredSince: barredSince } }); // pre-legal, then legal
    expect(snapshot.stepsDone).toEqual(['reminder_email', 'legal_warning', 'refer']);
    expect(await caseComplianceViewOf(db(), caseId, await now())).toMatchObject({ timeBarredOn: barredSince, timeBarredSince: barredSince });
    expect((await db().collectionCase.findUniqueOrThrow({ where: { id: caseId } })).stage).toBe('soft');
    await harness.endCase(handle);
    await keepHistory(handle, 'time-barred-legal-blocked.pb');
    await strategy.retire();
  });
});
