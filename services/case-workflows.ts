// The port through which services start and notify case workflows. Starting is idempotent: the
// workflow ID is derived from the account and episode, and an existing run is reused.
import { WorkflowClient, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { CasePause, CaseSnapshot } from '../domain/case-lifecycle.ts';
import { senderHeaderInterceptor } from './workflow-sender.ts';
import { ServiceError } from './errors.ts';
import type { CaseWorkflowInput } from '../workflows/collection-case.ts';
import { caseControlRefused, caseSnapshotQuery, caseWorkflowType, contactFailedSignal, type ContactFailed, fieldVisitRecordedSignal, type FieldVisitRecorded, factsChangedSignal, pauseCaseUpdate, paymentReceivedSignal, paymentReversedSignal, postponeRefused, postponeUpdate, promiseRefused, recordPromiseUpdate, resumeCaseUpdate, type PauseRequest, type PostponeRequest, type PaymentReceived, type PaymentReversed, type PromiseAccepted, type PromiseRequest, type ResumeRequest } from '../workflows/messages.ts';

export interface CaseWorkflows {
  startCase(workflowId: string, input: CaseWorkflowInput): Promise<void>;
  /** Signal-with-start: starts the case if it is not running, and tells it its facts changed. */
  reportCase(workflowId: string, input: CaseWorkflowInput): Promise<void>;
  notifyPayment(workflowId: string, payment: PaymentReceived): Promise<void>;
  /** Tells the open case a payment it counted was reversed. */
  notifyPaymentReversed(workflowId: string, reversal: PaymentReversed): Promise<void>;
  /** Tells the open case a contact failed (an undeliverable message). */
  notifyContactFailed(workflowId: string, failure: ContactFailed): Promise<void>;
  /** Tells the open case a field visit was recorded (deduplicated by the visit's ID). */
  notifyFieldVisit(workflowId: string, visit: FieldVisitRecorded): Promise<void>;
  /** Tells the open case its facts changed (invoices adjusted, dispute resolved…): it re-reads them. */
  notifyFactsChanged(workflowId: string): Promise<void>;
  /** Asks the case to accept a promise; refusals come back as ServiceError('promise_refused') with the reasons. */
  recordPromise(workflowId: string, request: PromiseRequest): Promise<PromiseAccepted>;
  snapshot(workflowId: string): Promise<CaseSnapshot | null>;
  /** W4: the account comes back to the queue at `until`; refusals come back as ServiceError('postpone_refused'). */
  postpone(workflowId: string, request: PostponeRequest): Promise<{ until: string }>;
  /** A supervisor pauses the case; refusals come back as ServiceError('already_paused' | 'case_closed'). */
  pause(workflowId: string, request: PauseRequest): Promise<CasePause>;
  /** The paused case goes on; refusals come back as ServiceError('not_paused' | 'case_closed'). */
  resume(workflowId: string, request: ResumeRequest): Promise<{ resumedAt: string; pausedSince: string }>;
  /** The runs of the case's workflow, first to latest (continue-as-new links them); empty if there is none. */
  runs(workflowId: string): Promise<WorkflowRun[]>;
  /** One run's whole event history. */
  runHistory(workflowId: string, runId: string): Promise<temporal.api.history.v1.IHistoryEvent[]>;
  /** Activities of a running run that are scheduled, running or waiting to retry. */
  pendingActivities(workflowId: string, runId: string): Promise<temporal.api.workflow.v1.IPendingActivityInfo[]>;
}

export interface WorkflowRun {
  runId: string;
  status: string;
  startedAt: string;
  closedAt: string | null;
  historyLength: number;
  /** The run this one continued from (continue-as-new), if any. */
  continuedFrom: string | null;
}

/** More runs than any case should have: the walk back along continue-as-new stops here. */
const maxRunsListed = 200;

export function temporalCaseWorkflows(temporalClient: Client, taskQueue: string): CaseWorkflows {
  // Every signal and update names who sent it (a header the history inspector reads back).
  const client = { workflow: new WorkflowClient({ connection: temporalClient.connection, namespace: temporalClient.options.namespace, dataConverter: temporalClient.options.dataConverter, interceptors: [senderHeaderInterceptor] }) };
  const namespace = temporalClient.options.namespace;
  const describe = (workflowId: string, runId?: string) => client.workflow.getHandle(workflowId, runId).describe();
  return {
    async startCase(workflowId, input) {
      await unlessEpisodeEnded(client.workflow.start(caseWorkflowType, { workflowId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'REJECT_DUPLICATE' }));
    },
    async reportCase(workflowId, input) {
      await unlessEpisodeEnded(
        client.workflow.signalWithStart(caseWorkflowType, { workflowId, taskQueue, args: [input], signal: factsChangedSignal, signalArgs: [{ reportedAt: new Date().toISOString() }], workflowIdReusePolicy: 'REJECT_DUPLICATE' }),
      );
    },
    async notifyPayment(workflowId, payment) {
      await client.workflow.getHandle(workflowId).signal(paymentReceivedSignal, payment);
    },
    async notifyPaymentReversed(workflowId, reversal) {
      await client.workflow.getHandle(workflowId).signal(paymentReversedSignal, reversal);
    },
    async notifyContactFailed(workflowId, failure) {
      await client.workflow.getHandle(workflowId).signal(contactFailedSignal, failure);
    },
    async notifyFieldVisit(workflowId, visit) {
      await client.workflow.getHandle(workflowId).signal(fieldVisitRecordedSignal, visit);
    },
    async notifyFactsChanged(workflowId) {
      await client.workflow.getHandle(workflowId).signal(factsChangedSignal, { reportedAt: new Date().toISOString() });
    },
    recordPromise: (workflowId, request) => refusedAs('promise_refused', promiseRefused, client.workflow.getHandle(workflowId).executeUpdate(recordPromiseUpdate, { args: [request] })),
    postpone: (workflowId, request) => refusedAs('postpone_refused', postponeRefused, client.workflow.getHandle(workflowId).executeUpdate(postponeUpdate, { args: [request] })),
    pause: (workflowId, request) => controlRefused(client.workflow.getHandle(workflowId).executeUpdate(pauseCaseUpdate, { args: [request] })),
    resume: (workflowId, request) => controlRefused(client.workflow.getHandle(workflowId).executeUpdate(resumeCaseUpdate, { args: [request] })),
    async runs(workflowId) {
      const runs: WorkflowRun[] = [];
      let runId: string | undefined;
      do {
        const description = await describe(workflowId, runId).catch((error: unknown) => {
          if (error instanceof WorkflowNotFoundError) return null; // never started: no runs
          throw error;
        });
        if (!description) break;
        // The run's first event says which run it continued from; one event is all that is read.
        const first = await temporalClient.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId, runId: description.runId }, maximumPageSize: 1 });
        const continuedFrom = first.history?.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || null;
        runs.unshift({ runId: description.runId, status: description.status.name, startedAt: description.startTime.toISOString(), closedAt: description.closeTime?.toISOString() ?? null, historyLength: description.historyLength, continuedFrom });
        runId = continuedFrom ?? undefined;
      } while (runId && runs.length < maxRunsListed);
      return runs;
    },
    async runHistory(workflowId, runId) {
      return (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    },
    async pendingActivities(workflowId, runId) {
      return (await describe(workflowId, runId)).raw.pendingActivities ?? [];
    },
    async snapshot(workflowId) {
      try {
        return await client.workflow.getHandle(workflowId).query(caseSnapshotQuery);
      } catch {
        return null; // closed long ago, or no worker to answer: the database row still tells the state
      }
    },
  };
}

/** A closed run with the case's workflow ID means its episode already ended: nothing to start or tell. */
async function unlessEpisodeEnded(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
  }
}

/** A pause or resume the case refused becomes a ServiceError with the problem as its code (409). */
async function controlRefused<T>(update: Promise<T>): Promise<T> {
  try {
    return await update;
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string; message?: string } | undefined) : undefined;
    if (cause?.type !== caseControlRefused) throw error;
    if (cause.message === 'already_paused' || cause.message === 'not_paused' || cause.message === 'case_closed') throw new ServiceError(cause.message, `the case refused: ${cause.message.replace('_', ' ')}`);
    throw new ServiceError('invalid_state', cause.message ?? 'refused');
  }
}

/** An update the case refused (its validator or handler failed with `failureType`) becomes a ServiceError with the reasons. */
async function refusedAs<T>(code: 'promise_refused' | 'postpone_refused', failureType: string, update: Promise<T>): Promise<T> {
  try {
    return await update;
  } catch (error) {
    const cause = error instanceof WorkflowUpdateFailedError ? (error.cause as { type?: string; message?: string } | undefined) : undefined;
    if (cause?.type === failureType) throw new ServiceError(code, cause.message ?? 'refused');
    throw error;
  }
}
