import { describe, expect, test } from 'vitest';
import { allocatePayment, creditAfterReversal, reopenWithoutAllocations, statusAfterReopening } from '../../domain/payment-allocation.ts';

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

describe('undoing a payment recorded before allocations were kept', () => {
  const paid = [
    { id: 'old', dueDate: '2026-08-15', amountMinor: 3000n, openMinor: 0n },
    { id: 'mid', dueDate: '2026-09-15', amountMinor: 5000n, openMinor: 1000n },
    { id: 'new', dueDate: '2026-10-15', amountMinor: 2000n, openMinor: 0n },
    { id: 'unpaid', dueDate: '2026-11-15', amountMinor: 4000n, openMinor: 4000n },
  ];

  test('reopens paid invoices newest due date first, up to the amount', () => {
    expect(reopenWithoutAllocations(5000n, paid)).toEqual({
      reopenings: [
        { invoiceId: 'new', reopenedMinor: 2000n },
        { invoiceId: 'mid', reopenedMinor: 3000n },
      ],
      unreopenedMinor: 0n,
    });
  });

  test('never reopens more than was paid on an invoice; what finds nothing paid stays unreopened', () => {
    const { reopenings, unreopenedMinor } = reopenWithoutAllocations(10000n, paid);
    expect(reopenings).toEqual([
      { invoiceId: 'new', reopenedMinor: 2000n },
      { invoiceId: 'mid', reopenedMinor: 4000n },
      { invoiceId: 'old', reopenedMinor: 3000n },
    ]);
    expect(unreopenedMinor).toBe(1000n);
  });

  test('refuses a zero amount', () => {
    expect(() => reopenWithoutAllocations(0n, paid)).toThrow(RangeError);
  });

  test('a paid invoice is open again; a disputed or written-off one keeps its status', () => {
    expect(statusAfterReopening('paid')).toBe('open');
    expect(statusAfterReopening('open')).toBe('open');
    expect(statusAfterReopening('disputed')).toBe('disputed');
    expect(statusAfterReopening('written_off')).toBe('written_off');
  });

  test("the reversed payment's credit is taken back, never below zero", () => {
    expect(creditAfterReversal(5000n, 2000n)).toBe(3000n);
    expect(creditAfterReversal(1000n, 2000n)).toBe(0n);
  });
});
