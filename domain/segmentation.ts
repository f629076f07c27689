// Segmentation (S1, C2, E4): business-defined criteria assign each account a segment, the first match
// in priority order (lower number first), with the reason recorded. Criteria cover the customer type,
// balance band, days past due, risk score, product/subscription type, service level, branch and the
// customer's place in a hierarchy (billing reports the attributes with the account). Every criterion
// given must hold; one the account has no value for does not match. Reasons name the criteria, not
// the account's exact values, so a reason changes only when the account crosses a boundary.
import { z } from 'zod';
import { formatMinorUnits } from './money.ts';

/** Attributes billing reports with an account (`account.attributes` of a delinquency report). */
export const accountAttributesSchema = z.strictObject({
  riskScore: z.number().int().min(0).max(1000).optional().describe('Billing’s risk score, 0 (lowest risk) to 1000'),
  productType: z.string().trim().min(1).max(60).optional().describe('Product or subscription type, e.g. "fibre-500"'),
  serviceLevel: z.string().trim().min(1).max(60).optional().describe('Service level, e.g. "gold"'),
  hierarchy: z.string().trim().min(1).max(200).optional().describe('Place in the customer hierarchy, levels separated by "/", e.g. "ACME/East/Boston"'),
  sector: z.string().trim().min(1).max(60).optional().describe('The customer\'s sector, e.g. "construction", "public sector": queues can be ordered and narrowed by it (W2)'),
});
export type AccountAttributes = z.infer<typeof accountAttributesSchema>;

const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const days = z.number().int().min(0).max(100_000);
const score = z.number().int().min(0).max(1000);
const names = z.array(z.string().trim().min(1).max(60)).min(1).max(100);

export const segmentCriteriaSchema = z
  .strictObject({
    customerType: z.enum(['retail', 'corporate']).optional(),
    minBalanceMinor: minorUnits.optional(),
    maxBalanceMinor: minorUnits.optional(),
    minDaysPastDue: days.optional(),
    maxDaysPastDue: days.optional(),
    minRiskScore: score.optional(),
    maxRiskScore: score.optional(),
    productTypes: names.optional(),
    serviceLevels: names.optional(),
    branchCodes: z.array(z.string().trim().min(1).max(20)).min(1).max(100).optional(),
    /** Matches this level and everything under it: "ACME/East" matches "ACME/East/Boston", not "ACME/Eastern". */
    hierarchyPrefix: z.string().trim().min(1).max(200).optional(),
  })
  .refine((c) => c.minBalanceMinor === undefined || c.maxBalanceMinor === undefined || c.minBalanceMinor <= c.maxBalanceMinor, { message: 'minBalanceMinor is above maxBalanceMinor', path: ['minBalanceMinor'] })
  .refine((c) => c.minDaysPastDue === undefined || c.maxDaysPastDue === undefined || c.minDaysPastDue <= c.maxDaysPastDue, { message: 'minDaysPastDue is above maxDaysPastDue', path: ['minDaysPastDue'] })
  .refine((c) => c.minRiskScore === undefined || c.maxRiskScore === undefined || c.minRiskScore <= c.maxRiskScore, { message: 'minRiskScore is above maxRiskScore', path: ['minRiskScore'] });
export type SegmentCriteria = z.infer<typeof segmentCriteriaSchema>;

export interface SegmentRule {
  id: string;
  code: string;
  priority: number;
  criteria: SegmentCriteria;
}

export interface AccountFacts {
  customerType: 'retail' | 'corporate';
  balanceMinor: bigint;
  branchCode: string;
  daysPastDue?: number;
  attributes?: AccountAttributes;
  /** The account's currency: reasons then show balance bounds as money ("balance ≥ $200.01"). */
  currency?: string;
}

/** "ACME/East" covers "ACME/East" and "ACME/East/…", compared level by level, ignoring case. */
export function inHierarchy(hierarchy: string, prefix: string): boolean {
  const levels = (path: string) => path.split('/').map((l) => l.trim().toLowerCase()).filter(Boolean);
  const want = levels(prefix);
  const have = levels(hierarchy);
  return want.length > 0 && want.length <= have.length && want.every((level, i) => have[i] === level);
}

/** Why the account meets every criterion, or null when one fails. */
export function criteriaMatch(criteria: SegmentCriteria, facts: AccountFacts): string[] | null {
  const c = criteria;
  const a = facts.attributes ?? {};
  const reasons: string[] = [];
  const money = (minor: number) => (facts.currency ? formatMinorUnits(BigInt(minor), facts.currency) : String(minor));
  const check = (applies: boolean, holds: () => boolean, reason: () => string) => {
    if (!applies) return true;
    if (!holds()) return false;
    reasons.push(reason());
    return true;
  };
  const ok =
    check(c.customerType !== undefined, () => c.customerType === facts.customerType, () => `customer is ${c.customerType}`) &&
    check(c.minBalanceMinor !== undefined, () => facts.balanceMinor >= BigInt(c.minBalanceMinor!), () => `balance ≥ ${money(c.minBalanceMinor!)}`) &&
    check(c.maxBalanceMinor !== undefined, () => facts.balanceMinor <= BigInt(c.maxBalanceMinor!), () => `balance ≤ ${money(c.maxBalanceMinor!)}`) &&
    check(c.minDaysPastDue !== undefined, () => facts.daysPastDue !== undefined && facts.daysPastDue >= c.minDaysPastDue!, () => `days past due ≥ ${c.minDaysPastDue}`) &&
    check(c.maxDaysPastDue !== undefined, () => facts.daysPastDue !== undefined && facts.daysPastDue <= c.maxDaysPastDue!, () => `days past due ≤ ${c.maxDaysPastDue}`) &&
    check(c.minRiskScore !== undefined, () => a.riskScore !== undefined && a.riskScore >= c.minRiskScore!, () => `risk score ≥ ${c.minRiskScore}`) &&
    check(c.maxRiskScore !== undefined, () => a.riskScore !== undefined && a.riskScore <= c.maxRiskScore!, () => `risk score ≤ ${c.maxRiskScore}`) &&
    check(c.productTypes !== undefined, () => a.productType !== undefined && c.productTypes!.includes(a.productType), () => `product ${a.productType}`) &&
    check(c.serviceLevels !== undefined, () => a.serviceLevel !== undefined && c.serviceLevels!.includes(a.serviceLevel), () => `service level ${a.serviceLevel}`) &&
    check(c.branchCodes !== undefined, () => c.branchCodes!.includes(facts.branchCode), () => `branch ${facts.branchCode}`) &&
    check(c.hierarchyPrefix !== undefined, () => a.hierarchy !== undefined && inHierarchy(a.hierarchy, c.hierarchyPrefix!), () => `hierarchy under ${c.hierarchyPrefix}`);
  return ok ? reasons : null;
}

export function segmentFor(rules: readonly SegmentRule[], facts: AccountFacts): { segment: SegmentRule; reason: string } | null {
  for (const rule of [...rules].sort((a, b) => a.priority - b.priority || a.code.localeCompare(b.code))) {
    const reasons = criteriaMatch(rule.criteria, facts);
    if (reasons) return { segment: rule, reason: reasons.length ? reasons.join(', ') : 'default segment' };
  }
  return null;
}
