// The case workflow's signals, updates and queries, declared once for the workflow and its callers
// (API, activities, tests) so that neither side can get a name or a payload wrong.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CasePause, CaseSnapshot } from '../domain/case-lifecycle.ts';
import type { SenderIdentity } from '../domain/access.ts';

export interface PaymentReceived {
  paymentId: string;
  amountMinor: string;
}

export interface PromiseRequest {
  /** The whole amount promised (for a plan: the sum of its instalments). */
  amountMinor: string;
  /** YYYY-MM-DD in the debtor's calendar (for a plan: its last instalment's date). */
  dueDate: string;
  /** An instalment plan instead of a single payment (C6). */
  instalments?: Array<{ dueDate: string; amountMinor: string }>;
  userId: string | null;
}

export interface PromiseAccepted {
  promiseId: string;
  amountMinor: string;
  dueDate: string;
  breaksOn: string;
  instalments?: Array<{ dueDate: string; amountMinor: string }>;
}

export interface FactsChanged {
  /** ISO time of the billing report that changed the account's invoices or customer. */
  reportedAt: string;
}

export const paymentReceivedSignal = defineSignal<[PaymentReceived]>('paymentReceived');

export interface PaymentReversed {
  paymentId: string;
  /** The amount taken back (the payment's full amount). */
  amountMinor: string;
}
export interface ContactFailed {
  channel: 'email' | 'sms' | 'letter' | 'call' | 'visit';
  reason: string;
  /** The message that could not be delivered, if it was a message (dedupes a repeated signal). */
  messageId?: string;
}
/** A contact failed (a bounced email, an undeliverable text): strategies may react after N failures. */
export const contactFailedSignal = defineSignal<[ContactFailed]>('contactFailed');

export interface FieldVisitRecorded {
  /** The visit's ID: a visit told twice (a re-synced phone) counts once. */
  visitId: string;
  /** The rep spoke with the debtor. */
  reachedDebtor: boolean;
  /** The debtor was not found (no one home, moved, no such address): a failed contact for the strategy. */
  failedContact: boolean;
  /** Units of equipment the rep recovered. */
  equipmentUnits: number;
}
/** A field rep's visit reached the server (F5): payments and promises come as their own messages; this tells the rest. */
export const fieldVisitRecordedSignal = defineSignal<[FieldVisitRecorded]>('fieldVisitRecorded');

/** A payment was reversed (a bounced cheque, a charge-back): the case re-reads the balance it reopened. */
export const paymentReversedSignal = defineSignal<[PaymentReversed]>('paymentReversed');
/** The billing system reported the account again (signal-with-start): the case re-reads its facts. */
export const factsChangedSignal = defineSignal<[FactsChanged]>('factsChanged');
/** A collector records a promise to pay; the workflow validates it and answers (C6). */
export const recordPromiseUpdate = defineUpdate<PromiseAccepted, [PromiseRequest]>('recordPromise');
export const caseSnapshotQuery = defineQuery<CaseSnapshot>('caseSnapshot');

export interface PostponeRequest {
  /** ISO instant the account comes back to its collector (W4). */
  until: string;
  userId: string | null;
  reason: string | null;
}
/** A collector postpones the account; when the time comes it returns to the queue as a call task. */
export const postponeUpdate = defineUpdate<{ until: string }, [PostponeRequest]>('postpone');
export const postponeRefused = 'PostponeRefused';

export const caseWorkflowType = 'collectionCaseWorkflow';

/** Application-failure type of a refused promise; its message is the PromiseProblem codes, comma-separated. */
export const promiseRefused = 'PromiseRefused';

/**
 * The Temporal header that names who sent a signal or update (a `SenderIdentity`), set by the API's
 * client (services/workflow-sender.ts) and read back from the history by the inspector. A header,
 * not a payload field, so that every message carries it without changing what the workflow receives.
 */
export const senderHeader = 'arrears-sender';

export interface PauseRequest {
  reason: string;
  by: SenderIdentity;
}
export interface ResumeRequest {
  by: SenderIdentity;
}
/** A supervisor pauses the case: it takes no strategy step and sends nothing until resumed. */
export const pauseCaseUpdate = defineUpdate<CasePause, [PauseRequest]>('pauseCase');
/** The paused case goes on: steps that came due meanwhile run now, within the contact policy. */
export const resumeCaseUpdate = defineUpdate<{ resumedAt: string; pausedSince: string }, [ResumeRequest]>('resumeCase');
/** Application-failure type of a refused pause or resume; its message is the CaseControlProblem. */
export const caseControlRefused = 'CaseControlRefused';
