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
