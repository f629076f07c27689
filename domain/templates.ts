// Message templates with a tone per customer type (C2: retail and corporate are addressed
// differently; C3: letters, emails and SMS come from templates). The built-in texts below are the
// defaults; an admin may save a new version of any code/channel/tone, and the newest active saved
// version overrides the built-in (services/templates.ts resolves which one is effective). This module
// is pure: it knows the built-ins, validates a text (only known placeholders, an email has a subject,
// an SMS fits its length limit with the opt-out line) and renders one. The opt-out notice itself is
// added by the message pipeline (domain/contact-policy.ts `withOptOutNotice`).
import { withOptOutNotice, type Channel } from './contact-policy.ts';

export const templateChannels = ['email', 'sms', 'letter'] as const satisfies readonly Channel[];
export const templateTones = ['retail', 'corporate'] as const;
export type Tone = (typeof templateTones)[number];

/** A template code: what strategies refer to (`send_message.template`). */
export const templateCodePattern = /^[a-z][a-z0-9_]{0,59}$/;

export interface TemplateVariables {
  customerName: string;
  accountRef: string;
  balance: string;
  daysPastDue: number;
  promiseAmount?: string;
  promiseDate?: string;
  /** The creditor the debt is owed to (the validation notice, Reg F §1006.34(c)(2)). */
  creditorName?: string;
  /** The itemization date: the last statement (the newest invoice owed) before collection. */
  itemizationDate?: string;
  /** The last day the debtor may dispute the debt (the validation period's end). */
  validationPeriodEnds?: string;
}

/** The placeholders a template may use, `{name}` in its subject or body. */
export const templatePlaceholders = ['customerName', 'accountRef', 'balance', 'daysPastDue', 'promiseAmount', 'promiseDate', 'creditorName', 'itemizationDate', 'validationPeriodEnds'] as const satisfies ReadonlyArray<keyof TemplateVariables>;

/** Values a preview fills in when the caller gives none. */
export const sampleTemplateVariables: Required<TemplateVariables> = {
  customerName: 'Jane Doe',
  accountRef: 'ACC-100001',
  balance: '$1,234.56',
  daysPastDue: 15,
  promiseAmount: '$500.00',
  promiseDate: '2026-12-01',
  creditorName: 'Example Telecom Inc.',
  itemizationDate: '2026-10-01',
  validationPeriodEnds: '2026-11-30',
};

/** An SMS as sent (body and opt-out line) must fit in this many characters: three GSM-7 segments. */
export const smsMaxLength = 480;
export const subjectMaxLength = 200;
export const bodyMaxLength = 20_000;

export interface TemplateContent {
  /** Empty for SMS and letters. */
  subject: string;
  body: string;
}

const builtIns: Record<string, Partial<Record<Channel, Record<Tone, TemplateContent>>>> = {
  payment_reminder: {
    email: {
      retail: { subject: 'A friendly reminder about account {accountRef}', body: 'Hello {customerName},\n\nOur records show {balance} on account {accountRef} is {daysPastDue} days past due. If you have already paid, thank you and please ignore this message. Otherwise you can pay online, by phone or at any of our offices.\n\nIf you are having difficulty paying, call us: we can agree a plan that works for you.' },
      corporate: { subject: 'Overdue balance on account {accountRef}', body: 'Dear {customerName},\n\nAccount {accountRef} has an overdue balance of {balance} ({daysPastDue} days past due). Please arrange payment, or contact your account manager if an invoice is in dispute so that we can hold collection on it.' },
    },
    sms: {
      retail: { subject: '', body: 'Reminder: {balance} on account {accountRef} is {daysPastDue} days overdue. Please pay or call us.' },
      corporate: { subject: '', body: 'Account {accountRef}: {balance} is {daysPastDue} days overdue. Please arrange payment.' },
    },
  },
  suspension_notice: {
    email: {
      retail: { subject: 'Your service on account {accountRef} has been suspended', body: 'Hello {customerName},\n\nWe did not receive the payment you promised, so service on account {accountRef} has been suspended. The overdue balance is {balance}. As soon as it is paid, your service is restored automatically.' },
      corporate: { subject: 'Service suspended on account {accountRef}', body: 'Dear {customerName},\n\nThe payment agreed for account {accountRef} has not been received, and service has been suspended. The overdue balance is {balance}. Service is restored as soon as it is settled.' },
    },
  },
  promise_broken_alert: {
    sms: {
      retail: { subject: '', body: 'We did not receive the payment of {promiseAmount} you promised for {promiseDate} on account {accountRef}. Please pay or call us today.' },
      corporate: { subject: '', body: 'Account {accountRef}: the agreed payment of {promiseAmount} due {promiseDate} was not received.' },
    },
  },
  // Reg F §1006.34 (X1): sent with (or within 5 days of) the first communication about the debt; an
  // email, or a letter when there is no email (services/validation-notices.ts).
  validation_notice: {
    email: {
      retail: { subject: 'Important information about the debt on account {accountRef}', body: validationNoticeBody('Hello {customerName},') },
      corporate: { subject: 'Validation notice: account {accountRef}', body: validationNoticeBody('Dear {customerName},') },
    },
    letter: {
      retail: { subject: '', body: validationNoticeBody('Dear {customerName},') },
      corporate: { subject: '', body: validationNoticeBody('Dear {customerName},') },
    },
  },
  // Threatens legal action: listed in the contact policy's `threatensSuitTemplates`, so it is never
  // sent on a time-barred debt (Reg F §1006.26(b)).
  legal_action_notice: {
    email: {
      retail: { subject: 'Account {accountRef}: we may take legal action', body: legalActionBody('Hello {customerName},') },
      corporate: { subject: 'Account {accountRef}: notice before legal action', body: legalActionBody('Dear {customerName},') },
    },
    letter: {
      retail: { subject: '', body: legalActionBody('Dear {customerName},') },
      corporate: { subject: '', body: legalActionBody('Dear {customerName},') },
    },
  },
  // Sent when a case closes paid or settled (services/case-notices.ts); {balance} is what was overdue.
  case_closed: {
    email: {
      retail: { subject: 'Account {accountRef}: thank you, your balance is settled', body: 'Dear {customerName},\n\nWe have received your payment and account {accountRef} is now up to date (overdue balance was {balance}). Any service restrictions have been lifted.\n\nThank you.' },
      corporate: { subject: 'Account {accountRef}: thank you, your balance is settled', body: 'Dear {customerName},\n\nWe have received your payment and account {accountRef} is now up to date (overdue balance was {balance}). Any service restrictions have been lifted.\n\nThank you.' },
    },
  },
};

function validationNoticeBody(greeting: string): string {
  return `${greeting}

We are collecting a debt that you owe to {creditorName}, account {accountRef}.

As of {itemizationDate}, the date of your last statement, and as of today, you owe {balance}.

How can you dispute the debt?
Tell us by {validationPeriodEnds} if you think you do not owe all or part of this debt: call us, write to us or reply to this message. We must then stop collection on any amount you dispute until we send you information that shows you owe it. You may also ask us by that date for the name and address of the original creditor, if it is different from the current creditor, and we must stop collection until we send it to you.

If you do not tell us by {validationPeriodEnds}, we will assume that our information is correct.

Learn more about your rights under federal law at www.cfpb.gov/debt-collection.`;
}

function legalActionBody(greeting: string): string {
  return `${greeting}

Account {accountRef} has been overdue for {daysPastDue} days and {balance} is still owed. Unless it is paid, or you agree a plan with us, we intend to refer the account to our legal department, which may take the matter to court.

If you dispute the debt or need help paying it, contact us now.`;
}

export interface TemplateKey {
  code: string;
  channel: Channel;
  tone: Tone;
}

/** The built-in text of a code/channel/tone, if there is one. */
export function builtInTemplate(code: string, channel: Channel, tone: Tone): TemplateContent | null {
  return builtIns[code]?.[channel]?.[tone] ?? null;
}

/** Every built-in code/channel/tone, in a stable order. */
export function builtInTemplateKeys(): TemplateKey[] {
  return Object.entries(builtIns).flatMap(([code, byChannel]) =>
    templateChannels.flatMap((channel) => (byChannel[channel] ? templateTones.map((tone) => ({ code, channel, tone })) : [])),
  );
}

/** The templates a strategy may name, as `channel:code` (built-ins plus those saved by admins). */
export type KnownTemplates = ReadonlySet<string>;

export const knownTemplateId = (code: string, channel: Channel) => `${channel}:${code}`;

export function knownTemplates(saved: Iterable<{ code: string; channel: Channel }> = []): KnownTemplates {
  const known = new Set(builtInTemplateKeys().map((k) => knownTemplateId(k.code, k.channel)));
  for (const t of saved) known.add(knownTemplateId(t.code, t.channel));
  return known;
}

/** Whether a strategy may send `code` on `channel`: a built-in, or any template in `known`. */
export function templateExists(code: string, channel: Channel, known: KnownTemplates = knownTemplates()): boolean {
  return known.has(knownTemplateId(code, channel));
}

const placeholderPattern = /\{([^{}\s]*)\}/g;

function placeholdersIn(text: string): string[] {
  return [...text.matchAll(placeholderPattern)].map((m) => m[1]!);
}

export interface TemplateProblem {
  field: 'subject' | 'body';
  message: string;
}

/** What makes a template text unusable on its channel; empty when it may be saved. */
export function templateProblems(channel: Channel, content: TemplateContent): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const allowed = new Set<string>(templatePlaceholders);
  for (const field of ['subject', 'body'] as const) {
    const unknown = [...new Set(placeholdersIn(content[field]).filter((name) => !allowed.has(name)))];
    if (unknown.length) problems.push({ field, message: `unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => `{${n}}`).join(', ')}; use ${templatePlaceholders.map((n) => `{${n}}`).join(', ')}` });
  }
  if (!content.body.trim()) problems.push({ field: 'body', message: 'the body is empty' });
  if (content.body.length > bodyMaxLength) problems.push({ field: 'body', message: `the body is longer than ${bodyMaxLength} characters` });
  if (channel === 'email') {
    if (!content.subject.trim()) problems.push({ field: 'subject', message: 'an email needs a subject' });
    if (content.subject.length > subjectMaxLength) problems.push({ field: 'subject', message: `the subject is longer than ${subjectMaxLength} characters` });
  } else if (content.subject.trim()) {
    problems.push({ field: 'subject', message: `${channel === 'sms' ? 'an SMS' : 'a letter'} has no subject; leave it empty` });
  }
  if (channel === 'sms') {
    // Measured as sent: placeholders filled with the sample values, the opt-out line appended.
    const length = renderTemplate({ subject: '', body: content.body }, 'sms', sampleTemplateVariables).sent.body.length;
    if (length > smsMaxLength) problems.push({ field: 'body', message: `the SMS is ${length} characters as sent (with sample values and the opt-out line); the limit is ${smsMaxLength}` });
  }
  return problems;
}

export interface RenderedMessage {
  subject: string | null;
  body: string;
  /** As the message pipeline sends it: with the channel's opt-out notice. */
  sent: { subject: string | null; body: string };
}

/** Fills the placeholders; an unknown one is left as written (validation refuses those on save). */
export function renderTemplate(content: TemplateContent, channel: Channel, variables: TemplateVariables): RenderedMessage {
  const values = variables as unknown as Record<string, unknown>;
  const fill = (text: string) => text.replace(placeholderPattern, (whole, name: string) => ((templatePlaceholders as readonly string[]).includes(name) ? String(values[name] ?? '') : whole));
  const subject = channel === 'email' ? fill(content.subject) : null;
  const body = fill(content.body);
  return { subject, body, sent: { subject, body: withOptOutNotice(channel, body) } };
}

/** Renders a built-in template (tests and callers without a database). */
export function renderBuiltInTemplate(code: string, channel: Channel, tone: Tone, variables: TemplateVariables): RenderedMessage {
  const template = builtInTemplate(code, channel, tone);
  if (!template) throw new RangeError(`no ${channel} template ${code}`);
  return renderTemplate(template, channel, variables);
}
