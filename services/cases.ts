// What a case workflow reads from and records in PostgreSQL. Each operation is idempotent, because
// Temporal may run an activity more than once.
import type { Db } from '../platform/db/client.ts';
import { accountAfterCaseClosed, type CaseCloseReason, type CaseStage } from '../domain/case-lifecycle.ts';
import { storedStrategySchema, timedStepsPassed, type StrategyDefinition } from '../domain/strategy.ts';
import { referenceStrategyS5 } from '../domain/reference-strategies.ts';
import { daysPastDue, toDateOnly } from '../domain/ageing.ts';
import { strategyForNewCase } from './strategies.ts';
import { auditedTransaction, recordAudit, systemActor } from './audit.ts';
import { recordEvent } from './webhooks.ts';
import { disputedAmount } from './balances.ts';
import type { ContactWindow } from '../domain/contact-policy.ts';
import { contactPolicyForAccount, reachableChannelsOf } from './contact-policy.ts';
import type { CaseCompliance } from '../domain/case-compliance.ts';
import { caseComplianceOf } from './case-compliance.ts';

export interface CaseContext {
  strategy: StrategyDefinition;
  timeZone: string;
  oldestDueDate: string | null;
  balanceMinor: string;
  disputedMinor: string;
  stepsDone: string[];
  stage: CaseStage;
  nextAction: string | null;
  nextActionAt: string | null;
  nextActionNote: string | null;
  /** Contact hours from the policy in force for the debtor (jurisdiction and segment, X1). */
  contactWindow: ContactWindow;
  /** Channels on which the debtor can be reached now (a contact not opted out), for `requiresChannel` guards. */
  reachableChannels: string[];
  /** The account's segment attributes, for `whenAttributes` guards. */
  attributes: Record<string, unknown>;
  serviceSuspended: boolean;
  openPromise: { promiseId: string; amountMinor: string; dueDate: string } | null;
  /** First contact, validation notice, limitation (X1). Absent in histories recorded before it existed. */
  compliance?: CaseCompliance;
}

/** What the case re-reads after a payment or a changed report. */
export interface CaseFactsRead {
  balanceMinor: string;
  oldestDueDate: string | null;
  disputedMinor: string;
  /** A payment or a new invoice moves the limitation; a collector's contact starts the validation notice (X1). */
  compliance?: CaseCompliance;
}

/**
 * A case continuing as new whose strategy version was retired (replaced by a published one) moves to
 * the segment's published version — its own arm of it, as a new case would get — and takes the new
 * version's timed steps whose day has passed as done, so that only what lies ahead runs. A version
 * still active (a champion or challenger still running) is kept. Recorded on the case and audited.
 */
async function moveToPublishedVersion(db: Db, caseId: string, at: Date): Promise<void> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { strategy: true, account: { include: { customer: { select: { timeZone: true } } } } } });
  if (!found.strategy || found.strategy.status === 'active' || found.status !== 'open') return;
  const active = await db.strategy.findMany({ where: { segmentId: found.strategy.segmentId, status: 'active' } });
  const nextId = strategyForNewCase(found.accountId, active);
  const next = active.find((s) => s.id === nextId);
  if (!next) return;
  const definition = storedStrategySchema.parse(next.definition);
  const dpd = daysPastDue(found.account.oldestDueDate ? toDateOnly(found.account.oldestDueDate) : null, at, found.account.customer.timeZone);
  const passed = timedStepsPassed(definition, dpd).map((st) => st.id);
  const stepsDone = [...new Set([...found.stepsDone, ...passed])];
  await auditedTransaction(db, async (tx) => {
    await tx.collectionCase.update({ where: { id: caseId }, data: { strategyId: next.id, stepsDone } });
    await tx.activity.create({ data: { accountId: found.accountId, caseId, kind: 'system', summary: `Strategy moved from v${found.strategy!.version} ${found.strategy!.name} (retired) to v${next.version} ${next.name}; its steps up to day ${dpd} count as done` } });
    await recordAudit(tx, systemActor, { action: 'case.strategy_changed', entityType: 'collection_case', entityId: caseId, accountId: found.accountId, before: { strategyId: found.strategy!.id, version: found.strategy!.version }, after: { strategyId: next.id, version: next.version, stepsTakenAsDone: passed } });
  });
}

/**
 * Everything the workflow needs to (re)start: strategy version, facts, and what it already did. A run
 * that continues a case (`continued`) first moves it to the published version if its own was retired.
 */
export async function loadCaseContext(db: Db, caseId: string, workflowId: string, options: { continued?: boolean; at?: Date } = {}): Promise<CaseContext> {
  // `at`: the workflow's time, which judges the days past due (not the activity's clock).
  if (options.continued) await moveToPublishedVersion(db, caseId, options.at ?? new Date());
  const found = await db.collectionCase.findUniqueOrThrow({
    where: { id: caseId },
    include: {
      strategy: true,
      account: { include: { customer: { select: { timeZone: true } } } },
      promises: { where: { status: 'pending' }, orderBy: { createdAt: 'desc' }, take: 1 },
    },
  });
  if (found.workflowId !== workflowId) throw new Error(`case ${caseId} belongs to workflow ${found.workflowId}, not ${workflowId}`);
  const promise = found.promises[0];
  return {
    // A case without a strategy of its own runs the reference strategy.
    strategy: found.strategy ? storedStrategySchema.parse(found.strategy.definition) : referenceStrategyS5,
    timeZone: found.account.customer.timeZone,
    oldestDueDate: found.account.oldestDueDate ? toDateOnly(found.account.oldestDueDate) : null,
    balanceMinor: found.account.balanceMinor.toString(),
    disputedMinor: (await disputedAmount(db, found.accountId)).toString(),
    stepsDone: found.stepsDone,
    stage: found.stage,
    nextAction: found.nextAction,
    nextActionAt: found.nextActionAt?.toISOString() ?? null,
    nextActionNote: found.nextActionNote,
    contactWindow: (await contactPolicyForAccount(db, found.accountId)).window,
    reachableChannels: await reachableChannelsOf(db, found.accountId),
    attributes: (found.account.attributes ?? {}) as Record<string, unknown>,
    serviceSuspended: found.account.serviceStatus === 'suspended',
    openPromise: promise ? { promiseId: promise.id, amountMinor: promise.amountMinor.toString(), dueDate: toDateOnly(promise.dueDate) } : null,
    compliance: await caseComplianceOf(db, caseId),
  };
}

export async function recordPaymentOnCase(db: Db, caseId: string, paymentId: string): Promise<CaseFactsRead> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: { select: { id: true, balanceMinor: true, oldestDueDate: true } } } });
  const payment = await db.payment.findUnique({ where: { id: paymentId }, select: { accountId: true } });
  if (!payment || payment.accountId !== found.account.id) throw new Error(`payment ${paymentId} is not on this case's account`);
  return { balanceMinor: found.account.balanceMinor.toString(), oldestDueDate: found.account.oldestDueDate ? toDateOnly(found.account.oldestDueDate) : null, disputedMinor: (await disputedAmount(db, found.account.id)).toString(), compliance: await caseComplianceOf(db, caseId) };
}

/** The account's current balance and oldest open due date, after a billing report changed them. */
export async function refreshCaseFacts(db: Db, caseId: string): Promise<CaseFactsRead> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: { select: { id: true, balanceMinor: true, oldestDueDate: true } } } });
  return { balanceMinor: found.account.balanceMinor.toString(), oldestDueDate: found.account.oldestDueDate ? toDateOnly(found.account.oldestDueDate) : null, disputedMinor: (await disputedAmount(db, found.account.id)).toString(), compliance: await caseComplianceOf(db, caseId) };
}

/** The read side of the case: stage, steps done, and what comes next (for queues, pages, reports). */
export async function recordCaseProgress(db: Db, input: { caseId: string; stage: CaseStage; stepsDone: string[]; nextAction: string | null; nextActionAt: string | null; nextActionNote?: string | null }): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const before = await tx.collectionCase.findUniqueOrThrow({ where: { id: input.caseId }, select: { stage: true, accountId: true, status: true } });
    if (before.status === 'closed') return;
    await tx.collectionCase.update({
      where: { id: input.caseId },
      data: { stage: input.stage, stepsDone: input.stepsDone, nextAction: input.nextAction, nextActionAt: input.nextActionAt ? new Date(input.nextActionAt) : null, nextActionNote: input.nextActionNote ?? null },
    });
    if (before.stage !== input.stage) {
      await recordAudit(tx, systemActor, { action: 'case.stage_changed', entityType: 'collection_case', entityId: input.caseId, accountId: before.accountId, before: { stage: before.stage }, after: { stage: input.stage } });
      await tx.activity.create({ data: { accountId: before.accountId, caseId: input.caseId, kind: 'status_change', summary: `Case moved to the ${input.stage.replace('_', '-')} stage` } });
    }
  });
}

/** The key of the `service.resume` a case's closing sends when it lifts a suspension itself. */
export const caseClosedResumeKey = (caseId: string) => `case-closed-resume:${caseId}`;

export async function closeCase(db: Db, caseId: string, reason: CaseCloseReason): Promise<{ account: { id: string; externalRef: string } }> {
  return auditedTransaction(db, async (tx) => {
    const found = await tx.collectionCase.findUniqueOrThrow({ where: { id: caseId }, include: { account: true } });
    const account = { id: found.account.id, externalRef: found.account.externalRef };
    if (found.status === 'closed') return { account };
    const closed = await tx.collectionCase.update({
      where: { id: caseId },
      data: { status: 'closed', stage: 'closed', closeReason: reason, closedAt: new Date(), nextAction: null, nextActionAt: null },
    });
    const accountBefore = { status: found.account.status, serviceStatus: found.account.serviceStatus };
    const accountAfter = accountAfterCaseClosed(reason, accountBefore);
    await tx.account.update({ where: { id: found.accountId }, data: accountAfter });
    await tx.activity.create({ data: { accountId: found.accountId, caseId, kind: 'status_change', summary: `Case closed: ${reason === 'paid' ? 'paid in full' : reason.replace('_', ' ')}` } });
    if (accountBefore.serviceStatus === 'suspended' && accountAfter.serviceStatus === 'active') {
      // Lifted by the closing itself (no resume step ran): billing is told, as a strategy's resume step would (E5).
      await tx.activity.create({ data: { accountId: found.accountId, caseId, kind: 'status_change', summary: 'Service resumed' } });
      await recordEvent(tx, { event: 'service.resume', key: caseClosedResumeKey(caseId), account, caseId });
    }
    await recordAudit(tx, systemActor, { action: 'case.closed', entityType: 'collection_case', entityId: caseId, accountId: found.accountId, before: { status: found.status, stage: found.stage }, after: { status: closed.status, stage: closed.stage, closeReason: reason } });
    await recordAudit(tx, systemActor, { action: 'account.status_changed', entityType: 'account', entityId: found.accountId, accountId: found.accountId, before: accountBefore, after: accountAfter });
    return { account };
  });
}
