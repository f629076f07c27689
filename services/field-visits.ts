// Field visits reaching the server (F5, F6, F9): the phone's outbox is synced a visit at a time, each
// under the ID the phone gave it, so a visit sent twice (a lost answer, a double tap, a re-synced
// outbox) is recorded once and answered the same way. In order, for a new visit:
//   1. the visit is checked (domain/field-visits.ts) — a malformed one is sent back to the phone to fix;
//   2. a card payment is charged through the merchant's processor with the visit's ID as the
//      idempotency key (a processor outage sends the visit back to wait, nothing lost or doubled);
//   3. the visit, its equipment, the card's answer, the stop and the lead are written in one
//      audited transaction, with an entry in the account's contact log;
//   4. its effects follow, each idempotent on its own: the payment is posted (which tells the case),
//      a promise goes to the case (which may refuse it), and the case hears of the visit;
//   5. what the world did meanwhile (a payment at the office, the case closed, a lawyer on file…) is
//      flagged for a supervisor as conflicts. The rep's record is never dropped or overwritten.
// A repeat of a visit already recorded re-runs step 4 (finishing what a crash may have cut short) and
// returns the stored answer.
import type { Db } from '../platform/db/client.ts';
import { Prisma } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { isFailedVisit, reachedDebtor, syncConflicts, visitRestriction, visitProblems, visitSummary, type SyncConflict, type VisitProblem, type VisitRecord } from '../domain/field-visits.ts';
import { receiptNumberFor } from '../domain/receipts.ts';
import { nextAllowedContactTime } from '../domain/contact-policy.ts';
import { describeWindow } from '../domain/contact-rules.ts';
import { CardProcessorUnavailable, type CardChargeResult, type CardProcessor } from '../platform/payments/card-processor.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { requestPromise } from './case-requests.ts';
import { contactPolicyForAccount } from './contact-policy.ts';
import { ServiceError } from './errors.ts';
import { isWorkflowGone, postPayment } from './payments.ts';
import { recordFirstContact, validationNoticePending } from './case-compliance.ts';

export interface FieldSyncDeps {
  db: Db;
  workflows: CaseWorkflows;
  /** The merchant's card processor; without one, card payments wait on the phone. */
  cardProcessor: CardProcessor | null;
}

export type VisitSyncResult =
  | {
      clientVisitId: string;
      /** `recorded`: new; `duplicate`: recorded before, this is the same answer. */
      status: 'recorded' | 'duplicate';
      visitId: string;
      receiptNumber: string;
      paymentId: string | null;
      card: { status: 'approved' | 'declined'; brand: string | null; last4: string | null; processorRef: string | null; declineMessage: string | null } | null;
      promiseId: string | null;
      balanceAfterMinor: string;
      currency: string;
      conflicts: SyncConflict[];
    }
  | { clientVisitId: string; status: 'rejected'; problems: VisitProblem[] }
  | { clientVisitId: string; status: 'retry'; reason: string };

export interface SyncRequest {
  deviceId: string | null;
  visits: VisitRecord[];
}

/** Syncs a batch from a phone's outbox, in order; one visit's failure never stops the others. */
export async function syncFieldVisits(deps: FieldSyncDeps, principal: Principal, actor: Actor, request: SyncRequest, now = new Date()): Promise<{ results: VisitSyncResult[]; syncedAt: string }> {
  if (principal.kind !== 'user') throw new ServiceError('forbidden', 'field visits are recorded by field reps signed in on their phones');
  const results: VisitSyncResult[] = [];
  for (const visit of request.visits) results.push(await syncOne(deps, principal, actor, visit, request.deviceId, now));
  return { results, syncedAt: now.toISOString() };
}

async function syncOne(deps: FieldSyncDeps, principal: Extract<Principal, { kind: 'user' }>, actor: Actor, visit: VisitRecord, deviceId: string | null, now: Date): Promise<VisitSyncResult> {
  const clientVisitId = visit.clientVisitId;
  const problems = visitProblems(visit, now);
  if (problems.length) return { clientVisitId, status: 'rejected', problems };

  const existing = await deps.db.fieldVisit.findUnique({ where: { clientVisitId }, select: { id: true, repId: true } });
  if (existing) {
    if (existing.repId !== principal.id) return { clientVisitId, status: 'rejected', problems: [{ path: 'clientVisitId', code: 'taken', message: 'this visit ID belongs to another rep’s visit; the phone must generate a new one' }] };
    return completeVisit(deps, principal, actor, existing.id, 'duplicate');
  }

  const account = await deps.db.account.findUnique({
    where: { id: visit.accountId },
    select: { id: true, externalRef: true, branchId: true, currency: true, customer: { select: { timeZone: true, ceaseCommunicationAt: true, attorneyRepresentedAt: true } }, cases: { where: { status: 'open' }, select: { id: true } } },
  });
  if (!account || !canAccessBranch(principal, account.branchId)) return { clientVisitId, status: 'rejected', problems: [{ path: 'accountId', code: 'not_found', message: 'no such account in your branch' }] };
  const stop = visit.routeStopId ? await deps.db.routeStop.findUnique({ where: { id: visit.routeStopId }, select: { id: true, accountId: true, taskId: true, routeId: true, route: { select: { repId: true } } } }) : null;
  if (visit.routeStopId && (!stop || stop.accountId !== account.id)) return { clientVisitId, status: 'rejected', problems: [{ path: 'routeStopId', code: 'not_found', message: 'the route stop is not a stop at this account' }] };

  const receiptNumber = receiptNumberFor(clientVisitId);
  let charge: CardChargeResult | null = null;
  const card = visit.payment?.card;
  if (visit.payment && card) {
    if (!deps.cardProcessor) return { clientVisitId, status: 'retry', reason: 'card payments are not configured on the server; the visit waits on the phone' };
    try {
      charge = await deps.cardProcessor.charge({ encryptedCard: card.encrypted, keyId: card.keyId, amountMinor: visit.payment.amountMinor, currency: account.currency, idempotencyKey: clientVisitId, reference: receiptNumber });
    } catch (error) {
      // An outage waits on the phone; a request the processor refuses outright (a card it cannot read) goes back to the rep.
      if (error instanceof CardProcessorUnavailable && error.retryable) return { clientVisitId, status: 'retry', reason: error.message };
      if (error instanceof CardProcessorUnavailable) return { clientVisitId, status: 'rejected', problems: [{ path: 'payment.card', code: 'processor_refused', message: `${error.message}: take the card again` }] };
      throw error;
    }
  }

  const summary = visitSummary(visit, account.currency) + (charge?.status === 'declined' ? ' (card declined: nothing was charged)' : '');
  let visitId: string;
  try {
    visitId = await auditedTransaction(deps.db, async (tx) => {
      const created = await tx.fieldVisit.create({
        data: {
          clientVisitId,
          accountId: account.id,
          caseId: account.cases[0]?.id ?? null,
          routeId: stop?.routeId ?? null,
          routeStopId: stop?.id ?? null,
          repId: principal.id,
          branchId: account.branchId,
          deviceId,
          arrivedAt: visit.arrivedAt,
          departedAt: visit.departedAt ?? null,
          syncedAt: now,
          latitude: visit.location?.latitude ?? null,
          longitude: visit.location?.longitude ?? null,
          accuracyM: visit.location?.accuracyM ?? null,
          contactResult: visit.contactResult,
          paymentAmountMinor: visit.payment?.amountMinor ?? null,
          paymentMethod: visit.payment?.method ?? null,
          paymentReference: visit.payment?.reference?.trim() || null,
          promiseAmountMinor: visit.promise?.amountMinor ?? null,
          promiseDueDate: visit.promise ? new Date(`${visit.promise.dueDate}T00:00:00Z`) : null,
          retentionOffer: visit.retention?.offer.trim() ?? null,
          retentionOutcome: visit.retention?.outcome ?? null,
          notes: visit.notes?.trim() ?? '',
          signaturePng: visit.signature ? Uint8Array.from(visit.signature.png) : null,
          signedByName: visit.signature?.signedByName.trim() ?? null,
          receiptNumber,
          balanceSeenMinor: visit.balanceSeen?.amountMinor ?? null,
          balanceSeenAt: visit.balanceSeen?.asOf ?? null,
          currency: account.currency,
          summary,
          equipment: { create: (visit.equipment ?? []).map((e) => ({ accountId: account.id, repId: principal.id, type: e.type.trim(), serial: e.serial.trim().toUpperCase().replace(/\s+/g, ''), condition: e.condition?.trim() || null, returnedAt: visit.arrivedAt })) },
          cardCharge:
            charge && visit.payment
              ? { create: { processor: deps.cardProcessor!.name, processorRef: charge.processorRef, amountMinor: visit.payment.amountMinor, currency: account.currency, status: charge.status, brand: charge.brand ?? card?.brand ?? null, last4: charge.last4 ?? card?.last4 ?? null, declineCode: charge.status === 'declined' ? charge.declineCode : null, declineMessage: charge.status === 'declined' ? charge.declineMessage : null } }
              : undefined,
        },
      });
      if (stop) {
        await tx.routeStop.update({ where: { id: stop.id }, data: { status: 'visited' } });
        if (stop.taskId) await tx.task.updateMany({ where: { id: stop.taskId, status: 'open' }, data: { status: 'done', completedAt: now } });
        await refreshRouteStatus(tx, stop.routeId);
      }
      await tx.activity.create({ data: { accountId: account.id, caseId: account.cases[0]?.id ?? null, userId: principal.id, kind: 'visit', direction: 'outbound', outcome: visit.contactResult, summary, occurredAt: visit.arrivedAt } });
      // Speaking with the customer at the door is a communication about the debt (X1): the first one starts the validation notice.
      if (reachedDebtor(visit.contactResult) && account.cases[0]) await recordFirstContact(tx, actor, { caseId: account.cases[0].id, accountId: account.id, at: visit.arrivedAt, how: 'field visit (spoke with the customer)' });
      else if (reachedDebtor(visit.contactResult)) await tx.account.updateMany({ where: { id: account.id, firstContactAt: null }, data: { firstContactAt: visit.arrivedAt } });
      await recordAudit(tx, actor, {
        action: 'field.visit_recorded',
        entityType: 'field_visit',
        entityId: created.id,
        accountId: account.id,
        after: { clientVisitId, receiptNumber, contactResult: visit.contactResult, payment: visit.payment ? { amountMinor: visit.payment.amountMinor, method: visit.payment.method, reference: visit.payment.reference ?? null, card: charge ? { status: charge.status, processorRef: charge.processorRef } : null } : null, promise: visit.promise ?? null, equipment: visit.equipment ?? [], retention: visit.retention ?? null, routeStopId: stop?.id ?? null, deviceId },
      });
      return created.id;
    });
  } catch (error) {
    // The same visit from two syncs at once: the other one wrote it; answer as a repeat.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      const raced = await deps.db.fieldVisit.findUnique({ where: { clientVisitId }, select: { id: true } });
      if (raced) return completeVisit(deps, principal, actor, raced.id, 'duplicate');
    }
    throw error;
  }

  const seenAt = visit.balanceSeen?.asOf ?? null;
  const restriction = visitRestriction(account.customer);
  const policy = await contactPolicyForAccount(deps.db, account.id);
  const outsideHours = nextAllowedContactTime(visit.arrivedAt, account.customer.timeZone, policy.window).getTime() > visit.arrivedAt.getTime() ? describeWindow(policy.window) : null;
  const caseClosedMeanwhile = seenAt !== null && account.cases.length === 0 && (await deps.db.collectionCase.count({ where: { accountId: account.id, closedAt: { gt: seenAt } } })) > 0;
  return completeVisit(deps, principal, actor, visitId, 'recorded', { seenAt, routeReassigned: stop !== null && stop.route.repId !== principal.id, restriction, outsideHours, caseClosedMeanwhile });
}

interface ConflictInputs {
  seenAt: Date | null;
  routeReassigned: boolean;
  restriction: string | null;
  outsideHours: string | null;
  caseClosedMeanwhile: boolean;
}

/**
 * Carries out a recorded visit's effects, each idempotent: post its payment, put its promise to the
 * case, tell the case of the visit; on the first pass, record the conflicts found. Answers the phone.
 */
async function completeVisit(deps: FieldSyncDeps, principal: Extract<Principal, { kind: 'user' }>, actor: Actor, visitId: string, status: 'recorded' | 'duplicate', conflictInputs?: ConflictInputs): Promise<VisitSyncResult> {
  const { db, workflows } = deps;
  const visit = await loadCompleted(db, visitId);
  let paymentId = visit.paymentId;
  let creditFromVisit = 0n;
  const cardDeclined = visit.cardCharge?.status === 'declined';
  if (visit.paymentAmountMinor !== null && visit.paymentMethod !== null && !cardDeclined && paymentId === null) {
    const posted = await postPayment(db, workflows, principal, actor, { accountRef: visit.account.externalRef, externalRef: `field-visit:${visit.clientVisitId}`, amountMinor: visit.paymentAmountMinor, currency: visit.currency, method: visit.paymentMethod, source: 'field', receivedAt: visit.arrivedAt });
    paymentId = posted.paymentId;
    creditFromVisit = posted.unappliedMinor;
    await db.fieldVisit.update({ where: { id: visit.id }, data: { paymentId } });
  }

  const stored = (visit.conflicts as SyncConflict[] | null) ?? [];
  let promiseConflict: SyncConflict | null = null;
  let promiseId = visit.promiseId;
  const openCase = visit.account.cases[0] ?? null;
  if (visit.promiseAmountMinor !== null && visit.promiseDueDate !== null && promiseId === null && !stored.some((c) => c.code === 'promise_refused')) {
    try {
      const { accepted } = await requestPromise(db, workflows, principal, visit.accountId, { amountMinor: Number(visit.promiseAmountMinor), dueDate: visit.promiseDueDate.toISOString().slice(0, 10) });
      promiseId = accepted.promiseId;
      await db.fieldVisit.update({ where: { id: visit.id }, data: { promiseId } });
    } catch (error) {
      if (!(error instanceof ServiceError) || !['promise_refused', 'promise_already_pending', 'no_open_case'].includes(error.code)) throw error;
      const reasons = error.errors?.map((e) => e.message) ?? [error.code];
      promiseConflict = { code: 'promise_refused', message: `The case did not accept the promise: ${error.code === 'no_open_case' ? 'the account has no open case' : error.code === 'promise_already_pending' ? 'another promise is already pending' : reasons.join(', ').replace(/_/g, ' ')}`, reasons };
    }
  }

  if (openCase) await tellCase(workflows, openCase, visit);
  // The case re-reads its facts and sends the validation notice this conversation calls for (X1).
  if (openCase && reachedDebtor(visit.contactResult) && (await validationNoticePending(db, openCase.id))) {
    await workflows.notifyFactsChanged(openCase.workflowId).catch((error: unknown) => {
      if (!isWorkflowGone(error)) throw error;
    });
  }
  const conflicts = await recordFound(deps, actor, visit, conflictInputs, creditFromVisit, promiseConflict);
  return completeAnswer(db, visit, status, paymentId, promiseId, conflicts);
}

/**
 * Tells the case of the visit (it dedupes by the visit's ID). An open case whose workflow never
 * started (a restore, a start lost after its commit) is started and then told; one that finished
 * meanwhile (paid at the office) has nothing left to hear.
 */
async function tellCase(workflows: CaseWorkflows, openCase: { id: string; workflowId: string; episode: number }, visit: CompletedVisit): Promise<void> {
  const told = { visitId: visit.id, reachedDebtor: reachedDebtor(visit.contactResult), failedContact: isFailedVisit(visit.contactResult), equipmentUnits: visit._count.equipment };
  try {
    await workflows.notifyFieldVisit(openCase.workflowId, told);
  } catch (error) {
    if (error instanceof Error && error.name === 'WorkflowNotFoundError') {
      await workflows.startCase(openCase.workflowId, { caseId: openCase.id, accountId: visit.accountId, episode: openCase.episode, currency: visit.currency });
      await workflows.notifyFieldVisit(openCase.workflowId, told);
    } else if (!isWorkflowGone(error)) throw error;
  }
}

type CompletedVisit = Awaited<ReturnType<typeof loadCompleted>>;
function loadCompleted(db: Db, visitId: string) {
  return db.fieldVisit.findUniqueOrThrow({
    where: { id: visitId },
    include: { cardCharge: true, account: { select: { externalRef: true, cases: { where: { status: 'open' }, select: { id: true, workflowId: true, episode: true } } } }, _count: { select: { equipment: true } } },
  });
}

/** On the first pass, the conflicts found are stored on the visit and audited; the visit's conflicts so far are returned. */
async function recordFound(deps: FieldSyncDeps, actor: Actor, visit: CompletedVisit, conflictInputs: ConflictInputs | undefined, creditFromVisit: bigint, promiseConflict: SyncConflict | null): Promise<SyncConflict[]> {
  const { db } = deps;
  const stored = (visit.conflicts as SyncConflict[] | null) ?? [];
  let conflicts = stored;
  if (conflictInputs || promiseConflict) {
    const found: SyncConflict[] = [];
    if (conflictInputs) {
      const ownRef = `field-visit:${visit.clientVisitId}`;
      const meanwhile = conflictInputs.seenAt ? await db.payment.findMany({ where: { accountId: visit.accountId, status: 'posted', createdAt: { gt: conflictInputs.seenAt }, externalRef: { not: ownRef } }, orderBy: { receivedAt: 'asc' }, select: { externalRef: true, amountMinor: true, receivedAt: true, source: true } }) : [];
      found.push(...syncConflicts({ currency: visit.currency, paymentsSinceSeen: meanwhile, creditFromVisit, caseClosedMeanwhile: conflictInputs.caseClosedMeanwhile, routeReassigned: conflictInputs.routeReassigned, restriction: conflictInputs.restriction, outsideHours: conflictInputs.outsideHours }));
    }
    if (visit.cardCharge?.status === 'declined' && !stored.some((c) => c.code === 'card_declined')) found.push({ code: 'card_declined', message: `The card was declined (${visit.cardCharge.declineMessage ?? visit.cardCharge.declineCode}): nothing was charged; ask the customer for another way to pay`, declineCode: visit.cardCharge.declineCode ?? 'declined' });
    if (promiseConflict) found.push(promiseConflict);
    conflicts = [...stored, ...found];
    if (found.length) {
      await auditedTransaction(db, async (tx) => {
        await tx.fieldVisit.update({ where: { id: visit.id }, data: { conflicts: conflicts as unknown as Prisma.InputJsonValue, conflictStatus: 'open' } });
        await recordAudit(tx, actor, { action: 'field.visit_conflict', entityType: 'field_visit', entityId: visit.id, accountId: visit.accountId, after: { conflicts: found } });
      });
    }
  }

  return conflicts;
}

async function completeAnswer(db: Db, visit: CompletedVisit, status: 'recorded' | 'duplicate', paymentId: string | null, promiseId: string | null, conflicts: SyncConflict[]): Promise<VisitSyncResult> {
  const account = await db.account.findUniqueOrThrow({ where: { id: visit.accountId }, select: { balanceMinor: true } });
  const charge = visit.cardCharge;
  return {
    clientVisitId: visit.clientVisitId,
    status,
    visitId: visit.id,
    receiptNumber: visit.receiptNumber,
    paymentId,
    card: charge ? { status: charge.status, brand: charge.brand, last4: charge.last4, processorRef: charge.processorRef, declineMessage: charge.declineMessage } : null,
    promiseId,
    balanceAfterMinor: account.balanceMinor.toString(),
    currency: visit.currency,
    conflicts,
  };
}

/** A route is in progress from its first visit and completed when no stop is pending. */
async function refreshRouteStatus(tx: Prisma.TransactionClient, routeId: string): Promise<void> {
  const route = await tx.fieldRoute.findUniqueOrThrow({ where: { id: routeId }, select: { status: true } });
  if (route.status === 'cancelled') return;
  const pending = await tx.routeStop.count({ where: { routeId, status: 'pending' } });
  const status = pending === 0 ? 'completed' : 'in_progress';
  if (status !== route.status) await tx.fieldRoute.update({ where: { id: routeId }, data: { status } });
}

/** Conflicts waiting for a supervisor, in the caller's branches. */
export async function listVisitConflicts(db: Db, principal: Principal, filter: { status: 'open' | 'resolved'; page: number; pageSize: number }) {
  const where: Prisma.FieldVisitWhereInput = { conflictStatus: filter.status, ...(principal.branchId ? { branchId: principal.branchId } : {}) };
  const [total, visits] = await Promise.all([
    db.fieldVisit.count({ where }),
    db.fieldVisit.findMany({
      where,
      orderBy: { syncedAt: 'desc' },
      skip: (filter.page - 1) * filter.pageSize,
      take: filter.pageSize,
      select: { id: true, receiptNumber: true, arrivedAt: true, syncedAt: true, summary: true, conflicts: true, conflictStatus: true, conflictNote: true, conflictResolvedAt: true, currency: true, account: { select: { id: true, externalRef: true, customer: { select: { name: true } } } }, rep: { select: { id: true, name: true } } },
    }),
  ]);
  return { total, visits };
}

/** A supervisor settles a visit's conflicts with a note (what was done about them); audited. */
export async function resolveVisitConflict(db: Db, principal: Principal, actor: Actor, visitId: string, note: string, now = new Date()) {
  return auditedTransaction(db, async (tx) => {
    const visit = await tx.fieldVisit.findUnique({ where: { id: visitId }, select: { id: true, branchId: true, accountId: true, conflictStatus: true } });
    if (!visit || !canAccessBranch(principal, visit.branchId)) throw new ServiceError('not_found', 'no such field visit');
    if (visit.conflictStatus !== 'open') throw new ServiceError('invalid_state', visit.conflictStatus === 'resolved' ? 'the conflicts were already resolved' : 'this visit has no conflicts');
    const updated = await tx.fieldVisit.update({ where: { id: visitId }, data: { conflictStatus: 'resolved', conflictNote: note, conflictResolvedById: principal.kind === 'user' ? principal.id : null, conflictResolvedAt: now }, select: { id: true, conflictStatus: true, conflictNote: true, conflictResolvedAt: true } });
    await recordAudit(tx, actor, { action: 'field.conflict_resolved', entityType: 'field_visit', entityId: visitId, accountId: visit.accountId, before: { conflictStatus: 'open' }, after: { conflictStatus: 'resolved', note } });
    return updated;
  });
}

/** An account's field visits, newest first (the account page's "Field visits" tab): what happened and its receipt. */
export async function accountFieldVisits(db: Db, principal: Principal, accountId: string) {
  const account = await db.account.findUnique({ where: { id: accountId }, select: { branchId: true } });
  if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', 'no such account');
  const visits = await db.fieldVisit.findMany({
    where: { accountId },
    orderBy: { arrivedAt: 'desc' },
    take: 100,
    include: { rep: { select: { id: true, name: true } }, equipment: { select: { type: true, serial: true } }, cardCharge: { select: { status: true, brand: true, last4: true, processorRef: true } } },
  });
  return visits.map((v) => ({
    id: v.id,
    receiptNumber: v.receiptNumber,
    arrivedAt: v.arrivedAt.toISOString(),
    syncedAt: v.syncedAt.toISOString(),
    rep: v.rep,
    contactResult: v.contactResult,
    summary: v.summary,
    payment: v.paymentAmountMinor !== null ? { amountMinor: v.paymentAmountMinor.toString(), currency: v.currency, method: v.paymentMethod, reference: v.paymentReference, posted: v.paymentId !== null } : null,
    card: v.cardCharge,
    equipment: v.equipment,
    retention: v.retentionOffer ? { offer: v.retentionOffer, outcome: v.retentionOutcome } : null,
    location: v.latitude !== null && v.longitude !== null ? { latitude: v.latitude, longitude: v.longitude, accuracyM: v.accuracyM } : null,
    signedBy: v.signedByName,
    notes: v.notes,
    conflicts: (v.conflicts as Array<{ code: string; message: string }> | null) ?? [],
    conflictStatus: v.conflictStatus,
  }));
}
