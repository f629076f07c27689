// Field collections (F4-F9, F11): the rep's day to take offline, live account look-ups, the sync of
// visits recorded on the phone, and receipts. Shapes as api/field-schemas.ts declares them; amounts
// of the account card are strings of minor units (exact in JSON), those the phone sends are numbers.
import { call } from './client.ts';
import type { FieldContactResult, SyncConflict, VisitProblem, VisitWire } from '$domain/field-visits.ts';

type Fetch = typeof fetch;

export interface AccountCard {
  id: string;
  externalRef: string;
  currency: string;
  balanceMinor: string;
  creditMinor: string;
  daysPastDue: number;
  serviceStatus: string;
  status: string;
  serviceAddress: string | null;
  postalCode: string | null;
  latitude: number | null;
  longitude: number | null;
  corp: string | null;
  customer: { name: string; type: string; timeZone: string };
  /** Visiting would break a restriction (a lawyer, a cease-communication request): warn first. */
  restriction: string | null;
  contacts: Array<{ kind: string; value: string; label: string; isPrimary: boolean }>;
  openInvoices: Array<{ externalRef: string; dueDate: string; openMinor: string }>;
  recentPayments: Array<{ amountMinor: string; method: string; source: string; receivedAt: string }>;
  openPromise: { amountMinor: string; dueDate: string } | null;
  openCase: { id: string; stage: string; nextAction: string | null; nextActionAt: string | null } | null;
  recentVisits: Array<{ arrivedAt: string; contactResult: string; summary: string }>;
  /** When the server read the account: what the balance is "as of". */
  asOf: string;
}

export interface RouteStop {
  id: string;
  seq: number;
  status: string;
  plannedArrivalAt: string;
  legDistanceM: number;
  legDurationS: number;
  serviceMinutes: number;
  purpose: string | null;
  account: AccountCard;
}

export interface FieldRoute {
  id: string;
  name: string;
  status: string;
  startAt: string;
  start: { latitude: number; longitude: number };
  plannedDistanceM: number;
  plannedDurationS: number;
  stops: RouteStop[];
}

export interface CardProcessorKey {
  processor: string;
  algorithm: 'RSA-OAEP-256';
  keyId: string;
  publicKeyJwk: Record<string, unknown>;
}

export interface FieldDay {
  date: string;
  generatedAt: string;
  /** Heads the receipts. */
  company: string;
  rep: { id: string; name: string; branch: { code: string; name: string; timeZone: string } | null };
  routes: FieldRoute[];
  cardProcessor: CardProcessorKey | null;
}

/** A visit as the phone sends it (api/field-schemas.ts VisitInput). */
export type VisitInput = VisitWire;

export interface CardOutcome {
  status: 'approved' | 'declined';
  brand: string | null;
  last4: string | null;
  processorRef: string | null;
  declineMessage: string | null;
}

export type VisitSyncResult =
  | {
      clientVisitId: string;
      status: 'recorded' | 'duplicate';
      visitId: string;
      receiptNumber: string;
      paymentId?: string | null;
      promiseId?: string | null;
      card?: CardOutcome | null;
      balanceAfterMinor: string;
      currency: string;
      conflicts: SyncConflict[];
    }
  | { clientVisitId: string; status: 'rejected'; problems: VisitProblem[] }
  | { clientVisitId: string; status: 'retry'; reason: string };

export interface ServerReceipt {
  visitId: string;
  accountId: string;
  receiptNumber: string;
  title: string;
  heading: string[];
  lines: Array<{ label: string; value: string }>;
  equipment: string[];
  footer: string[];
  signedBy: string | null;
  signaturePng: string | null;
  /** The customer's own link to the PDF. */
  link: string;
}

export type ReceiptChannel = 'email' | 'sms';

/** A field visit as the account page lists it. */
export interface AccountFieldVisit {
  id: string;
  receiptNumber: string;
  arrivedAt: string;
  syncedAt: string;
  rep: { id: string; name: string };
  contactResult: string;
  summary: string;
  payment: { amountMinor: string; currency: string; method: string | null; reference: string | null; posted: boolean } | null;
  card: { status: 'approved' | 'declined'; brand: string | null; last4: string | null; processorRef: string | null } | null;
  equipment: Array<{ type: string; serial: string }>;
  retention: { offer: string; outcome: string | null } | null;
  location: { latitude: number; longitude: number; accuracyM: number | null } | null;
  signedBy: string | null;
  notes: string;
  conflicts: Array<{ code: string; message: string }>;
  conflictStatus: 'open' | 'resolved' | null;
}

export const fieldApi = {
  accountVisits: (accountId: string, fetcher: Fetch = fetch) => call<{ items: AccountFieldVisit[] }>(fetcher, 'GET', `/accounts/${encodeURIComponent(accountId)}/field-visits`),
  day: (date: string | undefined, fetcher: Fetch = fetch) => call<FieldDay>(fetcher, 'GET', `/field/day${date ? `?date=${encodeURIComponent(date)}` : ''}`),
  lookup: (accountId: string, fetcher: Fetch = fetch) => call<AccountCard>(fetcher, 'GET', `/field/accounts/${encodeURIComponent(accountId)}`),
  sync: (body: { deviceId: string; visits: VisitInput[] }, fetcher: Fetch = fetch) => call<{ syncedAt: string; results: VisitSyncResult[] }>(fetcher, 'POST', '/field/sync', body),
  receipt: (visitId: string, fetcher: Fetch = fetch) => call<ServerReceipt>(fetcher, 'GET', `/field/visits/${encodeURIComponent(visitId)}/receipt`),
  sendReceipt: (visitId: string, request: { channel: ReceiptChannel; to?: string | null }, fetcher: Fetch = fetch) =>
    call<{ messageId: string; to: string; created: boolean }>(fetcher, 'POST', `/field/visits/${encodeURIComponent(visitId)}/receipt/send`, request),
};
