// A collection strategy is data: ordered steps, each fired by days past due or by a case event,
// each belonging to a stage, each performing one action. This module defines the shape, validates a
// definition (unreachable or contradictory steps are refused) and answers, purely, which steps are
// due for a case's facts. The case workflow, the API and reports all use it.
import { z } from 'zod';
import { templateExists, type KnownTemplates } from './templates.ts';

export const stages = ['soft', 'hard', 'pre_legal', 'legal'] as const;
export type Stage = (typeof stages)[number];

export const caseEvents = ['promise_made', 'promise_kept', 'promise_broken', 'payment_received', 'partial_payment', 'paid_in_full', 'payment_reversed', 'dispute_opened', 'dispute_resolved', 'contact_failed', 'postponement_due', 'visit_completed', 'equipment_recovered'] as const;
export type CaseEvent = (typeof caseEvents)[number];

const trigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('days_past_due'), days: z.number().int().min(0).max(3650) }),
  /** `times`: for contact_failed, fire once the case has seen this many failed contacts (default 1). */
  z.object({ kind: z.literal('event'), event: z.enum(caseEvents), times: z.number().int().min(1).max(100).optional() }),
]);

const action = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('send_message'), channel: z.enum(['email', 'sms', 'letter']), template: z.string().min(1) }),
  z.object({ kind: z.literal('call_task'), title: z.string().min(1) }),
  z.object({ kind: z.literal('visit_task'), title: z.string().min(1) }),
  z.object({ kind: z.literal('note'), text: z.string().min(1) }),
  z.object({ kind: z.literal('suspend_service') }),
  z.object({ kind: z.literal('resume_service') }),
  z.object({ kind: z.literal('refer_to_legal') }),
  z.object({ kind: z.literal('blacklist_in_crm') }),
  /** A reminder for the account's collectors: a review task due `inDays` after the step runs (S3). */
  z.object({ kind: z.literal('reminder'), title: z.string().min(1), inDays: z.number().int().min(0).max(365).default(0) }),
  /** Report the debt to the credit bureaus (an `account.credit_report` webhook), once Reg F allows it (X1, domain/collection-gates.ts). */
  z.object({ kind: z.literal('report_to_credit_bureau') }),
  /** Hand the account to an outside collection agency (E6, S8): logged and sent as a webhook. */
  z.object({ kind: z.literal('place_with_agency'), agency: z.string().min(1).max(100) }),
  /** Write the open balance off (bad debt, E6): the invoices are written off and the case closes. */
  z.object({ kind: z.literal('write_off') }),
  /** End the case without payment, e.g. recalled by billing or settled elsewhere. */
  z.object({ kind: z.literal('close'), reason: z.enum(['settled', 'recalled']) }),
]);

/** Actions after which the case is over: no later step can run. */
export const endingActions = new Set(['write_off', 'close']);

export const strategyStepSchema = z.object({
  id: z.string().regex(/^[a-z0-9_-]{1,40}$/, 'lower-case letters, digits, - and _'),
  stage: z.enum(stages),
  trigger,
  action,
  /** Only when the balance is at least this many minor units. */
  minBalanceMinor: z.number().int().min(0).optional(),
  /** Only when the debtor can be reached on this channel (a contact that has not opted out). */
  requiresChannel: z.enum(['email', 'sms', 'letter', 'call']).optional(),
  /** Only when the account's segment attributes (reported by billing) have these values. */
  whenAttributes: z.record(z.string().min(1).max(40), z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/**
 * The shape and the structural rules of a definition. Whether its templates exist depends on what
 * admins have saved, so that is checked where the known templates are at hand (strategyProblems with
 * `templates`, services/strategies.ts); a stored definition keeps loading if a template is renamed.
 */
/**
 * A stored definition's shape: how a case reads the version it pinned. Only the shape is checked
 * there, so that a rule added to `strategyProblems` later refuses new versions without stopping the
 * cases already running an older one.
 */
export const storedStrategySchema = z.object({
  steps: z.array(strategyStepSchema).min(1).max(100),
  /** C6: days after a promised date (or an instalment's) that payment may still arrive before the promise counts as broken; 0 by default. */
  promiseGraceDays: z.number().int().min(0).max(14).optional(),
});

/** A definition an admin may publish: the shape, and nothing unreachable or contradictory (`strategyProblems`). */
export const strategyDefinitionSchema = storedStrategySchema
  .superRefine((definition, ctx) => {
    for (const problem of strategyProblems(definition)) ctx.addIssue({ code: 'custom', message: problem.message, path: ['steps', problem.index] });
  });

export type StrategyStep = z.infer<typeof strategyStepSchema>;
export type StrategyDefinition = { steps: StrategyStep[]; promiseGraceDays?: number | undefined };
export type StepAction = StrategyStep['action'];

/**
 * What makes a definition unusable: duplicate ids, stages going backwards as days advance, two
 * identical triggers doing the same thing; and, when `templates` is given, messages naming a
 * template that does not exist (built-in or saved by an admin).
 */
export function strategyProblems(definition: StrategyDefinition, templates?: KnownTemplates): Array<{ index: number; message: string }> {
  const problems: Array<{ index: number; message: string }> = [];
  const ids = new Set<string>();
  const seen = new Set<string>();
  let lastTimed: { days: number; stage: Stage } | null = null;
  let endsOnDay: { id: string; days: number } | null = null;
  definition.steps.forEach((step, index) => {
    if (ids.has(step.id)) problems.push({ index, message: `step id ${step.id} is used twice` });
    ids.add(step.id);
    const signature = JSON.stringify([step.trigger, step.action]);
    if (seen.has(signature)) problems.push({ index, message: `step ${step.id} repeats an earlier step's trigger and action` });
    seen.add(signature);
    if (step.trigger.kind === 'days_past_due') {
      if (lastTimed && step.trigger.days < lastTimed.days) problems.push({ index, message: `step ${step.id} (day ${step.trigger.days}) comes after a step on day ${lastTimed.days}: order timed steps by day` });
      if (lastTimed && stages.indexOf(step.stage) < stages.indexOf(lastTimed.stage)) problems.push({ index, message: `step ${step.id} goes back from stage ${lastTimed.stage} to ${step.stage}` });
      lastTimed = { days: step.trigger.days, stage: step.stage };
      if (endsOnDay && step.trigger.days >= endsOnDay.days) problems.push({ index, message: `step ${step.id} (day ${step.trigger.days}) can never run: step ${endsOnDay.id} ends the case on day ${endsOnDay.days}` });
      if (endingActions.has(step.action.kind) && !endsOnDay) endsOnDay = { id: step.id, days: step.trigger.days };
    }
    if (templates && step.action.kind === 'send_message' && !templateExists(step.action.template, step.action.channel, templates)) problems.push({ index, message: `step ${step.id}: there is no ${step.action.channel} template ${step.action.template}` });
    if (step.action.kind === 'resume_service' && step.trigger.kind === 'days_past_due') problems.push({ index, message: `step ${step.id} resumes service on a day count; resume on an event such as paid_in_full` });
    if (step.trigger.kind === 'event' && step.trigger.times !== undefined && step.trigger.event !== 'contact_failed') problems.push({ index, message: `step ${step.id}: "times" counts contact failures only; a ${step.trigger.event} step runs at every ${step.trigger.event.replaceAll('_', ' ')}` });
  });
  // The same moment may not both suspend and resume service: which wins would depend on step order.
  const serviceChanges = new Map<string, { suspend?: string; resume?: string }>();
  definition.steps.forEach((step) => {
    if (step.action.kind !== 'suspend_service' && step.action.kind !== 'resume_service') return;
    const moment = step.trigger.kind === 'event' ? `the event ${step.trigger.event}` : `day ${step.trigger.days}`;
    const entry = serviceChanges.get(moment) ?? {};
    entry[step.action.kind === 'suspend_service' ? 'suspend' : 'resume'] ??= step.id;
    serviceChanges.set(moment, entry);
  });
  for (const [moment, { suspend, resume }] of serviceChanges) {
    if (suspend && resume) problems.push({ index: definition.steps.findIndex((s) => s.id === resume), message: `steps ${suspend} and ${resume} both suspend and resume service on ${moment}` });
  }
  return problems;
}

export interface CaseFacts {
  daysPastDue: number;
  balanceMinor: bigint;
  /** Steps already carried out in this case (by id). */
  done: ReadonlySet<string>;
  /** While a promise to pay is pending, reminders (timed steps) are held (C6). */
  promisePending: boolean;
  /** A dispute covering the whole balance pauses the strategy (C7). */
  onHold: boolean;
  /** Channels on which the debtor can be reached; unknown (undefined) lets every channel guard pass. */
  channels?: ReadonlySet<string>;
  /** The account's segment attributes. */
  attributes?: Readonly<Record<string, unknown>>;
  /** Failed contacts seen by the case (bounced emails, undeliverable texts). */
  contactFailures?: number;
}

function guardPasses(step: StrategyStep, facts: CaseFacts): boolean {
  if (step.minBalanceMinor !== undefined && facts.balanceMinor < BigInt(step.minBalanceMinor)) return false;
  if (step.requiresChannel && facts.channels && !facts.channels.has(step.requiresChannel)) return false;
  if (step.whenAttributes && !Object.entries(step.whenAttributes).every(([key, value]) => facts.attributes?.[key] === value)) return false;
  if (step.trigger.kind === 'event' && step.trigger.event === 'contact_failed' && (facts.contactFailures ?? 0) < (step.trigger.times ?? 1)) return false;
  return true;
}

/** Timed steps whose day has come and that have not run yet, in strategy order. */
export function dueTimedSteps(definition: StrategyDefinition, facts: CaseFacts): StrategyStep[] {
  if (facts.promisePending || facts.onHold) return [];
  return definition.steps.filter((s) => s.trigger.kind === 'days_past_due' && s.trigger.days <= facts.daysPastDue && !facts.done.has(s.id) && guardPasses(s, facts));
}

/** Steps an event fires, each once per case (how cases started before `eventStepRuns` behave). */
export function stepsForEvent(definition: StrategyDefinition, event: CaseEvent, facts: CaseFacts): StrategyStep[] {
  return definition.steps.filter((s) => s.trigger.kind === 'event' && s.trigger.event === event && !facts.done.has(s.id) && guardPasses(s, facts));
}

/** The most times one event step runs in a case. */
export const maxEventStepRuns = 100;

/** The id of an event step's nth run: the step's own id first, then `id#2`, `id#3`… (its idempotency key follows). */
export const eventStepRunId = (stepId: string, n: number) => (n === 1 ? stepId : `${stepId}#${n}`);

/** The step an event step's run belongs to: `alert#3` → `alert`. */
export const stepIdOfRun = (runId: string) => runId.replace(/#\d+$/, '');

/**
 * The runs an occurrence of `event` makes: every step it triggers runs again at each occurrence (C6:
 * every broken promise gets its alert; every payment its note), under the next run id not yet done
 * nor waiting (`taken`: runs the contact policy deferred). A `contact_failed` step is a threshold
 * ("after N failures") and runs once.
 */
export function eventStepRuns(definition: StrategyDefinition, event: CaseEvent, facts: CaseFacts, taken: ReadonlySet<string> = new Set()): Array<{ step: StrategyStep; runId: string }> {
  const runs: Array<{ step: StrategyStep; runId: string }> = [];
  for (const step of definition.steps) {
    if (step.trigger.kind !== 'event' || step.trigger.event !== event || !guardPasses(step, facts)) continue;
    if (event === 'contact_failed') {
      if (!facts.done.has(step.id) && !taken.has(step.id)) runs.push({ step, runId: step.id });
      continue;
    }
    for (let n = 1; n <= maxEventStepRuns; n++) {
      const runId = eventStepRunId(step.id, n);
      if (facts.done.has(runId) || taken.has(runId)) continue;
      runs.push({ step, runId });
      break;
    }
  }
  return runs;
}

/** Timed steps whose day has come by `daysPastDue`: what a case that starts on this strategy today (or moves to it) counts as behind it. */
export function timedStepsPassed(definition: StrategyDefinition, daysPastDue: number): StrategyStep[] {
  return definition.steps.filter((s) => s.trigger.kind === 'days_past_due' && s.trigger.days <= daysPastDue);
}

/** The next timed step whose day is still to come. */
export function nextTimedStep(definition: StrategyDefinition, facts: Pick<CaseFacts, 'done' | 'daysPastDue'>): StrategyStep | null {
  return definition.steps.find((s) => s.trigger.kind === 'days_past_due' && !facts.done.has(s.id) && s.trigger.days > facts.daysPastDue) ?? null;
}

/** The stage a case is in: the stage of the latest step carried out, or the first stage. */
export function currentStage(definition: StrategyDefinition, done: ReadonlySet<string>): Stage {
  let stage: Stage = definition.steps[0]?.stage ?? 'soft';
  for (const step of definition.steps) if (done.has(step.id) && stages.indexOf(step.stage) > stages.indexOf(stage)) stage = step.stage;
  return stage;
}

/**
 * How many stages remain before legal action (C6), in this case's own strategy: the stages its steps
 * move through after the current one, up to the stage where it takes legal action (a `legal`-stage
 * step or a referral to legal); 0 once there. null when the strategy takes no legal action at all
 * (S5 suspends service and stops): "3 stages before legal" would promise what it never does.
 */
export function stagesBeforeLegal(definition: StrategyDefinition, stage: Stage): number | null {
  const legal = definition.steps.filter((s) => s.stage === 'legal' || s.action.kind === 'refer_to_legal').map((s) => stages.indexOf(s.stage));
  if (legal.length === 0) return null;
  const legalAt = Math.min(...legal);
  const current = stages.indexOf(stage);
  if (current >= legalAt) return 0;
  return new Set(definition.steps.map((s) => stages.indexOf(s.stage)).filter((i) => i > current && i <= legalAt)).size;
}

/** A step's action for people: "Email reminder", "Call task \"Call the customer\"". */
export function describeStepAction(action: StepAction): string {
  if (action.kind === 'send_message') return `${action.channel === 'sms' ? 'SMS' : action.channel === 'email' ? 'Email' : 'Letter'} ${action.template.replaceAll('_', ' ')}`;
  if (action.kind === 'call_task') return `Call task "${action.title}"`;
  if (action.kind === 'visit_task') return `Field visit "${action.title}"`;
  if (action.kind === 'refer_to_legal') return 'Referral to legal';
  if (action.kind === 'report_to_credit_bureau') return 'Credit bureau report';
  return action.kind.replaceAll('_', ' ');
}
