import { describe, expect, test } from 'vitest';
import { allocatePayment } from '../../domain/payment-allocation.ts';

const invoices = [
  { id: 'b', dueDate: '2026-10-15', openMinor: 5000n },
  { id: 'a', dueDate: '2026-09-15', openMinor: 3000n },
  { id: 'c', dueDate: '2026-11-15', openMinor: 4000n },
];

describe('payment allocation', () => {
  test('pays the oldest invoice first, then the next', () => {
    const { allocations, unappliedMinor } = allocatePayment(6000n, invoices);
    expect(allocations).toEqual([
      { invoiceId: 'a', appliedMinor: 3000n, openAfterMinor: 0n },
      { invoiceId: 'b', appliedMinor: 3000n, openAfterMinor: 2000n },
    ]);
    expect(unappliedMinor).toBe(0n);
  });

  test('an overpayment leaves the rest unapplied', () => {
    const { allocations, unappliedMinor } = allocatePayment(15000n, invoices);
    expect(allocations.every((a) => a.openAfterMinor === 0n)).toBe(true);
    expect(unappliedMinor).toBe(3000n);
  });

  test('refuses a zero or negative payment', () => {
    expect(() => allocatePayment(0n, invoices)).toThrow(RangeError);
  });
});
