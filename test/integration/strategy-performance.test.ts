// S6 through the API: a segment's strategy versions with how their cases have done — share paid,
// recovery, days to pay, promises — the champion named and each challenger compared with it; a
// branch's supervisor counts her branch's cases only; collectors may not read it.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createAccountInArrears, createBranch } from '../support/fixtures.ts';
import { signIn } from '../support/agents.ts';

let system: TestSystem;
const db = () => system.database.db;

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
});
afterAll(async () => system?.stop());

describe('strategy performance (S6)', () => {
  test('each version’s cases, share paid, recovery, days to pay and promises; the challenger against the champion; scoped to the branch', async () => {
    const east = await createBranch(db());
    const west = await createBranch(db());
    const segment = await db().segment.create({ data: { code: 'PERF', name: 'Performance', criteria: {}, priority: 1 } });
    const definition = { steps: [{ id: 'n', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'note', text: 'x' } }] };
    const champion = await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Champion', status: 'active', trafficPercent: 80, definition } });
    const challenger = await db().strategy.create({ data: { segmentId: segment.id, version: 2, name: 'Challenger', status: 'active', trafficPercent: 20, definition } });
    const opened = new Date(Date.now() - 30 * 86_400_000);
    async function caseOn(branchId: string, strategyId: string, outcome: { paidAfterDays?: number; collectedMinor?: number; closeReason?: 'paid' | 'written_off' }) {
      const acc = await createAccountInArrears(db(), { branchId, balanceMinor: 10_000 });
      const closedAt = outcome.paidAfterDays !== undefined ? new Date(opened.getTime() + outcome.paidAfterDays * 86_400_000) : outcome.closeReason ? new Date() : null;
      await db().collectionCase.update({ where: { id: acc.caseId }, data: { strategyId, openedAt: opened, balanceAtOpen: 10_000n, ...(closedAt ? { status: 'closed', closedAt, closeReason: outcome.closeReason ?? 'paid' } : {}) } });
      const collected = outcome.collectedMinor ?? (outcome.paidAfterDays !== undefined ? 10_000 : 0);
      if (collected) await db().payment.create({ data: { accountId: acc.id, externalRef: `P-${acc.ref}`, amountMinor: BigInt(collected), currency: 'USD', method: 'card', source: 'billing', receivedAt: closedAt ?? new Date() } });
      return acc;
    }
    await caseOn(east.id, champion.id, { paidAfterDays: 10 });
    await caseOn(east.id, champion.id, { paidAfterDays: 20 });
    const unpaid = await caseOn(east.id, champion.id, {});
    // Neither a payment from before the case opened nor a reversed one counts as collected by it.
    await db().payment.create({ data: { accountId: unpaid.id, externalRef: `OLD-${unpaid.ref}`, amountMinor: 7_000n, currency: 'USD', method: 'cheque', source: 'billing', receivedAt: new Date(opened.getTime() - 5 * 86_400_000) } });
    await db().payment.create({ data: { accountId: unpaid.id, externalRef: `REV-${unpaid.ref}`, amountMinor: 3_000n, currency: 'USD', method: 'cheque', source: 'billing', receivedAt: new Date(opened.getTime() + 2 * 86_400_000), status: 'reversed', reversedAt: new Date() } });
    await caseOn(east.id, challenger.id, { closeReason: 'written_off' });
    const partly = await caseOn(west.id, challenger.id, { collectedMinor: 4_000 });
    await db().promiseToPay.create({ data: { accountId: partly.id, caseId: partly.caseId, amountMinor: 4_000n, currency: 'USD', dueDate: new Date(), status: 'kept' } });

    const head = await signIn(system, 'supervisor', null);
    const res = await head.get(`/segments/${segment.id}/performance`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ segment: { code: 'PERF' }, championId: champion.id });
    const [v1, v2] = res.body.arms;
    expect(v1).toMatchObject({ strategy: { id: champion.id, version: 1, trafficPercent: 80 }, isChampion: true, cases: 3, open: 1, paid: 2, otherClosed: 0, paidShare: 0.6667, recoveryRate: 0.6667, medianDaysToPay: 15, comparison: null });
    expect(v2).toMatchObject({ strategy: { id: challenger.id }, isChampion: false, cases: 2, paid: 0, otherClosed: 1, recoveryRate: 0.2, promises: { made: 1, kept: 1, keptShare: 1 }, comparison: { verdict: 'too_few_cases', paidShareDifference: -0.6667 } });

    // East's supervisor: East's cases only.
    const eastSupervisor = await signIn(system, 'supervisor', east.id);
    const mine = await eastSupervisor.get(`/segments/${segment.id}/performance`);
    expect(mine.body.arms.map((a: { cases: number }) => a.cases)).toEqual([3, 1]);
    const collector = await signIn(system, 'collector', east.id);
    expect((await collector.get(`/segments/${segment.id}/performance`)).status).toBe(403);
    expect((await head.get('/segments/00000000-0000-4000-8000-000000000000/performance')).status).toBe(404);
  });
});
