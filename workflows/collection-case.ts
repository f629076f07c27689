// One durable workflow per delinquent account and episode, running its segment's strategy:
// wait until the next step's day (in the debtor's time zone), carry it out within contact hours,
// hold reminders while a promise to pay is pending, branch when a promise is broken, and close the
// case when the account is paid in full. State that outlives a run is carried across continue-as-new.
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/cases.ts';
import { caseDisposition, closeReasonFor, pauseProblem, postponementProblem, resumeProblem, type CaseCloseReason, type CaseInput, type CasePause, type CaseSnapshot, type PromiseState } from '../domain/case-lifecycle.ts';
import { complianceView, validationNoticeDue, type CaseCompliance } from '../domain/case-compliance.ts';
import { daysPastDue, localDate } from '../domain/ageing.ts';
import { defaultContactWindow, nextAllowedContactTime, type ContactWindow } from '../domain/contact-policy.ts';
import { describeWindow } from '../domain/contact-rules.ts';
import { contactsDebtor, localMidnight, stepDueAt, whenStepRuns } from '../domain/case-schedule.ts';
import { defaultPlanRules, defaultPromiseRules, planProblems, planProgress, promiseBreakDate, promiseOutcome, promiseProblems, promiseRulesFor, type Instalment } from '../domain/promises.ts';
import { currentStage, dueTimedSteps, eventStepRuns, nextTimedStep, stagesBeforeLegal, stepIdOfRun, stepsForEvent, type CaseEvent, type StrategyDefinition, type StrategyStep } from '../domain/strategy.ts';
import { caseControlRefused, caseSnapshotQuery, contactFailedSignal, factsChangedSignal, fieldVisitRecordedSignal, pauseCaseUpdate, paymentReceivedSignal, paymentReversedSignal, postponeRefused, postponeUpdate, promiseRefused, recordPromiseUpdate, resumeCaseUpdate, type ContactFailed, type FieldVisitRecorded, type PaymentReceived, type PaymentReversed, type PostponeRequest, type PromiseRequest } from './messages.ts';

const act = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface CaseWorkflowInput extends CaseInput {
  /** Carried across continue-as-new so that a long case keeps what it knew. */
  /** Continue as new once the history has this many events (default: when Temporal suggests it). */
  continueAsNewAfterEvents?: number;
  carried?: { pendingVisits?: FieldVisitRecorded[]; seenVisitIds?: string[]; equipmentRecovered?: number; paymentsSeen: number; seenPaymentIds: string[]; promise: PromiseState | null; postponement?: PostponeRequest | null; deferredEventSteps?: DeferredStep[]; pendingPayments?: PaymentReceived[]; pendingReversals?: PaymentReversed[]; contactFailures?: number; seenFailureIds?: string[]; pendingFailures?: ContactFailed[]; paused?: CasePause | null; complianceBlocked?: string[] };
}

/** An event step the contact policy held back (X1): it runs at `until`, never dropped. */
interface DeferredStep {
  stepId: string;
  until: string;
  note: string;
}


export async function collectionCaseWorkflow(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  // Handlers are registered before the first await, so that queries, signals and updates that arrive
  // while the case is loading are answered or held, never refused.
  let strategy: StrategyDefinition = { steps: [] };
  let tz = 'UTC';
  let contactWindow: ContactWindow = defaultContactWindow;
  let loaded = false;
  // Cases started before the contact policy and payment reversals existed replay without these.
  const policyAware = patched('contact-policy-reversals-plans');
  // Event steps run at every occurrence of their event (a second broken promise gets its alert too);
  // cases started before ran each once, and replay so.
  const repeatEvents = patched('repeat-event-steps');
  const done = new Set<string>();
  const seenPaymentIds = new Set<string>(input.carried?.seenPaymentIds ?? []);
  // Signals that arrived while the last run was continuing as new are carried over, not lost.
  const pendingPayments: PaymentReceived[] = [...(input.carried?.pendingPayments ?? [])];
  const pendingReversals: PaymentReversed[] = [...(input.carried?.pendingReversals ?? [])];
  const deferredEventSteps: DeferredStep[] = [...(input.carried?.deferredEventSteps ?? [])];
  const pendingFailures: ContactFailed[] = [...(input.carried?.pendingFailures ?? [])];
  const pendingVisits: FieldVisitRecorded[] = [...(input.carried?.pendingVisits ?? [])];
  const seenVisitIds = new Set<string>(input.carried?.seenVisitIds ?? []);
  let equipmentRecovered = input.carried?.equipmentRecovered ?? 0;
  const seenFailureIds = new Set<string>(input.carried?.seenFailureIds ?? []);
  let contactFailures = input.carried?.contactFailures ?? 0;
  let reachableChannels: ReadonlySet<string> | undefined;
  let attributes: Readonly<Record<string, unknown>> | undefined;
  // X1: first contact, validation notice, limitation — as the activities last read them (null in runs recorded before).
  let compliance: CaseCompliance | null = null;
  let validationNoticeTried = false;
  /** Steps the law stopped (a time-barred debt): done, but they do not move the case's stage. */
  const complianceBlocked = new Set<string>(input.carried?.complianceBlocked ?? []);
  const state = {
    balanceMinor: 0n,
    disputedMinor: 0n,
    oldestDueDate: null as string | null,
    paymentsSeen: input.carried?.paymentsSeen ?? 0,
    serviceSuspended: false,
    promise: null as PromiseState | null,
    closed: false,
    closeReason: null as CaseCloseReason | null,
    /** A strategy step (write off, close) ended the case; it closes with this reason. */
    endRequested: null as 'written_off' | 'settled' | 'recalled' | null,
    postponement: null as PostponeRequest | null,
    nextWake: null as Date | null,
    nextStep: null as StrategyStep | null,
    /** Why the next step waits, when the contact policy deferred it. */
    nextNote: null as string | null,
    /** A supervisor's pause: no strategy step runs and nothing is sent until it is resumed. */
    paused: null as CasePause | null,
    /** While paused, the case still wakes for a promise's break day or a postponement's end. */
    pausedWake: null as Date | null,
  };
  const today = () => localDate(new Date(), tz);
  /** Time to continue as new: Temporal suggests it, or the history reached the input's limit. */
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || (input.continueAsNewAfterEvents !== undefined && workflowInfo().historyLength >= input.continueAsNewAfterEvents);
  const dpd = () => daysPastDue(state.oldestDueDate, new Date(), tz);
  const stageSteps = () => (complianceBlocked.size ? new Set([...done].filter((id) => !complianceBlocked.has(id))) : done);

  const snapshot = (): CaseSnapshot => ({
    ready: loaded,
    caseId: input.caseId,
    accountId: input.accountId,
    stage: state.closed ? 'closed' : currentStage(strategy, stageSteps()),
    status: state.closed ? 'closed' : 'open',
    balanceMinor: state.balanceMinor.toString(),
    daysPastDue: dpd(),
    closeReason: state.closeReason,
    paymentsSeen: state.paymentsSeen,
    stepsDone: [...done],
    nextStep: state.nextStep && state.nextWake ? { id: state.nextStep.id, action: state.nextStep.action.kind, dueAt: state.nextWake.toISOString(), ...(state.nextNote ? { note: state.nextNote } : {}) } : null,
    stagesBeforeLegal: stagesBeforeLegal(strategy, currentStage(strategy, stageSteps())),
    promise: state.promise,
    serviceSuspended: state.serviceSuspended,
    disputedMinor: state.disputedMinor.toString(),
    postponedUntil: state.postponement?.until ?? null,
    hold: onHold() ? 'everything_disputed' : null,
    paused: state.paused,
    compliance: compliance ? complianceView(compliance, today()) : null,
    ...(seenVisitIds.size ? { fieldVisits: seenVisitIds.size, equipmentRecovered } : {}),
  });
  function onHold() {
    return caseDisposition(state.balanceMinor, state.disputedMinor) === 'hold';
  }

  setHandler(paymentReceivedSignal, (payment) => {
    pendingPayments.push(payment);
  });
  setHandler(paymentReversedSignal, (reversal) => {
    pendingReversals.push(reversal);
  });
  setHandler(contactFailedSignal, (failure) => {
    pendingFailures.push(failure);
  });
  setHandler(fieldVisitRecordedSignal, (visit) => {
    pendingVisits.push(visit);
  });
  // Reports that arrive before the case has loaded are covered by the load itself.
  let factsRequested = 0;
  let factsLoaded = 0;
  setHandler(factsChangedSignal, () => {
    factsRequested += 1;
  });
  setHandler(caseSnapshotQuery, snapshot);
  setHandler(
    recordPromiseUpdate,
    async (request) => {
      await condition(() => loaded);
      const problems = promiseRequestProblems(request);
      if (problems) throw ApplicationFailure.nonRetryable(problems, promiseRefused);
      const promiseId = uuid4();
      const plan = request.instalments && request.instalments.length > 0 ? request.instalments : undefined;
      const amountMinor = plan ? plan.reduce((sum, i) => sum + BigInt(i.amountMinor), 0n).toString() : request.amountMinor;
      const dueDate = plan ? plan[plan.length - 1]!.dueDate : request.dueDate;
      const breaksOn = promiseBreakDate(plan ? plan[0]! : request, promiseRulesFor(strategy));
      await act.savePromise({ caseId: input.caseId, promiseId, amountMinor, dueDate, userId: request.userId, ...(plan ? { instalments: plan } : {}) });
      state.promise = { promiseId, amountMinor, dueDate, breaksOn, paidSinceMinor: '0', ...(plan ? { instalments: plan.map((i) => ({ ...i, status: 'pending' as const })) } : {}) };
      planNext(null); // reminders are held from now on: queries and the case page see it at once
      if (patched('record-progress-on-promise')) await recordProgressIfChanged();
      await runEvent('promise_made');
      return { promiseId, amountMinor, dueDate, breaksOn, ...(plan ? { instalments: plan } : {}) };
    },
    {
      // Rejected updates leave no trace in history; checks that need the loaded case run in the handler too.
      validator: (request) => {
        const problems = promiseRequestProblems(request);
        if (problems) throw ApplicationFailure.nonRetryable(problems, promiseRefused);
      },
    },
  );

  setHandler(
    postponeUpdate,
    async (request) => {
      await condition(() => loaded);
      if (state.closed) throw ApplicationFailure.nonRetryable('case_closed', postponeRefused);
      await act.recordPostponement({ caseId: input.caseId, until: request.until, userId: request.userId, reason: request.reason });
      state.postponement = request;
      planNext(null);
      return { until: request.until };
    },
    {
      validator: (request) => {
        const until = new Date(request.until);
        const problem = Number.isNaN(until.getTime()) ? 'malformed' : postponementProblem(until, new Date());
        if (problem) throw ApplicationFailure.nonRetryable(problem, postponeRefused);
      },
    },
  );

  // Pause and resume (the supervisor's control). Cases that were never paused never reach the
  // 'case-pause' marker, so their histories replay as they were recorded.
  setHandler(
    pauseCaseUpdate,
    async (request) => {
      await condition(() => loaded);
      const problem = pauseProblem(state);
      if (problem) throw ApplicationFailure.nonRetryable(problem, caseControlRefused);
      if (!patched('case-pause')) throw ApplicationFailure.nonRetryable('not_supported', caseControlRefused);
      // Paused before the record is written: a step the loop would start next is already held.
      state.paused = { since: new Date().toISOString(), by: request.by, reason: request.reason };
      planNext(null);
      await act.recordCasePaused({ caseId: input.caseId, ...state.paused });
      return state.paused;
    },
    {
      validator: (request) => {
        if (!request.reason?.trim()) throw ApplicationFailure.nonRetryable('reason_required', caseControlRefused);
        const problem = loaded ? pauseProblem(state) : null;
        if (problem) throw ApplicationFailure.nonRetryable(problem, caseControlRefused);
      },
    },
  );
  setHandler(
    resumeCaseUpdate,
    async (request) => {
      await condition(() => loaded);
      const problem = resumeProblem(state);
      if (problem) throw ApplicationFailure.nonRetryable(problem, caseControlRefused);
      const pause = state.paused!;
      state.paused = null;
      planNext(null);
      const resumedAt = new Date().toISOString();
      await act.recordCaseResumed({ caseId: input.caseId, by: request.by, resumedAt, pausedSince: pause.since, pauseReason: pause.reason });
      return { resumedAt, pausedSince: pause.since };
    },
    {
      validator: (_request) => {
        const problem = loaded ? resumeProblem(state) : null;
        if (problem) throw ApplicationFailure.nonRetryable(problem, caseControlRefused);
      },
    },
  );

  function promiseRequestProblems(request: PromiseRequest): string | null {
    const wellFormed = (p: { amountMinor: string; dueDate: string }) => /^\d+$/.test(p.amountMinor) && /^\d{4}-\d{2}-\d{2}$/.test(p.dueDate);
    const plan = request.instalments && request.instalments.length > 0 ? request.instalments : undefined;
    if (plan ? !plan.every(wellFormed) : !wellFormed(request)) return 'malformed';
    if (!loaded) return null;
    if (state.closed) return 'case_closed';
    if (state.promise) return 'promise_already_pending';
    const context = { balanceMinor: state.balanceMinor, today: today() };
    const problems = plan ? planProblems(toInstalments(plan), context, defaultPlanRules) : promiseProblems({ amountMinor: BigInt(request.amountMinor), dueDate: request.dueDate }, context, defaultPromiseRules);
    return problems.length ? problems.join(',') : null;
  }

  // A continued run takes the segment's published version if its own was retired (services/cases.ts).
  const context = await act.loadCaseContext({ caseId: input.caseId, workflowId: workflowInfo().workflowId, ...(input.carried ? { continued: true, at: new Date().toISOString() } : {}) });
  strategy = context.strategy;
  tz = context.timeZone;
  contactWindow = context.contactWindow ?? defaultContactWindow;
  reachableChannels = context.reachableChannels ? new Set(context.reachableChannels) : undefined;
  attributes = context.attributes;
  for (const id of context.stepsDone) done.add(id);
  state.balanceMinor = BigInt(context.balanceMinor);
  state.disputedMinor = BigInt(context.disputedMinor ?? '0');
  state.oldestDueDate = context.oldestDueDate;
  state.serviceSuspended = context.serviceSuspended;
  compliance = context.compliance ?? null;
  factsLoaded = factsRequested;
  state.postponement = input.carried?.postponement ?? null;
  // A case paused when it continued as new stays paused in the new run.
  if (input.carried?.paused && patched('case-pause')) state.paused = input.carried.paused;
  state.promise = input.carried ? input.carried.promise : context.openPromise ? { ...context.openPromise, breaksOn: promiseBreakDate(context.openPromise, promiseRulesFor(strategy)), paidSinceMinor: '0' } : null;
  loaded = true;
  // What the read side already shows (from the context), so an unchanged case writes nothing.
  let recorded = progressFingerprint({ stage: context.stage, stepsDone: context.stepsDone, nextAction: context.nextAction, nextActionAt: context.nextActionAt, nextActionNote: context.nextActionNote ?? null });

  /** Writes stage, steps done and the next action to the case row, when they changed. */
  async function recordProgressIfChanged() {
    const progress = { caseId: input.caseId, stage: currentStage(strategy, stageSteps()), stepsDone: [...done], nextAction: state.nextStep?.id ?? null, nextActionAt: state.nextWake?.toISOString() ?? null, nextActionNote: state.nextNote };
    const fingerprint = progressFingerprint(progress);
    if (fingerprint === recorded) return;
    recorded = fingerprint;
    await act.recordCaseProgress(progress);
  }

  /** A postponed account whose time has come goes back to the queue. */
  async function returnIfPostponementOver() {
    const postponement = state.postponement;
    if (!postponement || new Date(postponement.until).getTime() > Date.now()) return;
    state.postponement = null;
    await act.returnPostponedAccount({ caseId: input.caseId, until: postponement.until, userId: postponement.userId, reason: postponement.reason });
    if (policyAware) await runEvent('postponement_due');
  }

  /**
   * Runs one step, recording it as done first so a re-entry never repeats it. A step the contact
   * policy defers is not done: the answer says until when it waits, and why.
   */
  async function runStep(step: StrategyStep, runId: string = step.id): Promise<{ until: Date; note: string } | null> {
    // A paused case takes no step: it is held as if deferred, and runs once the case is resumed.
    if (state.paused) return { until: new Date(), note: pausedNote(state.paused) };
    done.add(runId);
    const outcome = await act.performStep({ caseId: input.caseId, stepId: runId, action: step.action, daysPastDue: dpd(), ...(policyAware ? { at: new Date().toISOString() } : {}) });
    if (outcome?.status === 'deferred') {
      done.delete(runId);
      // Never sooner than a minute from now, so that a clock disagreement cannot spin the case.
      return { until: new Date(Math.max(new Date(outcome.until).getTime(), Date.now() + 60_000)), note: outcome.explanation };
    }
    if (outcome?.status === 'done' && outcome.compliance) compliance = outcome.compliance;
    if (outcome?.status === 'skipped' && outcome.blockedBy) complianceBlocked.add(runId);
    if (step.action.kind === 'suspend_service') state.serviceSuspended = true;
    if (step.action.kind === 'resume_service') state.serviceSuspended = false;
    if (step.action.kind === 'write_off') state.endRequested = 'written_off';
    if (step.action.kind === 'close') state.endRequested = step.action.reason;
    return null;
  }

  async function runEvent(event: CaseEvent) {
    const runs = repeatEvents ? eventStepRuns(strategy, event, facts(), new Set(deferredEventSteps.map((d) => d.stepId))) : stepsForEvent(strategy, event, facts()).map((step) => ({ step, runId: step.id }));
    for (const { step, runId } of runs) {
      const deferred = await runStep(step, runId);
      if (deferred) deferredEventSteps.push({ stepId: runId, until: deferred.until.toISOString(), note: deferred.note });
    }
  }

  /** Event steps the contact policy held back, whose time has come (each tried again, in order). */
  async function runDeferredEventSteps() {
    const due = deferredEventSteps.filter((d) => new Date(d.until).getTime() <= Date.now());
    for (const item of due) {
      deferredEventSteps.splice(deferredEventSteps.indexOf(item), 1);
      const step = strategy.steps.find((s) => s.id === stepIdOfRun(item.stepId));
      if (!step || done.has(item.stepId)) continue;
      const deferred = await runStep(step, item.stepId);
      if (deferred) deferredEventSteps.push({ stepId: item.stepId, until: deferred.until.toISOString(), note: deferred.note });
    }
  }

  const facts = () => ({ daysPastDue: dpd(), balanceMinor: state.balanceMinor, done, promisePending: state.promise !== null, onHold: onHold(), channels: reachableChannels, attributes, contactFailures });

  async function applyPayments() {
    while (pendingPayments.length > 0) {
      const payment = pendingPayments.shift()!;
      if (seenPaymentIds.has(payment.paymentId)) continue;
      seenPaymentIds.add(payment.paymentId);
      const before = state.balanceMinor;
      const recorded = await act.recordPaymentOnCase({ caseId: input.caseId, paymentId: payment.paymentId });
      state.balanceMinor = BigInt(recorded.balanceMinor);
      state.disputedMinor = BigInt(recorded.disputedMinor ?? '0');
      state.oldestDueDate = recorded.oldestDueDate;
      rememberCompliance(recorded.compliance);
      state.paymentsSeen += 1;
      if (state.promise) {
        // The payment's own amount counts (older runs counted the balance's fall, which misses a payment the balance already showed).
        const counted = policyAware ? BigInt(payment.amountMinor) : before > state.balanceMinor ? before - state.balanceMinor : 0n;
        const paid = BigInt(state.promise.paidSinceMinor) + counted;
        state.promise = { ...state.promise, paidSinceMinor: paid.toString() };
      }
      if (policyAware) await runEvent('payment_received');
      await runEvent(caseDisposition(state.balanceMinor, state.disputedMinor) === 'close' ? 'paid_in_full' : 'partial_payment');
    }
  }

  async function settlePromise() {
    const promise = state.promise;
    if (!promise) return;
    if (promise.instalments) return settlePlan(promise, promise.instalments);
    const outcome = promiseOutcome({ amountMinor: BigInt(promise.amountMinor), dueDate: promise.dueDate }, BigInt(promise.paidSinceMinor), today(), promiseRulesFor(strategy));
    if (outcome === 'pending') return;
    state.promise = null;
    await act.resolvePromise({ promiseId: promise.promiseId, outcome });
    await runEvent(outcome === 'kept' ? 'promise_kept' : 'promise_broken');
  }

  /** An instalment plan: kept when all are covered, broken at the first instalment missed. */
  async function settlePlan(promise: PromiseState, instalments: NonNullable<PromiseState['instalments']>) {
    const progress = planProgress(toInstalments(instalments), BigInt(promise.paidSinceMinor), today(), promiseRulesFor(strategy));
    const updated = instalments.map((i, k) => ({ ...i, status: progress.statuses[k]! }));
    if (progress.outcome === 'pending') {
      state.promise = { ...promise, instalments: updated, breaksOn: progress.nextBreaksOn ?? promise.breaksOn };
      return;
    }
    state.promise = null;
    await act.resolvePromise({ promiseId: promise.promiseId, outcome: progress.outcome, instalmentStatuses: progress.statuses });
    await runEvent(progress.outcome === 'kept' ? 'promise_kept' : 'promise_broken');
  }

  /** Failed contacts count up; steps on `contact_failed` fire once the count reaches their `times`. */
  async function applyContactFailures() {
    while (pendingFailures.length > 0) {
      const failure = pendingFailures.shift()!;
      if (failure.messageId) {
        if (seenFailureIds.has(failure.messageId)) continue;
        seenFailureIds.add(failure.messageId);
      }
      contactFailures += 1;
      await runEvent('contact_failed');
    }
  }

  /**
   * Field visits (F5): a visit that did not find the debtor is a failed contact; recovered equipment
   * and the visit itself are events a strategy may act on. Only cases that received a visit reach the
   * 'field-visits' marker, so older histories replay unchanged.
   */
  async function applyFieldVisits() {
    while (pendingVisits.length > 0 && patched('field-visits')) {
      const visit = pendingVisits.shift()!;
      if (seenVisitIds.has(visit.visitId)) continue;
      seenVisitIds.add(visit.visitId);
      if (visit.failedContact) {
        contactFailures += 1;
        await runEvent('contact_failed');
      }
      if (visit.equipmentUnits > 0) {
        equipmentRecovered += visit.equipmentUnits;
        await runEvent('equipment_recovered');
      }
      await runEvent('visit_completed');
    }
  }

  /** A reversed payment (bounced cheque): the balance it paid is owed again, and no longer counts towards a promise. */
  async function applyReversals() {
    while (pendingReversals.length > 0) {
      const reversal = pendingReversals.shift()!;
      const facts = await act.refreshCaseFacts({ caseId: input.caseId });
      state.balanceMinor = BigInt(facts.balanceMinor);
      state.disputedMinor = BigInt(facts.disputedMinor ?? '0');
      state.oldestDueDate = facts.oldestDueDate;
      rememberCompliance(facts.compliance);
      if (state.promise && seenPaymentIds.has(reversal.paymentId)) {
        const paid = BigInt(state.promise.paidSinceMinor) - BigInt(reversal.amountMinor);
        state.promise = { ...state.promise, paidSinceMinor: (paid > 0n ? paid : 0n).toString() };
      }
      await runEvent('payment_reversed');
    }
  }

  /**
   * Carries out the timed steps whose day has come, in order. A contact step waits for contact
   * hours, and for anything else the contact policy says (attempt caps, a recent conversation):
   * deferred and explained, never dropped (X1). Later steps wait behind it.
   */
  async function runDueSteps(): Promise<{ step: StrategyStep; until: Date; note: string | null } | null> {
    for (const step of dueTimedSteps(strategy, facts())) {
      if (contactsDebtor(step)) {
        const allowed = nextAllowedContactTime(new Date(), tz, contactWindow);
        if (allowed.getTime() > Date.now()) return { step, until: allowed, note: policyAware ? `Outside contact hours (${describeWindow(contactWindow)})` : null };
      }
      const deferred = await runStep(step);
      if (deferred) return { step, ...deferred };
    }
    return null;
  }

  /** The next thing to wake for: a deferred step, the next step's day, or a promise's break date. */
  function planNext(deferred: { step: StrategyStep; until: Date; note: string | null } | null): void {
    const candidates: Array<{ at: Date; step: StrategyStep | null; note?: string | null }> = [];
    if (deferred) candidates.push({ at: deferred.until, step: deferred.step, note: deferred.note });
    for (const held of deferredEventSteps) candidates.push({ at: new Date(held.until), step: strategy.steps.find((s) => s.id === stepIdOfRun(held.stepId)) ?? null, note: held.note });
    const next = state.promise ? null : nextTimedStep(strategy, facts());
    // Cases started before this change planned contact steps at midnight; they keep doing so on replay.
    const planAtContactHours = patched('plan-contact-steps-at-contact-hours');
    const nextAt = next && state.oldestDueDate ? (planAtContactHours ? whenStepRuns(next, state.oldestDueDate, tz, contactWindow) : stepDueAt(next, state.oldestDueDate, tz)) : null;
    if (next && nextAt) candidates.push({ at: nextAt, step: next });
    if (state.promise) candidates.push({ at: localMidnight(state.promise.breaksOn, tz), step: null });
    if (state.postponement) candidates.push({ at: new Date(state.postponement.until), step: null });
    candidates.sort((a, b) => a.at.getTime() - b.at.getTime());
    const first = candidates[0];
    state.nextWake = first ? new Date(Math.max(Date.now(), first.at.getTime())) : null;
    state.nextStep = first?.step ?? null;
    state.nextNote = first?.note ?? null;
    if (state.paused) {
      // Steps wait for the resume; a promise's break day or a postponement's end still wakes the case.
      const wake = candidates.find((c) => c.step === null);
      state.pausedWake = wake ? new Date(Math.max(Date.now(), wake.at.getTime())) : null;
      state.nextNote = pausedNote(state.paused);
    }
  }

  /** Fresh compliance facts from an activity; a new read may make a validation notice sendable (a contact added, say). */
  function rememberCompliance(read: CaseCompliance | undefined) {
    if (!read) return;
    compliance = read;
    validationNoticeTried = false;
  }

  /**
   * Reg F §1006.34 (X1): once the debtor has been communicated with about the debt (a step's message,
   * or a collector's conversation the API reports as changed facts), the validation notice goes out,
   * unless that communication was the notice itself. Tried once per read of the facts: without an
   * email or postal address it waits for a change. It goes out even while the case is paused: the
   * law's five days run from a communication that already happened.
   */
  async function sendValidationNoticeIfDue() {
    if (!compliance || validationNoticeTried || !validationNoticeDue(compliance)) return;
    if (!patched('x1-validation-notice')) return;
    validationNoticeTried = true;
    compliance = (await act.sendValidationNotice({ caseId: input.caseId, at: new Date().toISOString() })).compliance;
  }

  /** A write-off or close step ended the case: no paid-in-full notice, just the closure and its webhook. */
  async function closeByStrategy(reason: 'written_off' | 'settled' | 'recalled'): Promise<CaseSnapshot> {
    state.closeReason = reason;
    await act.closeCase({ caseId: input.caseId, reason });
    state.closed = true;
    await condition(allHandlersFinished);
    return snapshot();
  }

  for (;;) {
    if (factsRequested > factsLoaded) {
      factsLoaded = factsRequested;
      // Before the fix, a billing report cleared a postponement made in this run; replays keep that.
      if (!patched('facts-keep-postponement')) state.postponement = input.carried?.postponement ?? null;
      const facts = await act.refreshCaseFacts({ caseId: input.caseId });
      const disputedBefore = state.disputedMinor;
      state.balanceMinor = BigInt(facts.balanceMinor);
      state.disputedMinor = BigInt(facts.disputedMinor ?? '0');
      state.oldestDueDate = facts.oldestDueDate;
      rememberCompliance(facts.compliance);
      if (policyAware && state.disputedMinor > disputedBefore) await runEvent('dispute_opened');
      if (policyAware && state.disputedMinor < disputedBefore) await runEvent('dispute_resolved');
    }
    await applyPayments();
    if (policyAware) await applyReversals();
    if (policyAware) await applyContactFailures();
    await applyFieldVisits();
    if (state.endRequested) return closeByStrategy(state.endRequested);
    if (caseDisposition(state.balanceMinor, state.disputedMinor) === 'close') {
      state.closeReason = closeReasonFor(state.paymentsSeen);
      await act.closeCase({ caseId: input.caseId, reason: state.closeReason });
      state.closed = true;
      await act.sendCaseClosedNotice({ caseId: input.caseId });
      await condition(allHandlersFinished);
      return snapshot();
    }
    await settlePromise();
    await returnIfPostponementOver();
    if (policyAware) await runDeferredEventSteps();
    planNext(await runDueSteps());
    if (state.endRequested) return closeByStrategy(state.endRequested);
    await sendValidationNoticeIfDue();

    await recordProgressIfChanged();

    if (historyIsLong()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof collectionCaseWorkflow>({ ...input, carried: { paymentsSeen: state.paymentsSeen, seenPaymentIds: [...seenPaymentIds].slice(-200), promise: state.promise, postponement: state.postponement, deferredEventSteps, pendingPayments, pendingReversals, contactFailures, seenFailureIds: [...seenFailureIds].slice(-200), ...(pendingFailures.length ? { pendingFailures } : {}), ...(pendingVisits.length || seenVisitIds.size || equipmentRecovered ? { pendingVisits, seenVisitIds: [...seenVisitIds].slice(-200), equipmentRecovered } : {}), ...(state.paused ? { paused: state.paused } : {}), ...(complianceBlocked.size ? { complianceBlocked: [...complianceBlocked] } : {}) } });
    }
    const promiseAtStart = state.promise;
    const postponementAtStart = state.postponement;
    const pausedAtStart = state.paused;
    const somethingHappened = () => pendingPayments.length > 0 || pendingReversals.length > 0 || pendingFailures.length > 0 || pendingVisits.length > 0 || factsRequested > factsLoaded || state.promise !== promiseAtStart || state.postponement !== postponementAtStart || state.paused !== pausedAtStart || historyIsLong();
    const wakeAt = state.paused ? state.pausedWake : state.nextWake;
    if (wakeAt) await condition(somethingHappened, Math.max(1, wakeAt.getTime() - Date.now()));
    else await condition(somethingHappened);
  }
}

function pausedNote(pause: CasePause): string {
  return `Paused by ${pause.by.name}: ${pause.reason}`;
}

function toInstalments(plan: ReadonlyArray<{ dueDate: string; amountMinor: string }>): Instalment[] {
  return plan.map((i) => ({ dueDate: i.dueDate, amountMinor: BigInt(i.amountMinor) }));
}

/** What the read side shows of the case's progress; the note only counts when there is one, so older runs replay unchanged. */
function progressFingerprint(p: { stage: string; stepsDone: string[]; nextAction: string | null; nextActionAt: string | null; nextActionNote: string | null }): string {
  return JSON.stringify({ stage: p.stage, stepsDone: p.stepsDone, nextAction: p.nextAction, nextActionAt: p.nextActionAt, ...(p.nextActionNote ? { nextActionNote: p.nextActionNote } : {}) });
}
