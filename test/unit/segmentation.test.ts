import { describe, expect, test } from 'vitest';
import { segmentFor, type SegmentRule } from '../../domain/segmentation.ts';

const rules: SegmentRule[] = [
  { id: '3', code: 'RETAIL_LOW', priority: 30, criteria: { customerType: 'retail', maxBalanceMinor: 20_000 } },
  { id: '2', code: 'RETAIL_HIGH', priority: 20, criteria: { customerType: 'retail', minBalanceMinor: 20_001 } },
  { id: '1', code: 'CORPORATE', priority: 10, criteria: { customerType: 'corporate' } },
];

describe('segmentation', () => {
  test('assigns the first matching segment in priority order, with the reason', () => {
    expect(segmentFor(rules, { customerType: 'retail', balanceMinor: 5_000n, branchCode: 'EAST' })).toMatchObject({ segment: { code: 'RETAIL_LOW' }, reason: 'customer is retail, balance ≤ 20000' });
    expect(segmentFor(rules, { customerType: 'retail', balanceMinor: 50_000n, branchCode: 'EAST' })?.segment.code).toBe('RETAIL_HIGH');
    expect(segmentFor(rules, { customerType: 'corporate', balanceMinor: 1n, branchCode: 'WEST' })?.segment.code).toBe('CORPORATE');
  });

  test('no match gives no segment', () => {
    expect(segmentFor(rules.slice(0, 2), { customerType: 'corporate', balanceMinor: 1n, branchCode: 'EAST' })).toBeNull();
  });
});
