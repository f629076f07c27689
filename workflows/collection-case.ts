// One durable workflow per delinquent account and episode. This first cut waits for payments and
// closes the case once the account is paid in full; the strategy engine (reminders by days past
// due, promises, suspension) extends this loop.
import { condition, continueAsNew, proxyActivities, setHandler, allHandlersFinished, workflowInfo } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/cases.ts';
import { isPaidInFull, type CaseInput, type CaseSnapshot } from '../domain/case-lifecycle.ts';
import { caseSnapshotQuery, paymentReceivedSignal, type PaymentReceived } from './messages.ts';

const caseActivities = proxyActivities<CaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export interface CaseWorkflowInput extends CaseInput {
  /** Carried across continue-as-new so that a long case keeps what it knew. */
  carried?: { paymentsSeen: number; balanceMinor: string };
}

export async function collectionCaseWorkflow(input: CaseWorkflowInput): Promise<CaseSnapshot> {
  const pendingPayments: PaymentReceived[] = [];
  // A payment can be signalled twice (a re-delivered API call); it counts once.
  const seenPaymentIds = new Set<string>();
  const snapshot: CaseSnapshot = {
    caseId: input.caseId,
    accountId: input.accountId,
    stage: 'soft',
    status: 'open',
    balanceMinor: input.carried?.balanceMinor ?? '0',
    closeReason: null,
    paymentsSeen: input.carried?.paymentsSeen ?? 0,
  };

  setHandler(paymentReceivedSignal, (payment) => {
    pendingPayments.push(payment);
  });
  setHandler(caseSnapshotQuery, () => snapshot);

  if (!input.carried) {
    const opened = await caseActivities.recordCaseOpened({ caseId: input.caseId, workflowId: workflowInfo().workflowId });
    snapshot.balanceMinor = opened.balanceMinor;
  }

  for (;;) {
    await condition(() => pendingPayments.length > 0 || workflowInfo().continueAsNewSuggested);
    while (pendingPayments.length > 0) {
      const payment = pendingPayments.shift()!;
      if (seenPaymentIds.has(payment.paymentId)) continue;
      seenPaymentIds.add(payment.paymentId);
      const { balanceMinor } = await caseActivities.recordPaymentOnCase({ caseId: input.caseId, paymentId: payment.paymentId });
      snapshot.paymentsSeen += 1;
      snapshot.balanceMinor = balanceMinor;
      if (isPaidInFull(BigInt(balanceMinor))) {
        await caseActivities.closeCase({ caseId: input.caseId, reason: 'paid' });
        await caseActivities.sendCaseClosedNotice({ caseId: input.caseId });
        snapshot.status = 'closed';
        snapshot.stage = 'closed';
        snapshot.closeReason = 'paid';
        return snapshot;
      }
    }
    if (workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof collectionCaseWorkflow>({
        ...input,
        carried: { paymentsSeen: snapshot.paymentsSeen, balanceMinor: snapshot.balanceMinor },
      });
    }
  }
}
