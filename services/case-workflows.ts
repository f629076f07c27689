// The port through which services start and notify case workflows. Starting is idempotent: the
// workflow ID is derived from the account and episode, and an existing run is reused.
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { CaseWorkflowInput } from '../workflows/collection-case.ts';
import { caseWorkflowType, paymentReceivedSignal, type PaymentReceived } from '../workflows/messages.ts';

export interface CaseWorkflows {
  startCase(workflowId: string, input: CaseWorkflowInput): Promise<void>;
  notifyPayment(workflowId: string, payment: PaymentReceived): Promise<void>;
}

export function temporalCaseWorkflows(client: Client, taskQueue: string): CaseWorkflows {
  return {
    async startCase(workflowId, input) {
      try {
        await client.workflow.start(caseWorkflowType, {
          workflowId,
          taskQueue,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (error) {
        // A closed run with this ID means the episode already ended: nothing to start.
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    },
    async notifyPayment(workflowId, payment) {
      await client.workflow.getHandle(workflowId).signal(paymentReceivedSignal, payment);
    },
  };
}
