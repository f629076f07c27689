import { describe, expect, test } from 'vitest';
import { applyAdjustment, isSameAdjustment } from '../../domain/invoice-adjustments.ts';

const invoice = { amountMinor: 10000n, openMinor: 6000n, status: 'open' as const };

describe('invoice adjustments', () => {
  test('a credit note lowers what is open and the invoice total', () => {
    expect(applyAdjustment(invoice, { kind: 'credit_note', amountMinor: 2500n })).toEqual({ ok: true, deltaMinor: -2500n, openAfterMinor: 3500n, amountAfterMinor: 7500n, statusAfter: 'open' });
  });

  test('a credit note to zero pays the invoice', () => {
    expect(applyAdjustment(invoice, { kind: 'credit_note', amountMinor: 6000n })).toMatchObject({ ok: true, openAfterMinor: 0n, statusAfter: 'paid' });
  });

  test('a credit note never takes the open amount below zero: it is refused with a reason', () => {
    expect(applyAdjustment(invoice, { kind: 'credit_note', amountMinor: 6001n })).toMatchObject({ ok: false, reason: 'credit_exceeds_open' });
  });

  test('a debit note raises what is open and reopens a paid invoice', () => {
    expect(applyAdjustment({ amountMinor: 10000n, openMinor: 0n, status: 'paid' }, { kind: 'debit_note', amountMinor: 1500n })).toEqual({ ok: true, deltaMinor: 1500n, openAfterMinor: 1500n, amountAfterMinor: 11500n, statusAfter: 'open' });
  });

  test('a correction sets the open amount; the total rises only when it would be exceeded', () => {
    expect(applyAdjustment(invoice, { kind: 'correction', amountMinor: 4000n })).toEqual({ ok: true, deltaMinor: -2000n, openAfterMinor: 4000n, amountAfterMinor: 10000n, statusAfter: 'open' });
    expect(applyAdjustment(invoice, { kind: 'correction', amountMinor: 12000n })).toMatchObject({ ok: true, deltaMinor: 6000n, amountAfterMinor: 12000n });
    expect(applyAdjustment(invoice, { kind: 'correction', amountMinor: 0n })).toMatchObject({ ok: true, openAfterMinor: 0n, statusAfter: 'paid' });
  });

  test('disputed and written-off invoices are not adjusted; notes must be positive', () => {
    expect(applyAdjustment({ ...invoice, status: 'disputed' }, { kind: 'debit_note', amountMinor: 1n })).toMatchObject({ ok: false, reason: 'invoice_not_adjustable' });
    expect(applyAdjustment({ ...invoice, status: 'written_off' }, { kind: 'correction', amountMinor: 1n })).toMatchObject({ ok: false, reason: 'invoice_not_adjustable' });
    expect(applyAdjustment(invoice, { kind: 'debit_note', amountMinor: 0n })).toMatchObject({ ok: false, reason: 'not_positive' });
  });

  test('a re-delivered adjustment is the same one only with the same invoice, kind and amount', () => {
    const credit = { invoiceId: 'i1', kind: 'credit_note' as const, amountMinor: -2500n, openAfter: 3500n };
    expect(isSameAdjustment(credit, { invoiceId: 'i1', kind: 'credit_note', amountMinor: 2500n })).toBe(true);
    expect(isSameAdjustment(credit, { invoiceId: 'i1', kind: 'credit_note', amountMinor: 2000n })).toBe(false);
    expect(isSameAdjustment(credit, { invoiceId: 'i2', kind: 'credit_note', amountMinor: 2500n })).toBe(false);
    expect(isSameAdjustment(credit, { invoiceId: 'i1', kind: 'debit_note', amountMinor: 2500n })).toBe(false);
    const correction = { invoiceId: 'i1', kind: 'correction' as const, amountMinor: -2000n, openAfter: 4000n };
    expect(isSameAdjustment(correction, { invoiceId: 'i1', kind: 'correction', amountMinor: 4000n })).toBe(true);
    expect(isSameAdjustment(correction, { invoiceId: 'i1', kind: 'correction', amountMinor: 3000n })).toBe(false);
  });
});
