// The phone judges a visit with the server's own rules (domain/field-visits.ts): the visit as it will
// be sent (JSON numbers, ISO strings, base64) is read back into the domain's record and checked, so
// nothing the server would refuse is ever saved as "waiting".
import { visitProblems, visitRecordFromWire, type VisitProblem, type VisitRecord } from '$domain/field-visits.ts';
import type { VisitInput } from '../api/field.ts';

export function visitRecordOf(input: VisitInput): VisitRecord {
  return visitRecordFromWire(input);
}

/** Everything the server would refuse in this visit, now. */
export function problemsOf(input: VisitInput, now = new Date()): VisitProblem[] {
  return visitProblems(visitRecordOf(input), now);
}
