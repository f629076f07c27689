// X1 contact policy: hours, attempt caps, the quiet period after a conversation, cease-communication,
// lawyers and opt-outs, configured per jurisdiction and per segment.
import { describe, expect, test } from 'vitest';
import { contactDecision, contactPolicyOverridesSchema, defaultContactPolicy, resolveContactPolicy, type ContactFacts } from '../../domain/contact-rules.ts';

const facts = (over: Partial<ContactFacts> = {}): ContactFacts => ({ timeZone: 'America/New_York', ceaseCommunication: false, attorneyRepresented: false, optedOutChannels: [], attempts: [], lastConversationAt: null, ...over });
const tuesdayNoonNY = new Date('2026-11-24T17:00:00Z');
const hoursAgo = (h: number) => new Date(tuesdayNoonNY.getTime() - h * 3_600_000);

describe('Regulation F call limits', () => {
  test('a seventh call in seven days is allowed; an eighth waits until the oldest drops out of the window', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ channel: 'call' as const, at: hoursAgo(24 * (i + 1)) }));
    expect(contactDecision({ channel: 'call' }, facts({ attempts: six }), defaultContactPolicy, tuesdayNoonNY)).toEqual({ kind: 'allowed' });
    const seven = [...six, { channel: 'call' as const, at: hoursAgo(2) }];
    const decision = contactDecision({ channel: 'call' }, facts({ attempts: seven }), defaultContactPolicy, tuesdayNoonNY);
    expect(decision).toMatchObject({ kind: 'deferred', reason: 'attempt_cap' });
    // The oldest of the seven was six days ago at noon: the eighth may be placed a day later, at noon.
    expect(decision.kind === 'deferred' && decision.until.toISOString()).toBe(new Date(hoursAgo(144).getTime() + 7 * 86_400_000).toISOString());
  });

  test('emails do not count towards the call cap', () => {
    const emails = Array.from({ length: 10 }, (_, i) => ({ channel: 'email' as const, at: hoursAgo(i + 1) }));
    expect(contactDecision({ channel: 'call' }, facts({ attempts: emails }), defaultContactPolicy, tuesdayNoonNY)).toEqual({ kind: 'allowed' });
  });

  test('no call within seven days after a telephone conversation; an email is still fine', () => {
    const spoke = hoursAgo(48);
    const call = contactDecision({ channel: 'call' }, facts({ lastConversationAt: spoke }), defaultContactPolicy, tuesdayNoonNY);
    expect(call).toMatchObject({ kind: 'deferred', reason: 'recent_conversation', until: new Date(spoke.getTime() + 7 * 86_400_000) });
    expect(contactDecision({ channel: 'email' }, facts({ lastConversationAt: spoke }), defaultContactPolicy, tuesdayNoonNY)).toEqual({ kind: 'allowed' });
  });

  test('a deferral that ends at night is carried to the next morning', () => {
    const spokeLateEvening = new Date('2026-11-23T03:30:00Z'); // 22:30 on Sunday the 22nd in New York
    const decision = contactDecision({ channel: 'call' }, facts({ lastConversationAt: spokeLateEvening }), defaultContactPolicy, tuesdayNoonNY);
    expect(decision).toMatchObject({ kind: 'deferred', reason: 'recent_conversation', until: new Date('2026-11-30T13:00:00Z') });
  });
});

describe('hours and days', () => {
  test('at night an SMS waits for 08:00 local; a letter does not', () => {
    const night = new Date('2026-11-25T04:00:00Z'); // 23:00 in New York
    expect(contactDecision({ channel: 'sms' }, facts(), defaultContactPolicy, night)).toMatchObject({ kind: 'deferred', reason: 'outside_contact_hours', until: new Date('2026-11-25T13:00:00Z') });
    expect(contactDecision({ channel: 'letter' }, facts(), defaultContactPolicy, night)).toEqual({ kind: 'allowed' });
  });

  test('the explanation names the window', () => {
    const night = new Date('2026-11-25T04:00:00Z');
    const decision = contactDecision({ channel: 'email' }, facts(), defaultContactPolicy, night);
    expect(decision.kind === 'deferred' && decision.explanation).toBe("Outside contact hours (08:00–21:00 every day, debtor's local time)");
  });
});

describe('requests that end contact', () => {
  test('a lawyer blocks every channel', () => {
    for (const channel of ['call', 'email', 'sms', 'letter', 'visit'] as const) {
      expect(contactDecision({ channel }, facts({ attorneyRepresented: true }), defaultContactPolicy, tuesdayNoonNY)).toMatchObject({ kind: 'blocked', reason: 'attorney_represented' });
    }
  });

  test('after a cease-communication request only final notices go out', () => {
    const ceased = facts({ ceaseCommunication: true });
    expect(contactDecision({ channel: 'email', template: 'payment_reminder' }, ceased, defaultContactPolicy, tuesdayNoonNY)).toMatchObject({ kind: 'blocked', reason: 'cease_communication' });
    expect(contactDecision({ channel: 'call' }, ceased, defaultContactPolicy, tuesdayNoonNY)).toMatchObject({ kind: 'blocked', reason: 'cease_communication' });
    expect(contactDecision({ channel: 'email', template: 'suspension_notice' }, ceased, defaultContactPolicy, tuesdayNoonNY)).toEqual({ kind: 'allowed' });
  });

  test('an opted-out channel is blocked, the others are not', () => {
    const optedOut = facts({ optedOutChannels: ['sms'] });
    expect(contactDecision({ channel: 'sms' }, optedOut, defaultContactPolicy, tuesdayNoonNY)).toMatchObject({ kind: 'blocked', reason: 'opted_out' });
    expect(contactDecision({ channel: 'email' }, optedOut, defaultContactPolicy, tuesdayNoonNY)).toEqual({ kind: 'allowed' });
  });
});

describe('configuration per jurisdiction and segment', () => {
  test('Massachusetts allows two calls a week; a region inherits its country’s hours', () => {
    const ma = resolveContactPolicy('US-MA', undefined);
    expect(ma.caps.call).toEqual({ max: 2, days: 7 });
    expect(ma.window).toEqual(defaultContactPolicy.window);
    const twoCalls = facts({ attempts: [{ channel: 'call', at: hoursAgo(30) }, { channel: 'call', at: hoursAgo(5) }] });
    expect(contactDecision({ channel: 'call' }, twoCalls, ma, tuesdayNoonNY)).toMatchObject({ kind: 'deferred', reason: 'attempt_cap' });
    expect(contactDecision({ channel: 'call' }, twoCalls, resolveContactPolicy('US-NY', undefined), tuesdayNoonNY)).toEqual({ kind: 'allowed' });
  });

  test('stored settings replace the built-in ones, and a segment overrides its jurisdiction', () => {
    const stored = { HU: { window: { startHour: 9, endHour: 17, weekdays: [1, 2, 3, 4, 5] } } };
    expect(resolveContactPolicy('HU', undefined, stored).window.startHour).toBe(9);
    const segment = { caps: { sms: { max: 2, days: 7 }, call: null } };
    const policy = resolveContactPolicy('US', segment);
    expect(policy.caps).toEqual({ sms: { max: 2, days: 7 } });
  });

  test('settings that make no sense are refused', () => {
    expect(contactPolicyOverridesSchema.safeParse({ window: { startHour: 21, endHour: 8, weekdays: [1] } }).success).toBe(false);
    expect(contactPolicyOverridesSchema.safeParse({ window: { startHour: 8, endHour: 21, weekdays: [] } }).success).toBe(false);
    expect(contactPolicyOverridesSchema.safeParse({ caps: { fax: { max: 1, days: 1 } } }).success).toBe(false);
    expect(contactPolicyOverridesSchema.safeParse({ quietDaysAfterConversation: -1 }).success).toBe(false);
    expect(contactPolicyOverridesSchema.safeParse({ caps: { call: { max: 3, days: 7 } }, quietDaysAfterConversation: 3 }).success).toBe(true);
  });
});
