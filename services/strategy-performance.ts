// S6: the performance of a segment's strategy versions with the cases they ran (domain/strategy-
// performance.ts does the figures). A supervisor of a branch sees the cases of her branch; head office
// and admins see all. Each challenger is compared with the champion (the active version with the
// largest share of new cases).
import type { Db } from '../platform/db/client.ts';
import { branchScope, type Principal } from '../domain/access.ts';
import { armFigures, compareArms, type ArmComparison, type ArmFigures, type CaseOutcomeFact } from '../domain/strategy-performance.ts';
import { ServiceError } from './errors.ts';

export interface ArmReport extends ArmFigures {
  strategy: { id: string; version: number; name: string; status: 'draft' | 'active' | 'retired'; trafficPercent: number };
  isChampion: boolean;
  /** Against the champion; null for the champion itself, and when there is none. */
  comparison: ArmComparison | null;
}

async function inSlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 5_000) out.push(...(await read(ids.slice(i, i + 5_000))));
  return out;
}

export async function strategyPerformance(db: Db, principal: Principal, segmentId: string, now = new Date()) {
  const segment = await db.segment.findUnique({ where: { id: segmentId }, include: { strategies: { orderBy: { version: 'asc' } } } });
  if (!segment) throw new ServiceError('not_found', 'no such segment');
  const scope = branchScope(principal);
  const strategyIds = segment.strategies.map((s) => s.id);
  const cases = await db.collectionCase.findMany({
    where: { strategyId: { in: strategyIds }, ...(scope ? { account: { branchId: scope } } : {}) },
    select: { id: true, accountId: true, strategyId: true, status: true, closeReason: true, openedAt: true, closedAt: true, balanceAtOpen: true },
  });
  const accountIds = [...new Set(cases.map((c) => c.accountId))];
  const payments = await inSlices(accountIds, (slice) => db.payment.findMany({ where: { accountId: { in: slice }, status: 'posted' }, select: { accountId: true, amountMinor: true, receivedAt: true } }));
  const paymentsOf = new Map<string, typeof payments>();
  for (const p of payments) paymentsOf.set(p.accountId, [...(paymentsOf.get(p.accountId) ?? []), p]);
  const caseIds = cases.map((c) => c.id);
  const promiseCounts = await inSlices(caseIds, (slice) => db.promiseToPay.groupBy({ by: ['caseId', 'status'], where: { caseId: { in: slice } }, _count: { _all: true } }));
  const promisesOf = new Map<string, { made: number; kept: number; broken: number }>();
  for (const row of promiseCounts) {
    if (!row.caseId) continue;
    const entry = promisesOf.get(row.caseId) ?? { made: 0, kept: 0, broken: 0 };
    entry.made += row._count._all;
    if (row.status === 'kept') entry.kept += row._count._all;
    if (row.status === 'broken') entry.broken += row._count._all;
    promisesOf.set(row.caseId, entry);
  }
  const facts: CaseOutcomeFact[] = cases.map((c) => {
    const until = c.closedAt ?? now;
    const collected = (paymentsOf.get(c.accountId) ?? []).filter((p) => p.receivedAt >= c.openedAt && p.receivedAt <= until).reduce((sum, p) => sum + p.amountMinor, 0n);
    const promises = promisesOf.get(c.id) ?? { made: 0, kept: 0, broken: 0 };
    return { strategyId: c.strategyId, status: c.status, closeReason: c.closeReason, openedAt: c.openedAt, closedAt: c.closedAt, balanceAtOpenMinor: c.balanceAtOpen, collectedMinor: collected, promisesMade: promises.made, promisesKept: promises.kept, promisesBroken: promises.broken };
  });
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
