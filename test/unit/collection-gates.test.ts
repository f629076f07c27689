// X1: credit reporting waits for the first communication plus 14 days and the end of the validation
// period, never while disputed (Reg F §1006.30(a)); legal referral waits for the validation period and
// is never made on a time-barred debt (§1006.26(b)). Deferred and explained, never dropped.
import { describe, expect, test } from 'vitest';
import { creditReportingDecision, gateRecheckMs, legalReferralDecision, type GateFacts } from '../../domain/collection-gates.ts';

const tz = 'America/New_York';
const now = new Date('2026-12-10T17:00:00Z');
const facts = (over: Partial<GateFacts> = {}): GateFacts => ({ timeZone: tz, today: '2026-12-10', firstContactAt: null, validationNoticeRequired: true, validationPeriodEndsOn: null, disputedMinor: 0n, timeBarredOn: null, ...over });
const wait = { creditReportingWaitDays: 14 };

describe('credit reporting (§1006.30(a))', () => {
  test('before any communication it waits, and looks again a day later', () => {
    expect(creditReportingDecision(facts(), wait, now)).toMatchObject({ kind: 'deferred', reason: 'not_yet_contacted', until: new Date(now.getTime() + gateRecheckMs) });
  });

  test('14 days after the first communication, when that is later than the validation period', () => {
    const first = new Date('2026-12-01T15:00:00Z');
    const decision = creditReportingDecision(facts({ firstContactAt: first, validationPeriodEndsOn: '2026-12-12' }), wait, now);
    expect(decision).toMatchObject({ kind: 'deferred', reason: 'credit_reporting_wait', until: new Date(first.getTime() + 14 * 86_400_000) });
    expect(decision.kind === 'deferred' && decision.explanation).toBe('First communicated with on 2026-12-01: credit reporting waits 14 days after it');
  });

  test('the validation period’s end, when that is later', () => {
    const decision = creditReportingDecision(facts({ firstContactAt: new Date('2026-12-01T15:00:00Z'), validationPeriodEndsOn: '2027-01-05' }), wait, now);
    expect(decision).toMatchObject({ kind: 'deferred', reason: 'validation_period', until: new Date('2027-01-06T05:00:00Z') });
  });

  test('once both have passed it goes ahead', () => {
    expect(creditReportingDecision(facts({ firstContactAt: new Date('2026-11-01T15:00:00Z'), validationPeriodEndsOn: '2026-12-05' }), wait, now)).toEqual({ kind: 'allowed' });
  });

  test('contacted but no validation notice sent yet: it waits for one', () => {
    expect(creditReportingDecision(facts({ firstContactAt: new Date('2026-11-01T15:00:00Z') }), wait, now)).toMatchObject({ kind: 'deferred', reason: 'validation_notice_pending' });
    expect(creditReportingDecision(facts({ firstContactAt: new Date('2026-11-01T15:00:00Z'), validationNoticeRequired: false }), wait, now)).toEqual({ kind: 'allowed' });
  });

  test('never while any part of the debt is disputed', () => {
    const decision = creditReportingDecision(facts({ firstContactAt: new Date('2026-11-01T15:00:00Z'), validationPeriodEndsOn: '2026-12-05', disputedMinor: 1n }), wait, now);
    expect(decision).toMatchObject({ kind: 'deferred', reason: 'debt_disputed', explanation: 'The debt is disputed: it is not reported while the dispute is open' });
  });
});

describe('legal referral', () => {
  test('a time-barred debt is never referred, and the decision says since when', () => {
    expect(legalReferralDecision(facts({ timeBarredOn: '2026-12-01', validationPeriodEndsOn: '2026-11-01' }), now)).toEqual({ kind: 'blocked', reason: 'time_barred', explanation: 'The debt is time-barred since 2026-12-01: no legal action, and no threat of it, may be taken' });
  });

  test('it waits for the validation period to end', () => {
    expect(legalReferralDecision(facts({ validationPeriodEndsOn: '2026-12-20', timeBarredOn: '2030-01-01' }), now)).toMatchObject({ kind: 'deferred', reason: 'validation_period', until: new Date('2026-12-21T05:00:00Z'), explanation: 'The validation period runs until 2026-12-20: no legal referral before it ends' });
    expect(legalReferralDecision(facts({ validationPeriodEndsOn: '2026-12-09' }), now)).toEqual({ kind: 'allowed' });
  });
});
