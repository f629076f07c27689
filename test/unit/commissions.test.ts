// Field reps' commissions (F10): marginal tiers on what was collected, plus equipment recovered.
import { describe, expect, test } from 'vitest';
import { commissionFor, commissionPlanSchema, defaultCommissionPlan } from '../../domain/commissions.ts';

describe('commissions', () => {
  test('the tier rate applies only to the part of the takings within the tier, so crossing a threshold never lowers pay', () => {
    const below = commissionFor({ collectedMinor: 499_999n, equipment: [] }, defaultCommissionPlan);
    const above = commissionFor({ collectedMinor: 500_001n, equipment: [] }, defaultCommissionPlan);
    expect(below.totalMinor).toBe(15_000n); // 3 % of $4,999.99, rounded half up
    expect(above.totalMinor).toBe(15_000n); // $150.00 + 5 % of $0.01 (0.05 ¢ rounds to 0)
    const big = commissionFor({ collectedMinor: 800_000n, equipment: [] }, defaultCommissionPlan);
    expect(big.tiers.map((t) => [t.baseMinor, t.commissionMinor])).toEqual([
      [500_000n, 15_000n],
      [300_000n, 15_000n],
    ]);
    expect(big.totalMinor).toBe(30_000n);
  });

  test('equipment pays per unit, with per-type amounts', () => {
    const pay = commissionFor({ collectedMinor: 0n, equipment: [{ type: 'Modem' }, { type: 'Set-top box' }, { type: ' set-top BOX ' }] }, defaultCommissionPlan);
    expect(pay).toMatchObject({ equipmentUnits: 3, equipmentCommissionMinor: 1_500n + 2_500n + 2_500n, collectedCommissionMinor: 0n });
  });

  test('a plan must start its first tier at zero and raise its thresholds', () => {
    expect(commissionPlanSchema.safeParse({ tiers: [{ fromMinor: 100, rateBps: 100 }] }).success).toBe(false);
    expect(commissionPlanSchema.safeParse({ tiers: [{ fromMinor: 0, rateBps: 100 }, { fromMinor: 0, rateBps: 200 }] }).success).toBe(false);
    expect(commissionPlanSchema.safeParse({ tiers: [{ fromMinor: 0, rateBps: 10_001 }] }).success).toBe(false);
    expect(commissionPlanSchema.parse({ tiers: [{ fromMinor: 0, rateBps: 250 }] })).toEqual({ tiers: [{ fromMinor: 0, rateBps: 250 }], perEquipmentMinor: 0, perEquipmentTypeMinor: {} });
  });
});
