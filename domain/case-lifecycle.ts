// The life of a collection case, as data and transitions the workflow and the API share.
import type { Stage } from './strategy.ts';
import type { SenderIdentity } from './access.ts';
import type { CaseComplianceView } from './case-compliance.ts';

export type CaseStage = Stage | 'closed';
export type CaseCloseReason = 'paid' | 'written_off' | 'recalled' | 'settled';

export interface CaseInput {
  caseId: string;
  accountId: string;
  episode: number;
  currency: string;
}

export interface PromiseState {
  promiseId: string;
  /** The whole promise: a single payment, or the sum of a plan's instalments. */
  amountMinor: string;
  /** The single date, or a plan's last instalment date. */
  dueDate: string;
  /** When the promise breaks if nothing more is paid (a plan: the next uncovered instalment's break day). */
  breaksOn: string;
  paidSinceMinor: string;
  /** Present for an instalment plan, with each instalment's status as payments cover them. */
  instalments?: Array<{ dueDate: string; amountMinor: string; status: 'pending' | 'kept' | 'broken' }>;
}

/** What the case workflow answers when asked (the `caseSnapshot` query). */
export interface CaseSnapshot {
  /** False for the moment after a (re)start while the case loads its facts. */
  ready: boolean;
  caseId: string;
  accountId: string;
  stage: CaseStage;
  status: 'open' | 'closed';
  balanceMinor: string;
  daysPastDue: number;
  closeReason: CaseCloseReason | null;
  paymentsSeen: number;
  stepsDone: string[];
  nextStep: { id: string; action: string; dueAt: string; note?: string } | null;
  /** null: the strategy takes no legal action. */
  stagesBeforeLegal: number | null;
  promise: PromiseState | null;
  serviceSuspended: boolean;
  /** Open amount under dispute, outside the dunning balance (C7). */
  disputedMinor: string;
  /** When a postponed account comes back to its collector (W4). */
  postponedUntil: string | null;
  /** Why the strategy is paused, if it is. */
  hold: 'everything_disputed' | null;
  /** A supervisor paused the case: no strategy step runs and nothing is sent until it is resumed. */
  paused?: CasePause | null;
  /** Field visits the case has heard of, and units of equipment recovered on them (F5, F6). */
  fieldVisits?: number;
  equipmentRecovered?: number;
  /** X1: first contact, validation notice and period, time-barred debt; null while unknown (cases started before it). */
  compliance?: CaseComplianceView | null;
}

/** A pause of the whole case (the supervisor's control): since when, by whom, and why. */
export interface CasePause {
  since: string;
  by: SenderIdentity;
  reason: string;
}

/** Why a pause or resume was refused: the API answers 409 with the same code. */
export type CaseControlProblem = 'already_paused' | 'not_paused' | 'case_closed';

export function pauseProblem(current: { closed: boolean; paused: CasePause | null }): CaseControlProblem | null {
  if (current.closed) return 'case_closed';
  return current.paused ? 'already_paused' : null;
}

export function resumeProblem(current: { closed: boolean; paused: CasePause | null }): CaseControlProblem | null {
  if (current.closed) return 'case_closed';
  return current.paused ? null : 'not_paused';
}

/** A case is settled in full once nothing is owed on the account. */
export function isPaidInFull(balanceMinor: bigint): boolean {
  return balanceMinor <= 0n;
}

/** What a case does with its balance: close when nothing is owed or disputed; pause when all that is owed is disputed. */
export function caseDisposition(balanceMinor: bigint, disputedMinor: bigint): 'close' | 'hold' | 'work' {
  if (balanceMinor > 0n) return 'work';
  return disputedMinor > 0n ? 'hold' : 'close';
}

export type AccountStatus = 'current' | 'delinquent' | 'trace' | 'closed' | 'written_off';
export type ServiceStatus = 'active' | 'suspended' | 'disconnected';

/**
 * What the account becomes when its case closes: paid in full makes it current and lifts any
 * suspension (S5: "customer pays → service resumed"); a write-off marks it written off; other
 * endings leave it as it was.
 */
export function accountAfterCaseClosed(reason: CaseCloseReason, account: { status: AccountStatus; serviceStatus: ServiceStatus }): { status: AccountStatus; serviceStatus: ServiceStatus } {
  if (reason === 'paid' || reason === 'settled') return { status: 'current', serviceStatus: account.serviceStatus === 'suspended' ? 'active' : account.serviceStatus };
  if (reason === 'written_off') return { status: 'written_off', serviceStatus: account.serviceStatus };
  return { ...account };
}

/** A postponement must lie ahead, and not too far: at most this many days (W4). */
export const maxPostponementDays = 90;

export function postponementProblem(until: Date, now: Date): 'not_in_future' | 'too_far' | null {
  if (until.getTime() <= now.getTime()) return 'not_in_future';
  if (until.getTime() - now.getTime() > maxPostponementDays * 86_400_000) return 'too_far';
  return null;
}

/** Why a case with nothing owed closes: paid if money came in through us, otherwise settled (disputes upheld, credits, billing). */
export function closeReasonFor(paymentsSeen: number): 'paid' | 'settled' {
  return paymentsSeen > 0 ? 'paid' : 'settled';
}
