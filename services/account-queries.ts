// Read models for the accounts list (the bucket, W1) and the account page (W7), scoped to what the
// caller may see (X3). Ageing filters are turned into due-date ranges so the database does the work.
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { bucketRange, dueDateForDaysPastDue, type AgeingBucket } from '../domain/ageing.ts';
import { ServiceError } from './errors.ts';

export interface AccountListFilter {
  q?: string | undefined;
  status?: 'current' | 'delinquent' | 'trace' | 'closed' | 'written_off' | undefined;
  branchId?: string | undefined;
  customerType?: 'retail' | 'corporate' | undefined;
  caseStatus?: 'open' | 'closed' | undefined;
  ageingBucket?: AgeingBucket | undefined;
  minDaysPastDue?: number | undefined;
  maxDaysPastDue?: number | undefined;
  sort: 'daysPastDue' | 'balance' | 'name' | 'externalRef';
  order: 'asc' | 'desc';
  page: number;
  pageSize: number;
}

export const accountSummaryInclude = {
  customer: { select: { id: true, name: true, type: true, timeZone: true } },
  branch: { select: { id: true, code: true, name: true } },
  segment: { select: { code: true, name: true } },
  cases: { orderBy: { episode: 'desc' }, take: 1, select: { id: true, status: true, stage: true } },
} satisfies Prisma.AccountInclude;

export async function listAccounts(db: Db, principal: Principal, filter: AccountListFilter, now = new Date()) {
  const timeZones = (await db.customer.findMany({ distinct: ['timeZone'], select: { timeZone: true } })).map((c) => c.timeZone);
  const where = accountWhere(principal, filter, now, timeZones);
  const flip = (o: 'asc' | 'desc') => (o === 'asc' ? 'desc' : 'asc');
  const orderBy: Prisma.AccountOrderByWithRelationInput[] =
    filter.sort === 'daysPastDue'
      ? [{ oldestDueDate: { sort: flip(filter.order), nulls: 'last' } }, { balanceMinor: 'desc' }]
      : filter.sort === 'balance'
        ? [{ balanceMinor: filter.order }]
        : filter.sort === 'name'
          ? [{ customer: { name: filter.order } }]
          : [{ externalRef: filter.order }];
  orderBy.push({ id: 'asc' });
  const [items, total] = await Promise.all([
    db.account.findMany({ where, orderBy, skip: (filter.page - 1) * filter.pageSize, take: filter.pageSize, include: accountSummaryInclude }),
    db.account.count({ where }),
  ]);
  return { items, total };
}

/** The days-past-due range asked for: a bucket, explicit bounds, or both (intersected). */
function effectiveAgeRange(filter: AccountListFilter): { min: number; max?: number } | null {
  if (!filter.ageingBucket && filter.minDaysPastDue === undefined && filter.maxDaysPastDue === undefined) return null;
  const bucket = filter.ageingBucket ? bucketRange(filter.ageingBucket) : { min: 0 };
  const min = Math.max(bucket.min, filter.minDaysPastDue ?? 0);
  const maxes = [bucket.max, filter.maxDaysPastDue].filter((m): m is number => m !== undefined);
  return maxes.length ? { min, max: Math.min(...maxes) } : { min };
}

// Days past due are counted in each customer's time zone (domain/ageing.ts), so an age filter turns
// into due-date bounds per time zone. Books have a handful of zones; each condition stays indexable.
function ageCondition(timeZone: string, range: { min: number; max?: number }, now: Date): Prisma.AccountWhereInput {
  const dueOnOrBefore = new Date(`${dueDateForDaysPastDue(range.min, now, timeZone)}T00:00:00Z`);
  const dueDate: Prisma.DateTimeNullableFilter = range.min > 0 ? { lte: dueOnOrBefore } : {};
  if (range.max !== undefined) dueDate.gte = new Date(`${dueDateForDaysPastDue(range.max, now, timeZone)}T00:00:00Z`);
  const owes: Prisma.AccountWhereInput = { balanceMinor: { gt: 0n }, oldestDueDate: dueDate };
  // 0 days past due also covers accounts with nothing overdue.
  const condition: Prisma.AccountWhereInput = range.min === 0 ? { OR: [owes, { balanceMinor: { lte: 0n } }, { oldestDueDate: null }] } : owes;
  return { customer: { timeZone }, ...condition };
}

function accountWhere(principal: Principal, filter: AccountListFilter, now: Date, timeZones: string[]): Prisma.AccountWhereInput {
  const and: Prisma.AccountWhereInput[] = [];
  const scope = branchScope(principal);
  if (scope) and.push({ branchId: scope });
  if (filter.branchId) and.push({ branchId: filter.branchId });
  if (filter.status) and.push({ status: filter.status });
  if (filter.customerType) and.push({ customer: { type: filter.customerType } });
  if (filter.caseStatus === 'open') and.push({ cases: { some: { status: 'open' } } });
  if (filter.caseStatus === 'closed') and.push({ cases: { some: {} }, NOT: { cases: { some: { status: 'open' } } } });
  const ageRange = effectiveAgeRange(filter);
  if (ageRange) and.push({ OR: timeZones.map((timeZone) => ageCondition(timeZone, ageRange, now)) });
  if (filter.q) {
    const q = filter.q;
    and.push({
      OR: [
        { externalRef: { contains: q, mode: 'insensitive' } },
        { customer: { name: { contains: q, mode: 'insensitive' } } },
        { customer: { externalRef: { equals: q } } },
        { customer: { contacts: { some: { value: { contains: q, mode: 'insensitive' } } } } },
      ],
    });
  }
  return { AND: and };
}

export async function getAccountDetail(db: Db, principal: Principal, accountId: string) {
  const account = await db.account.findUnique({
    where: { id: accountId },
    include: {
      ...accountSummaryInclude,
      customer: { include: { contacts: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } } },
      invoices: { orderBy: { dueDate: 'asc' } },
      payments: { orderBy: { receivedAt: 'desc' }, take: 100 },
      cases: { orderBy: { episode: 'desc' } },
      activities: { orderBy: { occurredAt: 'desc' }, take: 200, include: { user: { select: { id: true, name: true } } } },
      promises: { orderBy: { createdAt: 'desc' }, take: 20, include: { instalments: { orderBy: { seq: 'asc' } } } },
    },
  });
  // Another branch's account is reported as missing, not forbidden: its existence is not ours to tell.
  if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', 'no such account');
  return account;
}

export async function getAccountAudit(db: Db, principal: Principal, accountId: string) {
  await requireAccountInScope(db, principal, accountId);
  return db.auditLog.findMany({ where: { accountId }, orderBy: { id: 'desc' }, take: 500 });
}

/** Refuses (as not found) an account outside the caller's branch; returns its id and branch. */
export async function requireAccountInScope(db: Db, principal: Principal, accountId: string) {
  const account = await db.account.findUnique({ where: { id: accountId }, select: { id: true, branchId: true } });
  if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', 'no such account');
  return account;
}
