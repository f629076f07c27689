// A commission plan in words, as the reports page shows it: "3 % up to $5,000.00, 5 % above".
import type { CommissionPlanDefinition } from '#lib/api/field-reports.ts';
import { formatMoney } from '#lib/format.ts';

export function describeTiers(plan: CommissionPlanDefinition, currency: string): string {
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency });
  const parts = plan.tiers.map((tier, i) => {
    const next = plan.tiers[i + 1];
    const rate = `${tier.rateBps / 100} %`;
    if (plan.tiers.length === 1) return `${rate} of everything collected`;
    if (i === 0) return `${rate} up to ${money(next!.fromMinor)}`;
    return next ? `${rate} from ${money(tier.fromMinor)} to ${money(next.fromMinor)}` : `${rate} above ${money(tier.fromMinor)}`;
  });
  return `Takings in a month: ${parts.join(', ')}.`;
}

export function describeEquipment(plan: CommissionPlanDefinition, currency: string): string {
  const money = (minor: number) => formatMoney({ amountMinor: minor, currency });
  const byType = Object.entries(plan.perEquipmentTypeMinor).map(([type, amount]) => `${money(amount)} for a ${type}`);
  return `Equipment: ${money(plan.perEquipmentMinor)} a unit${byType.length ? ` (${byType.join(', ')})` : ''}.`;
}
