// What a field rep records at a door (F6, F7, F9, F11), and what syncing it may turn up (F5). Pure:
// the sync service, the API's schemas and the field app all judge a visit with these rules, so the
// phone refuses offline exactly what the server would refuse online.
//
// A visit is a fact about the past: once it is well-formed it is always recorded, even when the world
// moved on while the phone was offline (a payment posted at the office, the case closed, the debtor's
// lawyer on file). Such surprises are *conflicts* flagged for a supervisor, never reasons to drop or
// overwrite what the rep did.
import { formatMinorUnits } from './money.ts';

/** Whom the rep found (the database enum FieldContactResult). */
export const fieldContactResults = ['spoke_with_customer', 'spoke_with_other', 'no_one_home', 'moved_away', 'address_not_found', 'refused_to_talk'] as const;
export type FieldContactResult = (typeof fieldContactResults)[number];

/** Ways a rep takes money at the door (F6); card goes through the merchant's processor (F9). */
export const fieldPaymentMethods = ['cash', 'cheque', 'card', 'money_order'] as const;
export type FieldPaymentMethod = (typeof fieldPaymentMethods)[number];

export const retentionOutcomes = ['accepted', 'declined', 'considering'] as const;
export type RetentionOutcome = (typeof retentionOutcomes)[number];

/** Results in which someone at the address talked to the rep: only then can money, goods or promises change hands. */
const personPresent: readonly FieldContactResult[] = ['spoke_with_customer', 'spoke_with_other'];
/** Results that mean the debtor was not reached: the case hears of them as a failed contact. */
const notReached: readonly FieldContactResult[] = ['no_one_home', 'moved_away', 'address_not_found'];

export interface VisitPayment {
  amountMinor: bigint;
  method: FieldPaymentMethod;
  /** Cheque or money-order number. */
  reference?: string | null;
  /** For card: the card data encrypted on the device with the processor's public key (we cannot read it). */
  card?: { encrypted: string; keyId: string; last4: string; brand: string } | null;
}

export interface VisitRecord {
  clientVisitId: string;
  accountId: string;
  routeStopId?: string | null;
  arrivedAt: Date;
  departedAt?: Date | null;
  location?: { latitude: number; longitude: number; accuracyM?: number | null } | null;
  contactResult: FieldContactResult;
  payment?: VisitPayment | null;
  promise?: { amountMinor: bigint; dueDate: string } | null;
  equipment?: ReadonlyArray<{ type: string; serial: string; condition?: string | null }>;
  retention?: { offer: string; outcome: RetentionOutcome } | null;
  notes?: string | null;
  signature?: { png: Uint8Array; signedByName: string } | null;
  /** What the device showed as owed, and as of when (to find payments posted meanwhile). */
  balanceSeen?: { amountMinor: bigint; asOf: Date } | null;
}

/** A visit as it travels from the phone (JSON: numbers of minor units, ISO instants, base64 signature). */
export interface VisitWire {
  clientVisitId: string;
  accountId: string;
  routeStopId?: string | null;
  arrivedAt: string;
  departedAt?: string | null;
  location?: { latitude: number; longitude: number; accuracyM?: number | null } | null;
  contactResult: FieldContactResult;
  payment?: { amountMinor: number; method: FieldPaymentMethod; reference?: string | null; card?: { encrypted: string; keyId: string; last4: string; brand: string } | null } | null;
  promise?: { amountMinor: number; dueDate: string } | null;
  equipment?: ReadonlyArray<{ type: string; serial: string; condition?: string | null }>;
  retention?: { offer: string; outcome: RetentionOutcome } | null;
  notes?: string | null;
  signature?: { pngBase64: string; signedByName: string } | null;
  balanceSeen?: { amountMinor: number; asOf: string } | null;
}

/** The visit the phone sends, read into the record the rules judge: the server and the phone read it alike. */
export function visitRecordFromWire(input: VisitWire): VisitRecord {
  return {
    clientVisitId: input.clientVisitId,
    accountId: input.accountId,
    routeStopId: input.routeStopId ?? null,
    arrivedAt: new Date(input.arrivedAt),
    departedAt: input.departedAt ? new Date(input.departedAt) : null,
    location: input.location ?? null,
    contactResult: input.contactResult,
    payment: input.payment ? { amountMinor: BigInt(input.payment.amountMinor), method: input.payment.method, reference: input.payment.reference ?? null, card: input.payment.card ?? null } : null,
    promise: input.promise ? { amountMinor: BigInt(input.promise.amountMinor), dueDate: input.promise.dueDate } : null,
    equipment: input.equipment ?? [],
    retention: input.retention ?? null,
    notes: input.notes ?? null,
    signature: input.signature ? { png: Uint8Array.from(atob(input.signature.pngBase64), (ch) => ch.charCodeAt(0)), signedByName: input.signature.signedByName } : null,
    balanceSeen: input.balanceSeen ? { amountMinor: BigInt(input.balanceSeen.amountMinor), asOf: new Date(input.balanceSeen.asOf) } : null,
  };
}

export interface VisitProblem {
  path: string;
  code: string;
  message: string;
}

/** A visit recorded longer ago than this is refused: a phone that was lost for a month needs a supervisor. */
export const maxVisitAgeDays = 30;
/** Phones' clocks drift: a visit may claim to be this far in the future. */
export const clockSkewMinutes = 10;
export const maxSignatureBytes = 256 * 1024;
export const maxEquipmentItems = 20;
const pngMagic = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length > pngMagic.length && pngMagic.every((b, i) => bytes[i] === b);
}

/**
 * Everything wrong with a visit before anything is written. Money, equipment and promises need a
 * person at the door; money and equipment need the customer's signature (F7); each payment method
 * needs its own details and no other's. An empty list means the visit can be recorded.
 */
export function visitProblems(visit: VisitRecord, now: Date): VisitProblem[] {
  const problems: VisitProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });
  const someoneThere = personPresent.includes(visit.contactResult);

  if (visit.arrivedAt.getTime() > now.getTime() + clockSkewMinutes * 60_000) add('arrivedAt', 'in_future', 'the arrival time is in the future (check the phone’s clock)');
  if (visit.arrivedAt.getTime() < now.getTime() - maxVisitAgeDays * 86_400_000) add('arrivedAt', 'too_old', `visits older than ${maxVisitAgeDays} days are entered by a supervisor`);
  if (visit.departedAt && visit.departedAt.getTime() < visit.arrivedAt.getTime()) add('departedAt', 'before_arrival', 'the departure is before the arrival');
  if (visit.location && (Math.abs(visit.location.latitude) > 90 || Math.abs(visit.location.longitude) > 180)) add('location', 'out_of_range', 'the location is not a place on Earth');

  const payment = visit.payment;
  if (payment) {
    if (!someoneThere) add('payment', 'nobody_there', 'a payment needs someone at the door to make it');
    if (payment.amountMinor <= 0n) add('payment.amountMinor', 'not_positive', 'the amount must be more than zero');
    const needsReference = payment.method === 'cheque' || payment.method === 'money_order';
    if (needsReference && !payment.reference?.trim()) add('payment.reference', 'required', `a ${payment.method === 'cheque' ? 'cheque' : 'money order'} needs its number`);
    if (!needsReference && payment.reference?.trim()) add('payment.reference', 'not_applicable', `a ${payment.method} payment has no document number`);
    if (payment.method === 'card' && !payment.card) add('payment.card', 'required', 'a card payment needs the card, encrypted for the processor');
    if (payment.method !== 'card' && payment.card) add('payment.card', 'not_applicable', `card details belong to a card payment, not ${payment.method}`);
    if (payment.card && !/^\d{4}$/.test(payment.card.last4)) add('payment.card.last4', 'malformed', 'the last four digits must be four digits');
  }

  if (visit.promise) {
    if (visit.contactResult !== 'spoke_with_customer') add('promise', 'customer_not_reached', 'only the customer can promise to pay');
    if (visit.promise.amountMinor <= 0n) add('promise.amountMinor', 'not_positive', 'the promised amount must be more than zero');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(visit.promise.dueDate)) add('promise.dueDate', 'malformed', 'the promised date must be YYYY-MM-DD');
  }

  const equipment = visit.equipment ?? [];
  if (equipment.length > 0 && !someoneThere) add('equipment', 'nobody_there', 'equipment is handed over by someone at the door');
  if (equipment.length > maxEquipmentItems) add('equipment', 'too_many', `at most ${maxEquipmentItems} items on one visit`);
  const serials = new Set<string>();
  equipment.forEach((item, i) => {
    if (!item.type.trim()) add(`equipment.${i}.type`, 'required', 'say what kind of equipment it is');
    const serial = normaliseSerial(item.serial);
    if (!serial) add(`equipment.${i}.serial`, 'required', 'the serial number is required');
    else if (serials.has(serial)) add(`equipment.${i}.serial`, 'duplicate', `serial ${serial} is listed twice`);
    serials.add(serial);
  });

  if (visit.retention) {
    if (visit.contactResult !== 'spoke_with_customer') add('retention', 'customer_not_reached', 'a retention offer is made to the customer');
    if (!visit.retention.offer.trim()) add('retention.offer', 'required', 'say what was offered');
  }

  const handsOver = Boolean(payment) || equipment.length > 0;
  if (handsOver && !visit.signature) add('signature', 'required', 'the customer signs for a payment or returned equipment');
  if (visit.signature) {
    if (!visit.signature.signedByName.trim()) add('signature.signedByName', 'required', 'the name of the person who signed');
    if (!isPng(visit.signature.png)) add('signature.png', 'not_png', 'the signature must be a PNG image');
    if (visit.signature.png.length > maxSignatureBytes) add('signature.png', 'too_large', `the signature image is larger than ${maxSignatureBytes / 1024} KiB`);
  }
  return problems;
}

/** Serial numbers as people type and scanners read them: trimmed, upper case, inner spaces gone. */
export function normaliseSerial(serial: string): string {
  return serial.trim().toUpperCase().replace(/\s+/g, '');
}

/** The case hears of a visit that did not reach the debtor as a failed contact (its `contact_failed` trigger). */
export function isFailedVisit(result: FieldContactResult): boolean {
  return notReached.includes(result);
}

/** A right-party contact in person: the debtor was reached (counts as first contact, X1). */
export function reachedDebtor(result: FieldContactResult): boolean {
  return result === 'spoke_with_customer';
}

/**
 * Why the debtor may not be visited (X1), in words that fit "Visited although …" and a warning on the
 * phone; null when nothing stands in the way. A lawyer outranks a cease-communication request.
 */
export function visitRestriction(customer: { attorneyRepresentedAt: Date | null; ceaseCommunicationAt: Date | null }): string | null {
  if (customer.attorneyRepresentedAt) return 'the debtor is represented by a lawyer';
  if (customer.ceaseCommunicationAt) return 'the debtor asked in writing that we stop contacting them';
  return null;
}

const resultWords: Record<FieldContactResult, string> = {
  spoke_with_customer: 'spoke with the customer',
  spoke_with_other: 'spoke with someone else at the address',
  no_one_home: 'no one home',
  moved_away: 'the customer has moved away',
  address_not_found: 'address not found',
  refused_to_talk: 'the customer refused to talk',
};

export function describeContactResult(result: FieldContactResult): string {
  return resultWords[result];
}

const methodWords: Record<FieldPaymentMethod, string> = { cash: 'cash', cheque: 'cheque', card: 'card', money_order: 'money order' };

export function describePaymentMethod(method: FieldPaymentMethod): string {
  return methodWords[method];
}

/** One line for the contact log and the timeline. */
export function visitSummary(visit: Pick<VisitRecord, 'contactResult' | 'payment' | 'promise' | 'equipment' | 'retention'>, currency: string): string {
  const parts = [`Field visit: ${resultWords[visit.contactResult]}`];
  if (visit.payment) parts.push(`${methodWords[visit.payment.method]} payment ${formatMinorUnits(visit.payment.amountMinor, currency)}${visit.payment.reference ? ` (no. ${visit.payment.reference.trim()})` : ''}`);
  if (visit.promise) parts.push(`promise to pay ${formatMinorUnits(visit.promise.amountMinor, currency)} by ${visit.promise.dueDate}`);
  const equipment = visit.equipment ?? [];
  if (equipment.length) parts.push(`collected ${equipment.map((e) => `${e.type.trim()} ${normaliseSerial(e.serial)}`).join(', ')}`);
  if (visit.retention) parts.push(`retention offer "${visit.retention.offer.trim()}" ${visit.retention.outcome}`);
  return parts.join('; ');
}

/** What syncing found that a supervisor must look at; the visit is recorded all the same. */
export type SyncConflict =
  | { code: 'payment_posted_meanwhile'; message: string; payments: Array<{ externalRef: string; amountMinor: string; receivedAt: string }> }
  | { code: 'overpayment'; message: string; creditMinor: string }
  | { code: 'case_closed_meanwhile'; message: string }
  | { code: 'promise_refused'; message: string; reasons: string[] }
  | { code: 'card_declined'; message: string; declineCode: string }
  | { code: 'card_unavailable'; message: string }
  | { code: 'route_reassigned'; message: string }
  | { code: 'contact_restricted'; message: string }
  | { code: 'outside_contact_hours'; message: string };

export interface SyncFacts {
  currency: string;
  /** Payments posted to the account after the device's copy was taken, other than this visit's own. */
  paymentsSinceSeen: Array<{ externalRef: string; amountMinor: bigint; receivedAt: Date; source: string }>;
  /** The over-payment this visit's payment left as credit, if any. */
  creditFromVisit: bigint;
  /** There was an open case when the device took its copy, and there is none now. */
  caseClosedMeanwhile: boolean;
  /** The stop was on a route that is no longer this rep's. */
  routeReassigned: boolean;
  /** The debtor asked in writing to stop contact, or has a lawyer, per the records at sync time. */
  restriction: string | null;
  /** The contact policy's explanation when the visit fell outside contact hours in the debtor's time zone. */
  outsideHours: string | null;
}

/** The conflicts a synced visit raises, in the order a supervisor should read them. */
export function syncConflicts(facts: SyncFacts): SyncConflict[] {
  const conflicts: SyncConflict[] = [];
  const money = (amount: bigint) => formatMinorUnits(amount, facts.currency);
  if (facts.paymentsSinceSeen.length > 0) {
    const total = facts.paymentsSinceSeen.reduce((sum, p) => sum + p.amountMinor, 0n);
    conflicts.push({
      code: 'payment_posted_meanwhile',
      message: `${facts.paymentsSinceSeen.length === 1 ? 'A payment' : `${facts.paymentsSinceSeen.length} payments`} of ${money(total)} reached the account while the phone was offline; check what the customer still owes`,
      payments: facts.paymentsSinceSeen.map((p) => ({ externalRef: p.externalRef, amountMinor: p.amountMinor.toString(), receivedAt: p.receivedAt.toISOString() })),
    });
  }
  if (facts.creditFromVisit > 0n) conflicts.push({ code: 'overpayment', message: `The payment was ${money(facts.creditFromVisit)} more than was owed: it is held as a credit; refund or apply it`, creditMinor: facts.creditFromVisit.toString() });
  if (facts.caseClosedMeanwhile) conflicts.push({ code: 'case_closed_meanwhile', message: 'The case closed while the phone was offline' });
  if (facts.routeReassigned) conflicts.push({ code: 'route_reassigned', message: 'The stop had been moved to another rep’s route' });
  if (facts.restriction) conflicts.push({ code: 'contact_restricted', message: `Visited although ${facts.restriction}` });
  if (facts.outsideHours) conflicts.push({ code: 'outside_contact_hours', message: `Visited outside contact hours: ${facts.outsideHours}` });
  return conflicts;
}
