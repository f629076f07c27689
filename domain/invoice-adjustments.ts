// Credit notes, debit notes and corrections from billing (adjustInvoices): what each does to an
// invoice's open amount, when it is refused, and whether a re-delivered adjustment is the same one.
// Pure: services/invoice-adjustments.ts persists the outcome.

export type AdjustmentKind = 'credit_note' | 'debit_note' | 'correction';

export interface AdjustmentRequest {
  kind: AdjustmentKind;
  /** Credit and debit notes: the (positive) amount of the note. Correction: the new open amount (zero or more). */
  amountMinor: bigint;
}

export interface AdjustableInvoice {
  amountMinor: bigint;
  openMinor: bigint;
  status: 'open' | 'paid' | 'disputed' | 'written_off';
}

export type AdjustmentOutcome =
  | {
      ok: true;
      /** Signed change of the open amount: negative lowers what is owed. */
      deltaMinor: bigint;
      openAfterMinor: bigint;
      /** The invoice's total moves with a note; a correction raises it only when the open amount would exceed it. */
      amountAfterMinor: bigint;
      statusAfter: 'open' | 'paid';
    }
  | { ok: false; reason: 'credit_exceeds_open' | 'invoice_not_adjustable' | 'not_positive'; detail: string };

export function applyAdjustment(invoice: AdjustableInvoice, request: AdjustmentRequest): AdjustmentOutcome {
  if (invoice.status === 'disputed' || invoice.status === 'written_off') {
    return { ok: false, reason: 'invoice_not_adjustable', detail: `the invoice is ${invoice.status.replace('_', ' ')}; resolve the dispute first` };
  }
  if (request.amountMinor < 0n || (request.kind !== 'correction' && request.amountMinor === 0n)) {
    return { ok: false, reason: 'not_positive', detail: 'a note must be for a positive amount; a correction sets an open amount of zero or more' };
  }
  let openAfterMinor: bigint;
  let amountAfterMinor: bigint;
  switch (request.kind) {
    case 'credit_note':
      if (request.amountMinor > invoice.openMinor) {
        return { ok: false, reason: 'credit_exceeds_open', detail: `a credit of ${request.amountMinor} exceeds the ${invoice.openMinor} open on the invoice` };
      }
      openAfterMinor = invoice.openMinor - request.amountMinor;
      amountAfterMinor = invoice.amountMinor - request.amountMinor;
      break;
    case 'debit_note':
      openAfterMinor = invoice.openMinor + request.amountMinor;
      amountAfterMinor = invoice.amountMinor + request.amountMinor;
      break;
    case 'correction':
      openAfterMinor = request.amountMinor;
      amountAfterMinor = invoice.amountMinor > openAfterMinor ? invoice.amountMinor : openAfterMinor;
      break;
  }
  return { ok: true, deltaMinor: openAfterMinor - invoice.openMinor, openAfterMinor, amountAfterMinor, statusAfter: openAfterMinor > 0n ? 'open' : 'paid' };
}

export interface RecordedAdjustment {
  invoiceId: string;
  kind: AdjustmentKind;
  /** Signed, as stored. */
  amountMinor: bigint;
  openAfter: bigint;
}

/** Whether a re-delivered adjustment (same externalRef) asks for what was recorded: then it is a no-op, otherwise a conflict. */
export function isSameAdjustment(recorded: RecordedAdjustment, request: AdjustmentRequest & { invoiceId: string }): boolean {
  if (recorded.invoiceId !== request.invoiceId || recorded.kind !== request.kind) return false;
  switch (request.kind) {
    case 'credit_note':
      return recorded.amountMinor === -request.amountMinor;
    case 'debit_note':
      return recorded.amountMinor === request.amountMinor;
    case 'correction':
      return recorded.openAfter === request.amountMinor;
  }
}
