// What the phone keeps about each visit it recorded (the outbox), from the moment the rep saves it.
//
//   waiting    saved on the phone, not yet sent
//   sending    in a sync request now (found so at start-up, it was cut off: it is sent again, which
//              the server answers as a repeat, never a second visit)
//   synced     the server holds it: its ID, receipt number, the card's answer, and any conflicts
//   needs_fix  the server refused it as it stands (the problems say why): the rep edits and resends
//   retry      the server could not take it now (the reason says why): sent again on the next sync
import type { SyncConflict, VisitProblem } from '$domain/field-visits.ts';
import type { CardOutcome, ReceiptChannel, VisitInput } from '../api/field.ts';

export const outboxStatuses = ['waiting', 'sending', 'synced', 'needs_fix', 'retry'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/** What the receipt and the lists show about the visit's account, as the phone knew it when the visit was recorded. */
export interface VisitContext {
  accountRef: string;
  customerName: string;
  serviceAddress: string | null;
  timeZone: string;
  currency: string;
  branchName: string;
  repName: string;
  routeId: string | null;
  stopId: string | null;
  /** The balance the phone showed (minor units), to estimate the balance after on the receipt. */
  balanceSeenMinor: string;
}

export interface SyncedVisit {
  visitId: string;
  receiptNumber: string;
  paymentId: string | null;
  card: CardOutcome | null;
  balanceAfterMinor: string;
  currency: string;
  conflicts: SyncConflict[];
  syncedAt: string;
  /** The server had it already (a resend): nothing new was recorded. */
  repeat: boolean;
}

/** The customer asked for the receipt by email or SMS: sent once the visit has synced. */
export interface ReceiptRequest {
  id: string;
  channel: ReceiptChannel;
  /** An address the customer gave at the door; the contact on file when null. */
  to: string | null;
  status: 'waiting' | 'sent' | 'failed';
  requestedAt: string;
  sentTo: string | null;
  error: string | null;
}

export interface OutboxEntry {
  clientVisitId: string;
  repId: string;
  status: OutboxStatus;
  visit: VisitInput;
  context: VisitContext;
  recordedAt: string;
  updatedAt: string;
  attempts: number;
  lastAttemptAt: string | null;
  /** Why the server refused it (needs_fix). */
  problems: VisitProblem[];
  /** Why it waits to be sent again (retry), or why the last attempt did not reach the server. */
  reason: string | null;
  result: SyncedVisit | null;
  receiptRequests: ReceiptRequest[];
}

export type OutboxCounts = Record<OutboxStatus, number>;
