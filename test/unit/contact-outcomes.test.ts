// W6: what a collector records after a contact, and what each outcome means for the case.
import { describe, expect, test } from 'vitest';
import { activityOf, caseEffectOf, contactOutcomes, failedContactOutcomes, isFailedContact, isRightPartyContact, outcomeRequestProblems, outcomeSummary, policyChannelOf, rightPartyOutcomes, type OutcomeRequest } from '../../domain/contact-outcomes.ts';
import { conversationOutcomes } from '../../domain/contact-rules.ts';
import { normaliseContactValue } from '../../domain/contact-details.ts';

const now = new Date('2026-11-24T15:00:00Z');
const problemsOf = (request: Partial<OutcomeRequest>) => outcomeRequestProblems({ channel: 'call', outcome: 'reached', ...request }, now).map((p) => p.path);

describe('right-party and failed contacts', () => {
  test('every outcome is either a right-party contact or a failed contact, never both', () => {
    for (const outcome of contactOutcomes) expect(isRightPartyContact(outcome) !== isFailedContact(outcome)).toBe(true);
    expect([...rightPartyOutcomes].sort()).toEqual(['callback_requested', 'dispute', 'promise', 'reached', 'refusal']);
    expect([...failedContactOutcomes].sort()).toEqual(['no_answer', 'wrong_number']);
  });

  test('a failed contact tells the case (contact_failed); a promise, a callback and a dispute go to the case as requests', () => {
    expect(caseEffectOf('no_answer')).toBe('contact_failed');
    expect(caseEffectOf('wrong_number')).toBe('contact_failed');
    expect(caseEffectOf('promise')).toBe('record_promise');
    expect(caseEffectOf('callback_requested')).toBe('postpone');
    expect(caseEffectOf('dispute')).toBe('open_dispute');
    expect(caseEffectOf('reached')).toBe('none');
    expect(caseEffectOf('refusal')).toBe('none');
  });

  test('a conversation starts the quiet period of the contact policy; a requested callback does not', () => {
    for (const outcome of ['reached', 'promise', 'refusal', 'dispute']) expect(conversationOutcomes).toContain(outcome);
    expect(conversationOutcomes).not.toContain('callback_requested');
    expect(conversationOutcomes).not.toContain('no_answer');
  });

  test('the debtor calling in is not checked against the contact policy and is logged as an inbound call', () => {
    expect(policyChannelOf('inbound')).toBeNull();
    expect(policyChannelOf('call')).toBe('call');
    expect(policyChannelOf('visit')).toBe('visit');
    expect(activityOf('inbound')).toEqual({ kind: 'call', direction: 'inbound' });
    expect(activityOf('visit')).toEqual({ kind: 'visit', direction: 'outbound' });
  });
});

describe('validating an outcome before anything is recorded', () => {
  test('a promise needs its terms; terms without a promise are refused rather than dropped', () => {
    expect(problemsOf({ outcome: 'promise' })).toEqual(['promise']);
    expect(problemsOf({ outcome: 'promise', promise: { amountMinor: 5000, dueDate: '2026-12-01' } })).toEqual([]);
    expect(problemsOf({ outcome: 'promise', promise: { instalments: [{ amountMinor: 100, dueDate: '2026-12-01' }, { amountMinor: 100, dueDate: '2027-01-01' }] } })).toEqual([]);
    expect(problemsOf({ outcome: 'reached', promise: { amountMinor: 5000, dueDate: '2026-12-01' } })).toEqual(['promise']);
  });

  test('a callback needs a future time within 90 days', () => {
    expect(problemsOf({ outcome: 'callback_requested' })).toEqual(['callbackAt']);
    expect(problemsOf({ outcome: 'callback_requested', callbackAt: '2026-11-24T14:00:00Z' })).toEqual(['callbackAt']);
    expect(problemsOf({ outcome: 'callback_requested', callbackAt: '2027-03-01T14:00:00Z' })).toEqual(['callbackAt']);
    expect(problemsOf({ outcome: 'callback_requested', callbackAt: '2026-11-25T14:00:00Z' })).toEqual([]);
    expect(problemsOf({ outcome: 'no_answer', callbackAt: '2026-11-25T14:00:00Z' })).toEqual(['callbackAt']);
  });

  test('a dispute names its invoices, once each, and says why', () => {
    expect(problemsOf({ outcome: 'dispute', note: 'billed twice' })).toEqual(['disputedInvoiceRefs']);
    expect(problemsOf({ outcome: 'dispute', disputedInvoiceRefs: ['I-1'] })).toEqual(['note']);
    expect(problemsOf({ outcome: 'dispute', disputedInvoiceRefs: ['I-1', 'I-1'], note: 'billed twice' })).toEqual(['disputedInvoiceRefs']);
    expect(problemsOf({ outcome: 'dispute', disputedInvoiceRefs: ['I-1'], note: 'billed twice' })).toEqual([]);
  });

  test('"no answer" is not an outcome of the debtor calling in; a wrong number is found by calling or texting', () => {
    expect(problemsOf({ outcome: 'no_answer', channel: 'inbound' })).toEqual(['channel']);
    expect(problemsOf({ outcome: 'wrong_number', channel: 'visit' })).toEqual(['channel']);
    expect(problemsOf({ outcome: 'wrong_number', channel: 'call' })).toEqual([]);
  });

  test('the log line names the channel, the contact, the outcome and the note', () => {
    expect(outcomeSummary({ channel: 'call', outcome: 'no_answer', note: 'voicemail left' }, '+16175550123')).toBe('Call to +16175550123: No answer — voicemail left');
    expect(outcomeSummary({ channel: 'inbound', outcome: 'promise' })).toBe('Inbound call: Promise to pay');
  });
});

describe('contact details', () => {
  test('phone numbers are checked against the debtor’s numbering plan and stored in E.164', () => {
    expect(normaliseContactValue('mobile', '(617) 555-0123', 'US-MA')).toEqual({ ok: true, value: '+16175550123' });
    expect(normaliseContactValue('phone', '+36 30 123 4567', 'US')).toEqual({ ok: true, value: '+36301234567' });
    expect(normaliseContactValue('phone', '555-12', 'US').ok).toBe(false);
    expect(normaliseContactValue('mobile', 'call me', 'US').ok).toBe(false);
  });

  test('email addresses are checked and lower-cased; an address needs some substance', () => {
    expect(normaliseContactValue('email', ' Jane.Doe@Example.NET ', 'US')).toEqual({ ok: true, value: 'jane.doe@example.net' });
    expect(normaliseContactValue('email', 'jane@', 'US').ok).toBe(false);
    expect(normaliseContactValue('address', 'x', 'US').ok).toBe(false);
    expect(normaliseContactValue('address', '12  Main St,\n Boston', 'US')).toEqual({ ok: true, value: '12 Main St, Boston' });
  });
});
