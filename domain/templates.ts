// Message templates with a tone per customer type (C2: retail and corporate are addressed
// differently). Rendering is pure; the opt-out notice is added by the message pipeline.
import type { Channel } from './contact-policy.ts';

export interface TemplateVariables {
  customerName: string;
  accountRef: string;
  balance: string;
  daysPastDue: number;
  promiseAmount?: string;
  promiseDate?: string;
}

interface Template {
  subject: string;
  body: string;
}

type Tone = 'retail' | 'corporate';

const templates: Record<string, Partial<Record<Channel, Record<Tone, Template>>>> = {
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
};

export function templateExists(key: string, channel: Channel): boolean {
  return Boolean(templates[key]?.[channel]);
}

export function renderTemplate(key: string, channel: Channel, tone: Tone, variables: TemplateVariables): { subject: string | null; body: string } {
  const template = templates[key]?.[channel]?.[tone];
  if (!template) throw new RangeError(`no ${channel} template ${key}`);
  const fill = (text: string) => text.replace(/\{(\w+)\}/g, (_m, name: string) => String((variables as unknown as Record<string, unknown>)[name] ?? ''));
  return { subject: channel === 'email' ? fill(template.subject) : null, body: fill(template.body) };
}
