// The bucket's summary (W1): how many accounts, owing how much, by ageing band, branch, segment and
// the stage of the open case, under the same filters as the list. The database groups and sums;
// each group's balance is given per currency, since a book may hold more than one.
import type { Db, Prisma } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { ageingBuckets } from '../domain/ageing.ts';
import { ageingBucketWhere, bucketWhere, customerTimeZones, type AccountFilter } from './account-queries.ts';

export interface SummaryGroup {
  /** The filter value that selects the group (null: the group cannot be selected, e.g. "no segment"). */
  key: string | null;
  label: string;
  count: number;
  balances: Array<{ amountMinor: bigint; currency: string }>;
}

export interface BucketSummary {
  total: SummaryGroup;
  byAgeingBucket: SummaryGroup[];
  byBranch: SummaryGroup[];
  bySegment: SummaryGroup[];
  byStage: SummaryGroup[];
}

const stages = ['soft', 'hard', 'pre_legal', 'legal'] as const;
const stageLabels: Record<(typeof stages)[number], string> = { soft: 'Soft', hard: 'Hard', pre_legal: 'Pre-legal', legal: 'Legal' };

type CurrencyRows = Array<{ currency: string; _count: { _all: number }; _sum: { balanceMinor: bigint | null } }>;

function group(key: string | null, label: string, rows: CurrencyRows): SummaryGroup {
  const sorted = [...rows].sort((a, b) => a.currency.localeCompare(b.currency));
  return { key, label, count: rows.reduce((n, r) => n + r._count._all, 0), balances: sorted.map((r) => ({ currency: r.currency, amountMinor: r._sum.balanceMinor ?? 0n })) };
}

export async function getBucketSummary(db: Db, principal: Principal, filter: AccountFilter, now = new Date()): Promise<BucketSummary> {
  const [where, timeZones] = await Promise.all([bucketWhere(db, principal, filter, now), customerTimeZones(db)]);
  const byCurrency = async (extra?: Prisma.AccountWhereInput): Promise<CurrencyRows> => {
    const rows = await db.account.groupBy({ by: ['currency'], where: extra ? { AND: [where, extra] } : where, _count: { _all: true }, _sum: { balanceMinor: true }, orderBy: { currency: 'asc' } });
    return rows.map((r) => ({ currency: r.currency, _count: { _all: (r._count as { _all: number })._all }, _sum: { balanceMinor: r._sum?.balanceMinor ?? null } }));
  };

  const [total, ages, branchRows, segmentRows, stageRows, noOpenCase] = await Promise.all([
    byCurrency(),
    Promise.all(ageingBuckets.map((bucket) => byCurrency(ageingBucketWhere(bucket, now, timeZones)))),
    db.account.groupBy({ by: ['branchId', 'currency'], where, _count: { _all: true }, _sum: { balanceMinor: true } }),
    db.account.groupBy({ by: ['segmentId', 'currency'], where, _count: { _all: true }, _sum: { balanceMinor: true } }),
    Promise.all(stages.map((stage) => byCurrency({ cases: { some: { status: 'open', stage } } }))),
    byCurrency({ cases: { none: { status: 'open' } } }),
  ]);

  const branchIds = [...new Set(branchRows.map((r) => r.branchId))];
  const segmentIds = [...new Set(segmentRows.map((r) => r.segmentId).filter((s): s is string => s !== null))];
  const [branches, segments] = await Promise.all([
    db.branch.findMany({ where: { id: { in: branchIds } }, select: { id: true, code: true, name: true } }),
    db.segment.findMany({ where: { id: { in: segmentIds } }, select: { id: true, name: true } }),
  ]);
  const groupsBy = <K extends string | null>(rows: Array<CurrencyRows[number] & Record<string, unknown>>, keyOf: (row: CurrencyRows[number] & Record<string, unknown>) => K, labelOf: (key: K) => string) => {
    const byKey = new Map<K, CurrencyRows>();
    for (const row of rows) byKey.set(keyOf(row), [...(byKey.get(keyOf(row)) ?? []), row]);
    return [...byKey].map(([key, keyRows]) => group(key, labelOf(key), keyRows)).sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  };
  return {
    total: group(null, 'All', total),
    byAgeingBucket: ageingBuckets.map((bucket, i) => group(bucket, bucket === 'current' ? 'Nothing overdue' : `${bucket} days`, ages[i]!)).filter((g) => g.count > 0),
    byBranch: groupsBy(branchRows as never, (r) => r.branchId as string, (id) => branches.find((b) => b.id === id)?.name ?? 'Unknown branch'),
    bySegment: groupsBy(segmentRows as never, (r) => (r.segmentId as string | null) ?? null, (id) => (id === null ? 'No segment' : (segments.find((s) => s.id === id)?.name ?? 'Unknown segment'))),
    byStage: [...stages.map((stage, i) => group(stage, stageLabels[stage], stageRows[i]!)), group(null, 'No open case', noOpenCase)].filter((g) => g.count > 0),
  };
}
