// C6: a promise to pay in instalments — validated when made, kept or broken instalment by instalment.
import { describe, expect, test } from 'vitest';
import { planProblems, planProgress, type Instalment } from '../../domain/promises.ts';

const plan: Instalment[] = [
  { dueDate: '2026-12-01', amountMinor: 5_000n },
  { dueDate: '2026-12-15', amountMinor: 5_000n },
  { dueDate: '2027-01-01', amountMinor: 2_550n },
];

describe('making an instalment plan', () => {
  test('a plan within the balance, with dates in order, is accepted', () => {
    expect(planProblems(plan, { balanceMinor: 12_550n, today: '2026-11-25' })).toEqual([]);
  });

  test('a plan is refused with every reason that applies', () => {
    expect(planProblems([plan[0]!], { balanceMinor: 12_550n, today: '2026-11-25' })).toEqual(['too_few_instalments']);
    expect(planProblems([plan[1]!, plan[0]!], { balanceMinor: 12_550n, today: '2026-11-25' })).toContain('dates_not_ascending');
    expect(planProblems(plan, { balanceMinor: 10_000n, today: '2026-11-25' })).toContain('amount_exceeds_balance');
    expect(planProblems(plan, { balanceMinor: 12_550n, today: '2026-12-02' })).toContain('date_in_past');
    expect(planProblems([...plan, { dueDate: '2027-08-01', amountMinor: 1n }], { balanceMinor: 99_999n, today: '2026-11-25' })).toContain('date_too_far');
    expect(planProblems([{ dueDate: '2026-12-01', amountMinor: 0n }, plan[1]!], { balanceMinor: 12_550n, today: '2026-11-25' })).toContain('instalment_not_positive');
  });
});

describe('keeping an instalment plan', () => {
  test('payments cover instalments in order; the plan waits for the next one', () => {
    expect(planProgress(plan, 6_000n, '2026-12-05')).toEqual({ outcome: 'pending', statuses: ['kept', 'pending', 'pending'], nextBreaksOn: '2026-12-16' });
  });

  test('a missed second instalment breaks the plan: the first stays kept', () => {
    expect(planProgress(plan, 5_000n, '2026-12-16')).toEqual({ outcome: 'broken', statuses: ['kept', 'broken', 'pending'], nextBreaksOn: null });
  });

  test('all paid keeps the plan, even early', () => {
    expect(planProgress(plan, 12_550n, '2026-11-26')).toMatchObject({ outcome: 'kept', statuses: ['kept', 'kept', 'kept'] });
  });

  test('a payment on the due date itself is in time', () => {
    expect(planProgress(plan, 0n, '2026-12-01').outcome).toBe('pending');
    expect(planProgress(plan, 0n, '2026-12-02').outcome).toBe('broken');
  });
});
