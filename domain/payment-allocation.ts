// Applies a payment to open invoices, oldest due date first (the usual collections convention),
// and says what is left open on each. Pure: the caller persists the result.

export interface OpenInvoice {
  id: string;
  dueDate: string;
  openMinor: bigint;
}

export interface Allocation {
  invoiceId: string;
  appliedMinor: bigint;
  openAfterMinor: bigint;
}

export interface AllocationResult {
  allocations: Allocation[];
  unappliedMinor: bigint;
}

export function allocatePayment(amountMinor: bigint, invoices: readonly OpenInvoice[]): AllocationResult {
  if (amountMinor <= 0n) throw new RangeError('a payment must be positive');
  let remaining = amountMinor;
  const allocations: Allocation[] = [];
  const ordered = [...invoices].filter((i) => i.openMinor > 0n).sort((a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id));
  for (const invoice of ordered) {
    if (remaining === 0n) break;
    const applied = remaining < invoice.openMinor ? remaining : invoice.openMinor;
    remaining -= applied;
    allocations.push({ invoiceId: invoice.id, appliedMinor: applied, openAfterMinor: invoice.openMinor - applied });
  }
  return { allocations, unappliedMinor: remaining };
}

// --- Undoing a payment (a bounced cheque, a charge-back) ---

export interface PaidInvoice {
  id: string;
  dueDate: string;
  amountMinor: bigint;
  openMinor: bigint;
}

export interface Reopening {
  invoiceId: string;
  reopenedMinor: bigint;
}

/**
 * Which invoices to reopen, and by how much, for a payment recorded before its allocations were
 * kept: we no longer know what it paid, so we take back what is paid on the invoices, newest due
 * date first (the oldest debt stays settled longest, the mirror of allocating oldest first), up to
 * the payment's amount. What finds no paid invoice stays unreopened.
 */
export function reopenWithoutAllocations(amountMinor: bigint, invoices: readonly PaidInvoice[]): { reopenings: Reopening[]; unreopenedMinor: bigint } {
  if (amountMinor <= 0n) throw new RangeError('a payment must be positive');
  let remaining = amountMinor;
  const reopenings: Reopening[] = [];
  const newestFirst = [...invoices].sort((a, b) => b.dueDate.localeCompare(a.dueDate) || b.id.localeCompare(a.id));
  for (const invoice of newestFirst) {
    if (remaining === 0n) break;
    const paid = invoice.amountMinor - invoice.openMinor;
    if (paid <= 0n) continue;
    const reopened = remaining < paid ? remaining : paid;
    remaining -= reopened;
    reopenings.push({ invoiceId: invoice.id, reopenedMinor: reopened });
  }
  return { reopenings, unreopenedMinor: remaining };
}

/** The status an invoice takes when money comes back onto it: a paid invoice is open again; a disputed or written-off one keeps its status. */
export function statusAfterReopening<S extends 'open' | 'paid' | 'disputed' | 'written_off'>(status: S): S | 'open' {
  return status === 'paid' ? 'open' : status;
}

/** The credit left on the account once a reversed payment's unapplied part is taken back (never below zero). */
export function creditAfterReversal(creditMinor: bigint, unappliedMinor: bigint): bigint {
  const left = creditMinor - unappliedMinor;
  return left > 0n ? left : 0n;
}
