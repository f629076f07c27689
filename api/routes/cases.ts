// Cases: read one with its live state (getCase), and record a collector's promise to pay (C6).
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem.ts';
import { CaseView, IdParams, PromiseBody, PromiseCreated } from '../schemas.ts';
import { getCase, openCaseOf } from '../../services/case-queries.ts';
import { ServiceError } from '../../services/errors.ts';
import { minorToNumber } from '../../domain/money.ts';
import { temporalWorkflowUrl } from '../../platform/temporal.ts';

export function caseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows, config } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/cases/:id',
    operationId: 'getCase',
    summary: 'A case: stage, balance, next step and when, stages left before legal, open promise',
    tag: 'cases',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'The case', schema: CaseView }, 404: { description: 'No such case (or not in your branch)' } },
    handler: async ({ principal, params }) => {
      const { row, live } = await getCase(db, workflows, principal, params.id);
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
          nextStep: live ? live.nextStep : row.nextAction ? { id: row.nextAction, action: row.nextAction, dueAt: row.nextActionAt?.toISOString() ?? null } : null,
          stagesBeforeLegal: live?.stagesBeforeLegal ?? null,
          daysPastDue: live?.daysPastDue ?? null,
          promise: live?.promise ? { id: live.promise.promiseId, amountMinor: Number(live.promise.amountMinor), dueDate: live.promise.dueDate, breaksOn: live.promise.breaksOn } : null,
          live: live !== null,
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
      const open = await openCaseOf(db, principal, params.id);
      try {
        const accepted = await workflows.recordPromise(open.workflowId, { amountMinor: String(body.amountMinor), dueDate: body.dueDate, userId: principal.kind === 'user' ? principal.id : null });
        return { status: 201, body: { ...accepted, amountMinor: Number(accepted.amountMinor), caseId: open.id } };
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'promise_refused') {
          const reasons = error.message.split(',');
          if (reasons.includes('promise_already_pending')) throw new HttpProblem(409, 'promise_already_pending', 'a promise to pay is already pending on this case');
          throw new HttpProblem(422, 'promise_refused', 'the case cannot accept this promise', reasons.map((r) => ({ path: r.startsWith('amount') ? 'body.amountMinor' : r.startsWith('date') ? 'body.dueDate' : 'body', message: r })));
        }
        throw error;
      }
    },
  });
  return router;
}
