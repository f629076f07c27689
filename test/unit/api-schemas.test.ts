import { describe, expect, test } from 'vitest';
import { DelinquencyReportBody, PaymentBody } from '../../api/schemas.ts';

const report = {
  customer: { externalRef: 'C1', name: 'Jane Doe', type: 'retail', timeZone: 'America/New_York', branchCode: 'EAST', contacts: [] },
  account: { externalRef: 'A1', currency: 'usd' },
  invoices: [{ externalRef: 'I1', issuedAt: '2026-10-01', dueDate: '2026-10-15', amountMinor: 12550, openMinor: 12550 }],
};

describe('request schemas', () => {
  test('a well-formed delinquency report is accepted and its currency normalised', () => {
    const parsed = DelinquencyReportBody.parse(report);
    expect(parsed.account.currency).toBe('USD');
  });

  test('money must be whole minor units, never fractions', () => {
    const bad = { ...report, invoices: [{ ...report.invoices[0], amountMinor: 125.5 }] };
    expect(DelinquencyReportBody.safeParse(bad).success).toBe(false);
  });

  test('an open amount above the invoice amount, an unknown time zone, or duplicate invoice refs are refused', () => {
    expect(DelinquencyReportBody.safeParse({ ...report, invoices: [{ ...report.invoices[0], openMinor: 99999 }] }).success).toBe(false);
    expect(DelinquencyReportBody.safeParse({ ...report, customer: { ...report.customer, timeZone: 'Mars/Olympus' } }).success).toBe(false);
    expect(DelinquencyReportBody.safeParse({ ...report, invoices: [report.invoices[0], report.invoices[0]] }).success).toBe(false);
  });

  test('a payment needs a positive amount, a currency code and a known method', () => {
    expect(PaymentBody.safeParse({ accountRef: 'A1', externalRef: 'P1', amountMinor: 100, currency: 'USD', method: 'card' }).success).toBe(true);
    expect(PaymentBody.safeParse({ accountRef: 'A1', externalRef: 'P1', amountMinor: -1, currency: 'USD', method: 'card' }).success).toBe(false);
    expect(PaymentBody.safeParse({ accountRef: 'A1', externalRef: 'P1', amountMinor: 100, currency: 'DOLLARS', method: 'card' }).success).toBe(false);
    expect(PaymentBody.safeParse({ accountRef: 'A1', externalRef: 'P1', amountMinor: 100, currency: 'USD', method: 'barter' }).success).toBe(false);
  });
});
