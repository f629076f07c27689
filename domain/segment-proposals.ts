// C2: "the system forms segments by itself". From the delinquent accounts' facts, propose segments an
// admin can adopt: first by customer type (retail and corporate are treated differently), then by
// balance band (cut at the data's quantiles, so each band holds a similar number of accounts), then
// by days-past-due band (early, middle, late). Each proposal carries criteria in the same shape as a
// segment's (domain/segmentation.ts), so adopting it is creating a segment with them.
import type { SegmentCriteria } from './segmentation.ts';
import { formatMinorUnits } from './money.ts';

export interface ProposalFacts {
  customerType: 'retail' | 'corporate';
  balanceMinor: bigint;
  daysPastDue: number;
}

export interface SegmentProposal {
  code: string;
  name: string;
  criteria: SegmentCriteria;
  /** Suggested priority: narrower proposals first, in a stable order. */
  priority: number;
  accountCount: number;
  totalBalanceMinor: bigint;
}

export interface ProposalOptions {
  /** How many balance bands per customer type (fewer when the data has fewer distinct balances). */
  balanceBands: number;
  /** Upper bounds of the days-past-due bands but the last, e.g. [30, 90] → 0–30, 31–90, 91+. */
  daysPastDueBreaks: readonly number[];
  /** A customer type with fewer accounts than this is not split by balance. */
  minAccountsToSplit: number;
}

export const defaultProposalOptions: ProposalOptions = { balanceBands: 3, daysPastDueBreaks: [30, 90], minAccountsToSplit: 10 };

/** The value at quantile q (0..1) of sorted values, nearest-rank. */
export function quantile(sorted: readonly bigint[], q: number): bigint {
  if (sorted.length === 0) throw new RangeError('no values');
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

/** Upper bounds of the balance bands but the last: the k-quantiles, without repeats. */
export function balanceCuts(balances: readonly bigint[], bands: number): bigint[] {
  const sorted = [...balances].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const cuts: bigint[] = [];
  for (let i = 1; i < bands; i++) {
    const cut = quantile(sorted, i / bands);
    // A cut at the maximum would leave the last band empty.
    if (cut < sorted[sorted.length - 1]! && !cuts.includes(cut)) cuts.push(cut);
  }
  return cuts;
}

interface Band<T> {
  label: string;
  criteria: SegmentCriteria;
  contains: (value: T) => boolean;
}

/** Bands' names show amounts in the proposals' currency (criteria stay in minor units). */
function balanceBandsFor(cuts: readonly bigint[], currency: string): Array<Band<bigint>> {
  const money = (minor: bigint) => formatMinorUnits(minor, currency);
  if (cuts.length === 0) return [{ label: 'any balance', criteria: {}, contains: () => true }];
  return [...cuts, null].map((upper, i) => {
    const lower = i === 0 ? null : cuts[i - 1]! + 1n;
    const criteria: SegmentCriteria = { ...(lower !== null ? { minBalanceMinor: Number(lower) } : {}), ...(upper !== null ? { maxBalanceMinor: Number(upper) } : {}) };
    const label = lower === null ? `balance ≤ ${money(upper!)}` : upper === null ? `balance ≥ ${money(lower)}` : `balance ${money(lower)}–${money(upper)}`;
    return { label, criteria, contains: (b: bigint) => (lower === null || b >= lower) && (upper === null || b <= upper) };
  });
}

function daysPastDueBandsFor(breaks: readonly number[]): Array<Band<number>> {
  const sorted = [...new Set(breaks)].sort((a, b) => a - b);
  return [...sorted, null].map((upper, i) => {
    const lower = i === 0 ? null : sorted[i - 1]! + 1;
    const criteria: SegmentCriteria = { ...(lower !== null ? { minDaysPastDue: lower } : {}), ...(upper !== null ? { maxDaysPastDue: upper } : {}) };
    const label = lower === null ? `0–${upper} days` : upper === null ? `${lower}+ days` : `${lower}–${upper} days`;
    return { label, criteria, contains: (d: number) => (lower === null || d >= lower) && (upper === null || d <= upper) };
  });
}

/** Proposed segments covering every account given (all in `currency`); empty cells are left out. */
export function proposeSegments(accounts: readonly ProposalFacts[], currency: string, options: ProposalOptions = defaultProposalOptions): SegmentProposal[] {
  const proposals: SegmentProposal[] = [];
  const dpdBands = daysPastDueBandsFor(options.daysPastDueBreaks);
  for (const customerType of ['corporate', 'retail'] as const) {
    const ofType = accounts.filter((a) => a.customerType === customerType);
    if (ofType.length === 0) continue;
    const cuts = ofType.length >= options.minAccountsToSplit ? balanceCuts(ofType.map((a) => a.balanceMinor), options.balanceBands) : [];
    const balanceBands = balanceBandsFor(cuts, currency);
    balanceBands.forEach((balanceBand, b) => {
      dpdBands.forEach((dpdBand, d) => {
        const members = ofType.filter((a) => balanceBand.contains(a.balanceMinor) && dpdBand.contains(a.daysPastDue));
        if (members.length === 0) return;
        proposals.push({
          code: `${customerType.toUpperCase()}_B${b + 1}_D${d + 1}`,
          name: `${customerType === 'retail' ? 'Retail' : 'Corporate'}, ${balanceBand.label}, ${dpdBand.label}`,
          criteria: { customerType, ...balanceBand.criteria, ...dpdBand.criteria },
          priority: 0,
          accountCount: members.length,
          totalBalanceMinor: members.reduce((sum, a) => sum + a.balanceMinor, 0n),
        });
      });
    });
  }
  return proposals.map((p, i) => ({ ...p, priority: (i + 1) * 10 }));
}
