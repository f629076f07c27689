// S6: how strategy versions (champion and challengers, and past ones) have done with the cases they
// ran, so that the most effective can be deployed. Pure: the service gathers one fact per case.
//
// Per version ("arm"): cases, how many are still open, paid (closed paid in full or settled), other
// endings; the share paid; the mean recovery rate (what was collected during the case over what was
// owed when it opened, capped at 1, so that currencies never mix); the median days from opening to
// paid; promises made, kept and broken. Each challenger is compared with the champion on the share
// paid by a two-proportion z-test: a difference is called only when both arms have enough cases and
// it is unlikely to be chance (p < 0.05).

export interface CaseOutcomeFact {
  strategyId: string | null;
  status: 'open' | 'closed';
  closeReason: string | null;
  openedAt: Date;
  closedAt: Date | null;
  balanceAtOpenMinor: bigint;
  /** Posted payments on the account from the case's opening to its closing (or now). */
  collectedMinor: bigint;
  promisesMade: number;
  promisesKept: number;
  promisesBroken: number;
}

export interface ArmFigures {
  strategyId: string | null;
  cases: number;
  open: number;
  paid: number;
  otherClosed: number;
  /** paid / cases; null with no case. */
  paidShare: number | null;
  /** Mean over cases of min(1, collected / balance at opening); null with no case. */
  recoveryRate: number | null;
  medianDaysToPay: number | null;
  promises: { made: number; kept: number; broken: number; keptShare: number | null };
}

const paidReasons = new Set(['paid', 'settled']);
const dayMs = 86_400_000;
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The figures of each arm, in the order the arms first appear. */
export function armFigures(facts: readonly CaseOutcomeFact[]): ArmFigures[] {
  const byArm = new Map<string | null, CaseOutcomeFact[]>();
  for (const fact of facts) {
    const arm = byArm.get(fact.strategyId);
    if (arm) arm.push(fact);
    else byArm.set(fact.strategyId, [fact]);
  }
  return [...byArm].map(([strategyId, cases]) => {
    const paid = cases.filter((c) => c.status === 'closed' && paidReasons.has(c.closeReason ?? ''));
    const open = cases.filter((c) => c.status === 'open').length;
    const rates = cases.map((c) => (c.balanceAtOpenMinor > 0n ? Math.min(1, Number((c.collectedMinor * 10_000n) / c.balanceAtOpenMinor) / 10_000) : 1));
    const made = cases.reduce((n, c) => n + c.promisesMade, 0);
    const kept = cases.reduce((n, c) => n + c.promisesKept, 0);
    const broken = cases.reduce((n, c) => n + c.promisesBroken, 0);
    return {
      strategyId,
      cases: cases.length,
      open,
      paid: paid.length,
      otherClosed: cases.length - open - paid.length,
      paidShare: cases.length ? round4(paid.length / cases.length) : null,
      recoveryRate: rates.length ? round4(rates.reduce((a, b) => a + b, 0) / rates.length) : null,
      medianDaysToPay: median(paid.map((c) => Math.round((c.closedAt!.getTime() - c.openedAt.getTime()) / dayMs))),
      promises: { made, kept, broken, keptShare: kept + broken ? round4(kept / (kept + broken)) : null },
    };
  });
}

export type Verdict = 'better' | 'worse' | 'not_yet_significant' | 'too_few_cases';

export interface ArmComparison {
  strategyId: string | null;
  /** challenger's share paid minus the champion's. */
  paidShareDifference: number | null;
  /** Two-sided p-value of that difference; null when it cannot be computed. */
  pValue: number | null;
  verdict: Verdict;
}

/** Cases each arm needs before a difference is called. */
export const minCasesToCompare = 30;

/** The challenger against the champion, on the share of cases paid. */
export function compareArms(champion: ArmFigures, challenger: ArmFigures, minCases = minCasesToCompare): ArmComparison {
  const base = { strategyId: challenger.strategyId };
  if (champion.cases < minCases || challenger.cases < minCases) return { ...base, paidShareDifference: champion.cases && challenger.cases ? round4(challenger.paid / challenger.cases - champion.paid / champion.cases) : null, pValue: null, verdict: 'too_few_cases' };
  const p1 = champion.paid / champion.cases;
  const p2 = challenger.paid / challenger.cases;
  const pooled = (champion.paid + challenger.paid) / (champion.cases + challenger.cases);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / champion.cases + 1 / challenger.cases));
  const difference = round4(p2 - p1);
  if (se === 0) return { ...base, paidShareDifference: difference, pValue: difference === 0 ? 1 : 0, verdict: difference === 0 ? 'not_yet_significant' : difference > 0 ? 'better' : 'worse' };
  const pValue = round4(2 * (1 - standardNormalCdf(Math.abs((p2 - p1) / se))));
  return { ...base, paidShareDifference: difference, pValue, verdict: pValue >= 0.05 ? 'not_yet_significant' : difference > 0 ? 'better' : 'worse' };
}

/** Φ(z), by the complementary error function (Abramowitz and Stegun 7.1.26; error below 1.5e-7). */
export function standardNormalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - (((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t) * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
