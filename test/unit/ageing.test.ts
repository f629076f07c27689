import { describe, expect, test } from 'vitest';
import { ageingBucket, daysPastDue, dueDateForDaysPastDue, localDate } from '../../domain/ageing.ts';

describe('days past due', () => {
  test('counts calendar days from the due date to today', () => {
    expect(daysPastDue('2026-11-01', new Date('2026-11-23T12:00:00Z'))).toBe(22);
  });

  test('is zero before and on the due date, and when there is no due date', () => {
    expect(daysPastDue('2026-11-30', new Date('2026-11-23T12:00:00Z'))).toBe(0);
    expect(daysPastDue('2026-11-23', new Date('2026-11-23T12:00:00Z'))).toBe(0);
    expect(daysPastDue(null, new Date())).toBe(0);
  });

  test("is counted in the debtor's time zone, not the server's", () => {
    // 03:00 UTC on the 24th is still the 23rd in Chicago.
    const at = new Date('2026-11-24T03:00:00Z');
    expect(daysPastDue('2026-11-18', at, 'UTC')).toBe(6);
    expect(daysPastDue('2026-11-18', at, 'America/Chicago')).toBe(5);
    expect(localDate(at, 'America/Chicago')).toBe('2026-11-23');
  });

  test('dueDateForDaysPastDue is the inverse of daysPastDue', () => {
    const now = new Date('2026-03-10T15:00:00Z');
    for (const days of [1, 5, 15, 21, 25, 120]) expect(daysPastDue(dueDateForDaysPastDue(days, now, 'America/Denver'), now, 'America/Denver')).toBe(days);
  });
});

describe('ageing buckets', () => {
  test.each([
    [0, 'current'],
    [1, '1-30'],
    [30, '1-30'],
    [31, '31-60'],
    [60, '31-60'],
    [61, '61-90'],
    [90, '61-90'],
    [91, '90+'],
  ])('%i days past due is %s', (days, bucket) => {
    expect(ageingBucket(days)).toBe(bucket);
  });
});

describe('bucket ranges', () => {
  test('every day count falls in the range of its own bucket', async () => {
    const { bucketRange } = await import('../../domain/ageing.ts');
    for (let days = 0; days <= 200; days++) {
      const range = bucketRange(ageingBucket(days));
      expect(days).toBeGreaterThanOrEqual(range.min);
      if (range.max !== undefined) expect(days).toBeLessThanOrEqual(range.max);
    }
  });
});
