// Reads the facts the field reports are built from (domain/field-reports.ts and field-route-reports.ts
// decide what they count as): the synced visits in a range with what became of their money and
// promises, the routes and their stops, and the reps — always within the caller's branches (X3).
// Each branch's days are its own: the visits are read in one window wide enough for every time zone
// in scope, and the domain cuts each visit's local day out.
import type { Db, Prisma } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { toDateOnly } from '../domain/ageing.ts';
import { addDays, localDaysWindow } from '../domain/team-board.ts';
import { fieldPaymentMethods, type FieldPaymentMethod } from '../domain/field-visits.ts';
import {
  buildCollectionsReport,
  buildCommissionLines,
  buildEffectiveness,
  buildSweep,
  rangeProblems,
  takingStatus,
  wholeMonths,
  type DateRange,
  type PromiseOutcome,
  type RepRef,
  type ReportPeriod,
  type VisitFact,
} from '../domain/field-reports.ts';
import { buildDistribution, buildRouteSummary, type DistributionArea, type RouteFact } from '../domain/field-route-reports.ts';
import { commissionPlanVersions } from './commission-plans.ts';
import { boardBranch } from './team-board.ts';
import { ServiceError } from './errors.ts';

export interface ReportRequest {
  range: DateRange;
  /** One branch; default the caller's, or every branch for a caller without one. */
  branchId?: string | undefined;
  /** One rep; default every rep in the branches. */
  repId?: string | undefined;
}

interface Scope {
  range: DateRange;
  branchId: string | null;
  rep: RepRef | null;
  /** The field reps of the branches in scope (or the one asked for): listed even with nothing to show. */
  reps: RepRef[];
  timeZones: Map<string, string>;
}

/** Lists of IDs are read in slices: PostgreSQL takes at most 65,535 parameters in a statement. */
const idSlice = 5_000;

async function inSlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += idSlice) out.push(...(await read(ids.slice(i, i + idSlice))));
  return out;
}

const repRef = (user: { id: string; name: string; branch: { code: string } | null }): RepRef => ({ id: user.id, name: user.name, branchCode: user.branch?.code ?? null });

/** Checks the range, the branch and the rep against what the caller may see. */
async function scopeOf(db: Db, principal: Principal, request: ReportRequest): Promise<Scope> {
  const problems = rangeProblems(request.range);
  if (problems.length) throw new ServiceError('validation_failed', 'the date range cannot be reported on', problems);
  const branchId = await boardBranch(db, principal, request.branchId);
  const branches = await db.branch.findMany({ where: branchId ? { id: branchId } : {}, select: { id: true, timeZone: true } });
  let rep: RepRef | null = null;
  if (request.repId) {
    const user = await db.user.findUnique({ where: { id: request.repId }, select: { id: true, name: true, role: true, branchId: true, branch: { select: { code: true } } } });
    // A rep is a field rep, or anyone else who has made a field visit (a supervisor who went out).
    const isRep = user !== null && (user.role === 'field_rep' || (await db.fieldVisit.count({ where: { repId: user.id }, take: 1 })) > 0);
    if (!user || !isRep || (branchId !== null && user.branchId !== branchId)) throw new ServiceError('validation_failed', 'no such field rep in the branches you can see', [{ path: 'query.repId', message: 'unknown rep' }]);
    rep = repRef(user);
  }
  const reps = rep ? [rep] : (await db.user.findMany({ where: { role: 'field_rep', active: true, ...(branchId ? { branchId } : {}) }, select: { id: true, name: true, branch: { select: { code: true } } } })).map(repRef);
  return { range: request.range, branchId, rep, reps, timeZones: new Map(branches.map((b) => [b.id, b.timeZone])) };
}

const visitSelect = {
  id: true,
  branchId: true,
  arrivedAt: true,
  currency: true,
  contactResult: true,
  paymentAmountMinor: true,
  paymentMethod: true,
  paymentReference: true,
  paymentId: true,
  promiseAmountMinor: true,
  promiseId: true,
  retentionOutcome: true,
  routeId: true,
  routeStopId: true,
  receiptNumber: true,
  account: { select: { id: true, externalRef: true, customer: { select: { name: true } } } },
  rep: { select: { id: true, name: true, branch: { select: { code: true } } } },
  equipment: { select: { type: true, serial: true }, orderBy: { serial: 'asc' } },
  cardCharge: { select: { status: true, brand: true, last4: true, processorRef: true } },
} satisfies Prisma.FieldVisitSelect;

type VisitRow = Prisma.FieldVisitGetPayload<{ select: typeof visitSelect }>;

const isFieldMethod = (method: string | null): method is FieldPaymentMethod => method !== null && (fieldPaymentMethods as readonly string[]).includes(method);

/** Visits as the domain reads them, with their payment's and promise's fate looked up. */
async function visitFacts(db: Db, rows: VisitRow[], timeZones: ReadonlyMap<string, string>): Promise<VisitFact[]> {
  const paymentIds = rows.map((r) => r.paymentId).filter((id): id is string => id !== null);
  const promiseIds = rows.map((r) => r.promiseId).filter((id): id is string => id !== null);
  const [payments, promises] = await Promise.all([
    inSlices(paymentIds, (ids) => db.payment.findMany({ where: { id: { in: ids } }, select: { id: true, status: true, reversedAt: true } })),
    inSlices(promiseIds, (ids) => db.promiseToPay.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } })),
  ]);
  const paymentById = new Map(payments.map((p) => [p.id, p]));
  const promiseById = new Map(promises.map((p) => [p.id, p]));
  return rows.map((row) => {
    const payment = row.paymentId ? (paymentById.get(row.paymentId) ?? null) : null;
    const card = row.cardCharge;
    const took = row.paymentAmountMinor !== null && isFieldMethod(row.paymentMethod);
    return {
      id: row.id,
      rep: repRef(row.rep),
      timeZone: timeZones.get(row.branchId) ?? 'UTC',
      arrivedAt: row.arrivedAt,
      currency: row.currency,
      account: { id: row.account.id, externalRef: row.account.externalRef, customerName: row.account.customer.name },
      receiptNumber: row.receiptNumber,
      contactResult: row.contactResult,
      taking: took
        ? {
            method: row.paymentMethod as FieldPaymentMethod,
            amountMinor: row.paymentAmountMinor!,
            reference: row.paymentReference,
            status: takingStatus({ paymentId: payment?.id ?? null, paymentStatus: payment?.status ?? null, cardStatus: card?.status ?? null }),
            card: card ? { brand: card.brand, last4: card.last4, processorRef: card.processorRef } : null,
            reversedAt: payment?.reversedAt ?? null,
          }
        : null,
      promise: row.promiseAmountMinor !== null ? { amountMinor: row.promiseAmountMinor, outcome: (row.promiseId ? (promiseById.get(row.promiseId)?.status ?? 'not_accepted') : 'not_accepted') as PromiseOutcome } : null,
      equipment: row.equipment,
      retentionOutcome: row.retentionOutcome,
      routeId: row.routeId,
      routeStopId: row.routeStopId,
    };
  });
}

/** The visits whose local day, in their branch's time zone, may fall in the range (the domain keeps those that do). */
async function visitsIn(db: Db, scope: Scope, range: DateRange): Promise<VisitFact[]> {
  const windows = [...new Set(scope.timeZones.values())].map((tz) => localDaysWindow(range.from, range.to, tz));
  if (windows.length === 0) return [];
  const since = new Date(Math.min(...windows.map((w) => w.start.getTime())));
  const until = new Date(Math.max(...windows.map((w) => w.end.getTime())));
  const rows = await db.fieldVisit.findMany({
    where: { arrivedAt: { gte: since, lt: until }, ...(scope.branchId ? { branchId: scope.branchId } : {}), ...(scope.rep ? { repId: scope.rep.id } : {}) },
    orderBy: { arrivedAt: 'asc' },
    select: visitSelect,
  });
  return visitFacts(db, rows, scope.timeZones);
}

export async function collectionsReport(db: Db, principal: Principal, request: ReportRequest & { period: ReportPeriod }) {
  const scope = await scopeOf(db, principal, request);
  return buildCollectionsReport({ range: scope.range, period: request.period, reps: scope.reps, visits: await visitsIn(db, scope, scope.range) });
}

/** Commissions of the whole months the range touches, each month on the plan in force at its close; and the plan in force now. */
export async function commissionsReport(db: Db, principal: Principal, request: ReportRequest) {
  const scope = await scopeOf(db, principal, request);
  const months = wholeMonths(scope.range);
  const [plans, visits] = await Promise.all([commissionPlanVersions(db), visitsIn(db, scope, months)]);
  return { months, plan: plans.versions[0] ?? plans.fallback, lines: buildCommissionLines({ months, plans, visits }) };
}

export async function sweepReport(db: Db, principal: Principal, request: ReportRequest) {
  const scope = await scopeOf(db, principal, request);
  return { range: scope.range, ...buildSweep({ range: scope.range, visits: await visitsIn(db, scope, scope.range) }) };
}

export async function effectivenessReport(db: Db, principal: Principal, request: ReportRequest) {
  const scope = await scopeOf(db, principal, request);
  return { range: scope.range, ...buildEffectiveness({ range: scope.range, reps: scope.reps, visits: await visitsIn(db, scope, scope.range) }) };
}

// --- routes ------------------------------------------------------------------------------------

/** The routes of the days in the range (their service date), with their stops, and every visit made on them. */
async function routesIn(db: Db, scope: Scope): Promise<{ routes: RouteFact[]; visits: VisitFact[] }> {
  const rows = await db.fieldRoute.findMany({
    where: {
      serviceDate: { gte: new Date(`${scope.range.from}T00:00:00Z`), lt: new Date(`${addDays(scope.range.to, 1)}T00:00:00Z`) },
      ...(scope.branchId ? { branchId: scope.branchId } : {}),
      ...(scope.rep ? { repId: scope.rep.id } : {}),
    },
    select: {
      id: true,
      name: true,
      branchId: true,
      serviceDate: true,
      status: true,
      groupBy: true,
      groupKey: true,
      plannedDistanceM: true,
      plannedDurationS: true,
      rep: { select: { id: true, name: true, branch: { select: { code: true } } } },
      branch: { select: { code: true, timeZone: true } },
      stops: { orderBy: { seq: 'asc' }, select: { id: true, status: true, plannedArrivalAt: true, account: { select: { id: true, currency: true, balanceMinor: true, postalCode: true, corp: true, auditRoute: true } } } },
    },
  });
  const visitRows = await inSlices(
    rows.map((r) => r.id),
    (ids) => db.fieldVisit.findMany({ where: { routeId: { in: ids } }, orderBy: { arrivedAt: 'asc' }, select: visitSelect }),
  );
  const timeZones = new Map([...scope.timeZones, ...rows.map((r) => [r.branchId, r.branch.timeZone] as const)]);
  const routes: RouteFact[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    serviceDate: toDateOnly(r.serviceDate),
    status: r.status,
    rep: r.rep ? repRef(r.rep) : null,
    branchCode: r.branch.code,
    timeZone: r.branch.timeZone,
    groupBy: r.groupBy,
    groupKey: r.groupKey,
    plannedDistanceM: r.plannedDistanceM,
    plannedDurationS: r.plannedDurationS,
    stops: r.stops,
  }));
  return { routes, visits: await visitFacts(db, visitRows, timeZones) };
}

export async function routeSummaryReport(db: Db, principal: Principal, request: ReportRequest) {
  const scope = await scopeOf(db, principal, request);
  return { range: scope.range, ...buildRouteSummary(await routesIn(db, scope)) };
}

export async function routeDistributionReport(db: Db, principal: Principal, request: ReportRequest & { by: DistributionArea; prefixLength: number }) {
  const scope = await scopeOf(db, principal, request);
  return { range: scope.range, ...buildDistribution({ by: request.by, prefixLength: request.prefixLength, ...(await routesIn(db, scope)) }) };
}

/** The reps a report can be narrowed to: the field reps of the caller's branches (or of the one asked for). */
export async function reportReps(db: Db, principal: Principal, branchId: string | undefined): Promise<RepRef[]> {
  const branch = await boardBranch(db, principal, branchId);
  const users = await db.user.findMany({ where: { role: 'field_rep', active: true, ...(branch ? { branchId: branch } : {}) }, orderBy: { name: 'asc' }, select: { id: true, name: true, branch: { select: { code: true } } } });
  return users.map(repRef);
}
