// The phone judges a visit with the server's own rules (domain/field-visits.ts): the visit as it will
// be sent (JSON numbers, ISO strings, base64) is read back into the domain's record and checked, so
// nothing the server would refuse is ever saved as "waiting".
import { visitProblems, type VisitProblem, type VisitRecord } from '$domain/field-visits.ts';
import type { VisitInput } from '../api/field.ts';
import { base64ToBytes } from './bytes.ts';

export function visitRecordOf(input: VisitInput): VisitRecord {
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
    signature: input.signature ? { png: base64ToBytes(input.signature.pngBase64), signedByName: input.signature.signedByName } : null,
    balanceSeen: input.balanceSeen ? { amountMinor: BigInt(input.balanceSeen.amountMinor), asOf: new Date(input.balanceSeen.asOf) } : null,
  };
}

/** Everything the server would refuse in this visit, now. */
export function problemsOf(input: VisitInput, now = new Date()): VisitProblem[] {
  return visitProblems(visitRecordOf(input), now);
}
