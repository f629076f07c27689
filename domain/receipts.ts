// The customer's receipt for a field visit (F8): its number and what it says. Pure, so that the phone
// prints the same receipt offline (from its own record of the visit) as the server renders to PDF
// after syncing; only the card's authorisation and the balance after the visit can differ, and the
// receipt says which of the two it is.
import { formatMinorUnits } from './money.ts';
import { describeContactResult, describePaymentMethod, normaliseSerial, type FieldContactResult, type FieldPaymentMethod } from './field-visits.ts';

/**
 * The receipt number, from the visit's device-generated ID: the phone can print it with no
 * connection, and a re-synced visit keeps it. 48 bits of a random UUID; the database keeps it unique.
 */
export function receiptNumberFor(clientVisitId: string): string {
  const hex = clientVisitId.replace(/-/g, '').toUpperCase();
  if (!/^[0-9A-F]{32}$/.test(hex)) throw new RangeError('the visit ID must be a UUID');
  return `R-${hex.slice(0, 4)}-${hex.slice(4, 8)}-${hex.slice(8, 12)}`;
}

export interface ReceiptFacts {
  receiptNumber: string;
  company: string;
  branch: string;
  accountRef: string;
  customerName: string;
  serviceAddress: string | null;
  repName: string;
  visitedAt: Date;
  timeZone: string;
  currency: string;
  contactResult: FieldContactResult;
  payment: { amountMinor: bigint; method: FieldPaymentMethod; reference: string | null; card: { brand: string; last4: string; status: 'approved' | 'declined' | 'pending'; processorRef: string | null } | null } | null;
  equipment: ReadonlyArray<{ type: string; serial: string }>;
  promise: { amountMinor: bigint; dueDate: string } | null;
  retention: { offer: string; outcome: string } | null;
  /** What is still owed after the visit, and whether the server confirmed it or the phone estimated it. */
  balanceAfter: { amountMinor: bigint; confirmed: boolean } | null;
  signedByName: string | null;
}

export interface ReceiptDocument {
  title: string;
  number: string;
  heading: string[];
  lines: Array<{ label: string; value: string }>;
  equipment: string[];
  footer: string[];
  signedBy: string | null;
}

/** The receipt as lines a printer, a PDF or a web page lays out the same way. */
export function receiptDocument(facts: ReceiptFacts): ReceiptDocument {
  const money = (amount: bigint) => formatMinorUnits(amount, facts.currency);
  const when = new Intl.DateTimeFormat('en-US', { timeZone: facts.timeZone, dateStyle: 'medium', timeStyle: 'short' }).format(facts.visitedAt);
  const lines: ReceiptDocument['lines'] = [
    { label: 'Date', value: when },
    { label: 'Account', value: facts.accountRef },
    { label: 'Customer', value: facts.customerName },
  ];
  if (facts.serviceAddress) lines.push({ label: 'Address', value: facts.serviceAddress });
  lines.push({ label: 'Field representative', value: facts.repName });
  lines.push({ label: 'Visit', value: capitalise(describeContactResult(facts.contactResult)) });
  const payment = facts.payment;
  if (payment) {
    lines.push({ label: 'Amount received', value: money(payment.amountMinor) });
    lines.push({ label: 'Paid by', value: paidBy(payment) });
    if (payment.card) lines.push({ label: 'Card payment', value: cardStatus(payment.card) });
  }
  if (facts.promise) lines.push({ label: 'Promise to pay', value: `${money(facts.promise.amountMinor)} by ${facts.promise.dueDate}` });
  if (facts.retention) lines.push({ label: 'Offer', value: `${facts.retention.offer} (${facts.retention.outcome})` });
  if (facts.balanceAfter) lines.push({ label: facts.balanceAfter.confirmed ? 'Balance now' : 'Balance (estimated on the device)', value: money(facts.balanceAfter.amountMinor) });
  const footer = ['Keep this receipt as proof of payment.'];
  if (payment?.card?.status === 'pending') footer.unshift('The card payment is authorised when the representative’s device next connects; a declined card will be reported to you.');
  if (payment?.method === 'cheque') footer.push('Cheques are credited subject to clearance.');
  return {
    title: payment ? 'Payment receipt' : facts.equipment.length ? 'Equipment return receipt' : 'Visit receipt',
    number: facts.receiptNumber,
    heading: [facts.company, facts.branch],
    lines,
    equipment: facts.equipment.map((e) => `${e.type.trim()} — serial ${normaliseSerial(e.serial)}`),
    footer,
    signedBy: facts.signedByName,
  };
}

function paidBy(payment: NonNullable<ReceiptFacts['payment']>): string {
  const method = capitalise(describePaymentMethod(payment.method));
  if (payment.card) return `${payment.card.brand} •••• ${payment.card.last4}`;
  return payment.reference ? `${method} no. ${payment.reference}` : method;
}

function cardStatus(card: NonNullable<NonNullable<ReceiptFacts['payment']>['card']>): string {
  if (card.status === 'approved') return `Approved${card.processorRef ? ` (ref. ${card.processorRef})` : ''}`;
  if (card.status === 'declined') return 'Declined by the card issuer: nothing was charged';
  return 'Pending authorisation';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
