// The demo's history (what `./arrears start` loads on a fresh install): low-risk retail runs a
// challenger on a fifth of its cases, open ones included, each in the arm its account id gives; and
// seven months of closed cases, paid or written off, consistent with their accounts, invoices and
// payments, so that the strategy performance page compares two arms with enough cases for a verdict.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { signIn } from '../support/agents.ts';
import { seedDemoData, demoChallengerPercent } from '../../prisma/demo-data.ts';
import { chooseArm } from '../../domain/champion-challenger.ts';
import { timedStepsPassed, type StrategyDefinition } from '../../domain/strategy.ts';

let system: TestSystem;
const db = () => system.database.db;
const now = new Date();

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  await seedDemoData(db(), { history: true, now }); // the demo as ./arrears start loads it
});
afterAll(async () => system?.stop());

describe('the demo history', () => {
  test('low-risk retail runs champion and challenger; every case of the segment is in its account’s arm', async () => {
    const segment = await db().segment.findUniqueOrThrow({ where: { code: 'RETAIL_LOW' }, include: { strategies: { orderBy: { version: 'asc' } } } });
    expect(segment.strategies.map((s) => [s.version, s.status, s.trafficPercent])).toEqual([[1, 'active', 100 - demoChallengerPercent], [2, 'active', demoChallengerPercent]]);
    const arms = segment.strategies.map((s) => ({ strategyId: s.id, percent: s.trafficPercent }));
    const cases = await db().collectionCase.findMany({ where: { account: { segmentId: segment.id } }, select: { accountId: true, strategyId: true, status: true } });
    expect(cases.every((c) => c.strategyId === chooseArm(c.accountId, arms)!.strategyId)).toBe(true);
    const onChallenger = (status: 'open' | 'closed') => cases.filter((c) => c.status === status && c.strategyId === segment.strategies[1]!.id).length;
    expect(onChallenger('open')).toBeGreaterThan(0);
    expect(onChallenger('closed')).toBeGreaterThanOrEqual(30);
    // An open challenger case has done the challenger's own timed steps, not the champion's.
    const open = await db().collectionCase.findMany({ where: { status: 'open', strategyId: segment.strategies[1]!.id } });
    const challengerDefinition = segment.strategies[1]!.definition as unknown as StrategyDefinition;
    let written = 0;
    for (const c of open) {
      // The seed opens each case when its debt was a day younger than today (demo-data.ts).
      expect(c.stepsDone).toEqual(timedStepsPassed(challengerDefinition, c.daysPastDueAtOpen + 1).map((s) => s.id));
      const messages = await db().activity.findMany({ where: { caseId: c.id, kind: { in: ['sms', 'email'] } }, orderBy: { occurredAt: 'asc' } });
      if (messages.length === 0) continue;
      written += 1;
      expect(messages[0]!.kind).toBe('sms');
    }
    expect(written).toBeGreaterThan(0);
  });

  test('closed cases agree with their accounts, invoices and payments', async () => {
    const closed = await db().collectionCase.findMany({ where: { status: 'closed' }, include: { account: { include: { invoices: true, payments: true } }, messages: { orderBy: { sentAt: 'asc' } }, strategy: true } });
    expect(closed.length).toBe(540);
    for (const c of closed) {
      // Each message step the case ran left the message the debtor got; the first written one carried the validation notice.
      const messageSteps = (c.strategy!.definition as unknown as StrategyDefinition).steps.filter((st) => c.stepsDone.includes(st.id) && st.action.kind === 'send_message');
      expect(c.messages.map((m) => m.channel).sort()).toEqual(messageSteps.map((st) => (st.action as { channel: string }).channel).sort());
      for (const m of c.messages) {
        expect(m.status).toBe('delivered');
        expect(m.sentAt!.getTime()).toBeGreaterThanOrEqual(c.openedAt.getTime());
        expect(m.sentAt!.getTime()).toBeLessThan(c.closedAt!.getTime());
        expect(m.body).not.toMatch(/\{[a-zA-Z]+\}/);
        expect(m.body).toContain(c.account.externalRef);
      }
      const written = c.messages.find((m) => m.channel !== 'sms');
      expect(c.validationNoticeSentAt).toEqual(written?.sentAt ?? null);
      expect(c.firstContactAt).toEqual(c.messages[0]?.sentAt ?? null);
      expect(c.closedAt!.getTime()).toBeGreaterThan(c.openedAt.getTime());
      expect(c.closedAt!.getTime()).toBeLessThan(now.getTime());
      const collected = c.account.payments.filter((p) => p.receivedAt >= c.openedAt && p.receivedAt <= c.closedAt!).reduce((sum, p) => sum + p.amountMinor, 0n);
      expect(c.account.balanceMinor).toBe(0n);
      if (c.closeReason === 'paid') {
        expect(collected).toBe(c.balanceAtOpen);
        expect(c.account.status).toBe('current');
        expect(c.account.invoices.map((i) => [i.status, i.openMinor])).toEqual([['paid', 0n]]);
      } else {
        expect(c.closeReason).toBe('written_off');
        expect(collected).toBeLessThan(c.balanceAtOpen);
        expect(c.account.status).toBe('written_off');
        expect(c.account.invoices.map((i) => [i.status, i.openMinor])).toEqual([['written_off', c.balanceAtOpen - collected]]);
      }
    }
    expect(closed.filter((c) => c.closeReason === 'paid').length).toBeGreaterThan(closed.length / 2);
    // Nothing in a closed case's history happens after it closed, or before it opened.
    const [outside] = await db().$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM activities a JOIN collection_cases c ON c.id = a.case_id
      WHERE c.status = 'closed' AND (a.occurred_at > c.closed_at OR a.occurred_at < c.opened_at)`;
    expect(outside!.n).toBe(0n);
  });

  test('the strategy performance page has a verdict for the challenger; a paid account’s timeline tells its story', async () => {
    const head = await signIn(system, 'supervisor', null);
    const segment = await db().segment.findUniqueOrThrow({ where: { code: 'RETAIL_LOW' } });
    const res = await head.get(`/segments/${segment.id}/performance`);
    expect(res.status).toBe(200);
    const [champion, challenger] = res.body.arms;
    expect(champion).toMatchObject({ isChampion: true, strategy: { version: 1 } });
    expect(challenger.paid + challenger.otherClosed).toBeGreaterThanOrEqual(30);
    // What the README promises a new user: the challenger is called better, on enough cases.
    expect(challenger.comparison).toMatchObject({ verdict: 'better' });
    expect(challenger.comparison.pValue).toBeLessThan(0.05);
    expect(champion.medianDaysToPay).toBeGreaterThan(0);

    const paid = await db().collectionCase.findFirstOrThrow({ where: { status: 'closed', closeReason: 'paid' }, orderBy: { openedAt: 'asc' } });
    const timeline = await head.get(`/accounts/${paid.accountId}/timeline`);
    expect(timeline.status).toBe(200);
    const summaries = timeline.body.items.map((i: { summary: string }) => i.summary);
    expect(summaries).toContain('Case closed: paid in full');
    expect(summaries.some((s: string) => s.startsWith('Payment received:'))).toBe(true);
    expect(summaries.at(-1)).toMatch(/^Reported delinquent by billing/);
    // The messages its strategy sent are in the timeline with what they said.
    const sent = await db().message.findMany({ where: { caseId: paid.id } });
    const shown = timeline.body.items.filter((i: { kind: string }) => i.kind === 'message');
    expect(shown.length).toBe(sent.length);
    expect(sent.length).toBeGreaterThan(0);
  });
});
