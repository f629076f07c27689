// Field reps' commissions (F10) from a configurable plan: a percentage of what they collected, in
// marginal tiers (the rate of a tier applies to the part of the period's takings that falls in it,
// like tax bands, so that crossing a threshold never lowers pay), plus an amount per unit of
// equipment recovered, optionally per equipment type. Pure; amounts in minor units.
import { z } from 'zod';

const minor = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const commissionPlanSchema = z
  .object({
    /** Rates in basis points (1 % = 100) from each threshold of the period's collected amount up. */
    tiers: z
      .array(z.object({ fromMinor: minor, rateBps: z.number().int().min(0).max(10_000) }).strict())
      .min(1)
      .max(10)
      .refine((tiers) => tiers[0]!.fromMinor === 0, { message: 'the first tier starts at 0' })
      .refine((tiers) => tiers.every((t, i) => i === 0 || t.fromMinor > tiers[i - 1]!.fromMinor), { message: 'tier thresholds must rise' }),
    /** Paid per unit of equipment recovered. */
    perEquipmentMinor: minor.default(0),
    /** Overrides of `perEquipmentMinor` by equipment type (lower case). */
    perEquipmentTypeMinor: z.record(z.string().min(1).max(60), minor).default({}),
  })
  .strict();
export type CommissionPlan = z.infer<typeof commissionPlanSchema>;

/** The demo plan: 3 % up to $5,000 a month, 5 % above; $15 a unit of equipment, $25 for a set-top box. */
export const defaultCommissionPlan: CommissionPlan = {
  tiers: [
    { fromMinor: 0, rateBps: 300 },
    { fromMinor: 500_000, rateBps: 500 },
  ],
  perEquipmentMinor: 1_500,
  perEquipmentTypeMinor: { 'set-top box': 2_500 },
};

export interface CommissionFacts {
  /** What the rep collected in the period (posted payments, card payments approved; reversals excluded). */
  collectedMinor: bigint;
  equipment: ReadonlyArray<{ type: string }>;
}

export interface CommissionBreakdown {
  tiers: Array<{ fromMinor: bigint; toMinor: bigint | null; rateBps: number; baseMinor: bigint; commissionMinor: bigint }>;
  collectedCommissionMinor: bigint;
  equipmentUnits: number;
  equipmentCommissionMinor: bigint;
  totalMinor: bigint;
}

/** A rep's commission for one period. Fractions of a cent are rounded half up, once per tier. */
export function commissionFor(facts: CommissionFacts, plan: CommissionPlan): CommissionBreakdown {
  const tiers = plan.tiers.map((tier, i) => {
    const from = BigInt(tier.fromMinor);
    const next = plan.tiers[i + 1];
    const to = next ? BigInt(next.fromMinor) : null;
    const top = to === null || facts.collectedMinor < to ? facts.collectedMinor : to;
    const base = top > from ? top - from : 0n;
    return { fromMinor: from, toMinor: to, rateBps: tier.rateBps, baseMinor: base, commissionMinor: roundHalfUp(base * BigInt(tier.rateBps), 10_000n) };
  });
  const collectedCommissionMinor = tiers.reduce((sum, t) => sum + t.commissionMinor, 0n);
  const equipmentCommissionMinor = facts.equipment.reduce((sum, item) => sum + BigInt(plan.perEquipmentTypeMinor[item.type.trim().toLowerCase()] ?? plan.perEquipmentMinor), 0n);
  return { tiers, collectedCommissionMinor, equipmentUnits: facts.equipment.length, equipmentCommissionMinor, totalMinor: collectedCommissionMinor + equipmentCommissionMinor };
}

function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (numerator * 2n + denominator) / (denominator * 2n);
}
