// Cases: read one with its live state (getCase), and record a collector's promise to pay (C6).
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { CaseView, IdParams, PromiseBody, PromiseCreated } from '../schemas.ts';
import { getCase, listCases } from '../../services/case-queries.ts';
import { caseComplianceViewOf } from '../../services/case-compliance.ts';
import { requestPostponement, requestPromise } from '../../services/case-requests.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { minorToNumber } from '../../domain/money.ts';
import { temporalWorkflowUrl } from '../../platform/temporal.ts';

export function caseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows, config } = deps;

  const CaseListQuery = z.object({
    status: z.enum(['open', 'closed']).optional(),
    stage: z.enum(['soft', 'hard', 'pre_legal', 'legal', 'closed']).optional(),
    accountRef: z.string().trim().min(1).max(100).optional(),
    strategyId: z.uuid().optional(),
    page: z.coerce.number().int().min(1).max(100_000).default(1),
    pageSize: z.coerce.number().int().min(1).max(100).default(25),
  });
  const CaseSummary = registry.register(
    'CaseSummary',
    z.object({ id: z.uuid(), accountId: z.uuid(), accountRef: z.string(), episode: z.number().int(), status: z.enum(['open', 'closed']), stage: z.string(), closeReason: z.string().nullable(), strategyId: z.uuid().nullable(), balance: z.object({ amountMinor: z.number().int(), currency: z.string() }), nextAction: z.string().nullable(), nextActionAt: z.string().nullable(), openedAt: z.string(), closedAt: z.string().nullable() }),
  );

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/cases',
    operationId: 'listCases',
    summary: 'Cases the caller may see, newest first, by status, stage, account or strategy version',
    tag: 'cases',
    permission: 'accounts:read',
    query: CaseListQuery,
    responses: { 200: { description: 'A page of cases', schema: z.object({ items: z.array(CaseSummary), page: z.number().int(), pageSize: z.number().int(), total: z.number().int() }) } },
    handler: async ({ principal, query }) => {
      const { rows, total } = await listCases(db, principal, query);
      const items = rows.map((c) => ({
        id: c.id,
        accountId: c.accountId,
        accountRef: c.account.externalRef,
        episode: c.episode,
        status: c.status,
        stage: c.stage,
        closeReason: c.closeReason,
        strategyId: c.strategyId,
        balance: { amountMinor: minorToNumber(c.account.balanceMinor), currency: c.account.currency },
        nextAction: c.nextAction,
        nextActionAt: c.nextActionAt?.toISOString() ?? null,
        openedAt: c.openedAt.toISOString(),
        closedAt: c.closedAt?.toISOString() ?? null,
      }));
      return { body: { items, page: query.page, pageSize: query.pageSize, total } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/cases/:id',
    operationId: 'getCase',
    summary: 'A case: stage, balance, next step and when, stages left before legal, open promise, validation notice and time-barred debt (X1)',
    tag: 'cases',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'The case', schema: CaseView }, 404: { description: 'No such case (or not in your branch)' } },
    handler: async ({ principal, params }) => {
      const { row, live } = await getCase(db, workflows, principal, params.id);
      const compliance = await caseComplianceViewOf(db, row.id);
      return {
        body: {
          id: row.id,
          accountId: row.account.id,
          accountRef: row.account.externalRef,
          episode: row.episode,
          workflowId: row.workflowId,
          temporalUrl: temporalWorkflowUrl(config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE, row.workflowId),
          strategy: row.strategy ? { name: row.strategy.name, version: row.strategy.version } : null,
          status: row.status,
          stage: row.stage,
          closeReason: row.closeReason,
          balance: { amountMinor: minorToNumber(row.account.balanceMinor), currency: row.account.currency },
          serviceStatus: row.account.serviceStatus,
          stepsDone: row.stepsDone,
          nextStep: live?.nextStep ? { ...live.nextStep, note: live.nextStep.note ?? null } : !live && row.nextAction ? { id: row.nextAction, action: row.nextAction, dueAt: row.nextActionAt?.toISOString() ?? null, note: row.nextActionNote } : null,
          stagesBeforeLegal: live?.stagesBeforeLegal ?? null,
          daysPastDue: live?.daysPastDue ?? null,
          promise: live?.promise
            ? {
                id: live.promise.promiseId,
                amountMinor: Number(live.promise.amountMinor),
                paidMinor: Number(live.promise.paidSinceMinor),
                dueDate: live.promise.dueDate,
                breaksOn: live.promise.breaksOn,
                instalments: live.promise.instalments?.map((i) => ({ amountMinor: Number(i.amountMinor), dueDate: i.dueDate, status: i.status })) ?? null,
              }
            : null,
          live: live !== null,
          paused: live?.paused ?? null,
          compliance,
        },
      };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/promises',
    operationId: 'recordPromise',
    summary: "Record the customer's promise to pay; the case validates it and holds reminders until its date",
    tag: 'cases',
    permission: 'accounts:write',
    params: IdParams,
    body: PromiseBody,
    responses: { 201: { description: 'Accepted by the case', schema: PromiseCreated }, 409: { description: 'No open case, or a promise is already pending' }, 422: { description: 'The case refused the promise (reasons in errors)' } },
    handler: async ({ principal, params, body }) => {
      const { caseId, accepted } = await requestPromise(db, workflows, principal, params.id, body);
      return { status: 201, body: { ...accepted, amountMinor: Number(accepted.amountMinor), caseId, instalments: accepted.instalments?.map((i) => ({ amountMinor: Number(i.amountMinor), dueDate: i.dueDate })) } };
    },
  });
  const PostponeBody = registry.register('PostponeRequest', z.object({ until: z.iso.datetime({ offset: true }), reason: z.string().trim().max(500).optional() }));
  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/accounts/:id/postpone',
    operationId: 'postponeAccount',
    summary: 'Postpone the account to a date and time; it comes back to the queue then as a call task (W4)',
    tag: 'cases',
    permission: 'accounts:write',
    params: IdParams,
    body: PostponeBody,
    responses: { 200: { description: 'Postponed', schema: z.object({ caseId: z.uuid(), until: z.string() }) }, 409: { description: 'No open case' }, 422: { description: 'Not in the future, or more than 90 days ahead' } },
    handler: async ({ principal, params, body }) => {
      const { caseId, until } = await requestPostponement(db, workflows, principal, params.id, new Date(body.until), body.reason ?? null);
      return { body: { caseId, until } };
    },
  });
  return router;
}
