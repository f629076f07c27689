// Activities of the case workflow: every side effect it has, each a thin call into services/.
import type { Db } from '../platform/db/client.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import type { CaseCloseReason, CaseStage } from '../domain/case-lifecycle.ts';
import * as cases from '../services/cases.ts';
import * as promises from '../services/promises.ts';
import { performStep, recordPostponement, returnPostponedAccount, type StepRequest } from '../services/case-steps.ts';
import { sendCaseClosedNotice, type Senders } from '../services/case-notices.ts';
import { emitEvent, enqueueRecordedEvent } from '../services/webhooks.ts';
import { recordCasePaused, recordCaseResumed } from '../services/case-control.ts';
import { sendValidationNotice } from '../services/validation-notices.ts';

export interface CaseActivityDeps {
  db: Db;
  queues: MessageQueues;
  senders: Senders;
}

export function createCaseActivities({ db, queues, senders }: CaseActivityDeps) {
  return {
    loadCaseContext: (input: { caseId: string; workflowId: string; continued?: boolean; at?: string }) => cases.loadCaseContext(db, input.caseId, input.workflowId, { continued: input.continued ?? false, at: input.at ? new Date(input.at) : new Date() }),
    refreshCaseFacts: (input: { caseId: string }) => cases.refreshCaseFacts(db, input.caseId),
    recordPaymentOnCase: (input: { caseId: string; paymentId: string }) => cases.recordPaymentOnCase(db, input.caseId, input.paymentId),
    recordCaseProgress: (input: { caseId: string; stage: CaseStage; stepsDone: string[]; nextAction: string | null; nextActionAt: string | null; nextActionNote?: string | null }) => cases.recordCaseProgress(db, input),
    performStep: (input: StepRequest) => performStep(db, queues, senders, input),
    /** X1: the validation notice, once the first communication about the debt has gone out. */
    sendValidationNotice: (input: { caseId: string; at: string }) => sendValidationNotice(db, queues, senders, input),
    recordPostponement: (input: { caseId: string; until: string; userId: string | null; reason: string | null }) => recordPostponement(db, input),
    returnPostponedAccount: (input: { caseId: string; until: string; userId: string | null; reason: string | null }) => returnPostponedAccount(db, input),
    savePromise: (input: promises.NewPromise) => promises.savePromise(db, input),
    resolvePromise: (input: promises.PromiseResolution) => promises.resolvePromise(db, input),
    closeCase: async (input: { caseId: string; reason: CaseCloseReason }) => {
      const closed = await cases.closeCase(db, input.caseId, input.reason);
      await enqueueRecordedEvent(db, queues, { event: 'service.resume', key: cases.caseClosedResumeKey(input.caseId), account: closed.account });
      await emitEvent(db, queues, { event: 'case.closed', key: `case-closed:${input.caseId}`, account: closed.account, caseId: input.caseId, data: { reason: input.reason } });
    },
    sendCaseClosedNotice: (input: { caseId: string }) => sendCaseClosedNotice(db, queues, senders, input.caseId),
    recordCasePaused: (input: Parameters<typeof recordCasePaused>[1]) => recordCasePaused(db, input),
    recordCaseResumed: (input: Parameters<typeof recordCaseResumed>[1]) => recordCaseResumed(db, input),
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
