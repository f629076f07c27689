// X1: records kept at least 3 years after the last collection activity (Reg F §1006.100), then
// pseudonymised; never while a case is open.
import { describe, expect, test } from 'vitest';
import { pseudonymFor, retentionDecision, retentionEndsAt, retentionYearsSchema } from '../../domain/retention.ts';

const now = new Date('2026-12-03T12:00:00Z');

describe('retention', () => {
  test('a record last touched 3 years and a day ago is pseudonymised; one a day younger than 3 years is kept', () => {
    expect(retentionDecision({ hasOpenCase: false, lastRecordAt: new Date('2023-12-02T12:00:00Z'), pseudonymisedAt: null }, 3, now)).toEqual({ kind: 'pseudonymise' });
    expect(retentionDecision({ hasOpenCase: false, lastRecordAt: new Date('2023-12-04T12:00:00Z'), pseudonymisedAt: null }, 3, now)).toEqual({ kind: 'keep', reason: 'within_retention', until: new Date('2026-12-04T12:00:00Z') });
  });

  test('an open case keeps the record whatever its age', () => {
    expect(retentionDecision({ hasOpenCase: true, lastRecordAt: new Date('2001-01-01T00:00:00Z'), pseudonymisedAt: null }, 3, now)).toEqual({ kind: 'keep', reason: 'open_case', until: null });
  });

  test('a longer retention keeps longer; a shorter one than 3 years is refused, and never applied', () => {
    expect(retentionDecision({ hasOpenCase: false, lastRecordAt: new Date('2021-06-01T00:00:00Z'), pseudonymisedAt: null }, 7, now)).toMatchObject({ kind: 'keep', until: new Date('2028-06-01T00:00:00Z') });
    expect(retentionYearsSchema.safeParse(2).success).toBe(false);
    expect(retentionYearsSchema.safeParse(3).success).toBe(true);
    expect(retentionDecision({ hasOpenCase: false, lastRecordAt: new Date('2024-06-01T00:00:00Z'), pseudonymisedAt: null }, 1, now)).toMatchObject({ kind: 'keep' });
  });

  test('a record pseudonymised once is done', () => {
    const at = new Date('2025-01-01T00:00:00Z');
    expect(retentionDecision({ hasOpenCase: false, lastRecordAt: new Date('2020-01-01T00:00:00Z'), pseudonymisedAt: at }, 3, now)).toEqual({ kind: 'done', at });
  });

  test('29 February plus three years is 28 February', () => {
    expect(retentionEndsAt(new Date('2024-02-29T10:00:00Z'), 3).toISOString()).toBe('2027-02-28T10:00:00.000Z');
  });

  test('the pseudonym is stable and tells nothing but an id prefix', () => {
    expect(pseudonymFor('3f2a9c1e-0000-4000-8000-000000000000')).toBe('Pseudonymised customer 3f2a9c1e');
  });
});
