// Served work (W2-W4, W7): "next account", leases, queues and allocation.
import { call } from './client.ts';

type Fetch = typeof fetch;

export type ServeReason = 'postponed' | 'allocated' | 'call_task' | 'queue' | 'queues_empty';
export interface NextAccount {
  account: { id: string; externalRef: string; customerName: string } | null;
  queue: { id: string; name: string } | null;
  reason: ServeReason;
  explanation: string;
  /** Nothing served because the accounts next in line are held by the contact policy: the first until then. */
  heldUntil?: string | null;
  lease: { expiresAt: string } | null;
}

export const queueOrderings = {
  due_calls_first: 'Calls due first',
  broken_promises_first: 'Broken promises first',
  oldest_debt: 'Oldest debt first',
  newest_debt: 'Newest debt first',
  largest_balance: 'Largest amount first',
  smallest_balance: 'Smallest amount first',
  priority: 'Priority score',
  branch: 'Branch',
  segment: 'Segment',
  sector: 'Sector',
} as const;
export type QueueOrdering = keyof typeof queueOrderings;

export interface QueueFilter {
  branchIds?: string[];
  segmentCodes?: string[];
  sectors?: string[];
  stages?: Array<'soft' | 'hard' | 'pre_legal' | 'legal'>;
  customerType?: 'retail' | 'corporate';
  minDaysPastDue?: number;
  maxDaysPastDue?: number;
  minBalanceMinor?: number;
  maxBalanceMinor?: number;
  brokenPromisesOnly?: boolean;
  dueCallsOnly?: boolean;
  includeTrace?: boolean;
}

export interface WorkQueue {
  id: string;
  name: string;
  branchId: string | null;
  filter: QueueFilter;
  ordering: QueueOrdering[];
  rank: number;
  active: boolean;
  members: { userIds: string[]; branchIds: string[] };
  updatedAt: string;
}
export type WorkQueueInput = Omit<WorkQueue, 'id' | 'updatedAt'>;

export interface QueuePreview {
  count: number;
  balanceMinor: number;
  first: Array<{ id: string; externalRef: string; customerName: string; balanceMinor: number; currency: string; oldestDueDate: string | null; brokenPromises: number; stage: string }>;
}

export interface Collector {
  id: string;
  name: string;
  role: string;
  branchId: string | null;
}

/** A reminder a strategy set (S3): a `review` task on the account, due at `dueAt`. */
export interface Reminder {
  id: string;
  title: string;
  dueAt: string;
  status: 'open' | 'done';
  completedAt: string | null;
  caseId: string | null;
  account: { id: string; externalRef: string; customerName: string; branchCode: string };
}

export const workApi = {
  /** Open reminders due by `dueBy` (default now), of the caller's branches or of one account. */
  reminders: (options: { dueBy?: string; accountId?: string } = {}, fetcher: Fetch = fetch) => {
    const params = new URLSearchParams(Object.entries(options).filter((e): e is [string, string] => Boolean(e[1])));
    return call<{ total: number; items: Reminder[] }>(fetcher, 'GET', `/reminders${params.size ? `?${params}` : ''}`);
  },
  completeReminder: (id: string, fetcher: Fetch = fetch) => call<Reminder>(fetcher, 'POST', `/reminders/${id}/done`),
  next: (fetcher: Fetch = fetch) => call<NextAccount>(fetcher, 'POST', '/work/next'),
  lease: (accountId: string, fetcher: Fetch = fetch) => call<{ expiresAt: string; renewed: boolean }>(fetcher, 'POST', `/accounts/${accountId}/lease`),
  finish: (accountId: string, fetcher: Fetch = fetch) => call<void>(fetcher, 'DELETE', `/accounts/${accountId}/lease`),
  myQueues: (fetcher: Fetch = fetch) => call<{ items: Array<{ id: string; name: string; count: number }> }>(fetcher, 'GET', '/work/my-queues'),
  queues: (fetcher: Fetch = fetch) => call<{ items: WorkQueue[] }>(fetcher, 'GET', '/work/queues'),
  collectors: (fetcher: Fetch = fetch) => call<{ items: Collector[] }>(fetcher, 'GET', '/work/collectors'),
  createQueue: (input: WorkQueueInput) => call<WorkQueue>(fetch, 'POST', '/work/queues', input),
  updateQueue: (id: string, input: WorkQueueInput) => call<WorkQueue>(fetch, 'PUT', `/work/queues/${id}`, input),
  deleteQueue: (id: string) => call<void>(fetch, 'DELETE', `/work/queues/${id}`),
  preview: (input: { filter: QueueFilter; ordering: QueueOrdering[]; branchId: string | null }) => call<QueuePreview>(fetch, 'POST', '/work/queues/preview', input),
  allocate: (input: { collectorId: string | null; accountIds?: string[]; rule?: { filter: QueueFilter; limit: number } }) => call<{ allocated: number; accountIds: string[] }>(fetch, 'POST', '/work/allocations', input),
};
