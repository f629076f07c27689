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
