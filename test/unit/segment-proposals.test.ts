import { describe, expect, test } from 'vitest';
import { balanceCuts, proposeSegments, quantile, type ProposalFacts } from '../../domain/segment-proposals.ts';
import { segmentFor } from '../../domain/segmentation.ts';

const retail = (balance: number, days: number): ProposalFacts => ({ customerType: 'retail', balanceMinor: BigInt(balance), daysPastDue: days });

describe('segment proposals (C2)', () => {
  test('quantiles are nearest-rank; cuts repeat no value and never sit at the maximum', () => {
    const sorted = [1n, 2n, 3n, 4n, 5n, 6n];
    expect(quantile(sorted, 1 / 3)).toBe(2n);
    expect(quantile(sorted, 2 / 3)).toBe(4n);
    expect(balanceCuts([6n, 5n, 4n, 3n, 2n, 1n], 3)).toEqual([2n, 4n]);
    expect(balanceCuts([7n, 7n, 7n, 7n], 3)).toEqual([]);
  });

  test('splits by customer type, then balance bands at the data’s quantiles and days-past-due bands', () => {
    const accounts = [
      ...Array.from({ length: 12 }, (_, i) => retail((i + 1) * 1000, i % 2 === 0 ? 10 : 45)),
      { customerType: 'corporate' as const, balanceMinor: 500_000n, daysPastDue: 120 },
      { customerType: 'corporate' as const, balanceMinor: 250_000n, daysPastDue: 100 },
    ];
    const proposals = proposeSegments(accounts, 'USD');
    // Corporate: too few accounts to split by balance; one days-past-due band (91+).
    const corporate = proposals.filter((p) => p.criteria.customerType === 'corporate');
    expect(corporate).toEqual([{ code: 'CORPORATE_B1_D3', name: 'Corporate, any balance, 91+ days', criteria: { customerType: 'corporate', minDaysPastDue: 91 }, priority: 10, accountCount: 2, totalBalanceMinor: 750_000n }]);
    // Retail: balances 1000..12000 cut at 4000 and 8000, each band split into 0–30 and 31–90 days.
    const retailProposals = proposals.filter((p) => p.criteria.customerType === 'retail');
    expect(retailProposals.map((p) => p.criteria)).toEqual([
      { customerType: 'retail', maxBalanceMinor: 4000, maxDaysPastDue: 30 },
      { customerType: 'retail', maxBalanceMinor: 4000, minDaysPastDue: 31, maxDaysPastDue: 90 },
      { customerType: 'retail', minBalanceMinor: 4001, maxBalanceMinor: 8000, maxDaysPastDue: 30 },
      { customerType: 'retail', minBalanceMinor: 4001, maxBalanceMinor: 8000, minDaysPastDue: 31, maxDaysPastDue: 90 },
      { customerType: 'retail', minBalanceMinor: 8001, maxDaysPastDue: 30 },
      { customerType: 'retail', minBalanceMinor: 8001, minDaysPastDue: 31, maxDaysPastDue: 90 },
    ]);
    expect(retailProposals.map((p) => p.accountCount)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(retailProposals[0]).toMatchObject({ name: 'Retail, balance ≤ $40.00, 0–30 days', totalBalanceMinor: 4000n });
    // Names show amounts in the currency; the criteria stay in minor units.
    expect(retailProposals.map((p) => p.name)).toEqual(['Retail, balance ≤ $40.00, 0–30 days', 'Retail, balance ≤ $40.00, 31–90 days', 'Retail, balance $40.01–$80.00, 0–30 days', 'Retail, balance $40.01–$80.00, 31–90 days', 'Retail, balance ≥ $80.01, 0–30 days', 'Retail, balance ≥ $80.01, 31–90 days']);
    expect(proposeSegments(accounts, 'JPY').find((p) => p.criteria.customerType === 'retail')!.name).toBe('Retail, balance ≤ ¥4,000, 0–30 days');
    expect(proposals.reduce((n, p) => n + p.accountCount, 0)).toBe(accounts.length);
  });

  test('every account falls in exactly one proposal, and segmentation puts it there', () => {
    const accounts = Array.from({ length: 50 }, (_, i) => ({ customerType: i % 3 === 0 ? ('corporate' as const) : ('retail' as const), balanceMinor: BigInt(((i * 7919) % 1000) * 100 + 1), daysPastDue: (i * 13) % 200 }));
    const proposals = proposeSegments(accounts, 'USD');
    const rules = proposals.map((p) => ({ id: p.code, code: p.code, priority: p.priority, criteria: p.criteria }));
    const counts = new Map<string, number>();
    for (const a of accounts) {
      const matching = proposals.filter((p) => segmentFor([{ id: p.code, code: p.code, priority: 0, criteria: p.criteria }], { ...a, branchCode: 'X' }));
      expect(matching).toHaveLength(1);
      const code = segmentFor(rules, { ...a, branchCode: 'X' })!.segment.code;
      counts.set(code, (counts.get(code) ?? 0) + 1);
    }
    for (const p of proposals) expect(counts.get(p.code)).toBe(p.accountCount);
  });

  test('no accounts, no proposals', () => {
    expect(proposeSegments([], 'USD')).toEqual([]);
  });
});
