// X1, Reg F §1006.34: the validation notice opens a validation period of 30 days after the debtor
// receives it, assumed five business days (no weekends, no US legal public holidays) after it is sent.
import { describe, expect, test } from 'vitest';
import { addBusinessDays, isLegalPublicHoliday, usLegalPublicHolidays } from '../../domain/business-days.ts';
import { isValidationNotice, usValidationNotice, validationNoticeChannel, validationNoticeSettingsSchema, validationPeriodEndsOn, validationPeriodOverAt } from '../../domain/validation-notice.ts';
import { complianceView, validationNoticeDue, type CaseCompliance } from '../../domain/case-compliance.ts';

describe('US legal public holidays (5 U.S.C. 6103)', () => {
  test('2026: the fixed dates observed on the nearest weekday, the Mondays and Thanksgiving as counted', () => {
    expect(usLegalPublicHolidays(2026)).toEqual(['2026-01-01', '2026-01-19', '2026-02-16', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-10-12', '2026-11-11', '2026-11-26', '2026-12-25']);
  });

  test('a New Year on a Saturday is observed on the Friday before, in the old year', () => {
    expect(isLegalPublicHoliday('2021-12-31', 'US-IL')).toBe(true);
    expect(isLegalPublicHoliday('2027-12-24', 'US')).toBe(true); // Christmas 2027 is a Saturday
  });

  test('outside the US only weekends are skipped', () => {
    expect(isLegalPublicHoliday('2026-11-26', 'HU')).toBe(false);
    expect(addBusinessDays('2026-11-23', 5, 'HU')).toBe('2026-11-30');
  });
});

describe('the validation period', () => {
  test('a notice sent on the Monday of Thanksgiving week is assumed received on 1 December: the period ends on 31 December', () => {
    expect(addBusinessDays('2026-11-23', 5, 'US-MA')).toBe('2026-12-01');
    expect(validationPeriodEndsOn('2026-11-23', usValidationNotice, 'US-MA')).toBe('2026-12-31');
  });

  test('a notice sent on a Friday: the weekend does not count towards the assumed receipt', () => {
    expect(validationPeriodEndsOn('2026-10-02', usValidationNotice, 'US')).toBe(new Date(Date.parse('2026-10-09T00:00:00Z') + 30 * 86_400_000).toISOString().slice(0, 10));
  });

  test('the period is over at the start of the day after its last day, in the debtor’s time zone', () => {
    expect(validationPeriodOverAt('2026-12-31', 'America/Chicago').toISOString()).toBe('2027-01-01T06:00:00.000Z');
  });

  test('a jurisdiction may lengthen the period but not shorten it below Reg F', () => {
    expect(validationNoticeSettingsSchema.safeParse({ periodDays: 45, assumedReceiptBusinessDays: 5 }).success).toBe(true);
    expect(validationNoticeSettingsSchema.safeParse({ periodDays: 20, assumedReceiptBusinessDays: 5 }).success).toBe(false);
  });
});

describe('sending it', () => {
  test('by email when the debtor has one, else by letter, else not at all', () => {
    expect(validationNoticeChannel({ email: true, letter: true })).toBe('email');
    expect(validationNoticeChannel({ email: false, letter: true })).toBe('letter');
    expect(validationNoticeChannel({ email: false, letter: false })).toBeNull();
  });

  const facts = (over: Partial<CaseCompliance> = {}): CaseCompliance => ({ firstContactAt: null, validationNoticeRequired: true, validationNotice: null, timeBarredOn: null, ...over });

  test('it is due once the debtor was first communicated with and none went out; not where no rule requires it', () => {
    expect(validationNoticeDue(facts())).toBe(false);
    expect(validationNoticeDue(facts({ firstContactAt: '2026-11-23T14:00:00Z' }))).toBe(true);
    expect(validationNoticeDue(facts({ firstContactAt: '2026-11-23T14:00:00Z', validationNotice: { sentAt: '2026-11-23T14:00:00Z', channel: 'email', periodEndsOn: '2026-12-31' } }))).toBe(false);
    expect(validationNoticeDue(facts({ firstContactAt: '2026-11-23T14:00:00Z', validationNoticeRequired: false }))).toBe(false);
    expect(isValidationNotice('validation_notice')).toBe(true);
    expect(isValidationNotice('payment_reminder')).toBe(false);
  });

  test('the view says whether the period is still open and since when the debt is time-barred', () => {
    const sent = facts({ firstContactAt: '2026-11-23T14:00:00Z', validationNotice: { sentAt: '2026-11-23T14:00:00Z', channel: 'letter', periodEndsOn: '2026-12-31' }, timeBarredOn: '2027-01-15' });
    expect(complianceView(sent, '2026-12-31')).toMatchObject({ validationPeriodEndsOn: '2026-12-31', validationPeriodOpen: true, validationNoticeChannel: 'letter', timeBarredSince: null });
    expect(complianceView(sent, '2027-01-01')).toMatchObject({ validationPeriodOpen: false, timeBarredSince: null });
    expect(complianceView(sent, '2027-01-15')).toMatchObject({ timeBarredSince: '2027-01-15' });
  });
});
