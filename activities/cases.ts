// Activities of the case workflow: every side effect it has, each a thin call into services/.
import type { Db } from '../platform/db/client.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import type { CaseCloseReason } from '../domain/case-lifecycle.ts';
import * as cases from '../services/cases.ts';
import { sendCaseClosedNotice, type Senders } from '../services/case-notices.ts';

export interface CaseActivityDeps {
  db: Db;
  queues: MessageQueues;
  senders: Senders;
}

export function createCaseActivities({ db, queues, senders }: CaseActivityDeps) {
  return {
    recordCaseOpened: (input: { caseId: string; workflowId: string }) => cases.recordCaseOpened(db, input.caseId, input.workflowId),
    recordPaymentOnCase: (input: { caseId: string; paymentId: string }) => cases.recordPaymentOnCase(db, input.caseId, input.paymentId),
    closeCase: (input: { caseId: string; reason: CaseCloseReason }) => cases.closeCase(db, input.caseId, input.reason),
    sendCaseClosedNotice: (input: { caseId: string }) => sendCaseClosedNotice(db, queues, senders, input.caseId),
  };
}

export type CaseActivities = ReturnType<typeof createCaseActivities>;
