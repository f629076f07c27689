import { describe, expect, test } from 'vitest';
import { accountAttributesSchema, criteriaMatch, inHierarchy, segmentCriteriaSchema, segmentFor, type AccountFacts, type SegmentRule } from '../../domain/segmentation.ts';

const rules: SegmentRule[] = [
  { id: '3', code: 'RETAIL_LOW', priority: 30, criteria: { customerType: 'retail', maxBalanceMinor: 20_000 } },
  { id: '2', code: 'RETAIL_HIGH', priority: 20, criteria: { customerType: 'retail', minBalanceMinor: 20_001 } },
  { id: '1', code: 'CORPORATE', priority: 10, criteria: { customerType: 'corporate' } },
];

const facts = (overrides: Partial<AccountFacts> = {}): AccountFacts => ({ customerType: 'retail', balanceMinor: 5_000n, branchCode: 'EAST', daysPastDue: 20, attributes: {}, ...overrides });

describe('segmentation', () => {
  test('assigns the first matching segment in priority order, with the reason', () => {
    expect(segmentFor(rules, { customerType: 'retail', balanceMinor: 5_000n, branchCode: 'EAST' })).toMatchObject({ segment: { code: 'RETAIL_LOW' }, reason: 'customer is retail, balance ≤ 20000' });
    // With the account's currency the reason reads as money; the bounds stay in minor units.
    expect(segmentFor(rules, { customerType: 'retail', balanceMinor: 5_000n, branchCode: 'EAST', currency: 'USD' })?.reason).toBe('customer is retail, balance ≤ $200.00');
    expect(segmentFor(rules, { customerType: 'retail', balanceMinor: 50_000n, branchCode: 'EAST', currency: 'EUR' })?.reason).toBe('customer is retail, balance ≥ €200.01');
    expect(segmentFor(rules, { customerType: 'retail', balanceMinor: 50_000n, branchCode: 'EAST' })?.segment.code).toBe('RETAIL_HIGH');
    expect(segmentFor(rules, { customerType: 'corporate', balanceMinor: 1n, branchCode: 'WEST' })?.segment.code).toBe('CORPORATE');
  });

  test('no match gives no segment', () => {
    expect(segmentFor(rules.slice(0, 2), { customerType: 'corporate', balanceMinor: 1n, branchCode: 'EAST' })).toBeNull();
  });

  test('a rule with no criteria is the default segment', () => {
    expect(segmentFor([{ id: 'd', code: 'DEFAULT', priority: 999, criteria: {} }], facts())).toMatchObject({ segment: { code: 'DEFAULT' }, reason: 'default segment' });
  });
});

describe('business-defined criteria (S1, E4)', () => {
  test('days past due range', () => {
    const criteria = { minDaysPastDue: 31, maxDaysPastDue: 90 };
    expect(criteriaMatch(criteria, facts({ daysPastDue: 30 }))).toBeNull();
    expect(criteriaMatch(criteria, facts({ daysPastDue: 31 }))).toEqual(['days past due ≥ 31', 'days past due ≤ 90']);
    expect(criteriaMatch(criteria, facts({ daysPastDue: 91 }))).toBeNull();
  });

  test('risk score range; an account without a score does not match', () => {
    const criteria = { minRiskScore: 700 };
    expect(criteriaMatch(criteria, facts({ attributes: { riskScore: 750 } }))).toEqual(['risk score ≥ 700']);
    expect(criteriaMatch(criteria, facts({ attributes: { riskScore: 699 } }))).toBeNull();
    expect(criteriaMatch(criteria, facts({ attributes: {} }))).toBeNull();
    expect(criteriaMatch({ maxRiskScore: 300 }, facts({ attributes: { riskScore: 300 } }))).toEqual(['risk score ≤ 300']);
  });

  test('product / subscription types and service levels', () => {
    const criteria = { productTypes: ['fibre-500', 'fibre-1000'], serviceLevels: ['gold'] };
    expect(criteriaMatch(criteria, facts({ attributes: { productType: 'fibre-500', serviceLevel: 'gold' } }))).toEqual(['product fibre-500', 'service level gold']);
    expect(criteriaMatch(criteria, facts({ attributes: { productType: 'dsl', serviceLevel: 'gold' } }))).toBeNull();
    expect(criteriaMatch(criteria, facts({ attributes: { productType: 'fibre-500', serviceLevel: 'bronze' } }))).toBeNull();
  });

  test('branches', () => {
    expect(criteriaMatch({ branchCodes: ['EAST', 'NORTH'] }, facts({ branchCode: 'EAST' }))).toEqual(['branch EAST']);
    expect(criteriaMatch({ branchCodes: ['EAST', 'NORTH'] }, facts({ branchCode: 'WEST' }))).toBeNull();
  });

  test('hierarchy matches a level and everything under it, level by level', () => {
    expect(inHierarchy('ACME/East', 'ACME/East')).toBe(true);
    expect(inHierarchy('ACME/East/Boston', 'ACME/East')).toBe(true);
    expect(inHierarchy('acme/east/boston', 'ACME/East')).toBe(true);
    expect(inHierarchy('ACME/Eastern', 'ACME/East')).toBe(false);
    expect(inHierarchy('ACME', 'ACME/East')).toBe(false);
    expect(criteriaMatch({ hierarchyPrefix: 'ACME/East' }, facts({ attributes: { hierarchy: 'ACME/East/Boston' } }))).toEqual(['hierarchy under ACME/East']);
    expect(criteriaMatch({ hierarchyPrefix: 'ACME/East' }, facts())).toBeNull();
  });

  test('every criterion must hold, and the reason lists them all', () => {
    const rule: SegmentRule = { id: 'x', code: 'GOLD_LATE', priority: 5, criteria: { customerType: 'corporate', minBalanceMinor: 100_000, minDaysPastDue: 61, serviceLevels: ['gold'], hierarchyPrefix: 'ACME' } };
    const match = facts({ customerType: 'corporate', balanceMinor: 150_000n, daysPastDue: 75, attributes: { serviceLevel: 'gold', hierarchy: 'ACME/West' } });
    expect(segmentFor([rule], match)?.reason).toBe('customer is corporate, balance ≥ 100000, days past due ≥ 61, service level gold, hierarchy under ACME');
    expect(segmentFor([rule], { ...match, daysPastDue: 60 })).toBeNull();
  });

  test('criteria are validated: unknown fields and inverted ranges are refused', () => {
    expect(segmentCriteriaSchema.safeParse({ customerType: 'retail', minRiskScore: 100, maxRiskScore: 900 }).success).toBe(true);
    expect(segmentCriteriaSchema.safeParse({ riskScore: 5 }).success).toBe(false);
    expect(segmentCriteriaSchema.safeParse({ minDaysPastDue: 90, maxDaysPastDue: 30 }).success).toBe(false);
    expect(segmentCriteriaSchema.safeParse({ minRiskScore: 1001 }).success).toBe(false);
    expect(segmentCriteriaSchema.safeParse({ productTypes: [] }).success).toBe(false);
  });

  test('account attributes from billing are strict', () => {
    expect(accountAttributesSchema.safeParse({ riskScore: 640, productType: 'fibre-500', serviceLevel: 'gold', hierarchy: 'ACME/East' }).success).toBe(true);
    expect(accountAttributesSchema.safeParse({ riskScore: 1200 }).success).toBe(false);
    expect(accountAttributesSchema.safeParse({ riskscore: 5 }).success).toBe(false);
  });
});
