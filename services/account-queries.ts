// Read models for the accounts list (the bucket, W1) and the account page (W7), scoped to what the
// caller may see (X3). Ageing filters are turned into due-date ranges so the database does the work.
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { bucketRange, dueDateForDaysPastDue, type AgeingBucket } from '../domain/ageing.ts';
import { ServiceError } from './errors.ts';

/** The bucket's filters (W1), shared by the list, its summary and the never-worked and trace lists. */
export interface AccountFilter {
  q?: string | undefined;
  status?: 'current' | 'delinquent' | 'trace' | 'closed' | 'written_off' | undefined;
  branchId?: string | undefined;
  customerType?: 'retail' | 'corporate' | undefined;
  caseStatus?: 'open' | 'closed' | undefined;
  ageingBucket?: AgeingBucket | undefined;
  minDaysPastDue?: number | undefined;
  maxDaysPastDue?: number | undefined;
  /** 'never' (R5): in arrears with an open case, and never worked by anyone (docs/supervisor-console.md). */
  worked?: 'never' | undefined;
  segmentId?: string | undefined;
  /** The stage of the account's open case. */
  stage?: 'soft' | 'hard' | 'pre_legal' | 'legal' | undefined;
}

export interface AccountListFilter extends AccountFilter {
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
  const where = await bucketWhere(db, principal, filter, now);
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

/** The accounts the caller may see that match the bucket's filters, as a Prisma condition. */
export async function bucketWhere(db: Db, principal: Principal, filter: AccountFilter, now = new Date()): Promise<Prisma.AccountWhereInput> {
  return accountWhere(principal, filter, now, await customerTimeZones(db));
}

export async function customerTimeZones(db: Db): Promise<string[]> {
  return (await db.customer.findMany({ distinct: ['timeZone'], select: { timeZone: true } })).map((c) => c.timeZone);
}

/** Accounts in one ageing bucket, whatever their debtors' time zones. */
export function ageingBucketWhere(bucket: AgeingBucket, now: Date, timeZones: readonly string[]): Prisma.AccountWhereInput {
  return { OR: timeZones.map((timeZone) => ageCondition(timeZone, bucketRange(bucket), now)) };
}

/** The days-past-due range asked for: a bucket, explicit bounds, or both (intersected). */
function effectiveAgeRange(filter: AccountFilter): { min: number; max?: number } | null {
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

function accountWhere(principal: Principal, filter: AccountFilter, now: Date, timeZones: readonly string[]): Prisma.AccountWhereInput {
  const and: Prisma.AccountWhereInput[] = [];
  const scope = branchScope(principal);
  if (scope) and.push({ branchId: scope });
  if (filter.branchId) and.push({ branchId: filter.branchId });
  if (filter.status) and.push({ status: filter.status });
  if (filter.customerType) and.push({ customer: { type: filter.customerType } });
  if (filter.caseStatus === 'open') and.push({ cases: { some: { status: 'open' } } });
  if (filter.caseStatus === 'closed') and.push({ cases: { some: {} }, NOT: { cases: { some: { status: 'open' } } } });
  if (filter.segmentId) and.push({ segmentId: filter.segmentId });
  if (filter.stage) and.push({ cases: { some: { status: 'open', stage: filter.stage } } });
  if (filter.worked === 'never') and.push(neverWorked);
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

// R5: owing, with an open case, and no person has ever worked it: no stretch in the work log (served
// or opened from a queue) and no call or visit recorded by a user. Automated emails and SMS do not count.
const neverWorked: Prisma.AccountWhereInput = {
  balanceMinor: { gt: 0n },
  cases: { some: { status: 'open' } },
  workLog: { none: {} },
  activities: { none: { kind: { in: ['call', 'visit'] }, userId: { not: null } } },
};

export async function getAccountDetail(db: Db, principal: Principal, accountId: string) {
  const account = await db.account.findUnique({
    where: { id: accountId },
    include: {
      ...accountSummaryInclude,
      customer: { include: { contacts: { orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } } },
      invoices: { orderBy: { dueDate: 'asc' } },
      payments: { orderBy: { receivedAt: 'desc' }, take: 100 },
      cases: { orderBy: { episode: 'desc' }, include: { strategy: { select: { definition: true } } } },
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
