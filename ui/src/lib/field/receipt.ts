// The customer's receipt (F8), made on the phone from its own record of the visit with the server's
// rules (domain/receipts.ts, domain/receipt-pdf.ts): the same number, lines and layout as the PDF the
// server renders after the visit syncs. Before sync the card is "pending" and the balance is the
// phone's estimate, and the receipt says so; after sync they are the server's answers.
import { receiptDocument, receiptNumberFor, type ReceiptDocument, type ReceiptFacts } from '$domain/receipts.ts';
import { readMeta } from './db.ts';
import { base64ToBytes } from './bytes.ts';
import type { OutboxEntry } from './outbox-types.ts';

function balanceAfter(entry: OutboxEntry): ReceiptFacts['balanceAfter'] {
  if (entry.result) return { amountMinor: BigInt(entry.result.balanceAfterMinor), confirmed: true };
  const paid = BigInt(entry.visit.payment?.amountMinor ?? 0);
  const seen = BigInt(entry.context.balanceSeenMinor);
  return { amountMinor: seen > paid ? seen - paid : 0n, confirmed: false };
}

export function receiptFacts(entry: OutboxEntry, companyName: string | null): ReceiptFacts {
  const { visit, context, result } = entry;
  const payment = visit.payment;
  const card = payment?.card;
  return {
    receiptNumber: result?.receiptNumber ?? receiptNumberFor(entry.clientVisitId),
    company: companyName ?? context.branchName,
    branch: companyName ? context.branchName : '',
    accountRef: context.accountRef,
    customerName: context.customerName,
    serviceAddress: context.serviceAddress,
    repName: context.repName,
    visitedAt: new Date(visit.arrivedAt),
    timeZone: context.timeZone,
    currency: context.currency,
    contactResult: visit.contactResult,
    payment: payment
      ? {
          amountMinor: BigInt(payment.amountMinor),
          method: payment.method,
          reference: payment.reference ?? null,
          card: card ? { brand: result?.card?.brand ?? card.brand, last4: result?.card?.last4 ?? card.last4, status: result?.card?.status ?? 'pending', processorRef: result?.card?.processorRef ?? null } : null,
        }
      : null,
    equipment: visit.equipment ?? [],
    promise: visit.promise ? { amountMinor: BigInt(visit.promise.amountMinor), dueDate: visit.promise.dueDate } : null,
    retention: visit.retention ?? null,
    balanceAfter: balanceAfter(entry),
    signedByName: visit.signature?.signedByName ?? null,
  };
}

export interface PhoneReceipt {
  document: ReceiptDocument;
  signaturePng: Uint8Array | null;
}

export async function phoneReceipt(entry: OutboxEntry): Promise<PhoneReceipt> {
  const document = receiptDocument(receiptFacts(entry, (await readMeta('companyName')) ?? null));
  // An empty heading line (no company name known yet) is left out rather than printed blank.
  document.heading = document.heading.filter(Boolean);
  return { document, signaturePng: entry.visit.signature ? base64ToBytes(entry.visit.signature.pngBase64) : null };
}

/** The receipt as a PDF file, rendered on the phone (pdf-lib is loaded on first use). */
export async function receiptPdfFile(entry: OutboxEntry): Promise<File> {
  const [{ renderReceiptPdf }, receipt] = await Promise.all([import('$domain/receipt-pdf.ts'), phoneReceipt(entry)]);
  const bytes = await renderReceiptPdf(receipt.document, receipt.signaturePng, { createdAt: new Date(entry.recordedAt) });
  return new File([bytes as Uint8Array<ArrayBuffer>], `${receipt.document.number}.pdf`, { type: 'application/pdf' });
}

/**
 * Hands the PDF to the phone's share sheet (mail, messaging, a printer app) where the browser can
 * share files, and downloads it otherwise. Says which it did; 'cancelled' when the rep closed the sheet.
 */
export async function shareOrDownload(file: File): Promise<'shared' | 'downloaded' | 'cancelled'> {
  const shareable = { files: [file], title: file.name.replace(/\.pdf$/, '') };
  if (typeof navigator.canShare === 'function' && navigator.canShare(shareable)) {
    try {
      await navigator.share(shareable);
      return 'shared';
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return 'cancelled';
      // Sharing failed (no target, not allowed now): fall back to a download.
    }
  }
  const url = URL.createObjectURL(file);
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return 'downloaded';
}
