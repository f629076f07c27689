// Work queues and serving (W2, W3, W4, S2): what a queue is (a filter over accounts in arrears and
// the order the supervisor wants them worked that day), how an account's priority is scored, and
// the timing rules of leases and postponements. Pure: the serving service turns these into SQL.

export const caseStages = ['soft', 'hard', 'pre_legal', 'legal'] as const;
export type QueueStage = (typeof caseStages)[number];

/** Which accounts a queue holds. Every field narrows; an empty filter is every account in arrears in scope. */
export interface QueueFilter {
  branchIds?: string[];
  segmentCodes?: string[];
  /** The account's sector (billing's `sector` attribute), compared without regard to case. */
  sectors?: string[];
  stages?: QueueStage[];
  customerType?: 'retail' | 'corporate';
  minDaysPastDue?: number;
  maxDaysPastDue?: number;
  minBalanceMinor?: number;
  maxBalanceMinor?: number;
  /** Only accounts with at least one broken promise. */
  brokenPromisesOnly?: boolean;
  /** Only accounts with a call due: a strategy's call task or a returning postponement. */
  dueCallsOnly?: boolean;
  /** Accounts marked for trace (W8) are left out unless asked for. */
  includeTrace?: boolean;
}

/**
 * The orderings a supervisor can stack (W2): the first decides, the next breaks ties. Each is
 * one-directional on purpose: "largest balance first" is what a supervisor means by "by amount".
 */
export const queueOrderings = {
  due_calls_first: 'Calls due first (strategy call tasks, returning postponements)',
  broken_promises_first: 'Most broken promises first',
  oldest_debt: 'Oldest debt first',
  newest_debt: 'Newest debt first',
  largest_balance: 'Largest amount in arrears first',
  smallest_balance: 'Smallest amount in arrears first',
  priority: 'Highest priority score first',
  branch: 'By branch',
  segment: 'By segment',
  sector: 'By sector',
} as const;
export type QueueOrdering = keyof typeof queueOrderings;

export const defaultOrdering: QueueOrdering[] = ['due_calls_first', 'broken_promises_first', 'oldest_debt'];

export interface QueueDefinition {
  name: string;
  filter: QueueFilter;
  ordering: QueueOrdering[];
}

export interface QueueProblem {
  field: string;
  message: string;
}

/** Contradictions a schema cannot see: empty ranges and repeated orderings. */
export function queueDefinitionProblems(definition: QueueDefinition): QueueProblem[] {
  const problems: QueueProblem[] = [];
  const { filter, ordering } = definition;
  if (!definition.name.trim()) problems.push({ field: 'name', message: 'a queue needs a name' });
  if (filter.minDaysPastDue !== undefined && filter.maxDaysPastDue !== undefined && filter.minDaysPastDue > filter.maxDaysPastDue) {
    problems.push({ field: 'filter.maxDaysPastDue', message: `no account is at least ${filter.minDaysPastDue} and at most ${filter.maxDaysPastDue} days past due` });
  }
  if (filter.minBalanceMinor !== undefined && filter.maxBalanceMinor !== undefined && filter.minBalanceMinor > filter.maxBalanceMinor) {
    problems.push({ field: 'filter.maxBalanceMinor', message: 'the minimum balance is above the maximum' });
  }
  for (const [key, list] of [['filter.branchIds', filter.branchIds], ['filter.segmentCodes', filter.segmentCodes], ['filter.sectors', filter.sectors], ['filter.stages', filter.stages]] as const) {
    if (list && list.length === 0) problems.push({ field: key, message: 'an empty list matches nothing: leave it out to match every value' });
  }
  const seen = new Set<QueueOrdering>();
  for (const key of ordering) {
    if (seen.has(key)) problems.push({ field: 'ordering', message: `"${key}" appears twice` });
    seen.add(key);
  }
  if (ordering.includes('oldest_debt') && ordering.includes('newest_debt')) problems.push({ field: 'ordering', message: 'oldest and newest debt first contradict each other' });
  if (ordering.includes('largest_balance') && ordering.includes('smallest_balance')) problems.push({ field: 'ordering', message: 'largest and smallest balance first contradict each other' });
  return problems;
}

export interface PriorityFacts {
  balanceMinor: bigint;
  /** The oldest unpaid due date (YYYY-MM-DD), or null when nothing is overdue. */
  oldestDueDate: string | null;
  brokenPromises: number;
  /** The billing system's risk score, 0 (safe) to 1000 (risky), as reported (domain/segmentation.ts), when it reports one. */
  riskScore?: number | null;
}

const dayMs = 86_400_000;

/**
 * S2 "prioritise the accounts that need attention": older, larger, riskier debts and broken
 * promises come first. Age enters linearly as days since the epoch of the oldest due date, so the
 * stored score ranks accounts the same on every day and need not be recomputed as days pass.
 *   score = days overdue-ness (1 per day) + 40 per tenfold balance + 30 per broken promise (max 3) + 0.05 per risk point (0–1000: at most 50)
 */
export function priorityScore(facts: PriorityFacts): number {
  if (facts.balanceMinor <= 0n || facts.oldestDueDate === null) return 0;
  const dueDay = Date.parse(`${facts.oldestDueDate}T00:00:00Z`) / dayMs;
  const age = 30_000 - dueDay; // larger for older debts; 30,000 days after 1970 is in 2052
  const balance = 40 * Math.log10(1 + Number(facts.balanceMinor) / 100);
  const broken = 30 * Math.min(facts.brokenPromises, 3);
  const risk = 0.05 * Math.max(0, Math.min(1000, facts.riskScore ?? 0));
  return Math.round((age + balance + broken + risk) * 100) / 100;
}

/** The billing system's risk score from an account's reported attributes (E4), when it is a number. */
export function riskScoreOf(attributes: unknown): number | null {
  const value = attributes && typeof attributes === 'object' ? (attributes as Record<string, unknown>).riskScore : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** How long an account stays leased to a collector without activity (W3): renewed while they work it. */
export const leaseDurationMs = 10 * 60_000;

/**
 * A postponement returns to the collector who made it (W4). If they have not taken it within this
 * grace after it came due (away, off sick, busy), any member of its queues may be served it.
 */
export const postponementGraceMs = 30 * 60_000;

/**
 * A worked account leaves the queues for this long (W3: accounts come one after the other, not
 * round again), unless something new brings it back sooner: a call coming due, a postponement.
 */
export const reworkAfterMs = 20 * 3_600_000;

export type ServeReason = 'postponed' | 'allocated' | 'call_task' | 'queue';

/** Why an account came to the collector, in the words the workspace shows. */
export function describeServeReason(reason: ServeReason, queueName: string | null): string {
  switch (reason) {
    case 'postponed':
      return 'You postponed this account to now';
    case 'allocated':
      return 'Allocated to you by your supervisor';
    case 'call_task':
      return `A call is due${queueName ? ` (queue ${queueName})` : ''}`;
    case 'queue':
      return queueName ? `Next in queue ${queueName}` : 'Next in your queues';
  }
}

/** Why "next" served nothing: an empty queue, or accounts that the contact policy holds for now. */
export function describeEmptyQueues(heldUntil: Date | null): string {
  if (!heldUntil) return 'Your queues are empty: nothing is due now';
  const at = heldUntil.toISOString().replace('T', ' ').slice(0, 16);
  return `Nothing can be called right now: the accounts next in your queues are outside contact hours or other contact rules; the first may be called from ${at} UTC`;
}
