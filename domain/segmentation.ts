// Segmentation (S1, C2): business-defined criteria assign each account a segment, the first match in
// priority order (lower number first), with the reason recorded.
import { z } from 'zod';

export const segmentCriteriaSchema = z.object({
  customerType: z.enum(['retail', 'corporate']).optional(),
  minBalanceMinor: z.number().int().min(0).optional(),
  maxBalanceMinor: z.number().int().min(0).optional(),
  branchCodes: z.array(z.string()).optional(),
});
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
}

export function segmentFor(rules: readonly SegmentRule[], facts: AccountFacts): { segment: SegmentRule; reason: string } | null {
  for (const rule of [...rules].sort((a, b) => a.priority - b.priority || a.code.localeCompare(b.code))) {
    const c = rule.criteria;
    const reasons: string[] = [];
    if (c.customerType !== undefined) {
      if (c.customerType !== facts.customerType) continue;
      reasons.push(`customer is ${c.customerType}`);
    }
    if (c.minBalanceMinor !== undefined) {
      if (facts.balanceMinor < BigInt(c.minBalanceMinor)) continue;
      reasons.push(`balance ≥ ${c.minBalanceMinor}`);
    }
    if (c.maxBalanceMinor !== undefined) {
      if (facts.balanceMinor > BigInt(c.maxBalanceMinor)) continue;
      reasons.push(`balance ≤ ${c.maxBalanceMinor}`);
    }
    if (c.branchCodes !== undefined) {
      if (!c.branchCodes.includes(facts.branchCode)) continue;
      reasons.push(`branch ${facts.branchCode}`);
    }
    return { segment: rule, reason: reasons.length ? reasons.join(', ') : 'default segment' };
  }
  return null;
}
