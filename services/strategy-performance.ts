// S6: the performance of a segment's strategy versions with the cases they ran (domain/strategy-
// performance.ts does the figures). A supervisor of a branch sees the cases of her branch; head office
// and admins see all. Each challenger is compared with the champion (the active version with the
// largest share of new cases).
import { Prisma, type Db } from '../platform/db/client.ts';
import { branchScope, type Principal } from '../domain/access.ts';
import { armFigures, compareArms, type ArmComparison, type ArmFigures, type CaseOutcomeFact } from '../domain/strategy-performance.ts';
import { ServiceError } from './errors.ts';

export interface ArmReport extends ArmFigures {
  strategy: { id: string; version: number; name: string; status: 'draft' | 'active' | 'retired'; trafficPercent: number };
  isChampion: boolean;
  /** Against the champion; null for the champion itself, and when there is none. */
  comparison: ArmComparison | null;
}

interface CaseFactRow {
  strategy_id: string | null;
  status: 'open' | 'closed';
  close_reason: string | null;
  opened_at: Date;
  closed_at: Date | null;
  balance_at_open: bigint;
  collected: bigint;
  made: number;
  kept: number;
  broken: number;
}

export async function strategyPerformance(db: Db, principal: Principal, segmentId: string, now = new Date()) {
  const segment = await db.segment.findUnique({ where: { id: segmentId }, include: { strategies: { orderBy: { version: 'asc' } } } });
  if (!segment) throw new ServiceError('not_found', 'no such segment');
  const scope = branchScope(principal);
  const strategyIds = segment.strategies.map((s) => s.id);
  // One fact per case, summed in the database: what was collected on the account while the case ran
  // (posted payments from its opening to its closing, or now) and its promises by outcome. Both
  // subqueries use an index on the account, so a book of 100,000 cases is one pass, not a read of
  // every payment into memory.
  const rows = await db.$queryRaw<CaseFactRow[]>`
    SELECT c.strategy_id, c.status::text AS status, c.close_reason::text AS close_reason, c.opened_at, c.closed_at, c.balance_at_open,
           COALESCE(paid.collected, 0)::bigint AS collected, pr.made::int AS made, pr.kept::int AS kept, pr.broken::int AS broken
    FROM collection_cases c
    JOIN accounts a ON a.id = c.account_id
    LEFT JOIN LATERAL (
      SELECT sum(p.amount_minor) AS collected FROM payments p
      WHERE p.account_id = c.account_id AND p.status = 'posted' AND p.received_at >= c.opened_at AND p.received_at <= COALESCE(c.closed_at, ${now})
    ) paid ON TRUE
    LEFT JOIN LATERAL (
      SELECT count(*) AS made, count(*) FILTER (WHERE t.status = 'kept') AS kept, count(*) FILTER (WHERE t.status = 'broken') AS broken
      FROM promises_to_pay t WHERE t.account_id = c.account_id AND t.case_id = c.id
    ) pr ON TRUE
    WHERE c.strategy_id = ANY(${strategyIds}::uuid[]) ${scope ? Prisma.sql`AND a.branch_id = ${scope}::uuid` : Prisma.empty}`;
  const facts: CaseOutcomeFact[] = rows.map((r) => ({
    strategyId: r.strategy_id,
    status: r.status,
    closeReason: r.close_reason,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
    balanceAtOpenMinor: r.balance_at_open,
    collectedMinor: r.collected,
    promisesMade: r.made,
    promisesKept: r.kept,
    promisesBroken: r.broken,
  }));
  const figures = new Map(armFigures(facts).map((f) => [f.strategyId, f]));
  const empty = (strategyId: string): ArmFigures => ({ strategyId, cases: 0, open: 0, paid: 0, otherClosed: 0, paidShare: null, recoveryRate: null, medianDaysToPay: null, promises: { made: 0, kept: 0, broken: 0, keptShare: null } });
  const active = segment.strategies.filter((s) => s.status === 'active');
  const champion = active.length ? active.reduce((best, s) => (s.trafficPercent > best.trafficPercent || (s.trafficPercent === best.trafficPercent && s.version < best.version) ? s : best)) : null;
  const championFigures = champion ? (figures.get(champion.id) ?? empty(champion.id)) : null;
  const arms: ArmReport[] = segment.strategies.map((s) => {
    const own = figures.get(s.id) ?? empty(s.id);
    const isChampion = s.id === champion?.id;
    return {
      ...own,
      strategy: { id: s.id, version: s.version, name: s.name, status: s.status, trafficPercent: s.trafficPercent },
      isChampion,
      comparison: championFigures && !isChampion && own.cases > 0 ? compareArms(championFigures, own) : null,
    };
  });
  return { segment: { id: segment.id, code: segment.code, name: segment.name }, championId: champion?.id ?? null, generatedAt: now, arms };
}
