// GDPR data-subject requests (X1): record one, list them by what is due, read one, extend it with a
// reason, answer it (an access export, an erasure as far as retention allows). Admins and supervisors,
// within their branch; the rules live in domain/data-requests.ts and services/data-requests.ts.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { IdParams } from '../schemas.ts';
import { dataRequestKinds, dueState, utcDate } from '../../domain/data-requests.ts';
import { toDateOnly } from '../../domain/ageing.ts';
import { completeDataRequest, createDataRequest, dataRequestDueOn, dataRequestExport, extendDataRequest, getDataRequest, listDataRequests } from '../../services/data-requests.ts';

const kind = z.enum(dataRequestKinds);
const status = z.enum(['open', 'completed', 'refused']);

const DataRequestView = registry.register(
  'DataSubjectRequest',
  z.object({
    id: z.uuid(),
    customer: z.object({ id: z.uuid(), externalRef: z.string(), name: z.string(), pseudonymised: z.boolean() }),
    kind,
    status,
    details: z.string(),
    receivedAt: z.string(),
    dueOn: z.iso.date().openapi({ description: 'Receipt plus one calendar month' }),
    extendedDueOn: z.iso.date().nullable(),
    extensionReason: z.string().nullable(),
    currentDueOn: z.iso.date().openapi({ description: 'The due date in force: the extended one, if extended' }),
    dueState: z.enum(['overdue', 'due_soon', 'on_time', 'answered']),
    handledById: z.uuid().nullable(),
    completedAt: z.string().nullable(),
    response: z.string().nullable(),
    result: z.unknown().nullable().openapi({ description: "An erasure's record (what was erased, what is kept and why); an access request's export is at /export" }),
  }),
);

const CreateBody = registry.register(
  'DataSubjectRequestCreate',
  z.strictObject({
    customerRef: z.string().trim().min(1).max(100).openapi({ description: "The customer's reference in the billing system" }),
    kind,
    receivedAt: z.iso.datetime({ offset: true }).optional().openapi({ description: 'When the request reached us (default: now); the month runs from it' }),
    details: z.string().max(2000).optional().openapi({ description: 'What the person asked, briefly (no more personal data than needed)' }),
  }),
);
const ExtendBody = registry.register('DataSubjectRequestExtension', z.strictObject({ months: z.number().int().min(1).max(2), reason: z.string().trim().min(1).max(2000) }));
const CompleteBody = registry.register(
  'DataSubjectRequestCompletion',
  z.strictObject({ outcome: z.enum(['completed', 'refused']).default('completed'), response: z.string().trim().min(1).max(5000).openapi({ description: 'What the person is told' }) }),
);
const ListQuery = z.object({
  status: status.optional(),
  kind: kind.optional(),
  due: z.enum(['overdue', 'due_soon']).optional().openapi({ description: 'Open requests past their due date, or due within a week (overdue included)' }),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

type Row = Awaited<ReturnType<typeof getDataRequest>>;

function dto(row: Row, now = new Date()) {
  const dates = { status: row.status, receivedAt: row.receivedAt, dueOn: toDateOnly(row.dueOn), extendedDueOn: row.extendedDueOn ? toDateOnly(row.extendedDueOn) : null };
  return {
    id: row.id,
    customer: { id: row.customer.id, externalRef: row.customer.externalRef, name: row.customer.name, pseudonymised: row.customer.pseudonymisedAt !== null },
    kind: row.kind,
    status: row.status,
    details: row.details,
    receivedAt: row.receivedAt.toISOString(),
    dueOn: dates.dueOn,
    extendedDueOn: dates.extendedDueOn,
    extensionReason: row.extensionReason,
    currentDueOn: dataRequestDueOn(row),
    dueState: dueState(dates, utcDate(now)),
    handledById: row.handledById,
    completedAt: row.completedAt?.toISOString() ?? null,
    response: row.response,
    // The export is large and personal: it has its own operation.
    result: row.kind === 'access' ? null : (row.result ?? null),
  };
}

export function dataRequestRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, config } = deps;
  const settings = { retentionYears: config.RETENTION_YEARS, controller: config.COMPANY_NAME };
  const permission = 'data_requests:manage' as const;
  const tag = 'data-subject requests';

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/data-subject-requests',
    operationId: 'createDataRequest',
    summary: 'Record a GDPR data-subject request; it is due one calendar month after receipt',
    tag,
    permission,
    body: CreateBody,
    responses: { 201: { description: 'Recorded', schema: DataRequestView }, 404: { description: 'No such customer (or not in your branch)' } },
    handler: async ({ principal, actor, body }) => {
      const row = await createDataRequest(db, principal, actor, { customerRef: body.customerRef, kind: body.kind, receivedAt: body.receivedAt ? new Date(body.receivedAt) : undefined, details: body.details });
      return { status: 201, body: dto(row) };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/data-subject-requests',
    operationId: 'listDataRequests',
    summary: 'Data-subject requests, open first by due date; filter by status, kind, or what is due or overdue',
    tag,
    permission,
    query: ListQuery,
    responses: { 200: { description: 'A page of requests', schema: z.object({ items: z.array(DataRequestView), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }) } },
    handler: async ({ principal, query }) => {
      const { rows, total } = await listDataRequests(db, principal, query);
      return { body: { items: rows.map((r) => dto(r)), page: query.page, pageSize: query.pageSize, total } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/data-subject-requests/:id',
    operationId: 'getDataRequest',
    summary: 'One data-subject request',
    tag,
    permission,
    params: IdParams,
    responses: { 200: { description: 'The request', schema: DataRequestView }, 404: { description: 'No such request (or not in your branch)' } },
    handler: async ({ principal, params }) => ({ body: dto(await getDataRequest(db, principal, params.id)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/data-subject-requests/:id/export',
    operationId: 'getDataRequestExport',
    summary: "An answered access request's export: everything held about the customer, with its sources, recipients and retention",
    tag,
    permission,
    params: IdParams,
    responses: { 200: { description: 'The export (JSON, as a download)', schema: z.record(z.string(), z.unknown()) }, 409: { description: 'Not an answered access request (invalid_state)' } },
    handler: async ({ principal, params }) => {
      const { row, export: data } = await dataRequestExport(db, principal, params.id);
      return { body: data, headers: { 'content-disposition': `attachment; filename="data-export-${row.customer.externalRef.replace(/[^A-Za-z0-9_-]/g, '_')}-${utcDate(row.completedAt ?? new Date())}.json"` } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/data-subject-requests/:id/extend',
    operationId: 'extendDataRequest',
    summary: 'Extend the due date by up to two further months, with the reason the person is told (within the first month)',
    tag,
    permission,
    params: IdParams,
    body: ExtendBody,
    responses: { 200: { description: 'Extended', schema: DataRequestView }, 409: { description: 'Already answered (request_closed)' }, 422: { description: 'extension_refused: extended already, first month over, or more than two months (reasons in errors)' } },
    handler: async ({ principal, actor, params, body }) => ({ body: dto(await extendDataRequest(db, principal, actor, params.id, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/data-subject-requests/:id/complete',
    operationId: 'completeDataRequest',
    summary: 'Answer the request: access makes the export; erasure pseudonymises what retention allows and records what is kept and why',
    tag,
    permission,
    params: IdParams,
    body: CompleteBody,
    responses: { 200: { description: 'Answered', schema: DataRequestView }, 409: { description: 'Already answered (request_closed)' } },
    handler: async ({ principal, actor, params, body }) => ({ body: dto(await completeDataRequest(db, principal, actor, params.id, body, settings)) }),
  });
  return router;
}
