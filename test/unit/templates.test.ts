import { describe, expect, test } from 'vitest';
import {
  builtInTemplateKeys,
  knownTemplates,
  renderBuiltInTemplate,
  renderTemplate,
  sampleTemplateVariables,
  smsMaxLength,
  templateExists,
  templateProblems,
} from '../../domain/templates.ts';
import { smsOptOutLine, emailOptOutLine } from '../../domain/contact-policy.ts';

const vars = { customerName: 'Ann Lee', accountRef: 'ACC-1', balance: '$125.50', daysPastDue: 7 };

describe('template validation', () => {
  test('an unknown placeholder is refused, and the message lists the allowed ones', () => {
    const problems = templateProblems('email', { subject: 'Hi {customerName}', body: 'You owe {amount} on {accountRef} {amount}' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ field: 'body' });
    expect(problems[0]!.message).toContain('unknown placeholder {amount}');
    expect(problems[0]!.message).toContain('{customerName}, {accountRef}, {balance}, {daysPastDue}, {promiseAmount}, {promiseDate}');
  });

  test('a placeholder in the subject is checked too', () => {
    expect(templateProblems('email', { subject: 'About {acount}', body: 'Hello' }).map((p) => p.field)).toEqual(['subject']);
  });

  test('an email needs a subject; an SMS or letter has none', () => {
    expect(templateProblems('email', { subject: '  ', body: 'Hello' }).map((p) => p.message)).toEqual(['an email needs a subject']);
    expect(templateProblems('sms', { subject: 'x', body: 'Hello' }).map((p) => p.message)).toEqual(['an SMS has no subject; leave it empty']);
    expect(templateProblems('letter', { subject: '', body: 'Dear {customerName}' })).toEqual([]);
  });

  test('an empty body is refused', () => {
    expect(templateProblems('letter', { subject: '', body: ' \n' }).map((p) => p.message)).toEqual(['the body is empty']);
  });

  test('an SMS must fit in 480 characters as sent, the opt-out line counted', () => {
    const room = smsMaxLength - smsOptOutLine.length - 1; // a space joins the body and the opt-out line
    expect(templateProblems('sms', { subject: '', body: 'x'.repeat(room) })).toEqual([]);
    const tooLong = templateProblems('sms', { subject: '', body: 'x'.repeat(room + 1) });
    expect(tooLong).toHaveLength(1);
    expect(tooLong[0]!.message).toContain(`the SMS is ${smsMaxLength + 1} characters as sent`);
  });

  test('placeholders count at their sample length in an SMS', () => {
    const room = smsMaxLength - smsOptOutLine.length - 1;
    const body = `${'x'.repeat(room - sampleTemplateVariables.customerName.length)}{customerName}`;
    expect(templateProblems('sms', { subject: '', body })).toEqual([]);
    expect(templateProblems('sms', { subject: '', body: `y${body}` })).toHaveLength(1);
  });

  test('every built-in template is valid', () => {
    for (const key of builtInTemplateKeys()) {
      const rendered = renderBuiltInTemplate(key.code, key.channel, key.tone, sampleTemplateVariables);
      expect(rendered.body.length, `${key.code} ${key.channel} ${key.tone}`).toBeGreaterThan(0);
    }
  });
});

describe('rendering', () => {
  test('fills the placeholders; the email subject too', () => {
    const rendered = renderTemplate({ subject: 'Account {accountRef}', body: 'Dear {customerName}, {balance} is {daysPastDue} days late.' }, 'email', vars);
    expect(rendered.subject).toBe('Account ACC-1');
    expect(rendered.body).toBe('Dear Ann Lee, $125.50 is 7 days late.');
  });

  test('as sent, the channel’s opt-out line is appended once', () => {
    const sms = renderTemplate({ subject: '', body: 'Pay {balance} please.' }, 'sms', vars);
    expect(sms.subject).toBeNull();
    expect(sms.sent.body).toBe(`Pay $125.50 please. ${smsOptOutLine}`);
    const email = renderTemplate({ subject: 's', body: 'Hello' }, 'email', vars);
    expect(email.sent.body).toBe(`Hello\n\n--\n${emailOptOutLine}`);
    expect(renderTemplate({ subject: '', body: 'Letter' }, 'letter', vars).sent.body).toBe('Letter');
  });

  test('retail and corporate built-ins differ in tone', () => {
    expect(renderBuiltInTemplate('payment_reminder', 'email', 'retail', vars).body).toMatch(/^Hello Ann Lee/);
    expect(renderBuiltInTemplate('payment_reminder', 'email', 'corporate', vars).body).toMatch(/^Dear Ann Lee/);
  });

  test('a missing optional value renders empty; an unknown placeholder is left as written', () => {
    expect(renderTemplate({ subject: '', body: 'Promised {promiseAmount}; {other}' }, 'letter', vars).body).toBe('Promised ; {other}');
  });
});

describe('which templates exist', () => {
  test('built-ins exist on their channels only', () => {
    expect(templateExists('payment_reminder', 'sms')).toBe(true);
    expect(templateExists('suspension_notice', 'sms')).toBe(false);
  });

  test('codes saved by admins exist on their channel', () => {
    const known = knownTemplates([{ code: 'final_demand', channel: 'letter' }]);
    expect(templateExists('final_demand', 'letter', known)).toBe(true);
    expect(templateExists('final_demand', 'email', known)).toBe(false);
    expect(templateExists('payment_reminder', 'email', known)).toBe(true);
  });
});
