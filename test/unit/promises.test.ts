import { describe, expect, test } from 'vitest';
import { promiseBreakDate, promiseOutcome, promiseProblems, promiseRulesFor } from '../../domain/promises.ts';
import { strategyDefinitionSchema } from '../../domain/strategy.ts';

describe('promises to pay', () => {
  const context = { balanceMinor: 10_000n, today: '2026-11-10' };

  test('a promise must be positive, within the balance, and not in the past or too far ahead', () => {
    expect(promiseProblems({ amountMinor: 5_000n, dueDate: '2026-11-15' }, context)).toEqual([]);
    expect(promiseProblems({ amountMinor: 0n, dueDate: '2026-11-15' }, context)).toContain('amount_not_positive');
    expect(promiseProblems({ amountMinor: 20_000n, dueDate: '2026-11-15' }, context)).toContain('amount_exceeds_balance');
    expect(promiseProblems({ amountMinor: 5_000n, dueDate: '2026-11-09' }, context)).toContain('date_in_past');
    expect(promiseProblems({ amountMinor: 5_000n, dueDate: '2027-01-31' }, context)).toContain('date_too_far');
  });

  test('kept when payments cover it; broken the day after its date (plus grace) when they do not', () => {
    const terms = { amountMinor: 5_000n, dueDate: '2026-11-15' };
    expect(promiseOutcome(terms, 5_000n, '2026-11-14')).toBe('kept');
    expect(promiseOutcome(terms, 1_000n, '2026-11-15')).toBe('pending');
    expect(promiseOutcome(terms, 1_000n, '2026-11-16')).toBe('broken');
    expect(promiseOutcome(terms, 1_000n, '2026-11-17', { maxDaysAhead: 30, graceDays: 2 })).toBe('pending');
    expect(promiseBreakDate(terms)).toBe('2026-11-16');
    expect(promiseBreakDate(terms, { maxDaysAhead: 30, graceDays: 2 })).toBe('2026-11-18');
  });
});

describe('the grace a strategy sets (C6)', () => {
  test('a strategy may give up to 14 days of grace; without one there is none', () => {
    expect(promiseRulesFor({}).graceDays).toBe(0);
    expect(promiseRulesFor({ promiseGraceDays: 3 })).toMatchObject({ graceDays: 3, maxDaysAhead: 30 });
    const steps = [{ id: 'r', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'note', text: 'hello' } }];
    expect(strategyDefinitionSchema.parse({ steps, promiseGraceDays: 3 }).promiseGraceDays).toBe(3);
    expect(strategyDefinitionSchema.safeParse({ steps, promiseGraceDays: 30 }).success).toBe(false);
  });
});
