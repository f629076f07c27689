// The field receipt (F8): its number from the phone's visit ID, what it says, and its PDF with the signature.
import { describe, expect, test } from 'vitest';
import { PDFDocument } from '@pdfme/pdf-lib';
import { receiptDocument, receiptNumberFor, type ReceiptFacts } from '../../domain/receipts.ts';
import { renderReceiptPdf, winAnsiSafe } from '../../domain/receipt-pdf.ts';
import { signaturePng } from '../support/png.ts';

const facts: ReceiptFacts = {
  receiptNumber: 'R-6F1C-2A3B-4D5E',
  company: 'Arrears Demo Telecom',
  branch: 'East CSC (Boston)',
  accountRef: 'ACC-100001',
  customerName: 'Jane Doe',
  serviceAddress: '12 Elm Street, Boston 02118',
  repName: 'Frank Field',
  visitedAt: new Date('2026-12-03T15:04:00Z'),
  timeZone: 'America/New_York',
  currency: 'USD',
  contactResult: 'spoke_with_customer',
  payment: { amountMinor: 4_550n, method: 'card', reference: null, card: { brand: 'Visa', last4: '4242', status: 'pending', processorRef: null } },
  equipment: [{ type: 'Modem', serial: 'sn 1' }],
  promise: null,
  retention: null,
  balanceAfter: { amountMinor: 1_000n, confirmed: false },
  signedByName: 'Jane Doe',
};

describe('the receipt', () => {
  test('its number comes from the visit’s UUID, so the phone can print it offline', () => {
    expect(receiptNumberFor('6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b')).toBe('R-6F1C-2A3B-4D5E');
    expect(() => receiptNumberFor('not-a-uuid')).toThrow(RangeError);
  });

  test('a card taken offline says it is pending, shows only brand and last four, and the balance is the phone’s estimate', () => {
    const doc = receiptDocument(facts);
    expect(doc.lines).toEqual([
      { label: 'Date', value: 'Dec 3, 2026, 10:04 AM' },
      { label: 'Account', value: 'ACC-100001' },
      { label: 'Customer', value: 'Jane Doe' },
      { label: 'Address', value: '12 Elm Street, Boston 02118' },
      { label: 'Field representative', value: 'Frank Field' },
      { label: 'Visit', value: 'Spoke with the customer' },
      { label: 'Amount received', value: '$45.50' },
      { label: 'Paid by', value: 'Visa •••• 4242' },
      { label: 'Card payment', value: 'Pending authorisation' },
      { label: 'Balance (estimated on the device)', value: '$10.00' },
    ]);
    expect(doc.equipment).toEqual(['Modem — serial SN1']);
    expect(doc.title).toBe('Payment receipt');
    expect(receiptDocument({ ...facts, payment: null }).title).toBe('Equipment return receipt');
    expect(receiptDocument({ ...facts, payment: null, equipment: [] }).title).toBe('Visit receipt');
    expect(doc.footer[0]).toMatch(/authorised when the representative’s device next connects/);
  });

  test('after sync: the card’s approval with its reference, the confirmed balance', () => {
    const doc = receiptDocument({ ...facts, payment: { ...facts.payment!, card: { brand: 'Visa', last4: '4242', status: 'approved', processorRef: 'ch_1' } }, balanceAfter: { amountMinor: 0n, confirmed: true } });
    expect(doc.lines).toContainEqual({ label: 'Card payment', value: 'Approved (ref. ch_1)' });
    expect(doc.lines).toContainEqual({ label: 'Balance now', value: '$0.00' });
    expect(doc.footer).toEqual(['Keep this receipt as proof of payment.']);
  });

  test('the PDF is one page with the signature image embedded; characters the PDF fonts lack are replaced', async () => {
    const bytes = await renderReceiptPdf(receiptDocument(facts), signaturePng(200, 60), { createdAt: facts.visitedAt });
    const pdf = await PDFDocument.load(bytes);
    expect(pdf.getPageCount()).toBe(1);
    expect(pdf.getTitle()).toBe('Payment receipt R-6F1C-2A3B-4D5E');
    expect(Buffer.from(bytes).toString('latin1')).toContain('/Subtype /Image');
    const unsigned = await renderReceiptPdf(receiptDocument({ ...facts, customerName: 'Zoë 李' }), null);
    expect(Buffer.from(unsigned).toString('latin1')).not.toContain('/Subtype /Image');
    expect(winAnsiSafe('Zoë 李 — €5')).toBe('Zoë ? — €5');
  });
});
