// Realistic demo data: 3 branches (CSCs), a team (admin, supervisors, collectors, field reps,
// legal, viewer) and about 2,000 delinquent accounts, retail and corporate, with invoices 1-120
// days past due, contacts, some payment history and a contact log. Deterministic (seeded PRNG),
// so every fresh install shows the same book.
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/db/client.ts';
import { caseWorkflowId } from '../domain/case-identity.ts';
import { describeDaysPastDue, dueDateForDaysPastDue } from '../domain/ageing.ts';
import { automatedLowRiskStrategy, corporateStrategy, referenceStrategyS5, smsFirstLowRiskStrategy } from '../domain/reference-strategies.ts';
import { currentStage, describeStepAction, nextTimedStep, timedStepsPassed, type StrategyDefinition } from '../domain/strategy.ts';
import { whenStepRuns } from '../domain/case-schedule.ts';
import { hashPassword } from '../api/auth/secrets.ts';
import { defaultOrdering, priorityScore } from '../domain/work-queues.ts';
import { auditedTransaction, recordAudit, systemActor } from '../services/audit.ts';
import { seedTodaysRoutes } from './demo-routes.ts';
import { strategyForNewCase } from '../services/strategies.ts';
import { seedRecoveredHistory } from './demo-history.ts';
import { branches, companyKinds, companyWords, corps, demoId, emptyDemoRows, firstNames, lastNames, prng, round5, streets, writeDemoRows } from './demo-book.ts';

export const demoPassword = 'demo-password';
/** The low-risk challenger's share of new cases when the demo has its history. */
export const demoChallengerPercent = 20;

export const demoUsers = [
  { email: 'admin@example.com', name: 'Ada Admin', role: 'admin', branch: null },
  { email: 'supervisor@example.com', name: 'Sofia Supervisor', role: 'supervisor', branch: null },
  { email: 'supervisor.east@example.com', name: 'Evan Easton', role: 'supervisor', branch: 'EAST' },
  { email: 'collector1@example.com', name: 'Carla Collins', role: 'collector', branch: 'EAST' },
  { email: 'collector2@example.com', name: 'Omar Okafor', role: 'collector', branch: 'EAST' },
  { email: 'collector3@example.com', name: 'Priya Patel', role: 'collector', branch: 'CENT' },
  { email: 'collector4@example.com', name: 'Liam Walsh', role: 'collector', branch: 'WEST' },
  { email: 'field1@example.com', name: 'Frank Fielding', role: 'field_rep', branch: 'EAST' },
  { email: 'field2@example.com', name: 'Rosa Ramirez', role: 'field_rep', branch: 'CENT' },
  { email: 'field3@example.com', name: 'Tom Becker', role: 'field_rep', branch: 'WEST' },
  { email: 'legal@example.com', name: 'Leah Lawson', role: 'legal', branch: null },
  { email: 'viewer@example.com', name: 'Victor Viewer', role: 'viewer', branch: null },
] as const;

export async function isSeeded(db: Db): Promise<boolean> {
  return (await db.branch.count()) > 0;
}

/** With `history` (the demo's start does this; tests do not): low-risk retail runs a challenger on
 *  a fifth of its cases, and the book has seven months of closed cases behind it (demo-history.ts). */
export async function seedDemoData(db: Db, options: { accounts?: number; now?: Date; log?: (line: string) => void; history?: boolean } = {}): Promise<{ accounts: number }> {
  const total = options.accounts ?? 2000;
  const now = options.now ?? new Date();
  const log = options.log ?? (() => {});
  const rnd = prng(20261123);

  const branchRows = branches.map((b) => ({ id: randomUUID(), code: b.code, name: b.name, timeZone: b.timeZone, address: b.office.address, latitude: b.office.lat, longitude: b.office.lon }));
  await db.branch.createMany({ data: branchRows });
  const branchId = (code: string) => branchRows.find((b) => b.code === code)!.id;

  const passwordHash = await hashPassword(demoPassword);
  const userRows = demoUsers.map((u) => ({ id: randomUUID(), email: u.email, name: u.name, role: u.role, branchId: u.branch ? branchId(u.branch) : null, passwordHash }));
  await db.user.createMany({ data: userRows });
  const collectorsByBranch = (code: string) => userRows.filter((u) => u.role === 'collector' && u.branchId === branchId(code));

  // Each branch's collectors work their branch's book: calls due first, then broken promises, then the oldest debt (W2).
  for (const branch of branchRows) {
    await db.workQueue.create({ data: { name: `${branch.name.split(' (')[0]}: today's calls`, branchId: branch.id, filter: {}, ordering: defaultOrdering, rank: 10, members: { create: [{ branchId: branch.id }] } } });
  }

  const segments = [
    { id: randomUUID(), code: 'RETAIL_LOW', name: 'Retail – low risk', customerType: 'retail' as const, criteria: { customerType: 'retail', maxBalanceMinor: 20000 }, priority: 30 },
    { id: randomUUID(), code: 'RETAIL_HIGH', name: 'Retail – high risk', customerType: 'retail' as const, criteria: { customerType: 'retail', minBalanceMinor: 20001 }, priority: 20 },
    { id: randomUUID(), code: 'CORPORATE', name: 'Corporate', customerType: 'corporate' as const, criteria: { customerType: 'corporate' }, priority: 10 },
  ];
  await db.segment.createMany({ data: segments });
  // Each segment its own strategy (S4, C2): low-risk retail fully automated, high-risk retail the
  // reference strategy S5 exactly as written, corporate its own order (a call before anything written).
  const strategyOf: Record<string, { name: string; definition: StrategyDefinition }> = {
    RETAIL_LOW: { name: 'Retail – low risk, automated', definition: automatedLowRiskStrategy },
    RETAIL_HIGH: { name: 'Retail – high risk, reference (S5)', definition: referenceStrategyS5 },
    CORPORATE: { name: 'Corporate – call first', definition: corporateStrategy },
  };
  // Each segment's version 1; with the history, low-risk retail also runs its challenger (S6).
  const challengerSegmentId = options.history ? segments[0]!.id : null;
  const strategyRows = [
    ...segments.map((s) => ({
      id: demoId(`strategy:${s.code}:1`),
      segmentId: s.id,
      version: 1,
      name: strategyOf[s.code]!.name,
      status: 'active' as const,
      trafficPercent: s.id === challengerSegmentId ? 100 - demoChallengerPercent : 100,
      definition: strategyOf[s.code]!.definition,
    })),
    ...(challengerSegmentId ? [{ id: demoId('strategy:RETAIL_LOW:2'), segmentId: challengerSegmentId, version: 2, name: 'Retail – low risk, text first (challenger)', status: 'active' as const, trafficPercent: demoChallengerPercent, definition: smsFirstLowRiskStrategy }] : []),
  ];
  await db.strategy.createMany({ data: strategyRows.map((row) => ({ ...row, definition: row.definition as object })) });
  /** The version a new case of the segment takes: the arm its account id gives, as for a real case. */
  const strategyFor = (segmentId: string, accountId: string) => {
    const id = strategyForNewCase(accountId, strategyRows.filter((row) => row.segmentId === segmentId))!;
    return { id, definition: strategyRows.find((row) => row.id === id)!.definition };
  };

  const batchSize = 250;
  for (let start = 0; start < total; start += batchSize) {
    const rows = emptyDemoRows();
    for (let n = start; n < Math.min(total, start + batchSize); n++) {
      const branch = branches[n % branches.length]!;
      const corporate = rnd.next() < 0.25;
      const first = rnd.pick(firstNames);
      const last = rnd.pick(lastNames);
      const name = corporate ? `${rnd.pick(companyWords)} ${rnd.pick(companyKinds)} ${rnd.pick(['LLC', 'Inc.', 'Co.'])}` : `${first} ${last}`;
      const ref = String(100001 + n);
      const customerId = randomUUID();
      const accountId = demoId(`account:ACC-${ref}`);
      const emailLocal = corporate ? `accounts.${ref}` : `${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '');
      rows.customers.push({ id: customerId, externalRef: `CUST-${ref}`, type: corporate ? 'corporate' : 'retail', name, timeZone: branch.timeZone, jurisdiction: branch.jurisdiction, branchId: branchId(branch.code) });
      rows.contacts.push({ customerId, kind: 'email', value: `${emailLocal}${n}@example.net`, label: corporate ? 'Accounts payable' : 'Personal', isPrimary: true });
      rows.contacts.push({ customerId, kind: 'mobile', value: `+1555${String(1000000 + n).slice(-7)}`, label: 'Mobile', isPrimary: true });
      if (rnd.next() < 0.4) rows.contacts.push({ customerId, kind: 'phone', value: `+1555${String(2000000 + n).slice(-7)}`, label: corporate ? 'Office' : 'Home', isPrimary: false });
      // Half the book lives in the office's city, the rest in the branch's other towns.
      const city = rnd.next() < 0.5 ? branch.cities[0]! : rnd.pick(branch.cities);
      const postalCode = `${city.zip}${String(rnd.int(1, 40)).padStart(2, '0')}`;
      const serviceAddress = `${rnd.int(1, 9999)} ${rnd.pick(streets)}, ${city.name}`;
      rows.contacts.push({ customerId, kind: 'address', value: `${serviceAddress} ${postalCode}`, label: corporate ? 'Premises' : 'Home', isPrimary: true });
      // Within about 6 km of the centre (a degree of longitude is shorter than one of latitude).
      const location = { serviceAddress, postalCode, latitude: round5(city.lat + (rnd.next() - 0.5) * 0.1), longitude: round5(city.lon + (rnd.next() - 0.5) * 0.14), corp: rnd.pick(corps), auditRoute: `${branch.code}-${city.zip}-${rnd.int(1, 4)}` };

      const maxDaysPastDue = rnd.int(1, 120);
      const invoiceCount = Math.min(4, 1 + Math.floor(maxDaysPastDue / 30));
      let balance = 0n;
      let oldestDue: string | null = null;
      for (let k = 0; k < invoiceCount; k++) {
        const dpd = maxDaysPastDue - k * 30;
        const due = dueDateForDaysPastDue(dpd, now, branch.timeZone);
        const issued = dueDateForDaysPastDue(dpd + 21, now, branch.timeZone);
        const amount = BigInt(corporate ? rnd.int(50_000, 2_000_000) : rnd.int(3_000, 25_000));
        const partlyPaid = k === 0 && rnd.next() < 0.15;
        const open = partlyPaid ? amount / 2n : amount;
        balance += open;
        oldestDue ??= due;
        rows.invoices.push({ accountId, externalRef: `INV-${ref}-${k + 1}`, issuedAt: new Date(`${issued}T00:00:00Z`), dueDate: new Date(`${due}T00:00:00Z`), amountMinor: amount, openMinor: open, status: 'open' });
        if (partlyPaid) rows.payments.push({ accountId, externalRef: `PAY-${ref}-${k + 1}`, amountMinor: amount - open, currency: 'USD', method: rnd.pick(['card', 'bank_transfer', 'cheque'] as const), source: 'billing', receivedAt: new Date(`${dueDateForDaysPastDue(Math.max(0, dpd - 3), now)}T15:00:00Z`) });
      }
      const segment = corporate ? segments[2]! : balance > 20000n ? segments[1]! : segments[0]!;
      const { id: strategyId, definition: strategy } = strategyFor(segment.id, accountId);
      const priority = priorityScore({ balanceMinor: balance, oldestDueDate: oldestDue, brokenPromises: 0 });
      const caseId = randomUUID();
      // The book's history so far, as the segment's strategy would have run it: its timed steps up to today.
      const doneSteps = timedStepsPassed(strategy, maxDaysPastDue);
      const stepsDone = doneSteps.map((st) => st.id);
      const stage = currentStage(strategy, new Set(stepsDone));
      const next = nextTimedStep(strategy, { daysPastDue: maxDaysPastDue, done: new Set(stepsDone) });
      const suspended = doneSteps.some((st) => st.action.kind === 'suspend_service');
      rows.accounts.push({ id: accountId, externalRef: `ACC-${ref}`, customerId, branchId: branchId(branch.code), segmentId: segment.id, currency: 'USD', status: 'delinquent', serviceStatus: suspended ? 'suspended' : 'active', balanceMinor: balance, oldestDueDate: new Date(`${oldestDue}T00:00:00Z`), priorityScore: priority, ...location });
      const nextActionAt = next ? whenStepRuns(next, oldestDue!, branch.timeZone) : null;
      const openedAt = new Date(`${dueDateForDaysPastDue(Math.max(0, maxDaysPastDue - 1), now)}T09:00:00Z`);
      rows.cases.push({ id: caseId, accountId, episode: 1, workflowId: caseWorkflowId(accountId, 1), status: 'open', stage, stepsDone, nextAction: next?.id ?? null, nextActionAt, strategyId, openedAt, balanceAtOpen: balance, daysPastDueAtOpen: Math.max(1, maxDaysPastDue - 1) });
      rows.activities.push({ accountId, caseId, kind: 'system', summary: `Reported delinquent by billing: ${describeDaysPastDue(Math.max(1, maxDaysPastDue - 1))}`, occurredAt: openedAt });
      // Older debts that calls have not moved: a field visit is requested (F1), most in the office's city.
      if (maxDaysPastDue >= 30 && rnd.next() < (city === branch.cities[0] ? 0.2 : 0.06)) {
        const title = rnd.next() < 0.5 ? 'Field visit: collect the arrears' : 'Field visit: collect payment or recover equipment';
        rows.tasks.push({ accountId, caseId, branchId: branchId(branch.code), kind: 'visit', title, dueAt: new Date(openedAt.getTime() + 30 * 86_400_000) });
        rows.activities.push({ accountId, caseId, kind: 'system', summary: `Field visit requested: ${title}`, occurredAt: new Date(openedAt.getTime() + 30 * 86_400_000) });
      }
      // What each step it ran left in the contact log.
      for (const step of doneSteps) {
        if (step.trigger.kind !== 'days_past_due') continue;
        const at = new Date(openedAt.getTime() + (step.trigger.days - 1) * 86_400_000);
        const action = step.action;
        if (action.kind === 'send_message') {
          rows.activities.push({ accountId, caseId, kind: action.channel, summary: `${describeStepAction(action)} sent`, occurredAt: at });
        } else if (action.kind === 'call_task') {
          const collector = rnd.pick(collectorsByBranch(branch.code));
          const outcome = rnd.pick(['no_answer', 'left_message', 'promise_to_pay', 'wrong_number', 'refused']);
          rows.activities.push({ accountId, caseId, userId: collector?.id ?? null, kind: 'call', summary: `Called customer: ${outcome.replaceAll('_', ' ')}`, outcome, occurredAt: new Date(at.getTime() + rnd.int(9, 17) * 3_600_000) });
        } else if (action.kind === 'suspend_service') {
          rows.activities.push({ accountId, caseId, kind: 'status_change', summary: 'Service suspended', occurredAt: at });
        } else if (action.kind === 'place_with_agency') {
          rows.activities.push({ accountId, caseId, kind: 'system', summary: `Placed with ${action.agency}`, occurredAt: at });
        } else if (action.kind === 'refer_to_legal') {
          rows.activities.push({ accountId, caseId, kind: 'system', summary: 'Referred to the legal department', occurredAt: at });
        }
      }
    }
    await writeDemoRows(db, rows);
    log(`demo data: ${Math.min(total, start + batchSize)}/${total} accounts`);
  }
  await seedTodaysRoutes(db, now, log);
  if (options.history) await seedRecoveredHistory(db, { now, log });
  await auditedTransaction(db, (tx) => recordAudit(tx, systemActor, { action: 'demo.seeded', entityType: 'system', entityId: 'demo', after: { accounts: total, branches: branches.length, users: demoUsers.length } }));
  return { accounts: total };
}
