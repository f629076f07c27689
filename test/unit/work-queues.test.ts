// Queue definitions and the S2 priority score.
import { describe, expect, test } from 'vitest';
import { describeEmptyQueues, describeServeReason, priorityScore, queueDefinitionProblems, riskScoreOf } from '../../domain/work-queues.ts';

describe('queue definitions', () => {
  test('a plain queue is valid', () => {
    expect(queueDefinitionProblems({ name: 'Today', filter: { minDaysPastDue: 30, maxDaysPastDue: 60 }, ordering: ['due_calls_first', 'oldest_debt'] })).toEqual([]);
  });

  test('empty ranges, empty lists, repeated and contradictory orderings are refused with the field at fault', () => {
    const problems = queueDefinitionProblems({
      name: ' ',
      filter: { minDaysPastDue: 61, maxDaysPastDue: 60, minBalanceMinor: 500, maxBalanceMinor: 100, stages: [] },
      ordering: ['oldest_debt', 'oldest_debt', 'newest_debt', 'largest_balance', 'smallest_balance'],
    });
    expect(problems.map((p) => p.field)).toEqual(['name', 'filter.maxDaysPastDue', 'filter.maxBalanceMinor', 'filter.stages', 'ordering', 'ordering', 'ordering']);
  });
});

describe('priority score', () => {
  const base = { balanceMinor: 10_000n, oldestDueDate: '2026-10-01', brokenPromises: 0 };

  test('older, larger, riskier debts and broken promises rank higher', () => {
    const score = priorityScore(base);
    expect(priorityScore({ ...base, oldestDueDate: '2026-09-01' })).toBeGreaterThan(score);
    expect(priorityScore({ ...base, balanceMinor: 1_000_000n })).toBeGreaterThan(score);
    expect(priorityScore({ ...base, brokenPromises: 1 })).toBeGreaterThan(score);
    expect(priorityScore({ ...base, riskScore: 80 })).toBeGreaterThan(score);
  });

  test('the risk score counts on billing’s whole scale, 0 to 1000: 900 ranks above 200, and at most 50 points', () => {
    expect(priorityScore({ ...base, riskScore: 900 })).toBeGreaterThan(priorityScore({ ...base, riskScore: 200 }));
    expect(priorityScore({ ...base, riskScore: 1000 }) - priorityScore(base)).toBeCloseTo(50, 5);
    expect(priorityScore({ ...base, riskScore: 5000 })).toBe(priorityScore({ ...base, riskScore: 1000 }));
  });

  test('six weeks of age outweigh a tenfold balance; broken promises count up to three', () => {
    expect(priorityScore({ ...base, oldestDueDate: '2026-08-19' })).toBeGreaterThan(priorityScore({ ...base, balanceMinor: 100_000n }));
    expect(priorityScore({ ...base, oldestDueDate: '2026-09-01' })).toBeLessThan(priorityScore({ ...base, balanceMinor: 100_000n }));
    expect(priorityScore({ ...base, brokenPromises: 5 })).toBe(priorityScore({ ...base, brokenPromises: 3 }));
  });

  test('nothing owed, nothing to prioritise', () => {
    expect(priorityScore({ ...base, balanceMinor: 0n })).toBe(0);
    expect(priorityScore({ ...base, oldestDueDate: null })).toBe(0);
  });

  test('the risk score is read from billing attributes only when it is a number', () => {
    expect(riskScoreOf({ riskScore: 42 })).toBe(42);
    expect(riskScoreOf({ riskScore: 'high' })).toBeNull();
    expect(riskScoreOf(null)).toBeNull();
  });
});

test('the collector is told why an account came to them', () => {
  expect(describeServeReason('queue', 'East 90+')).toBe('Next in queue East 90+');
  expect(describeServeReason('postponed', null)).toBe('You postponed this account to now');
});

test('an empty answer says whether the queues are empty or held by the contact policy, and until when', () => {
  expect(describeEmptyQueues(null)).toBe('Your queues are empty: nothing is due now');
  expect(describeEmptyQueues(new Date('2026-11-25T14:00:00Z'))).toContain('may be called from 2026-11-25 14:00 UTC');
});
