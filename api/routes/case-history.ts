// The supervisor's view into a case's workflow (issue 4): its event history as a timeline, and an
// audited pause and resume. The reading and the rules live in services/case-history.ts and
// services/case-control.ts; the workflow itself decides whether a pause or resume is allowed.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { CasePauseView, IdParams } from '../schemas.ts';
import { getCaseHistory } from '../../services/case-history.ts';
import { pauseCase, resumeCase } from '../../services/case-control.ts';

const timelineKinds = ['started', 'signal', 'update_accepted', 'update_completed', 'update_rejected', 'timer_started', 'timer_fired', 'timer_cancelled', 'activity_scheduled', 'activity_completed', 'activity_failed', 'activity_timed_out', 'workflow_task_failed', 'marker', 'continued_as_new', 'completed', 'failed', 'terminated', 'timed_out', 'cancelled', 'other'] as const;

const HistoryQuery = z.object({
  runId: z.string().trim().min(1).max(100).optional().openapi({ description: 'A run of the case (from `runs`); the latest when absent' }),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(200),
});

const TimelineEntryView = registry.register(
  'CaseHistoryEntry',
  z.object({
    eventId: z.number().int(),
    at: z.string(),
    kind: z.enum(timelineKinds),
    summary: z.string(),
    name: z.string().optional(),
    sentBy: z.object({ type: z.enum(['user', 'api_key', 'system']), id: z.string().nullable(), name: z.string().nullable() }).nullable().optional(),
    identity: z.string().optional(),
    attempt: z.number().int().optional(),
    firesAt: z.string().optional(),
    runId: z.string().optional(),
    relatedEventId: z.number().int().optional(),
    details: z.record(z.string(), z.unknown()),
  }),
);

const CaseHistoryView = registry.register(
  'CaseHistory',
  z.object({
    caseId: z.uuid(),
    accountId: z.uuid(),
    caseStatus: z.enum(['open', 'closed']),
    workflowId: z.string(),
    temporalUrl: z.string().nullable(),
    runs: z.array(z.object({ runId: z.string(), status: z.string(), startedAt: z.string(), closedAt: z.string().nullable(), historyLength: z.number().int(), continuedFrom: z.string().nullable(), continuedTo: z.string().nullable(), temporalUrl: z.string().nullable() })),
    runId: z.string().nullable(),
    entries: z.array(TimelineEntryView),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int(),
    pendingTimers: z.array(z.object({ timerId: z.string(), eventId: z.number().int(), startedAt: z.string(), firesAt: z.string().nullable() })),
    pendingActivities: z.array(z.object({ activityId: z.string(), type: z.string(), state: z.string(), attempt: z.number().int(), scheduledAt: z.string().nullable(), lastStartedAt: z.string().nullable(), nextAttemptAt: z.string().nullable(), lastFailure: z.string().nullable() })),
    live: z
      .object({ stage: z.string(), status: z.string(), nextStep: z.object({ id: z.string(), action: z.string(), dueAt: z.string(), note: z.string().optional() }).nullable(), paused: CasePauseView.nullable().optional() })
      .passthrough()
      .nullable()
      .openapi({ description: "The running case's own answer (caseSnapshot query): stage, next step and when, pause" }),
  }),
);

const PauseBody = registry.register('PauseCaseRequest', z.object({ reason: z.string().trim().min(1, 'say why the case is paused').max(500) }));

export function caseHistoryRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows, config } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/cases/:id/history',
    operationId: 'getCaseHistory',
    summary: "A case's workflow history as a timeline (one run, a page at a time), its runs, what is pending and the next step",
    tag: 'cases',
    permission: 'cases:history',
    params: IdParams,
    query: HistoryQuery,
    responses: { 200: { description: 'The timeline', schema: CaseHistoryView }, 404: { description: 'No such case (or not in your branch), or no such run' } },
    handler: async ({ principal, params, query }) => ({ body: await getCaseHistory(db, workflows, principal, params.id, query, { uiUrl: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE }) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/cases/:id/pause',
    operationId: 'pauseCase',
    summary: 'Pause a case: it takes no strategy step and sends nothing until resumed (audited)',
    tag: 'cases',
    permission: 'cases:control',
    params: IdParams,
    body: PauseBody,
    responses: { 200: { description: 'Paused', schema: z.object({ caseId: z.uuid(), paused: CasePauseView }) }, 404: { description: 'No such case (or not in your branch)' }, 409: { description: 'Already paused (already_paused), or the case is closed (case_closed)' } },
    handler: async ({ principal, params, body }) => ({ body: { caseId: params.id, paused: await pauseCase(db, workflows, principal, params.id, body.reason) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/cases/:id/resume',
    operationId: 'resumeCase',
    summary: 'Resume a paused case: steps that came due meanwhile run now, within the contact policy (audited)',
    tag: 'cases',
    permission: 'cases:control',
    params: IdParams,
    responses: { 200: { description: 'Resumed', schema: z.object({ caseId: z.uuid(), resumedAt: z.string(), pausedSince: z.string() }) }, 404: { description: 'No such case (or not in your branch)' }, 409: { description: 'Not paused (not_paused), or the case is closed (case_closed)' } },
    handler: async ({ principal, params }) => ({ body: { caseId: params.id, ...(await resumeCase(db, workflows, principal, params.id)) } }),
  });
  return router;
}
