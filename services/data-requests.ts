// GDPR data-subject requests (X1): recorded with their due date, listed by what is due or overdue,
// extended with a reason, and answered — an access request with an export of everything held about the
// customer, an erasure by pseudonymising what the retention rules allow and recording what is kept and
// why (domain/data-requests.ts, domain/retention.ts). Scoped to the caller's branch; every change audited.
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { currentDueOn, dueOnFor, dueSoonDays, erasurePlan, extendedDueOn, extensionProblems, utcDate, type DataRequestKind } from '../domain/data-requests.ts';
import { toDateOnly } from '../domain/ageing.ts';
import { auditedTransaction, recordAudit, toJsonValue, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { pseudonymiseCustomer, retentionFactsOf } from './retention.ts';

export interface DataRequestSettings {
  retentionYears: number;
  /** Who holds the data (the creditor), named in an access export. */
  controller: string;
}

const withCustomer = { customer: { select: { id: true, externalRef: true, name: true, branchId: true, pseudonymisedAt: true } } } as const;
type Row = Prisma.DataSubjectRequestGetPayload<{ include: typeof withCustomer }>;

function requireInScope<T extends { customer: { branchId: string } }>(principal: Principal, row: T | null): T {
  // Another branch's request is reported as missing, not forbidden (as accounts are).
  if (!row || !canAccessBranch(principal, row.customer.branchId)) throw new ServiceError('not_found', 'no such data-subject request');
  return row;
}

async function load(db: Db | Prisma.TransactionClient, principal: Principal, id: string): Promise<Row> {
  return requireInScope(principal, await db.dataSubjectRequest.findUnique({ where: { id }, include: withCustomer }));
}

const auditView = (row: { kind: string; status: string; receivedAt: Date; dueOn: Date; extendedDueOn: Date | null; extensionReason: string | null; handledById: string | null; completedAt: Date | null; response: string | null }) => ({
  kind: row.kind,
  status: row.status,
  receivedAt: row.receivedAt,
  dueOn: toDateOnly(row.dueOn),
  extendedDueOn: row.extendedDueOn ? toDateOnly(row.extendedDueOn) : null,
  extensionReason: row.extensionReason,
  handledById: row.handledById,
  completedAt: row.completedAt,
  response: row.response,
});

export interface NewDataRequest {
  customerRef: string;
  kind: DataRequestKind;
  /** When the request reached us (defaults to now): the month runs from it. */
  receivedAt?: Date | undefined;
  details?: string | undefined;
}

export async function createDataRequest(db: Db, principal: Principal, actor: Actor, input: NewDataRequest, now = new Date()) {
  const receivedAt = input.receivedAt ?? now;
  if (receivedAt.getTime() > now.getTime() + 60_000) throw new ServiceError('validation_failed', 'a request cannot be received in the future', [{ path: 'body.receivedAt', message: 'in the future' }]);
  return auditedTransaction(db, async (tx) => {
    const customer = await tx.customer.findUnique({ where: { externalRef: input.customerRef }, select: { id: true, branchId: true } });
    if (!customer || !canAccessBranch(principal, customer.branchId)) throw new ServiceError('not_found', `no customer ${input.customerRef}`);
    const row = await tx.dataSubjectRequest.create({
      data: { customerId: customer.id, kind: input.kind, receivedAt, dueOn: new Date(`${dueOnFor(receivedAt)}T00:00:00Z`), details: input.details?.trim() ?? '', createdById: actor.type === 'user' ? actor.id : null },
      include: withCustomer,
    });
    await recordAudit(tx, actor, { action: 'data_request.created', entityType: 'data_subject_request', entityId: row.id, after: { ...auditView(row), customerId: customer.id } });
    return row;
  });
}

export interface DataRequestFilter {
  status?: 'open' | 'completed' | 'refused' | undefined;
  kind?: DataRequestKind | undefined;
  /** `overdue`: open and past its due date; `due_soon`: open and due within a week (overdue ones included). */
  due?: 'overdue' | 'due_soon' | undefined;
  page: number;
  pageSize: number;
}

export async function listDataRequests(db: Db, principal: Principal, filter: DataRequestFilter, now = new Date()) {
  const scope = branchScope(principal);
  const today = new Date(`${utcDate(now)}T00:00:00Z`);
  const soon = new Date(today.getTime() + dueSoonDays * 86_400_000);
  // The due date in force is the extended one when there is one.
  const dueBefore = (limit: Date, strict: boolean): Prisma.DataSubjectRequestWhereInput => ({
    OR: [{ extendedDueOn: null, dueOn: strict ? { lt: limit } : { lte: limit } }, { extendedDueOn: strict ? { lt: limit } : { lte: limit } }],
  });
  const where: Prisma.DataSubjectRequestWhereInput = {
    ...(scope ? { customer: { branchId: scope } } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.due ? { status: 'open', ...dueBefore(filter.due === 'overdue' ? today : soon, filter.due === 'overdue') } : filter.status ? { status: filter.status } : {}),
  };
  const [rows, total] = await Promise.all([
    db.dataSubjectRequest.findMany({ where, include: withCustomer, orderBy: [{ status: 'asc' }, { dueOn: 'asc' }, { receivedAt: 'asc' }], skip: (filter.page - 1) * filter.pageSize, take: filter.pageSize }),
    db.dataSubjectRequest.count({ where }),
  ]);
  return { rows, total };
}

export function getDataRequest(db: Db, principal: Principal, id: string): Promise<Row> {
  return load(db, principal, id);
}

const extensionMessages: Record<string, string> = {
  request_closed: 'the request has been answered',
  already_extended: 'the request was extended already: one extension, of up to two months',
  too_late: 'the first month is over: an extension must be made (and the person told) within it',
  reason_required: 'give the reason for the extension: the person is told it',
  too_long: 'extend by 1 or 2 months',
};

/** Extends the due date by up to two months (Art. 12(3)), audited; the handler tells the person why. */
export async function extendDataRequest(db: Db, principal: Principal, actor: Actor, id: string, extension: { months: number; reason: string }, now = new Date()) {
  return auditedTransaction(db, async (tx) => {
    const row = await load(tx, principal, id);
    const dates = { status: row.status, receivedAt: row.receivedAt, dueOn: toDateOnly(row.dueOn), extendedDueOn: row.extendedDueOn ? toDateOnly(row.extendedDueOn) : null };
    const problems = extensionProblems(dates, extension, utcDate(now));
    if (problems.includes('request_closed')) throw new ServiceError('request_closed', extensionMessages.request_closed!);
    if (problems.length) throw new ServiceError('extension_refused', problems.map((p) => extensionMessages[p]).join('; '), problems.map((p) => ({ path: p === 'reason_required' ? 'body.reason' : p === 'too_long' ? 'body.months' : 'body', message: extensionMessages[p]! })));
    const updated = await tx.dataSubjectRequest.update({
      where: { id },
      data: { extendedDueOn: new Date(`${extendedDueOn(dates, extension.months)}T00:00:00Z`), extensionReason: extension.reason.trim(), handledById: actor.type === 'user' ? actor.id : row.handledById },
      include: withCustomer,
    });
    await recordAudit(tx, actor, { action: 'data_request.extended', entityType: 'data_subject_request', entityId: id, before: auditView(row), after: auditView(updated) });
    return updated;
  });
}

export interface Completion {
  /** `refused`: manifestly unfounded or excessive, or the person could not be identified (Art. 12(5), (6)). */
  outcome: 'completed' | 'refused';
  /** What the person is told. */
  response: string;
}

/**
 * Answers the request. Access: the export of everything held is made now and kept with it. Erasure:
 * the personal data is pseudonymised if retention allows, and the record says what was erased, what
 * is kept and why. Other kinds are answered by the handler (the response says what was done).
 */
export async function completeDataRequest(db: Db, principal: Principal, actor: Actor, id: string, completion: Completion, settings: DataRequestSettings, now = new Date()) {
  return auditedTransaction(db, async (tx) => {
    const row = await load(tx, principal, id);
    if (row.status !== 'open') throw new ServiceError('request_closed', 'the request has been answered');
    let result: Prisma.InputJsonValue | undefined;
    if (completion.outcome === 'completed' && row.kind === 'access') result = toJsonValue(await exportCustomerData(tx, row.customerId, settings, now)) ?? undefined;
    if (completion.outcome === 'completed' && row.kind === 'erasure') {
      const plan = erasurePlan(await retentionFactsOf(tx, row.customerId), settings.retentionYears, now);
      const counts = plan.eraseNow ? await pseudonymiseCustomer(tx, actor, row.customerId, { kind: 'erasure_request', requestId: id }, now) : null;
      result = toJsonValue({ ...plan, counts, at: now }) ?? undefined;
    }
    const updated = await tx.dataSubjectRequest.update({
      where: { id },
      data: { status: completion.outcome, response: completion.response.trim(), completedAt: now, handledById: actor.type === 'user' ? actor.id : null, ...(result !== undefined ? { result } : {}) },
      include: withCustomer,
    });
    // The audit says what was done, never the exported data itself.
    await recordAudit(tx, actor, { action: `data_request.${completion.outcome}`, entityType: 'data_subject_request', entityId: id, before: auditView(row), after: { ...auditView(updated), ...(row.kind === 'erasure' && result ? { erasure: { eraseNow: (result as { eraseNow: boolean }).eraseNow, keptUntil: (result as { keptUntil: string | null }).keptUntil } } : {}) } });
    return updated;
  });
}

/** An answered access request's export (GDPR Art. 15), as stored when it was answered. */
export async function dataRequestExport(db: Db, principal: Principal, id: string) {
  const row = await load(db, principal, id);
  if (row.kind !== 'access' || row.status !== 'completed' || !row.result) throw new ServiceError('invalid_state', 'only an answered access request has an export');
  return { row, export: row.result };
}

/** Everything held about one customer, for an access request (Art. 15): the data, its sources, recipients and retention. */
export async function exportCustomerData(tx: Prisma.TransactionClient, customerId: string, settings: DataRequestSettings, now: Date) {
  const customer = await tx.customer.findUniqueOrThrow({
    where: { id: customerId },
    include: {
      branch: { select: { code: true, name: true } },
      contacts: { select: { kind: true, value: true, label: true, isPrimary: true, optedOut: true, createdAt: true } },
      dataSubjectRequests: { select: { kind: true, receivedAt: true, status: true, completedAt: true } },
      accounts: {
        include: {
          segment: { select: { name: true } },
          invoices: { select: { externalRef: true, issuedAt: true, dueDate: true, amountMinor: true, openMinor: true, status: true } },
          payments: { select: { externalRef: true, amountMinor: true, currency: true, method: true, source: true, receivedAt: true, status: true, reversedAt: true, reversalReason: true } },
          adjustments: { select: { externalRef: true, kind: true, amountMinor: true, reason: true, createdAt: true } },
          cases: { select: { episode: true, status: true, stage: true, closeReason: true, openedAt: true, closedAt: true, firstContactAt: true, validationNoticeSentAt: true, validationNoticeChannel: true, validationPeriodEndsOn: true } },
          activities: { select: { kind: true, direction: true, outcome: true, summary: true, occurredAt: true, userId: true }, orderBy: { occurredAt: 'asc' } },
          promises: { select: { amountMinor: true, currency: true, dueDate: true, status: true, createdAt: true, instalments: { select: { seq: true, dueDate: true, amountMinor: true, status: true } } } },
          tasks: { select: { kind: true, title: true, status: true, dueAt: true, completedAt: true } },
          messages: { select: { channel: true, direction: true, toAddress: true, fromAddress: true, subject: true, body: true, status: true, createdAt: true, sentAt: true }, orderBy: { createdAt: 'asc' } },
          fieldVisits: { select: { arrivedAt: true, departedAt: true, latitude: true, longitude: true, contactResult: true, paymentAmountMinor: true, paymentMethod: true, promiseAmountMinor: true, promiseDueDate: true, retentionOffer: true, retentionOutcome: true, notes: true, signedByName: true, signaturePng: true, receiptNumber: true, summary: true, equipment: { select: { type: true, serial: true, returnedAt: true } } }, orderBy: { arrivedAt: 'asc' } },
        },
      },
    },
  });
  const accountIds = customer.accounts.map((a) => a.id);
  const [disclosures, audit] = await Promise.all([
    tx.webhookDelivery.findMany({ where: { accountId: { in: accountIds } }, select: { event: true, createdAt: true, status: true, endpoint: { select: { name: true } } }, orderBy: { createdAt: 'asc' } }),
    tx.auditLog.findMany({ where: { accountId: { in: accountIds } }, select: { at: true, action: true, entityType: true, actorType: true, before: true, after: true }, orderBy: { id: 'asc' } }),
  ]);
  const { branch, contacts, dataSubjectRequests, accounts, ...person } = customer;
  return {
    exportedAt: now,
    about: {
      controller: settings.controller,
      purpose: 'collecting unpaid invoices owed to the controller, as its collection department or agent',
      source: "the controller's billing system, and what you told us or our staff recorded when in contact with you",
      retention: `collection records are kept ${settings.retentionYears} years after the last collection activity, then pseudonymised`,
      recipients: 'the controller’s billing, CRM and collection-agency systems named under "disclosures", and the email, SMS and post providers that deliver our messages',
      staff: 'entries made by staff show only that a member of staff made them',
    },
    customer: { ...person, branch },
    contacts,
    accounts: accounts.map(({ activities, fieldVisits, segment, id: _id, customerId: _customerId, branchId: _branchId, segmentId: _segmentId, allocatedToId: _allocatedToId, lastWorkedById: _lastWorkedById, postponedForId: _postponedForId, ...account }) => ({
      ...account,
      segment: segment?.name ?? null,
      activities: activities.map(({ userId, ...activity }) => ({ ...activity, byStaff: userId !== null })),
      // The signature itself is an image: the export says that one was taken, and who signed.
      fieldVisits: fieldVisits.map(({ signaturePng, ...visit }) => ({ ...visit, signed: signaturePng !== null })),
    })),
    disclosures: disclosures.map((d) => ({ event: d.event, recipient: d.endpoint.name, at: d.createdAt, status: d.status })),
    auditTrail: audit,
    dataSubjectRequests,
  };
}

export const dataRequestDueOn = (row: { dueOn: Date; extendedDueOn: Date | null }) => currentDueOn({ dueOn: toDateOnly(row.dueOn), extendedDueOn: row.extendedDueOn ? toDateOnly(row.extendedDueOn) : null });
