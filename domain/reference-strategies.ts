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
