import { describe, expect, test } from 'vitest';
import { accountAfterCaseClosed, isPaidInFull } from '../../domain/case-lifecycle.ts';

describe('closing a case', () => {
  test('paid in full makes the account current and resumes a suspended service', () => {
    expect(accountAfterCaseClosed('paid', { status: 'delinquent', serviceStatus: 'suspended' })).toEqual({ status: 'current', serviceStatus: 'active' });
  });

  test('a disconnected service is not reconnected by the payment alone', () => {
    expect(accountAfterCaseClosed('paid', { status: 'delinquent', serviceStatus: 'disconnected' }).serviceStatus).toBe('disconnected');
  });

  test('a write-off marks the account written off; a recall leaves it as it was', () => {
    expect(accountAfterCaseClosed('written_off', { status: 'delinquent', serviceStatus: 'suspended' })).toEqual({ status: 'written_off', serviceStatus: 'suspended' });
    expect(accountAfterCaseClosed('recalled', { status: 'trace', serviceStatus: 'active' })).toEqual({ status: 'trace', serviceStatus: 'active' });
  });

  test('nothing owed, or a credit, is paid in full', () => {
    expect(isPaidInFull(0n)).toBe(true);
    expect(isPaidInFull(-500n)).toBe(true);
    expect(isPaidInFull(1n)).toBe(false);
  });
});

describe('a case with nothing owed', async () => {
  const { caseDisposition, closeReasonFor } = await import('../../domain/case-lifecycle.ts');

  test('closes when nothing is owed or disputed, pauses when all that is owed is disputed, else is worked', () => {
    expect(caseDisposition(0n, 0n)).toBe('close');
    expect(caseDisposition(0n, 500n)).toBe('hold');
    expect(caseDisposition(100n, 500n)).toBe('work');
  });

  test('closes as paid when money came in through us, otherwise as settled', () => {
    expect(closeReasonFor(2)).toBe('paid');
    expect(closeReasonFor(0)).toBe('settled');
  });
});
