// X1, Reg F §1006.26(b): no suit and no threat of suit on a time-barred debt. The period runs from the
// oldest unpaid invoice's due date, or from the last payment where the jurisdiction restarts it.
import { describe, expect, test } from 'vitest';
import { addYears, builtInLimitations, isTimeBarred, limitationRunsFrom, limitationSettingsSchema, timeBarredOn } from '../../domain/limitation.ts';
import { contactDecision, defaultContactPolicy, resolveContactPolicy, type ContactFacts } from '../../domain/contact-rules.ts';

describe('when a debt becomes time-barred', () => {
  test('six years after the oldest unpaid due date in Massachusetts; a later payment does not restart it there', () => {
    const debt = { oldestUnpaidDueDate: '2020-03-15', lastPaymentOn: '2023-01-10' };
    expect(timeBarredOn(debt, builtInLimitations['US-MA']!)).toBe('2026-03-15');
  });

  test('in Hungary a part payment restarts the five years', () => {
    const debt = { oldestUnpaidDueDate: '2020-03-15', lastPaymentOn: '2023-01-10' };
    expect(limitationRunsFrom(debt, builtInLimitations.HU!)).toBe('2023-01-10');
    expect(timeBarredOn(debt, builtInLimitations.HU!)).toBe('2028-01-10');
  });

  test('a payment older than the oldest unpaid invoice restarts nothing', () => {
    expect(limitationRunsFrom({ oldestUnpaidDueDate: '2022-05-01', lastPaymentOn: '2021-12-01' }, { years: 5, restartsOnPayment: true })).toBe('2022-05-01');
  });

  test('nothing owed, or no limitation configured: never time-barred', () => {
    expect(timeBarredOn({ oldestUnpaidDueDate: null, lastPaymentOn: '2020-01-01' }, builtInLimitations.US!)).toBeNull();
    expect(timeBarredOn({ oldestUnpaidDueDate: '2001-01-01', lastPaymentOn: null }, null)).toBeNull();
  });

  test('barred from the anniversary itself, not the day after', () => {
    expect(isTimeBarred('2026-03-15', '2026-03-14')).toBe(false);
    expect(isTimeBarred('2026-03-15', '2026-03-15')).toBe(true);
    expect(isTimeBarred(null, '2099-01-01')).toBe(false);
  });

  test('29 February plus years lands on 28 February in a common year', () => {
    expect(addYears('2024-02-29', 3)).toBe('2027-02-28');
    expect(addYears('2024-02-29', 4)).toBe('2028-02-29');
  });

  test('the built-in periods of the demo jurisdictions, each configurable', () => {
    expect(resolveContactPolicy('US-MA', undefined).limitation).toEqual({ years: 6, restartsOnPayment: false });
    expect(resolveContactPolicy('US-IL', undefined).limitation?.years).toBe(5);
    expect(resolveContactPolicy('US-CO', undefined).limitation?.years).toBe(6);
    expect(resolveContactPolicy('US-NY', undefined).limitation?.years).toBe(3); // the US default until a state is configured
    expect(resolveContactPolicy('HU', undefined)).toMatchObject({ limitation: { years: 5, restartsOnPayment: true }, validationNotice: null });
    expect(resolveContactPolicy('US-MA', { limitation: { years: 4, restartsOnPayment: true } }).limitation).toEqual({ years: 4, restartsOnPayment: true });
    expect(resolveContactPolicy('US-MA', { limitation: null }).limitation).toBeNull();
    expect(limitationSettingsSchema.safeParse({ years: 0, restartsOnPayment: false }).success).toBe(false);
  });
});

describe('a template that threatens suit', () => {
  const facts = (over: Partial<ContactFacts> = {}): ContactFacts => ({ timeZone: 'America/New_York', ceaseCommunication: false, attorneyRepresented: false, optedOutChannels: [], attempts: [], lastConversationAt: null, ...over });
  const noon = new Date('2026-11-24T17:00:00Z');

  test('is blocked on a time-barred debt, with the date it became time-barred', () => {
    const decision = contactDecision({ channel: 'email', template: 'legal_action_notice' }, facts({ debt: { oldestUnpaidDueDate: '2022-06-01', lastPaymentOn: null } }), defaultContactPolicy, noon);
    expect(decision).toEqual({ kind: 'blocked', reason: 'time_barred', explanation: 'The debt is time-barred since 2025-06-01: no legal action, and no threat of it, may be taken' });
  });

  test('goes out on a debt still within its period; other templates are not concerned', () => {
    expect(contactDecision({ channel: 'email', template: 'legal_action_notice' }, facts({ debt: { oldestUnpaidDueDate: '2024-06-01', lastPaymentOn: null } }), defaultContactPolicy, noon)).toEqual({ kind: 'allowed' });
    expect(contactDecision({ channel: 'email', template: 'payment_reminder' }, facts({ debt: { oldestUnpaidDueDate: '2002-06-01', lastPaymentOn: null } }), defaultContactPolicy, noon)).toEqual({ kind: 'allowed' });
  });
});
