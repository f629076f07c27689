// Carries out one strategy step's action for a case. Every action is idempotent on the key the
// workflow passes (case + step): a retried or replayed activity never sends, suspends or creates twice.
// Before acting, the law is asked (X1): the contact policy for a step that reaches the debtor, the
// collection gates for credit reporting and legal referral; a message records the first
// communication about the debt (which the validation notice follows).
import type { Db } from '../platform/db/client.ts';
import type { MessageQueues } from '../platform/messaging/queues.ts';
import { describeStepAction, type StepAction } from '../domain/strategy.ts';
import { renderEffectiveTemplate } from './templates.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { refreshCallDue } from './work-facts.ts';
import { auditedTransaction, recordAudit, systemActor } from './audit.ts';
import { queueMessage } from './messages.ts';
import type { Senders } from './case-notices.ts';
import { emitEvent, enqueueRecordedEvent, recordEvent } from './webhooks.ts';
import { lockAccount, refreshAccountBalance } from './balances.ts';
import { contactDecision, type ContactChannel } from '../domain/contact-rules.ts';
import { creditReportingDecision, legalReferralDecision, type GateDecision } from '../domain/collection-gates.ts';
import { isValidationNotice } from '../domain/validation-notice.ts';
import type { CaseCompliance } from '../domain/case-compliance.ts';
import { toDateOnly } from '../domain/ageing.ts';
import { contactFactsForAccount, contactPolicyForAccount } from './contact-policy.ts';
import { caseComplianceOf, gateFactsOf, recordFirstContact } from './case-compliance.ts';
import { recordValidationNotice, validationNoticeVariables, validationPeriodFor } from './validation-notices.ts';

export interface StepRequest {
  caseId: string;
  stepId: string;
  action: StepAction;
  daysPastDue: number;
  /** The workflow's time when it ran the step (ISO): the contact policy judges at that moment, not the activity's clock. */
  at?: string;
}

export type StepOutcome =
  /** `compliance`: the case's compliance facts after a message (the first communication may have been recorded). */
  | { status: 'done'; detail: string; compliance?: CaseCompliance }
  /** `blockedBy`: the law, not the debtor's wishes, stopped the step (X1: a time-barred debt). */
  | { status: 'skipped'; detail: string; blockedBy?: 'time_barred' }
  /** The contact policy (X1) holds the step until `until`; the workflow runs it again then. */
  | { status: 'deferred'; detail: string; until: string; explanation: string };

/** The channel a contact step uses, or null for steps that do not contact the debtor. */
function contactChannelOf(action: StepAction): ContactChannel | null {
  if (action.kind === 'send_message') return action.channel;
  if (action.kind === 'call_task') return 'call';
  if (action.kind === 'visit_task') return 'visit';
  return null;
}

export async function performStep(db: Db, queues: MessageQueues, senders: Senders, request: StepRequest): Promise<StepOutcome> {
  const idempotencyKey = `step:${request.caseId}:${request.stepId}`;
  const found = await db.collectionCase.findUniqueOrThrow({
    where: { id: request.caseId },
    include: { account: { include: { customer: { include: { contacts: { where: { optedOut: false }, orderBy: [{ isPrimary: 'desc' }, { createdAt: 'asc' }] } } } } } },
  });
  const account = found.account;
  const action = request.action;
  const channel = contactChannelOf(action);
  if (channel && !(await db.message.findUnique({ where: { idempotencyKey }, select: { id: true } })) && !(await db.task.findUnique({ where: { idempotencyKey }, select: { id: true } }))) {
    // Checked before acting, and only for a step not yet carried out: a retry after the act must not be refused.
    const at = request.at ? new Date(request.at) : new Date();
    const [policy, facts] = await Promise.all([contactPolicyForAccount(db, account.id), contactFactsForAccount(db, account.id, at, { debt: action.kind === 'send_message' })]);
    const decision = contactDecision({ channel, template: action.kind === 'send_message' ? action.template : undefined }, facts, policy, at);
    if (decision.kind === 'deferred') return { status: 'deferred', detail: decision.reason, until: decision.until.toISOString(), explanation: decision.explanation };
    if (decision.kind === 'blocked') {
      const written = await note(db, found.accountId, request.caseId, `${describeStepAction(action)} not carried out: ${decision.explanation}`, `${idempotencyKey}:blocked`);
      if (written) await recordBlocked(db, found.accountId, request, decision.reason, 'contact.blocked');
      return { status: 'skipped', detail: decision.reason, ...(decision.reason === 'time_barred' ? { blockedBy: 'time_barred' as const } : {}) };
    }
  }
  const gated = await askCollectionGate(db, request, idempotencyKey);
  if (gated) return gated;
  switch (action.kind) {
    case 'send_message': {
      const kinds = action.channel === 'email' ? ['email'] : action.channel === 'sms' ? ['mobile'] : ['address'];
      const contact = account.customer.contacts.find((c) => kinds.includes(c.kind));
      if (!contact) {
        await note(db, found.accountId, request.caseId, `No ${action.channel} contact on file: ${action.template.replaceAll('_', ' ')} not sent`);
        return { status: 'skipped', detail: `no ${action.channel} contact` };
      }
      const at = request.at ? new Date(request.at) : new Date();
      // The strategy sends the validation notice itself (as the first communication, say): no second one follows.
      const noticePeriodEndsOn = isValidationNotice(action.template) && action.channel !== 'sms' ? await validationPeriodFor(db, found.accountId, at) : null;
      const rendered = await renderEffectiveTemplate(db, action.template, action.channel, account.customer.type, {
        customerName: account.customer.name,
        accountRef: account.externalRef,
        balance: formatMinorUnits(account.balanceMinor, account.currency),
        daysPastDue: request.daysPastDue,
        ...(isValidationNotice(action.template) ? await validationNoticeVariables(db, found, senders, noticePeriodEndsOn) : {}),
      });
      const { messageId } = await queueMessage(db, queues, systemActor, {
        idempotencyKey,
        channel: action.channel,
        to: contact.value,
        from: action.channel === 'email' ? senders.email : action.channel === 'sms' ? senders.sms : 'Collections department',
        subject: rendered.subject,
        body: rendered.body,
        accountId: found.accountId,
        caseId: request.caseId,
      });
      // A message about the debt is a communication (X1): the first one starts the validation notice's clock.
      if (!found.firstContactAt) await auditedTransaction(db, (tx) => recordFirstContact(tx, systemActor, { caseId: request.caseId, accountId: found.accountId, at, how: `${action.channel} ${action.template}` }));
      if (noticePeriodEndsOn && action.channel !== 'sms') await recordValidationNotice(db, { caseId: request.caseId, accountId: found.accountId, channel: action.channel, sentAt: at, periodEndsOn: noticePeriodEndsOn, messageId });
      return { status: 'done', detail: `message ${messageId}`, compliance: await caseComplianceOf(db, request.caseId) };
    }
    case 'call_task':
    case 'visit_task': {
      const existing = await db.task.findUnique({ where: { idempotencyKey } });
      if (existing) return { status: 'done', detail: `task ${existing.id}` };
      const task = await auditedTransaction(db, async (tx) => {
        const created = await tx.task.create({ data: { idempotencyKey, accountId: found.accountId, caseId: request.caseId, branchId: account.branchId, kind: action.kind === 'call_task' ? 'call' : 'visit', title: action.title, dueAt: new Date() } });
        await tx.activity.create({ data: { accountId: found.accountId, caseId: request.caseId, kind: 'system', summary: `${action.kind === 'call_task' ? 'Call' : 'Field visit'} requested: ${action.title}` } });
        await recordAudit(tx, systemActor, { action: 'task.created', entityType: 'task', entityId: created.id, accountId: found.accountId, after: created });
        if (created.kind === 'call') await refreshCallDue(tx, found.accountId);
        return created;
      });
      return { status: 'done', detail: `task ${task.id}` };
    }
    case 'note':
      await note(db, found.accountId, request.caseId, action.text, idempotencyKey);
      return { status: 'done', detail: 'note added' };
    case 'suspend_service':
    case 'resume_service': {
      const target = action.kind === 'suspend_service' ? 'suspended' : 'active';
      const from = action.kind === 'suspend_service' ? 'active' : 'suspended';
      // The billing system carries out the service change (E5): its webhook is recorded with the change.
      const event = { event: target === 'suspended' ? ('service.suspend' as const) : ('service.resume' as const), key: idempotencyKey, account: { id: account.id, externalRef: account.externalRef }, caseId: request.caseId };
      if (account.serviceStatus !== from) {
        // Already as asked. If this step made it so (a retry after a crash before its webhook was queued), its webhook is queued now.
        if (account.serviceStatus === target && (await enqueueRecordedEvent(db, queues, event)).length > 0) return { status: 'done', detail: `service ${target}` };
        return { status: 'skipped', detail: `service is ${account.serviceStatus}` };
      }
      await auditedTransaction(db, async (tx) => {
        await tx.account.update({ where: { id: account.id }, data: { serviceStatus: target } });
        await tx.activity.create({ data: { accountId: account.id, caseId: request.caseId, kind: 'status_change', summary: target === 'suspended' ? 'Service suspended' : 'Service resumed' } });
        await recordAudit(tx, systemActor, { action: target === 'suspended' ? 'service.suspended' : 'service.resumed', entityType: 'account', entityId: account.id, accountId: account.id, before: { serviceStatus: from }, after: { serviceStatus: target } });
        await recordEvent(tx, event);
      });
      await enqueueRecordedEvent(db, queues, event);
      return { status: 'done', detail: `service ${target}` };
    }
    case 'blacklist_in_crm':
      await note(db, found.accountId, request.caseId, 'Blacklisting requested in the CRM', idempotencyKey);
      await emitEvent(db, queues, { event: 'account.blacklist', key: idempotencyKey, account: { id: account.id, externalRef: account.externalRef }, caseId: request.caseId });
      return { status: 'done', detail: 'blacklist requested' };
    case 'refer_to_legal':
      await note(db, found.accountId, request.caseId, 'Referred to the legal department', idempotencyKey);
      return { status: 'done', detail: 'referred to legal' };
    case 'report_to_credit_bureau': {
      const owed = formatMinorUnits(account.balanceMinor, account.currency);
      const written = await note(db, found.accountId, request.caseId, `Reported to the credit bureaus: ${owed} owed`, idempotencyKey);
      if (written) await auditedTransaction(db, (tx) => recordAudit(tx, systemActor, { action: 'account.credit_reported', entityType: 'account', entityId: account.id, accountId: account.id, after: { caseId: request.caseId, balanceMinor: account.balanceMinor, currency: account.currency } }));
      // The bureaus' furnishing (Metro 2 and the like) is another system's job: it hears of it by webhook.
      await emitEvent(db, queues, {
        event: 'account.credit_report',
        key: idempotencyKey,
        account: { id: account.id, externalRef: account.externalRef },
        caseId: request.caseId,
        data: { balanceMinor: account.balanceMinor.toString(), currency: account.currency, oldestDueDate: account.oldestDueDate ? toDateOnly(account.oldestDueDate) : null, firstContactAt: found.firstContactAt?.toISOString() ?? null, validationPeriodEndsOn: found.validationPeriodEndsOn ? toDateOnly(found.validationPeriodEndsOn) : null },
      });
      return { status: 'done', detail: 'reported to the credit bureaus' };
    }
    case 'reminder': {
      const existing = await db.task.findUnique({ where: { idempotencyKey } });
      if (existing) return { status: 'done', detail: `task ${existing.id}` };
      const at = request.at ? new Date(request.at) : new Date();
      const task = await auditedTransaction(db, async (tx) => {
        const created = await tx.task.create({ data: { idempotencyKey, accountId: found.accountId, caseId: request.caseId, branchId: account.branchId, kind: 'review', title: action.title, dueAt: new Date(at.getTime() + action.inDays * 86_400_000) } });
        await recordAudit(tx, systemActor, { action: 'task.created', entityType: 'task', entityId: created.id, accountId: found.accountId, after: created });
        if (created.kind === 'call') await refreshCallDue(tx, found.accountId);
        return created;
      });
      return { status: 'done', detail: `task ${task.id}` };
    }
    case 'place_with_agency': {
      const written = await note(db, found.accountId, request.caseId, `Placed with the collection agency ${action.agency}`, idempotencyKey);
      if (written) await auditedTransaction(db, (tx) => recordAudit(tx, systemActor, { action: 'case.placed_with_agency', entityType: 'collection_case', entityId: request.caseId, accountId: account.id, after: { agency: action.agency } }));
      await emitEvent(db, queues, { event: 'account.agency_placement', key: idempotencyKey, account: { id: account.id, externalRef: account.externalRef }, caseId: request.caseId, data: { agency: action.agency, balanceMinor: account.balanceMinor.toString(), currency: account.currency } });
      return { status: 'done', detail: `placed with ${action.agency}` };
    }
    case 'write_off': {
      const writtenOff = await auditedTransaction(db, async (tx) => {
        await lockAccount(tx, account.id);
        const open = await tx.invoice.findMany({ where: { accountId: account.id, status: { in: ['open', 'disputed'] }, openMinor: { gt: 0n } }, select: { id: true, externalRef: true, openMinor: true } });
        if (open.length === 0) return 0n;
        await tx.invoice.updateMany({ where: { id: { in: open.map((i) => i.id) } }, data: { status: 'written_off' } });
        const total = open.reduce((sum, i) => sum + i.openMinor, 0n);
        await refreshAccountBalance(tx, account.id);
        await tx.activity.create({ data: { accountId: account.id, caseId: request.caseId, kind: 'status_change', summary: `Written off: ${formatMinorUnits(total, account.currency)} (${open.map((i) => i.externalRef).join(', ')})` } });
        await recordAudit(tx, systemActor, { action: 'invoices.written_off', entityType: 'account', entityId: account.id, accountId: account.id, before: open, after: { status: 'written_off', totalMinor: total } });
        return total;
      });
      return { status: 'done', detail: `written off ${writtenOff}` };
    }
    case 'close':
      await note(db, found.accountId, request.caseId, `Case closed by the strategy: ${action.reason}`, idempotencyKey);
      return { status: 'done', detail: `close: ${action.reason}` };
  }
}

async function recordBlocked(db: Db, accountId: string, request: StepRequest, reason: string, action: 'contact.blocked' | 'compliance.blocked', explanation?: string): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    await recordAudit(tx, systemActor, { action, entityType: 'collection_case', entityId: request.caseId, accountId, after: { step: request.stepId, reason, ...(explanation ? { explanation } : {}) } });
  });
}

/**
 * Credit reporting and legal referral wait for the law (domain/collection-gates.ts): deferred with
 * the moment to look again and why, or blocked for good (a time-barred debt), logged and audited.
 * Asked only before the step is carried out, so that a retry after acting is never refused.
 */
async function askCollectionGate(db: Db, request: StepRequest, idempotencyKey: string): Promise<StepOutcome | null> {
  const kind = request.action.kind;
  if (kind !== 'refer_to_legal' && kind !== 'report_to_credit_bureau') return null;
  if ((await db.activity.count({ where: { caseId: request.caseId, kind: 'note', outcome: idempotencyKey } })) > 0) return null;
  const at = request.at ? new Date(request.at) : new Date();
  const { facts, creditReportingWaitDays } = await gateFactsOf(db, request.caseId, at);
  const decision: GateDecision = kind === 'report_to_credit_bureau' ? creditReportingDecision(facts, { creditReportingWaitDays }, at) : legalReferralDecision(facts, at);
  if (decision.kind === 'allowed') return null;
  if (decision.kind === 'deferred') return { status: 'deferred', detail: decision.reason, until: decision.until.toISOString(), explanation: decision.explanation };
  const accountId = (await db.collectionCase.findUniqueOrThrow({ where: { id: request.caseId }, select: { accountId: true } })).accountId;
  const written = await note(db, accountId, request.caseId, `${describeStepAction(request.action)} not carried out: ${decision.explanation}`, `${idempotencyKey}:blocked`);
  if (written) await recordBlocked(db, accountId, request, decision.reason, 'compliance.blocked', decision.explanation);
  return { status: 'skipped', detail: decision.reason, blockedBy: decision.reason };
}

/** Adds a note to the contact log, once per idempotency key; says whether it wrote one. */
async function note(db: Db, accountId: string, caseId: string, text: string, idempotencyKey?: string): Promise<boolean> {
  if (idempotencyKey && (await db.activity.count({ where: { caseId, kind: 'note', outcome: idempotencyKey } })) > 0) return false;
  await db.activity.create({ data: { accountId, caseId, kind: 'note', summary: text, outcome: idempotencyKey ?? null } });
  return true;
}

/** A postponed account comes back: a call task for the branch's collectors, once per postponement. */
export async function returnPostponedAccount(db: Db, input: { caseId: string; until: string; userId: string | null; reason: string | null }): Promise<{ taskId: string }> {
  const idempotencyKey = `postpone:${input.caseId}:${input.until}`;
  const existing = await db.task.findUnique({ where: { idempotencyKey } });
  if (existing) return { taskId: existing.id };
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: input.caseId }, include: { account: { select: { id: true, branchId: true } } } });
  const task = await auditedTransaction(db, async (tx) => {
    const created = await tx.task.create({ data: { idempotencyKey, accountId: found.account.id, caseId: input.caseId, branchId: found.account.branchId, kind: 'call', title: `Postponed call back${input.reason ? `: ${input.reason}` : ''}`, assigneeId: input.userId, dueAt: new Date(input.until) } });
    await tx.activity.create({ data: { accountId: found.account.id, caseId: input.caseId, kind: 'system', summary: 'Postponement over: the account is back in the queue' } });
    await recordAudit(tx, systemActor, { action: 'task.created', entityType: 'task', entityId: created.id, accountId: found.account.id, after: created });
    await refreshCallDue(tx, found.account.id);
    return created;
  });
  return { taskId: task.id };
}

export async function recordPostponement(db: Db, input: { caseId: string; until: string; userId: string | null; reason: string | null }): Promise<void> {
  const found = await db.collectionCase.findUniqueOrThrow({ where: { id: input.caseId }, select: { accountId: true } });
  const actor = input.userId ? { type: 'user' as const, id: input.userId } : systemActor;
  await auditedTransaction(db, async (tx) => {
    await tx.activity.create({ data: { accountId: found.accountId, caseId: input.caseId, userId: input.userId, kind: 'note', summary: `Postponed until ${input.until}${input.reason ? `: ${input.reason}` : ''}` } });
    // Out of the queues until then, and back to this collector first (W4; services/work-serving.ts).
    await tx.account.update({ where: { id: found.accountId }, data: { postponedUntil: new Date(input.until), postponedForId: input.userId } });
    await recordAudit(tx, actor, { action: 'case.postponed', entityType: 'collection_case', entityId: input.caseId, accountId: found.accountId, after: { until: input.until, reason: input.reason } });
  });
}
