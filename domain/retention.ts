// Records kept, then let go (X1; Reg F §1006.100: records of a debt are kept three years after the
// last collection activity on it; GDPR: personal data no longer than needed). A customer's collection
// record — contact log, messages, payments, promises, the audit trail — is kept at least `years`
// after the latest of its last case closing and anything that happened on its accounts since; then
// the retention job pseudonymises the personal data in it (name, contact details, message and note
// texts) and keeps the rest: amounts, dates, references, outcomes and the hash-chained audit trail.
// Pure: services/retention.ts and the erasure of a data-subject request decide with these.
import { z } from 'zod';
import { addYears } from './limitation.ts';

/** Reg F §1006.100(b): three years after the last collection activity. A configuration may keep longer, never shorter. */
export const minimumRetentionYears = 3;
export const retentionYearsSchema = z.number().int().min(minimumRetentionYears).max(30);

/** What the retention of one customer's record depends on. */
export interface RetentionFacts {
  /** An open case: the record is in use, whatever its age. */
  hasOpenCase: boolean;
  /** The latest of: last case closed, last activity, message, payment or invoice, the customer's creation or last update. */
  lastRecordAt: Date;
  pseudonymisedAt: Date | null;
}

export type RetentionDecision =
  | { kind: 'keep'; reason: 'open_case' | 'within_retention'; until: Date | null }
  | { kind: 'pseudonymise' }
  | { kind: 'done'; at: Date };

/** The instant the retention of a record last touched at `lastRecordAt` ends. */
export function retentionEndsAt(lastRecordAt: Date, years: number): Date {
  const date = addYears(lastRecordAt.toISOString().slice(0, 10), years);
  return new Date(`${date}${lastRecordAt.toISOString().slice(10)}`);
}

export function retentionDecision(facts: RetentionFacts, years: number, now: Date): RetentionDecision {
  if (facts.pseudonymisedAt) return { kind: 'done', at: facts.pseudonymisedAt };
  if (facts.hasOpenCase) return { kind: 'keep', reason: 'open_case', until: null };
  const until = retentionEndsAt(facts.lastRecordAt, Math.max(years, minimumRetentionYears));
  return until.getTime() > now.getTime() ? { kind: 'keep', reason: 'within_retention', until } : { kind: 'pseudonymise' };
}

/** What stands in for an erased text. */
export const erasedText = '[erased]';

/** The name a pseudonymised customer goes by: stable, and telling nothing about the person. */
export function pseudonymFor(customerId: string): string {
  return `Pseudonymised customer ${customerId.slice(0, 8)}`;
}

/** What pseudonymisation replaces, and what it keeps and why: the record an erasure gives the customer and the docs list. */
export const pseudonymisedData = ['name', 'lawyer details', 'contact details (email, phone numbers, postal addresses)', 'the service address and its location', 'message subjects, bodies and addresses', 'texts of notes, calls, visits and other contact-log entries', 'task titles', "field visits' notes, signatures, signers' names and locations", 'the details of data-subject requests and access exports'] as const;

export const keptData: ReadonlyArray<{ what: string; why: string }> = [
  { what: 'amounts, invoices, payments, promises and their dates', why: 'accounting and tax records the creditor must keep; they identify no one once the name and contacts are gone' },
  { what: 'the billing system’s customer and account references', why: 'the link to the creditor’s own records, which hold the identity separately (pseudonymisation, GDPR Art. 4(5))' },
  { what: 'the audit trail', why: 'append-only and hash-chained (tamper evidence, X2): entries are never rewritten; it is kept as evidence of lawful collection (GDPR Art. 17(3)(b), (e)) and readable only by admins and supervisors' },
  { what: 'contact-log kinds, outcomes and dates; opt-outs', why: 'evidence that contact rules were honoured (Reg F §1006.100), with the texts erased' },
];
