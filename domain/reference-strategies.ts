// Strategies that ship with the product. S5 is the reference strategy of the requirements and must
// run exactly as written: 5 days past due → email reminder; 15 days → a collector is asked to call;
// the customer promises to pay within 5 days; the promise broken (day 21) → service suspended and an
// email notice sent; the customer pays (day 25) → service resumed.
import type { StrategyDefinition } from './strategy.ts';

export const referenceStrategyS5: StrategyDefinition = {
  steps: [
    { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
    { id: 'call_task', stage: 'hard', trigger: { kind: 'days_past_due', days: 15 }, action: { kind: 'call_task', title: 'Call the customer about the overdue balance' } },
    { id: 'suspend_on_broken_promise', stage: 'hard', trigger: { kind: 'event', event: 'promise_broken' }, action: { kind: 'suspend_service' } },
    { id: 'suspension_notice', stage: 'hard', trigger: { kind: 'event', event: 'promise_broken' }, action: { kind: 'send_message', channel: 'email', template: 'suspension_notice' } },
    { id: 'resume_on_payment', stage: 'hard', trigger: { kind: 'event', event: 'paid_in_full' }, action: { kind: 'resume_service' } },
  ],
};

/**
 * S4 for low-risk retail debts: fully automated, nobody is asked to call or visit. Written reminders
 * by email and SMS, then suspension with its notice, and an external agency for what is still unpaid
 * after three months. A broken promise gets an SMS alert (C6). It takes no legal action.
 */
export const automatedLowRiskStrategy: StrategyDefinition = {
  steps: [
    { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 5 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
    { id: 'reminder_sms', stage: 'soft', trigger: { kind: 'days_past_due', days: 10 }, action: { kind: 'send_message', channel: 'sms', template: 'payment_reminder' } },
    { id: 'promise_broken_sms', stage: 'soft', trigger: { kind: 'event', event: 'promise_broken' }, action: { kind: 'send_message', channel: 'sms', template: 'promise_broken_alert' } },
    { id: 'suspend', stage: 'hard', trigger: { kind: 'days_past_due', days: 30 }, action: { kind: 'suspend_service' } },
    { id: 'suspension_notice', stage: 'hard', trigger: { kind: 'days_past_due', days: 30 }, action: { kind: 'send_message', channel: 'email', template: 'suspension_notice' } },
    { id: 'resume_on_payment', stage: 'hard', trigger: { kind: 'event', event: 'paid_in_full' }, action: { kind: 'resume_service' } },
    { id: 'agency', stage: 'pre_legal', trigger: { kind: 'days_past_due', days: 90 }, action: { kind: 'place_with_agency', agency: 'Acme Recoveries' } },
  ],
};

/**
 * A challenger for low-risk retail (S6): the same automated path, but a text message comes first, on
 * day 3, and the email follows on day 7. The demo's history ran it on a fifth of the segment's new cases.
 */
export const smsFirstLowRiskStrategy: StrategyDefinition = {
  steps: [
    { id: 'reminder_sms', stage: 'soft', trigger: { kind: 'days_past_due', days: 3 }, action: { kind: 'send_message', channel: 'sms', template: 'payment_reminder' } },
    { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 7 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
    ...automatedLowRiskStrategy.steps.filter((step) => step.id !== 'reminder_sms' && step.id !== 'reminder_email'),
  ],
};

/**
 * Corporate accounts (C2: their own order of steps; the templates' corporate tone): a person calls the
 * accounts-payable contact first, before anything is written; a written reminder follows, a second call,
 * suspension only on a broken promise, then a letter before action and a referral to legal (mixed, S4).
 */
export const corporateStrategy: StrategyDefinition = {
  steps: [
    { id: 'first_call', stage: 'soft', trigger: { kind: 'days_past_due', days: 3 }, action: { kind: 'call_task', title: 'Call the accounts-payable contact about the overdue invoices' } },
    { id: 'reminder_email', stage: 'soft', trigger: { kind: 'days_past_due', days: 10 }, action: { kind: 'send_message', channel: 'email', template: 'payment_reminder' } },
    { id: 'second_call', stage: 'hard', trigger: { kind: 'days_past_due', days: 20 }, action: { kind: 'call_task', title: 'Call the finance manager: agree a payment date' } },
    { id: 'promise_broken_sms', stage: 'hard', trigger: { kind: 'event', event: 'promise_broken' }, action: { kind: 'send_message', channel: 'sms', template: 'promise_broken_alert' } },
    { id: 'suspend_on_broken_promise', stage: 'hard', trigger: { kind: 'event', event: 'promise_broken' }, action: { kind: 'suspend_service' } },
    { id: 'suspension_notice', stage: 'hard', trigger: { kind: 'event', event: 'promise_broken' }, action: { kind: 'send_message', channel: 'email', template: 'suspension_notice' } },
    { id: 'resume_on_payment', stage: 'hard', trigger: { kind: 'event', event: 'paid_in_full' }, action: { kind: 'resume_service' } },
    { id: 'letter_before_action', stage: 'pre_legal', trigger: { kind: 'days_past_due', days: 45 }, action: { kind: 'send_message', channel: 'letter', template: 'legal_action_notice' } },
    { id: 'refer', stage: 'legal', trigger: { kind: 'days_past_due', days: 60 }, action: { kind: 'refer_to_legal' } },
  ],
};
