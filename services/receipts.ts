// Receipts for field visits (F8): the PDF with the customer's signature, a link the customer can open
// without signing in (an HMAC of the receipt number, so it cannot be guessed from another receipt),
// and sending that link by email or SMS through the message pipeline.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { receiptDocument, type ReceiptDocument, type ReceiptFacts } from '../domain/receipts.ts';
import { renderReceiptPdf } from '../domain/receipt-pdf.ts';
import { normaliseContactValue } from '../domain/contact-details.ts';
import { formatMinorUnits } from '../domain/money.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import type { Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { queueMessage } from './messages.ts';

export interface ReceiptSettings {
  companyName: string;
  /** Where customers open receipt links (the server's public address). */
  publicUrl: string;
  /** Master secret the link tokens derive from. */
  secret: string;
}

const receiptInclude = {
  cardCharge: true,
  equipment: { orderBy: { serial: 'asc' } },
  rep: { select: { name: true } },
  account: { select: { externalRef: true, branchId: true, balanceMinor: true, serviceAddress: true, postalCode: true, branch: { select: { name: true } }, customer: { select: { name: true, timeZone: true, jurisdiction: true, contacts: { select: { id: true, kind: true, value: true, isPrimary: true, optedOut: true } } } } } },
} as const;

async function loadVisit(db: Db, where: { id: string } | { receiptNumber: string }) {
  return db.fieldVisit.findUnique({ where, include: receiptInclude });
}
type LoadedVisit = NonNullable<Awaited<ReturnType<typeof loadVisit>>>;

function factsOf(visit: LoadedVisit, companyName: string): ReceiptFacts {
  const charge = visit.cardCharge;
  return {
    receiptNumber: visit.receiptNumber,
    company: companyName,
    branch: visit.account.branch.name,
    accountRef: visit.account.externalRef,
    customerName: visit.account.customer.name,
    serviceAddress: [visit.account.serviceAddress, visit.account.postalCode].filter(Boolean).join(' ') || null,
    repName: visit.rep.name,
    visitedAt: visit.arrivedAt,
    timeZone: visit.account.customer.timeZone,
    currency: visit.currency,
    contactResult: visit.contactResult,
    payment:
      visit.paymentAmountMinor !== null && visit.paymentMethod !== null
        ? {
            amountMinor: visit.paymentAmountMinor,
            method: visit.paymentMethod as 'cash' | 'cheque' | 'card' | 'money_order',
            reference: visit.paymentReference,
            card: charge ? { brand: charge.brand ?? 'Card', last4: charge.last4 ?? '????', status: charge.status, processorRef: charge.processorRef } : null,
          }
        : null,
    equipment: visit.equipment.map((e) => ({ type: e.type, serial: e.serial })),
    promise: visit.promiseAmountMinor !== null && visit.promiseDueDate ? { amountMinor: visit.promiseAmountMinor, dueDate: visit.promiseDueDate.toISOString().slice(0, 10) } : null,
    retention: visit.retentionOffer && visit.retentionOutcome ? { offer: visit.retentionOffer, outcome: visit.retentionOutcome } : null,
    balanceAfter: { amountMinor: visit.account.balanceMinor, confirmed: true },
    signedByName: visit.signedByName,
  };
}

export interface Receipt {
  visitId: string;
  accountId: string;
  receiptNumber: string;
  document: ReceiptDocument;
  signaturePng: Uint8Array | null;
  syncedAt: Date;
}

function receiptOf(visit: LoadedVisit, settings: Pick<ReceiptSettings, 'companyName'>): Receipt {
  return { visitId: visit.id, accountId: visit.accountId, receiptNumber: visit.receiptNumber, document: receiptDocument(factsOf(visit, settings.companyName)), signaturePng: visit.signaturePng ? Uint8Array.from(visit.signaturePng) : null, syncedAt: visit.syncedAt };
}

/** A visit's receipt, for staff who may see the account (the rep who made it among them). */
export async function getReceipt(db: Db, principal: Principal, visitId: string, settings: Pick<ReceiptSettings, 'companyName'>): Promise<Receipt> {
  const visit = await loadVisit(db, { id: visitId });
  if (!visit || !canAccessBranch(principal, visit.account.branchId)) throw new ServiceError('not_found', 'no such field visit');
  return receiptOf(visit, settings);
}

export function receiptPdf(receipt: Receipt): Promise<Uint8Array> {
  return renderReceiptPdf(receipt.document, receipt.signaturePng, { createdAt: receipt.syncedAt });
}

export function receiptLinkToken(secret: string, receiptNumber: string): string {
  return createHmac('sha256', secret).update(`receipt:${receiptNumber}`).digest('base64url').slice(0, 32);
}

/** The customer's own link: the receipt number and its token, nothing else. */
export async function receiptByLink(db: Db, settings: ReceiptSettings, receiptNumber: string, token: string): Promise<Receipt> {
  const expected = Buffer.from(receiptLinkToken(settings.secret, receiptNumber));
  const given = Buffer.from(token);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new ServiceError('not_found', 'no such receipt');
  const visit = await loadVisit(db, { receiptNumber });
  if (!visit) throw new ServiceError('not_found', 'no such receipt');
  return receiptOf(visit, settings);
}

export function receiptLink(settings: ReceiptSettings, receiptNumber: string): string {
  return `${settings.publicUrl.replace(/\/$/, '')}/api/v1/receipts/${receiptNumber}.pdf?token=${receiptLinkToken(settings.secret, receiptNumber)}`;
}

/**
 * Sends the receipt link to the customer by email or SMS (to a contact on file, or an address the
 * customer gave at the door). Once per visit, channel and address: a second tap sends nothing more.
 */
export async function sendReceipt(
  db: Db,
  queues: MessageQueues,
  senders: { email: string; sms: string },
  settings: ReceiptSettings,
  principal: Principal,
  actor: Actor,
  visitId: string,
  request: { channel: 'email' | 'sms'; to?: string | null },
): Promise<{ messageId: string; to: string; created: boolean }> {
  const visit = await loadVisit(db, { id: visitId });
  if (!visit || !canAccessBranch(principal, visit.account.branchId)) throw new ServiceError('not_found', 'no such field visit');
  const kinds = request.channel === 'email' ? ['email'] : ['mobile'];
  const onFile = visit.account.customer.contacts.filter((c) => kinds.includes(c.kind));
  const typed = request.to?.trim();
  const onFileAddress = onFile.find((c) => c.isPrimary && !c.optedOut)?.value ?? onFile.find((c) => !c.optedOut)?.value;
  if (!typed && !onFileAddress) throw new ServiceError('validation_failed', `the customer has no ${request.channel === 'email' ? 'email address' : 'mobile number'} on file; enter one`, [{ path: 'body.to', message: 'required' }]);
  let address = onFileAddress!;
  if (typed) {
    // What the rep typed at the door is read as contacts entered anywhere else are (domain/contact-details.ts).
    const normalised = normaliseContactValue(request.channel === 'email' ? 'email' : 'mobile', typed, visit.account.customer.jurisdiction);
    if (!normalised.ok) throw new ServiceError('validation_failed', normalised.message, [{ path: 'body.to', message: normalised.message }]);
    address = normalised.value;
  }
  if (onFile.some((c) => c.value === address && c.optedOut)) throw new ServiceError('opted_out', `${address} has opted out of messages`);
  const link = receiptLink(settings, visit.receiptNumber);
  // Only money that was posted is "received" (a declined card was not).
  const amount = visit.paymentAmountMinor !== null && visit.paymentId !== null ? formatMinorUnits(visit.paymentAmountMinor, visit.currency) : null;
  const body =
    request.channel === 'sms'
      ? `${settings.companyName}: receipt ${visit.receiptNumber}${amount ? ` for ${amount}` : ''}: ${link}`
      : `Dear ${visit.account.customer.name},\n\nThank you for seeing our representative ${visit.rep.name} today.${amount ? ` We received ${amount}.` : ''} Your receipt ${visit.receiptNumber}, with your signature, is here:\n\n${link}\n\n${settings.companyName}`;
  const queued = await queueMessage(db, queues, actor, {
    idempotencyKey: `receipt:${visit.id}:${request.channel}:${address.toLowerCase()}`,
    channel: request.channel,
    to: address,
    from: request.channel === 'email' ? senders.email : senders.sms,
    subject: request.channel === 'email' ? `Your receipt ${visit.receiptNumber}` : null,
    body,
    accountId: visit.accountId,
    caseId: visit.caseId,
  });
  return { messageId: queued.messageId, to: address, created: queued.created };
}
