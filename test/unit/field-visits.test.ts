// The rules of a field visit (F6, F7, F9, F11) and what syncing one may flag (F5).
import { describe, expect, test } from 'vitest';
import { isFailedVisit, normaliseSerial, syncConflicts, visitProblems, visitRecordFromWire, visitRestriction, visitSummary, type VisitRecord } from '../../domain/field-visits.ts';
import { signaturePng } from '../support/png.ts';

const now = new Date('2026-12-03T15:00:00Z');
const base: VisitRecord = { clientVisitId: '6f1c2a3b-4d5e-4f60-8a1b-2c3d4e5f6a7b', accountId: 'a', arrivedAt: new Date('2026-12-03T14:30:00Z'), contactResult: 'spoke_with_customer' };
const signed = { signature: { png: signaturePng(), signedByName: 'Jane Doe' } };
const codes = (visit: Partial<VisitRecord>) => visitProblems({ ...base, ...visit }, now).map((p) => `${p.path}:${p.code}`);

describe('a visit is checked before anything is written', () => {
  test('a plain visit with nobody home is fine', () => {
    expect(codes({ contactResult: 'no_one_home' })).toEqual([]);
  });

  test('money and equipment need the customer’s signature; a signature must be a PNG with a name', () => {
    expect(codes({ payment: { amountMinor: 100n, method: 'cash' } })).toEqual(['signature:required']);
    expect(codes({ equipment: [{ type: 'Modem', serial: 'X1' }] })).toEqual(['signature:required']);
    expect(codes({ payment: { amountMinor: 100n, method: 'cash' }, ...signed })).toEqual([]);
    expect(codes({ signature: { png: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), signedByName: ' ' } })).toEqual(['signature.signedByName:required', 'signature.png:not_png']);
  });

  test('money, goods and promises need someone at the door; promises and offers need the customer', () => {
    expect(codes({ contactResult: 'no_one_home', payment: { amountMinor: 100n, method: 'cash' }, ...signed })).toEqual(['payment:nobody_there']);
    expect(codes({ contactResult: 'spoke_with_other', payment: { amountMinor: 100n, method: 'cash' }, ...signed })).toEqual([]);
    expect(codes({ contactResult: 'spoke_with_other', promise: { amountMinor: 100n, dueDate: '2026-12-10' } })).toEqual(['promise:customer_not_reached']);
    expect(codes({ contactResult: 'moved_away', equipment: [{ type: 'Modem', serial: 'X' }], ...signed })).toEqual(['equipment:nobody_there']);
    expect(codes({ contactResult: 'spoke_with_other', retention: { offer: 'Half price', outcome: 'accepted' } })).toEqual(['retention:customer_not_reached']);
  });

  test('each payment method carries its own details and no other’s', () => {
    const card = { encrypted: 'QUJDREVGR0hJSktMTU5PUA==', keyId: 'k', last4: '4242', brand: 'Visa' };
    expect(codes({ payment: { amountMinor: 100n, method: 'cheque' }, ...signed })).toEqual(['payment.reference:required']);
    expect(codes({ payment: { amountMinor: 100n, method: 'money_order', reference: 'MO-7' }, ...signed })).toEqual([]);
    expect(codes({ payment: { amountMinor: 100n, method: 'cash', reference: '12' }, ...signed })).toEqual(['payment.reference:not_applicable']);
    expect(codes({ payment: { amountMinor: 100n, method: 'card' }, ...signed })).toEqual(['payment.card:required']);
    expect(codes({ payment: { amountMinor: 100n, method: 'cash', card }, ...signed })).toEqual(['payment.card:not_applicable']);
    expect(codes({ payment: { amountMinor: 0n, method: 'card', card: { ...card, last4: '42' } }, ...signed })).toEqual(['payment.amountMinor:not_positive', 'payment.card.last4:malformed']);
  });

  test('times: not in the future beyond the clock skew, not older than 30 days, departure after arrival', () => {
    expect(codes({ arrivedAt: new Date(now.getTime() + 5 * 60_000) })).toEqual([]);
    expect(codes({ arrivedAt: new Date(now.getTime() + 15 * 60_000) })).toEqual(['arrivedAt:in_future']);
    expect(codes({ arrivedAt: new Date(now.getTime() - 31 * 86_400_000) })).toEqual(['arrivedAt:too_old']);
    expect(codes({ departedAt: new Date(base.arrivedAt.getTime() - 1) })).toEqual(['departedAt:before_arrival']);
  });

  test('equipment serials are normalised and may not repeat', () => {
    expect(normaliseSerial(' sn-12 34 ')).toBe('SN-1234');
    expect(codes({ equipment: [{ type: 'Modem', serial: 'ab 1' }, { type: 'Router', serial: 'AB1' }], ...signed })).toEqual(['equipment.1.serial:duplicate']);
    expect(codes({ equipment: [{ type: ' ', serial: ' ' }], ...signed })).toEqual(['equipment.0.type:required', 'equipment.0.serial:required']);
  });
});

describe('what a visit says and does', () => {
  test('the summary names the result, the payment, the goods and the offer', () => {
    expect(visitSummary({ contactResult: 'spoke_with_customer', payment: { amountMinor: 5_000n, method: 'cheque', reference: ' 0042 ' }, equipment: [{ type: 'Modem', serial: 'x 1' }], retention: { offer: 'Free month', outcome: 'accepted' } }, 'USD')).toBe(
      'Field visit: spoke with the customer; cheque payment $50.00 (no. 0042); collected Modem X1; retention offer "Free month" accepted',
    );
    expect(visitSummary({ contactResult: 'no_one_home' }, 'USD')).toBe('Field visit: no one home');
  });

  test('not finding the debtor is a failed contact; refusing to talk is not', () => {
    expect(isFailedVisit('no_one_home')).toBe(true);
    expect(isFailedVisit('address_not_found')).toBe(true);
    expect(isFailedVisit('refused_to_talk')).toBe(false);
    expect(isFailedVisit('spoke_with_other')).toBe(false);
  });
});

describe('conflicts found at sync', () => {
  const quiet = { currency: 'USD', paymentsSinceSeen: [], creditFromVisit: 0n, caseClosedMeanwhile: false, routeReassigned: false, restriction: null, outsideHours: null };
  test('none when nothing changed', () => {
    expect(syncConflicts(quiet)).toEqual([]);
  });
  test('payments meanwhile are totalled, an over-payment is a credit to settle, and the rest are named in order', () => {
    const found = syncConflicts({ ...quiet, paymentsSinceSeen: [{ externalRef: 'P1', amountMinor: 1_000n, receivedAt: new Date('2026-12-03T10:00:00Z'), source: 'billing' }, { externalRef: 'P2', amountMinor: 2_500n, receivedAt: new Date('2026-12-03T11:00:00Z'), source: 'collector' }], creditFromVisit: 700n, caseClosedMeanwhile: true, routeReassigned: true, restriction: 'the debtor is represented by a lawyer', outsideHours: '08–21' });
    expect(found.map((c) => c.code)).toEqual(['payment_posted_meanwhile', 'overpayment', 'case_closed_meanwhile', 'route_reassigned', 'contact_restricted', 'outside_contact_hours']);
    expect(found[0]!.message).toContain('2 payments of $35.00');
    expect(found[1]).toMatchObject({ creditMinor: '700' });
  });
});

describe('the visit as it travels from the phone', () => {
  test('is read into the record the rules judge: amounts exact, times as instants, the signature as its PNG bytes', () => {
    const png = signaturePng(20, 10);
    const record = visitRecordFromWire({ clientVisitId: base.clientVisitId, accountId: 'a', arrivedAt: '2026-12-03T14:30:00.000Z', contactResult: 'spoke_with_customer', payment: { amountMinor: 9_007_199_254_740_991, method: 'cash' }, signature: { pngBase64: Buffer.from(png).toString('base64'), signedByName: 'Jane' }, balanceSeen: { amountMinor: 500, asOf: '2026-12-03T10:00:00Z' } });
    expect(record.payment?.amountMinor).toBe(9_007_199_254_740_991n);
    expect(record.arrivedAt.toISOString()).toBe('2026-12-03T14:30:00.000Z');
    expect(Buffer.from(record.signature!.png).equals(Buffer.from(png))).toBe(true);
    expect(record.balanceSeen).toEqual({ amountMinor: 500n, asOf: new Date('2026-12-03T10:00:00Z') });
    expect(visitProblems(record, now)).toEqual([]);
  });
});

describe('who may not be visited (X1)', () => {
  test('a lawyer outranks a cease-communication request; nothing on file, nothing in the way', () => {
    const at = new Date('2026-11-01T00:00:00Z');
    expect(visitRestriction({ attorneyRepresentedAt: at, ceaseCommunicationAt: at })).toBe('the debtor is represented by a lawyer');
    expect(visitRestriction({ attorneyRepresentedAt: null, ceaseCommunicationAt: at })).toBe('the debtor asked in writing that we stop contacting them');
    expect(visitRestriction({ attorneyRepresentedAt: null, ceaseCommunicationAt: null })).toBeNull();
  });
});
