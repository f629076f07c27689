// The port through which services start and notify case workflows. Starting is idempotent: the
// workflow ID is derived from the account and episode, and an existing run is reused.
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { CaseSnapshot } from '../domain/case-lifecycle.ts';
import { ServiceError } from './errors.ts';
import type { CaseWorkflowInput } from '../workflows/collection-case.ts';
import { caseSnapshotQuery, caseWorkflowType, contactFailedSignal, type ContactFailed, factsChangedSignal, paymentReceivedSignal, paymentReversedSignal, postponeRefused, postponeUpdate, promiseRefused, recordPromiseUpdate, type PostponeRequest, type PaymentReceived, type PaymentReversed, type PromiseAccepted, type PromiseRequest } from '../workflows/messages.ts';

export interface CaseWorkflows {
  startCase(workflowId: string, input: CaseWorkflowInput): Promise<void>;
  /** Signal-with-start: starts the case if it is not running, and tells it its facts changed. */
  reportCase(workflowId: string, input: CaseWorkflowInput): Promise<void>;
  notifyPayment(workflowId: string, payment: PaymentReceived): Promise<void>;
  /** Tells the open case a payment it counted was reversed. */
  notifyPaymentReversed(workflowId: string, reversal: PaymentReversed): Promise<void>;
  /** Tells the open case a contact failed (an undeliverable message). */
  notifyContactFailed(workflowId: string, failure: ContactFailed): Promise<void>;
  /** Tells the open case its facts changed (invoices adjusted, dispute resolved…): it re-reads them. */
  notifyFactsChanged(workflowId: string): Promise<void>;
  /** Asks the case to accept a promise; refusals come back as ServiceError('promise_refused') with the reasons. */
  recordPromise(workflowId: string, request: PromiseRequest): Promise<PromiseAccepted>;
  snapshot(workflowId: string): Promise<CaseSnapshot | null>;
  /** W4: the account comes back to the queue at `until`; refusals come back as ServiceError('postpone_refused'). */
  postpone(workflowId: string, request: PostponeRequest): Promise<{ until: string }>;
}

export function temporalCaseWorkflows(client: Client, taskQueue: string): CaseWorkflows {
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
    async notifyFactsChanged(workflowId) {
      await client.workflow.getHandle(workflowId).signal(factsChangedSignal, { reportedAt: new Date().toISOString() });
    },
    recordPromise: (workflowId, request) => refusedAs('promise_refused', promiseRefused, client.workflow.getHandle(workflowId).executeUpdate(recordPromiseUpdate, { args: [request] })),
    postpone: (workflowId, request) => refusedAs('postpone_refused', postponeRefused, client.workflow.getHandle(workflowId).executeUpdate(postponeUpdate, { args: [request] })),
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
