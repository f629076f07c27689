import { describe, expect, test } from 'vitest';
import { armFigures, compareArms, standardNormalCdf, type CaseOutcomeFact } from '../../domain/strategy-performance.ts';

const day = (n: number) => new Date(Date.UTC(2026, 9, 1) + n * 86_400_000);
function fact(strategyId: string | null, outcome: 'paid' | 'open' | 'written_off', extra: Partial<CaseOutcomeFact> = {}): CaseOutcomeFact {
  return { strategyId, status: outcome === 'open' ? 'open' : 'closed', closeReason: outcome === 'open' ? null : outcome, openedAt: day(0), closedAt: outcome === 'open' ? null : day(20), balanceAtOpenMinor: 10_000n, collectedMinor: outcome === 'paid' ? 10_000n : 0n, promisesMade: 0, promisesKept: 0, promisesBroken: 0, ...extra };
}

describe('strategy performance (S6)', () => {
  test('each arm: cases, open, paid, other endings, share paid, mean recovery, median days to pay, promises', () => {
    const [a, b] = armFigures([
      fact('a', 'paid', { closedAt: day(10), promisesMade: 1, promisesKept: 1 }),
      fact('a', 'paid', { closedAt: day(30) }),
      fact('a', 'open', { collectedMinor: 2_500n, promisesMade: 1, promisesBroken: 1 }),
      fact('a', 'written_off'),
      fact('b', 'open', { collectedMinor: 50_000n }), // an over-payment counts as 100 %, not 500 %
    ]);
    expect(a).toEqual({ strategyId: 'a', cases: 4, open: 1, paid: 2, otherClosed: 1, paidShare: 0.5, recoveryRate: 0.5625, medianDaysToPay: 20, promises: { made: 2, kept: 1, broken: 1, keptShare: 0.5 } });
    expect(b).toMatchObject({ cases: 1, paid: 0, paidShare: 0, recoveryRate: 1, medianDaysToPay: null, promises: { keptShare: null } });
  });

  test('a challenger is called better or worse only with enough cases and a difference unlikely to be chance', () => {
    const arm = (id: string, cases: number, paid: number) => armFigures(Array.from({ length: cases }, (_, i) => fact(id, i < paid ? 'paid' : 'written_off')))[0]!;
    expect(compareArms(arm('champion', 20, 5), arm('challenger', 25, 15))).toMatchObject({ verdict: 'too_few_cases', pValue: null });
    // 30 % against 45 % on 400 cases each: z ≈ 4.4, clearly better.
    const better = compareArms(arm('champion', 400, 120), arm('challenger', 400, 180));
    expect(better).toMatchObject({ strategyId: 'challenger', paidShareDifference: 0.15, verdict: 'better' });
    expect(better.pValue!).toBeLessThan(0.001);
    // 30 % against 33 % on 100 each: could be chance.
    expect(compareArms(arm('champion', 100, 30), arm('challenger', 100, 33))).toMatchObject({ verdict: 'not_yet_significant' });
    expect(compareArms(arm('champion', 400, 180), arm('challenger', 400, 120)).verdict).toBe('worse');
  });

  test('the normal distribution function is accurate where it matters', () => {
    expect(standardNormalCdf(0)).toBeCloseTo(0.5, 7);
    expect(standardNormalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(standardNormalCdf(-1.644854)).toBeCloseTo(0.05, 6);
  });
});
