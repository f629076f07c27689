// Request and response shapes of the supervisor console: the team board (W5, R1), the bucket's
// summary (W1) and saved views. Registered for the OpenAPI document like api/schemas.ts.
import { registry, z } from './http/openapi-registry.ts';
import { AccountFilterQuery, Money } from './schemas.ts';

const id = z.uuid();
const dateOnly = z.iso.date().openapi({ example: '2026-11-24' });

export const TeamBoardQuery = z.object({
  date: dateOnly.optional().openapi({ description: 'One local day; default today (in each collector’s branch time zone)' }),
  from: dateOnly.optional().openapi({ description: 'First day of a range (R1: accounts worked at any time); with `to`, at most 92 days' }),
  to: dateOnly.optional().openapi({ description: 'Last day of the range, inclusive; default `from`' }),
  branchId: id.optional().openapi({ description: 'One branch; default the caller’s branch, or all for a caller without one' }),
});

export const TeamBoardStreamQuery = z.object({ branchId: id.optional() });

const Amounts = z.array(Money).openapi({ description: 'Sum per currency' });
const Counted = z.object({ count: z.number().int(), amounts: Amounts });

export const TeamBoardRow = registry.register(
  'TeamBoardRow',
  z.object({
    user: z.object({ id, name: z.string(), branchCode: z.string().nullable() }),
    accountsWorked: z.number().int().openapi({ description: 'Distinct accounts with a work stretch started in the days' }),
    contacts: z.number().int().openapi({ description: 'Calls, visits, emails and SMS the user recorded' }),
    rightPartyContacts: z.number().int().openapi({ description: 'Contacts whose outcome reached the debtor' }),
    promises: Counted,
    payments: Counted.openapi({ description: 'Payments received on accounts where the user’s promise was in force (pending or kept)' }),
    nowWorkingOn: z.object({ accountId: id, accountRef: z.string(), since: z.string() }).nullable(),
    idleMinutes: z.number().int().openapi({ description: 'Gaps over 2 minutes between work stretches (and since the last one, while idle)' }),
    status: z.enum(['working', 'idle', 'offline']).nullable().openapi({ description: 'Now; null when the days asked for do not include today' }),
    statusSince: z.string().nullable(),
  }),
);

export const TeamBoard = registry.register(
  'TeamBoard',
  z.object({
    from: dateOnly,
    to: dateOnly,
    live: z.boolean().openapi({ description: 'The days include today: status and "now working on" are shown' }),
    generatedAt: z.string(),
    rows: z.array(TeamBoardRow),
    totals: z.object({
      collectors: z.number().int(),
      working: z.number().int(),
      idle: z.number().int(),
      offline: z.number().int(),
      accountsWorked: z.number().int().openapi({ description: 'Distinct accounts: one worked by two collectors counts once' }),
      contacts: z.number().int(),
      rightPartyContacts: z.number().int(),
      promises: Counted,
      payments: Counted,
      idleMinutes: z.number().int(),
    }),
  }),
);

export const BucketSummaryQuery = AccountFilterQuery;

const SummaryGroup = registry.register(
  'BucketSummaryGroup',
  z.object({ key: z.string().nullable().openapi({ description: 'The filter value selecting this group; null when it cannot be selected' }), label: z.string(), count: z.number().int(), balances: Amounts }),
);

export const BucketSummary = registry.register(
  'BucketSummary',
  z.object({ total: SummaryGroup, byAgeingBucket: z.array(SummaryGroup), byBranch: z.array(SummaryGroup), bySegment: z.array(SummaryGroup), byStage: z.array(SummaryGroup) }),
);

/** A saved view holds the bucket's filters (not paging); values as they appear in the query string. */
export const SavedViewFilters = AccountFilterQuery.extend({
  sort: z.enum(['daysPastDue', 'balance', 'name', 'externalRef']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
}).strict();

export const SavedViewBody = registry.register(
  'SavedViewRequest',
  z.object({
    name: z.string().trim().min(1).max(80),
    query: SavedViewFilters,
    shared: z.boolean().default(false).openapi({ description: 'Offer the view to your branch' }),
  }),
);

export const SavedView = registry.register(
  'SavedView',
  z.object({ id, name: z.string(), query: z.record(z.string(), z.union([z.string(), z.number()])), shared: z.boolean(), mine: z.boolean(), owner: z.object({ id, name: z.string() }), createdAt: z.string() }),
);
export const SavedViewList = registry.register('SavedViewList', z.object({ items: z.array(SavedView) }));
