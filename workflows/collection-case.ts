// One durable workflow per delinquent account and episode, running its segment's strategy:
// wait until the next step's day (in the debtor's time zone), carry it out within contact hours,
// hold reminders while a promise to pay is pending, branch when a promise is broken, and close the
// case when the account is paid in full. State that outlives a run is carried across continue-as-new.
import { ApplicationFailure, allHandlersFinished, condition, continueAsNew, patched, proxyActivities, setHandler, uuid4, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/cases.ts';
import { caseDisposition, closeReasonFor, postponementProblem, type CaseInput, type CaseSnapshot, type PromiseState } from '../domain/case-lifecycle.ts';
import { daysPastDue, localDate } from '../domain/ageing.ts';
import { nextAllowedContactTime } from '../domain/contact-policy.ts';
import { contactsDebtor, localMidnight, stepDueAt, whenStepRuns } from '../domain/case-schedule.ts';
import { defaultPromiseRules, promiseBreakDate, promiseOutcome, promiseProblems } from '../domain/promises.ts';
import { currentStage, dueTimedSteps, nextTimedStep, stagesBeforeLegal, stepsForEvent, type CaseEvent, type StrategyDefinition, type StrategyStep } from '../domain/strategy.ts';
import { caseSnapshotQuery, factsChangedSignal, paymentReceivedSignal, postponeRefused, postponeUpdate, promiseRefused, recordPromiseUpdate, type PaymentReceived, type PostponeRequest } from './messages.ts';

const act = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface CaseWorkflowInput extends CaseInput {
  /** Carried across continue-as-new so that a long case keeps what it knew. */
  carried?: { paymentsSeen: number; seenPaymentIds: string[]; promise: PromiseState | null; postponement?: PostponeRequest | null };
}


export async function collectionCaseWorkflow(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  // Handlers are registered before the first await, so that queries, signals and updates that arrive
  // while the case is loading are answered or held, never refused.
  let strategy: StrategyDefinition = { steps: [] };
  let tz = 'UTC';
  let loaded = false;
  const done = new Set<string>();
  const seenPaymentIds = new Set<string>(input.carried?.seenPaymentIds ?? []);
  const pendingPayments: PaymentReceived[] = [];
  const state = {
    balanceMinor: 0n,
    disputedMinor: 0n,
    oldestDueDate: null as string | null,
    paymentsSeen: input.carried?.paymentsSeen ?? 0,
    serviceSuspended: false,
    promise: null as PromiseState | null,
    closed: false,
    closeReason: null as 'paid' | 'settled' | null,
    postponement: null as PostponeRequest | null,
    nextWake: null as Date | null,
    nextStep: null as StrategyStep | null,
  };
  const today = () => localDate(new Date(), tz);
  const dpd = () => daysPastDue(state.oldestDueDate, new Date(), tz);

  const snapshot = (): CaseSnapshot => ({
    ready: loaded,
    caseId: input.caseId,
    accountId: input.accountId,
    stage: state.closed ? 'closed' : currentStage(strategy, done),
    status: state.closed ? 'closed' : 'open',
    balanceMinor: state.balanceMinor.toString(),
    daysPastDue: dpd(),
    closeReason: state.closeReason,
    paymentsSeen: state.paymentsSeen,
    stepsDone: [...done],
    nextStep: state.nextStep && state.nextWake ? { id: state.nextStep.id, action: state.nextStep.action.kind, dueAt: state.nextWake.toISOString() } : null,
    stagesBeforeLegal: stagesBeforeLegal(currentStage(strategy, done)),
    promise: state.promise,
    serviceSuspended: state.serviceSuspended,
    disputedMinor: state.disputedMinor.toString(),
    postponedUntil: state.postponement?.until ?? null,
    hold: onHold() ? 'everything_disputed' : null,
  });
  function onHold() {
    return caseDisposition(state.balanceMinor, state.disputedMinor) === 'hold';
  }

  setHandler(paymentReceivedSignal, (payment) => {
    pendingPayments.push(payment);
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
      const breaksOn = promiseBreakDate(request);
      await act.savePromise({ caseId: input.caseId, promiseId, amountMinor: request.amountMinor, dueDate: request.dueDate, userId: request.userId });
      state.promise = { promiseId, amountMinor: request.amountMinor, dueDate: request.dueDate, breaksOn, paidSinceMinor: '0' };
      planNext(null); // reminders are held from now on: queries and the case page see it at once
      if (patched('record-progress-on-promise')) await recordProgressIfChanged();
      await runEvent('promise_made');
      return { promiseId, amountMinor: request.amountMinor, dueDate: request.dueDate, breaksOn };
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

  function promiseRequestProblems(request: { amountMinor: string; dueDate: string }): string | null {
    if (!/^\d+$/.test(request.amountMinor) || !/^\d{4}-\d{2}-\d{2}$/.test(request.dueDate)) return 'malformed';
    if (!loaded) return null;
    if (state.closed) return 'case_closed';
    if (state.promise) return 'promise_already_pending';
    const problems = promiseProblems({ amountMinor: BigInt(request.amountMinor), dueDate: request.dueDate }, { balanceMinor: state.balanceMinor, today: today() }, defaultPromiseRules);
    return problems.length ? problems.join(',') : null;
  }

  const context = await act.loadCaseContext({ caseId: input.caseId, workflowId: workflowInfo().workflowId });
  strategy = context.strategy;
  tz = context.timeZone;
  for (const id of context.stepsDone) done.add(id);
  state.balanceMinor = BigInt(context.balanceMinor);
  state.disputedMinor = BigInt(context.disputedMinor ?? '0');
  state.oldestDueDate = context.oldestDueDate;
  state.serviceSuspended = context.serviceSuspended;
  factsLoaded = factsRequested;
  state.postponement = input.carried?.postponement ?? null;
  state.promise = input.carried ? input.carried.promise : context.openPromise ? { ...context.openPromise, breaksOn: promiseBreakDate(context.openPromise), paidSinceMinor: '0' } : null;
  loaded = true;
  // What the read side already shows (from the context), so an unchanged case writes nothing.
  let recorded = JSON.stringify({ stage: context.stage, stepsDone: context.stepsDone, nextAction: context.nextAction, nextActionAt: context.nextActionAt });

  /** Writes stage, steps done and the next action to the case row, when they changed. */
  async function recordProgressIfChanged() {
    const progress = { caseId: input.caseId, stage: currentStage(strategy, done), stepsDone: [...done], nextAction: state.nextStep?.id ?? null, nextActionAt: state.nextWake?.toISOString() ?? null };
    const fingerprint = JSON.stringify({ stage: progress.stage, stepsDone: progress.stepsDone, nextAction: progress.nextAction, nextActionAt: progress.nextActionAt });
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
  }

  /** Runs one step, recording it as done first so a re-entry never repeats it. */
  async function runStep(step: StrategyStep) {
    done.add(step.id);
    await act.performStep({ caseId: input.caseId, stepId: step.id, action: step.action, daysPastDue: dpd() });
    if (step.action.kind === 'suspend_service') state.serviceSuspended = true;
    if (step.action.kind === 'resume_service') state.serviceSuspended = false;
  }

  async function runEvent(event: CaseEvent) {
    for (const step of stepsForEvent(strategy, event, facts())) await runStep(step);
  }

  const facts = () => ({ daysPastDue: dpd(), balanceMinor: state.balanceMinor, done, promisePending: state.promise !== null, onHold: onHold() });

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
      state.paymentsSeen += 1;
      if (state.promise) {
        const paid = BigInt(state.promise.paidSinceMinor) + (before > state.balanceMinor ? before - state.balanceMinor : 0n);
        state.promise = { ...state.promise, paidSinceMinor: paid.toString() };
      }
      await runEvent(caseDisposition(state.balanceMinor, state.disputedMinor) === 'close' ? 'paid_in_full' : 'partial_payment');
    }
  }

  async function settlePromise() {
    const promise = state.promise;
    if (!promise) return;
    const outcome = promiseOutcome({ amountMinor: BigInt(promise.amountMinor), dueDate: promise.dueDate }, BigInt(promise.paidSinceMinor), today(), defaultPromiseRules);
    if (outcome === 'pending') return;
    state.promise = null;
    await act.resolvePromise({ promiseId: promise.promiseId, outcome });
    await runEvent(outcome === 'kept' ? 'promise_kept' : 'promise_broken');
  }

  /** Carries out the timed steps whose day has come, within contact hours; a step outside them waits. */
  async function runDueSteps(): Promise<{ step: StrategyStep; until: Date } | null> {
    for (const step of dueTimedSteps(strategy, facts())) {
      if (contactsDebtor(step)) {
        const allowed = nextAllowedContactTime(new Date(), tz);
        if (allowed.getTime() > Date.now()) return { step, until: allowed }; // deferred, never dropped (X1)
      }
      await runStep(step);
    }
    return null;
  }

  /** The next thing to wake for: a deferred step, the next step's day, or a promise's break date. */
  function planNext(deferred: { step: StrategyStep; until: Date } | null): void {
    const candidates: Array<{ at: Date; step: StrategyStep | null }> = [];
    if (deferred) candidates.push({ at: deferred.until, step: deferred.step });
    const next = state.promise ? null : nextTimedStep(strategy, facts());
    // Cases started before this change planned contact steps at midnight; they keep doing so on replay.
    const planAtContactHours = patched('plan-contact-steps-at-contact-hours');
    const nextAt = next && state.oldestDueDate ? (planAtContactHours ? whenStepRuns(next, state.oldestDueDate, tz) : stepDueAt(next, state.oldestDueDate, tz)) : null;
    if (next && nextAt) candidates.push({ at: nextAt, step: next });
    if (state.promise) candidates.push({ at: localMidnight(state.promise.breaksOn, tz), step: null });
    if (state.postponement) candidates.push({ at: new Date(state.postponement.until), step: null });
    candidates.sort((a, b) => a.at.getTime() - b.at.getTime());
    const first = candidates[0];
    state.nextWake = first ? new Date(Math.max(Date.now(), first.at.getTime())) : null;
    state.nextStep = first?.step ?? null;
  }

  for (;;) {
    if (factsRequested > factsLoaded) {
      factsLoaded = factsRequested;
  state.postponement = input.carried?.postponement ?? null;
      const facts = await act.refreshCaseFacts({ caseId: input.caseId });
      state.balanceMinor = BigInt(facts.balanceMinor);
      state.disputedMinor = BigInt(facts.disputedMinor ?? '0');
      state.oldestDueDate = facts.oldestDueDate;
    }
    await applyPayments();
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
    planNext(await runDueSteps());

    await recordProgressIfChanged();

    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof collectionCaseWorkflow>({ ...input, carried: { paymentsSeen: state.paymentsSeen, seenPaymentIds: [...seenPaymentIds].slice(-200), promise: state.promise, postponement: state.postponement } });
    }
    const promiseAtStart = state.promise;
    const postponementAtStart = state.postponement;
    const somethingHappened = () => pendingPayments.length > 0 || factsRequested > factsLoaded || state.promise !== promiseAtStart || state.postponement !== postponementAtStart || workflowInfo().continueAsNewSuggested;
    if (state.nextWake) await condition(somethingHappened, Math.max(1, state.nextWake.getTime() - Date.now()));
    else await condition(somethingHappened);
  }
}
