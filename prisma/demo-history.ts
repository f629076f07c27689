// The demo book's past (S6): accounts that fell behind in the last seven months and whose cases have
// ended, most of them paid, the rest written off, so that a fresh install's strategy performance
// page, its closed cases and its account timelines have something to show. Each case ran the version
// its segment's arms gave its account (low-risk retail's challenger included), so the performance page
// compares two arms. Called by seedDemoData with `history`; deterministic like it (the PRNG, and
// account and strategy ids from their names, so every install has the same arms and figures).
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/client.ts';
import { caseWorkflowId } from '../domain/case-identity.ts';
import { strategyForNewCase } from '../services/strategies.ts';
import { accountAfterCaseClosed } from '../domain/case-lifecycle.ts';
import { describeDaysPastDue } from '../domain/ageing.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { describeStepAction, timedStepsPassed, type StrategyDefinition } from '../domain/strategy.ts';
import { renderBuiltInTemplate } from '../domain/templates.ts';
import { usValidationNotice, validationPeriodEndsOn } from '../domain/validation-notice.ts';
import { auditedTransaction, recordAudit, systemActor } from '../services/audit.ts';
import { branches, companyKinds, companyWords, demoId, emptyDemoRows, firstNames, lastNames, prng, streets, writeDemoRows } from './demo-book.ts';

/** How each segment's (and arm's) cases tended to end: the share paid, and the days a payment took. */
interface ArmHistory {
  paidShare: number;
  daysToPay: [number, number];
}
const history: Record<string, { accounts: number; corporate: boolean; balance: [number, number]; arms: Record<number, ArmHistory> }> = {
  RETAIL_LOW: { accounts: 300, corporate: false, balance: [3_000, 20_000], arms: { 1: { paidShare: 0.7, daysToPay: [6, 45] }, 2: { paidShare: 0.86, daysToPay: [4, 35] } } },
  RETAIL_HIGH: { accounts: 120, corporate: false, balance: [20_001, 60_000], arms: { 1: { paidShare: 0.58, daysToPay: [8, 60] } } },
  CORPORATE: { accounts: 120, corporate: true, balance: [50_000, 2_000_000], arms: { 1: { paidShare: 0.8, daysToPay: [5, 55] } } },
};
/** A case not paid is written off this many days after it opened. */
const writeOffAfter: [number, number] = [95, 150];

export async function seedRecoveredHistory(db: Db, options: { now?: Date; log?: (line: string) => void } = {}): Promise<{ cases: number }> {
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const rnd = prng(20261203);
  const segments = await db.segment.findMany({ where: { code: { in: Object.keys(history) } }, include: { strategies: { orderBy: { version: 'asc' } } } });
  const branchRows = await db.branch.findMany({ orderBy: { code: 'asc' } });
  const collectors = await db.user.findMany({ where: { role: 'collector' }, select: { id: true, branchId: true } });

  let serial = 0;
  let total = 0;
  for (const segment of segments) {
    const plan = history[segment.code]!;
    const rows = emptyDemoRows();
    const active = segment.strategies.filter((s) => s.status === 'active');
    for (let n = 0; n < plan.accounts; n++) {
      serial += 1;
      const ref = String(500000 + serial);
      const branchSpec = branches[serial % branches.length]!;
      const branch = branchRows.find((b) => b.code === branchSpec.code)!;
      const city = rnd.pick(branchSpec.cities);
      const customerId = randomUUID();
      const accountId = demoId(`account:ACC-${ref}`);
      const caseId = randomUUID();
      const first = rnd.pick(firstNames);
      const last = rnd.pick(lastNames);
      const name = plan.corporate ? `${rnd.pick(companyWords)} ${rnd.pick(companyKinds)} ${rnd.pick(['LLC', 'Inc.', 'Co.'])}` : `${first} ${last}`;
      rows.customers.push({ id: customerId, externalRef: `CUST-${ref}`, type: plan.corporate ? 'corporate' : 'retail', name, timeZone: branch.timeZone, jurisdiction: branchSpec.jurisdiction, branchId: branch.id });
      const email = `${plan.corporate ? `accounts.${ref}` : `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '')}${ref}@example.net`;
      const mobile = `+1556${ref.slice(-7).padStart(7, '0')}`;
      rows.contacts.push({ customerId, kind: 'email', value: email, label: plan.corporate ? 'Accounts payable' : 'Personal', isPrimary: true });
      rows.contacts.push({ customerId, kind: 'mobile', value: mobile, label: 'Mobile', isPrimary: true });
      const serviceAddress = `${rnd.int(1, 9999)} ${rnd.pick(streets)}, ${city.name}`;
      const postalCode = `${city.zip}${String(rnd.int(1, 40)).padStart(2, '0')}`;
      rows.contacts.push({ customerId, kind: 'address', value: `${serviceAddress} ${postalCode}`, label: plan.corporate ? 'Premises' : 'Home', isPrimary: true });

      const strategyId = strategyForNewCase(accountId, active) ?? segment.strategies[0]!.id;
      const strategy = segment.strategies.find((s) => s.id === strategyId)!;
      const arm = plan.arms[strategy.version] ?? plan.arms[1]!;
      const paid = rnd.next() < arm.paidShare;
      const lasted = paid ? rnd.int(...arm.daysToPay) : rnd.int(...writeOffAfter);
      const openedDaysAgo = rnd.int(lasted + 3, 215);
      const openedAt = new Date(now.getTime() - openedDaysAgo * 86_400_000);
      openedAt.setUTCHours(14, 0, 0, 0);
      const closedAt = new Date(openedAt.getTime() + lasted * 86_400_000 + rnd.int(1, 6) * 3_600_000);
      const balance = BigInt(rnd.int(...plan.balance));
      // The debt was a day past due when billing reported it; the invoice fell due the day before.
      const dueDate = new Date(openedAt.getTime() - 86_400_000);
      const daysPastDueAtClose = lasted + 1;
      const collected = paid ? balance : rnd.next() < 0.3 ? balance / 4n : 0n;

      rows.invoices.push({ accountId, externalRef: `INV-${ref}-1`, issuedAt: new Date(dueDate.getTime() - 21 * 86_400_000), dueDate, amountMinor: balance, openMinor: balance - collected, status: paid ? 'paid' : 'written_off' });
      const steps = timedStepsPassed(strategy.definition as unknown as StrategyDefinition, daysPastDueAtClose);
      // A paid case lifts a suspension its strategy made; a write-off leaves it in place.
      const after = accountAfterCaseClosed(paid ? 'paid' : 'written_off', { status: 'delinquent', serviceStatus: steps.some((st) => st.action.kind === 'suspend_service') ? 'suspended' : 'active' });
      const account = { id: accountId, externalRef: `ACC-${ref}`, customerId, branchId: branch.id, segmentId: segment.id, currency: 'USD', status: after.status, serviceStatus: after.serviceStatus, balanceMinor: 0n, oldestDueDate: null, serviceAddress, postalCode, brokenPromises: 0 };
      rows.accounts.push(account);
      // What the strategy did before the case ended: its messages (as the pipeline sent them) and calls.
      const tone = plan.corporate ? 'corporate' : 'retail';
      const variables = { customerName: name, accountRef: `ACC-${ref}`, balance: formatMinorUnits(balance, 'USD'), daysPastDue: 1 };
      const sent: Array<{ channel: 'email' | 'sms' | 'letter'; at: Date }> = [];
      for (const step of steps) {
        if (step.trigger.kind !== 'days_past_due') continue;
        const at = new Date(openedAt.getTime() + (step.trigger.days - 1) * 86_400_000);
        if (step.action.kind === 'send_message') {
          const channel = step.action.channel;
          const rendered = renderBuiltInTemplate(step.action.template, channel, tone, { ...variables, daysPastDue: step.trigger.days });
          const to = channel === 'email' ? email : channel === 'sms' ? mobile : `${serviceAddress} ${postalCode}`;
          rows.messages.push({ accountId, caseId, channel, toAddress: to, subject: rendered.sent.subject, body: rendered.sent.body, status: 'delivered', provider: 'demo', attempts: 1, idempotencyKey: `demo-history:${caseId}:${step.id}`, createdAt: at, sentAt: at });
          rows.activities.push({ accountId, caseId, kind: channel, summary: `${describeStepAction(step.action)} sent`, occurredAt: at });
          sent.push({ channel, at });
        } else if (step.action.kind === 'call_task') {
          const caller = collectors.filter((c) => c.branchId === branch.id)[serial % 2];
          const outcome = rnd.pick(['no_answer', 'left_message', 'reached'] as const);
          const calledAt = new Date(at.getTime() + rnd.int(1, 6) * 3_600_000);
          if (calledAt < closedAt) rows.activities.push({ accountId, caseId, userId: caller?.id ?? null, kind: 'call', outcome, summary: `Called customer: ${outcome.replaceAll('_', ' ')}`, occurredAt: calledAt });
        }
      }
      // The first letter or email carried the validation notice (X1); its period ran 30 days from receipt.
      const notice = sent.find((m) => m.channel !== 'sms');
      const noticeOn = notice?.at.toISOString().slice(0, 10);
      rows.cases.push({ id: caseId, accountId, episode: 1, workflowId: caseWorkflowId(accountId, 1), status: 'closed', stage: 'closed', closeReason: paid ? 'paid' : 'written_off', strategyId, openedAt, closedAt, balanceAtOpen: balance, daysPastDueAtOpen: 1, stepsDone: steps.map((s) => s.id), firstContactAt: sent[0]?.at ?? null, validationNoticeSentAt: notice?.at ?? null, validationNoticeChannel: notice?.channel ?? null, validationPeriodEndsOn: noticeOn ? new Date(validationPeriodEndsOn(noticeOn, usValidationNotice, branchSpec.jurisdiction)) : null });
      rows.activities.push({ accountId, caseId, kind: 'system', summary: `Reported delinquent by billing: ${describeDaysPastDue(1)}`, occurredAt: openedAt });
      // A person agreed a date with some of those a collector spoke to; those who paid kept it.
      const collector = collectors.filter((c) => c.branchId === branch.id)[serial % 2];
      if (collector && segment.code !== 'RETAIL_LOW' && rnd.next() < 0.45) {
        const madeAt = new Date(openedAt.getTime() + Math.max(1, Math.floor(lasted / 2) - 7) * 86_400_000);
        const promisedFor = paid ? closedAt : new Date(madeAt.getTime() + 14 * 86_400_000);
        rows.promises.push({ accountId, caseId, amountMinor: balance, currency: 'USD', dueDate: new Date(promisedFor.toISOString().slice(0, 10)), status: paid ? 'kept' : 'broken', createdById: collector.id, createdAt: madeAt, resolvedAt: paid ? closedAt : new Date(promisedFor.getTime() + 86_400_000) });
        if (!paid) account.brokenPromises = 1;
        rows.activities.push({ accountId, caseId, userId: collector.id, kind: 'promise', direction: 'inbound', outcome: 'promise_to_pay', summary: `Promise to pay ${formatMinorUnits(balance, 'USD')} by ${promisedFor.toISOString().slice(0, 10)}`, occurredAt: madeAt });
      }
      if (collected > 0n) {
        const paidAt = paid ? closedAt : new Date(openedAt.getTime() + Math.floor(lasted / 3) * 86_400_000);
        const method = rnd.pick(['card', 'bank_transfer', 'direct_debit', 'cheque'] as const);
        rows.payments.push({ accountId, externalRef: `PAY-${ref}-1`, amountMinor: collected, currency: 'USD', method, source: 'billing', receivedAt: paidAt });
        rows.activities.push({ accountId, caseId, kind: 'payment', direction: 'inbound', summary: `Payment received: ${formatMinorUnits(collected, 'USD')} by ${method.replace('_', ' ')}`, occurredAt: paidAt });
      }
      if (!paid) rows.activities.push({ accountId, caseId, kind: 'status_change', summary: `Written off: ${formatMinorUnits(balance - collected, 'USD')} (INV-${ref}-1)`, occurredAt: closedAt });
      rows.activities.push({ accountId, caseId, kind: 'status_change', summary: `Case closed: ${paid ? 'paid in full' : 'written off'}`, occurredAt: closedAt });
    }
    await writeDemoRows(db, rows);
    total += plan.accounts;
    log(`demo history: ${segment.code} ${plan.accounts} closed cases`);
  }
  await auditedTransaction(db, (tx) => recordAudit(tx, systemActor, { action: 'demo.history_seeded', entityType: 'system', entityId: 'demo', after: { closedCases: total } }));
  return { cases: total };
}
