import { describe, expect, test } from 'vitest';
import { emailOptOutLine, isOptOutReply, smsOptOutLine, withOptOutNotice } from '../../domain/contact-policy.ts';

describe('opt-out in every email and SMS (X1)', () => {
  test('an SMS ends with the STOP notice, added once', () => {
    const once = withOptOutNotice('sms', 'Your payment is overdue.');
    expect(once).toBe(`Your payment is overdue. ${smsOptOutLine}`);
    expect(withOptOutNotice('sms', once)).toBe(once);
  });

  test('an email carries the unsubscribe notice; a letter is left as written', () => {
    expect(withOptOutNotice('email', 'Dear customer')).toContain(emailOptOutLine);
    expect(withOptOutNotice('letter', 'Dear customer')).toBe('Dear customer');
  });

  test('STOP and its carrier synonyms are opt-out replies, in any case and spacing', () => {
    for (const reply of ['STOP', ' stop ', 'Unsubscribe', 'STOP ALL', 'quit']) expect(isOptOutReply(reply)).toBe(true);
    for (const reply of ['I will pay on Friday', 'stop calling me at work please']) expect(isOptOutReply(reply)).toBe(false);
  });
});

describe('contact hours in the debtor’s time zone (X1)', async () => {
  const { nextAllowedContactTime, instantOfLocal } = await import('../../domain/contact-policy.ts');

  test('inside 08:00-21:00 local time contact goes ahead at once', () => {
    const at = new Date('2026-11-24T15:00:00Z'); // 09:00 in Chicago
    expect(nextAllowedContactTime(at, 'America/Chicago')).toEqual(at);
  });

  test('at night it waits for 08:00 the next morning, local time', () => {
    const lateEvening = new Date('2026-11-25T04:30:00Z'); // 22:30 on the 24th in Chicago
    expect(nextAllowedContactTime(lateEvening, 'America/Chicago').toISOString()).toBe('2026-11-25T14:00:00.000Z');
    const earlyMorning = new Date('2026-11-24T11:00:00Z'); // 05:00 in Chicago
    expect(nextAllowedContactTime(earlyMorning, 'America/Chicago').toISOString()).toBe('2026-11-24T14:00:00.000Z');
  });

  test('a weekday-only policy carries a Friday-night action over the weekend to Monday 08:00', () => {
    const fridayNight = new Date('2026-11-28T03:00:00Z'); // Friday 22:00 in New York
    const weekdays = { startHour: 8, endHour: 21, weekdays: [1, 2, 3, 4, 5] };
    expect(nextAllowedContactTime(fridayNight, 'America/New_York', weekdays).toISOString()).toBe('2026-11-30T13:00:00.000Z');
  });

  test('local times are right across a daylight-saving change', () => {
    expect(instantOfLocal(2026, 3, 9, 8, 'America/New_York').toISOString()).toBe('2026-03-09T12:00:00.000Z');
    expect(instantOfLocal(2026, 3, 6, 8, 'America/New_York').toISOString()).toBe('2026-03-06T13:00:00.000Z');
  });
});

describe('when a strategy step runs', async () => {
  const { whenStepRuns } = await import('../../domain/case-schedule.ts');
  const email = { id: 'r', stage: 'soft' as const, trigger: { kind: 'days_past_due' as const, days: 5 }, action: { kind: 'send_message' as const, channel: 'email' as const, template: 'payment_reminder' } };
  const suspend = { id: 's', stage: 'hard' as const, trigger: { kind: 'days_past_due' as const, days: 5 }, action: { kind: 'suspend_service' as const } };

  test('a contact step runs at 08:00 local on its day; a non-contact step at the day’s start', () => {
    expect(whenStepRuns(email, '2026-11-01', 'America/Chicago')?.toISOString()).toBe('2026-11-06T14:00:00.000Z');
    expect(whenStepRuns(suspend, '2026-11-01', 'America/Chicago')?.toISOString()).toBe('2026-11-06T06:00:00.000Z');
  });
});
