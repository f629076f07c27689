// The visit form's state (what the rep types and taps) and the visit it makes. The form checks what
// only a form can (a number that is not an amount, a missing choice); everything else is judged by
// the server's own rules (visit-rules.ts), so the two never disagree.
import type { FieldContactResult, FieldPaymentMethod, RetentionOutcome, VisitProblem } from '$domain/field-visits.ts';
import type { EncryptedCard } from '$domain/card-encryption.ts';
import type { VisitInput } from '../api/field.ts';
import type { Position } from './device.ts';
import { amountText, parseAmount } from './money.ts';
import { problemsOf } from './visit-rules.ts';

export interface EquipmentLine {
  type: string;
  serial: string;
  condition: string;
}

export interface VisitDraft {
  /** `YYYY-MM-DDTHH:mm` in the phone's time (what a datetime-local input holds). */
  arrivedAtLocal: string;
  location: Position | null;
  contactResult: FieldContactResult | '';
  takesPayment: boolean;
  paymentMethod: FieldPaymentMethod;
  amountText: string;
  reference: string;
  /** The card, already encrypted for the processor: the phone never holds the number. */
  card: EncryptedCard | null;
  takesPromise: boolean;
  promiseAmountText: string;
  promiseDate: string;
  equipment: EquipmentLine[];
  makesOffer: boolean;
  retentionOffer: string;
  retentionOutcome: RetentionOutcome | '';
  notes: string;
  signaturePngBase64: string | null;
  signedByName: string;
}

/** What the visit is about, fixed when the form opens. */
export interface VisitBase {
  clientVisitId: string;
  accountId: string;
  routeStopId: string | null;
  currency: string;
  balanceSeen: { amountMinor: number; asOf: string };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function localInputOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function emptyDraft(now = new Date()): VisitDraft {
  return {
    arrivedAtLocal: localInputOf(now),
    location: null,
    contactResult: '',
    takesPayment: false,
    paymentMethod: 'cash',
    amountText: '',
    reference: '',
    card: null,
    takesPromise: false,
    promiseAmountText: '',
    promiseDate: '',
    equipment: [],
    makesOffer: false,
    retentionOffer: '',
    retentionOutcome: '',
    notes: '',
    signaturePngBase64: null,
    signedByName: '',
  };
}

/** A saved visit back into the form, to correct it. */
export function draftOf(visit: VisitInput, currency: string): VisitDraft {
  return {
    arrivedAtLocal: localInputOf(new Date(visit.arrivedAt)),
    location: visit.location ? { latitude: visit.location.latitude, longitude: visit.location.longitude, accuracyM: visit.location.accuracyM ?? null } : null,
    contactResult: visit.contactResult,
    takesPayment: Boolean(visit.payment),
    paymentMethod: visit.payment?.method ?? 'cash',
    amountText: visit.payment ? amountText(visit.payment.amountMinor, currency) : '',
    reference: visit.payment?.reference ?? '',
    card: visit.payment?.card ?? null,
    takesPromise: Boolean(visit.promise),
    promiseAmountText: visit.promise ? amountText(visit.promise.amountMinor, currency) : '',
    promiseDate: visit.promise?.dueDate ?? '',
    equipment: (visit.equipment ?? []).map((e) => ({ type: e.type, serial: e.serial, condition: e.condition ?? '' })),
    makesOffer: Boolean(visit.retention),
    retentionOffer: visit.retention?.offer ?? '',
    retentionOutcome: visit.retention?.outcome ?? '',
    notes: visit.notes ?? '',
    signaturePngBase64: visit.signature?.pngBase64 ?? null,
    signedByName: visit.signature?.signedByName ?? '',
  };
}

/** Whether the visit hands over money or goods: then the customer signs (F7). */
export function needsSignature(draft: VisitDraft): boolean {
  return draft.takesPayment || draft.equipment.length > 0;
}

export type DraftOutcome = { ok: true; visit: VisitInput } | { ok: false; problems: VisitProblem[] };

/** The visit the form describes, or everything wrong with it (the form's own checks first, then the server's rules). */
export function visitFromDraft(draft: VisitDraft, base: VisitBase, now = new Date()): DraftOutcome {
  const problems: VisitProblem[] = [];
  const add = (path: string, code: string, message: string) => problems.push({ path, code, message });

  const arrived = new Date(draft.arrivedAtLocal);
  if (Number.isNaN(arrived.getTime())) add('arrivedAt', 'required', 'enter the time you arrived');
  if (!draft.contactResult) add('contactResult', 'required', 'choose whom you found at the door');
  const amount = draft.takesPayment ? parseAmount(draft.amountText, base.currency) : null;
  if (draft.takesPayment && amount === null) add('payment.amountMinor', 'malformed', 'enter the amount received, e.g. 45.00');
  const promiseAmount = draft.takesPromise ? parseAmount(draft.promiseAmountText, base.currency) : null;
  if (draft.takesPromise && promiseAmount === null) add('promise.amountMinor', 'malformed', 'enter the promised amount, e.g. 45.00');
  if (draft.takesPromise && !draft.promiseDate) add('promise.dueDate', 'required', 'choose the date the customer will pay by');
  if (draft.makesOffer && !draft.retentionOutcome) add('retention.outcome', 'required', 'choose how the customer answered the offer');
  if (problems.length || !draft.contactResult) return { ok: false, problems };

  const method = draft.paymentMethod;
  const equipment = draft.equipment.filter((e) => e.type.trim() || e.serial.trim());
  const departed = now.getTime() >= arrived.getTime() ? now.toISOString() : null;
  const visit: VisitInput = {
    clientVisitId: base.clientVisitId,
    accountId: base.accountId,
    routeStopId: base.routeStopId,
    arrivedAt: arrived.toISOString(),
    departedAt: departed,
    location: draft.location,
    contactResult: draft.contactResult,
    payment:
      draft.takesPayment && amount !== null
        ? { amountMinor: amount, method, reference: method === 'cheque' || method === 'money_order' ? draft.reference.trim() || null : null, card: method === 'card' ? draft.card : null }
        : null,
    promise: draft.takesPromise && promiseAmount !== null ? { amountMinor: promiseAmount, dueDate: draft.promiseDate } : null,
    equipment: equipment.map((e) => ({ type: e.type.trim(), serial: e.serial.trim(), condition: e.condition.trim() || null })),
    retention: draft.makesOffer && draft.retentionOutcome ? { offer: draft.retentionOffer.trim(), outcome: draft.retentionOutcome } : null,
    notes: draft.notes.trim() || null,
    signature: draft.signaturePngBase64 ? { pngBase64: draft.signaturePngBase64, signedByName: draft.signedByName.trim() } : null,
    balanceSeen: base.balanceSeen,
  };
  const ruled = problemsOf(visit, now);
  return ruled.length ? { ok: false, problems: ruled } : { ok: true, visit };
}

/** The problems about one part of the form (`payment` matches `payment.reference`, `payment.card`…). */
export function problemsAt(problems: VisitProblem[], ...prefixes: string[]): VisitProblem[] {
  return problems.filter((p) => prefixes.some((prefix) => p.path === prefix || p.path.startsWith(`${prefix}.`)));
}
