// Field collections reports (F10) for supervisors and admins, within their branches: collections by
// day / week / month, rep commissions, route summary, route distribution, the collections sweep and
// effectiveness; each as JSON or, with Accept: text/csv or format=csv, as a CSV download. And the
// commission plan the commissions come from: read by anyone with the reports, set by head office.
import { Router, type Request, type Response } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute, type RouteReply } from '../http/route.ts';
import { CollectionsQuery, CollectionsReport, CommissionPlanBody, CommissionPlanState, CommissionPlanVersion, CommissionsReport, DistributionQuery, DistributionReport, EffectivenessReport, RepList, RepsQuery, ReportQuery, RouteSummaryReport, SweepReport } from '../field-report-schemas.ts';
import { collectionsCsv, collectionsDto, commissionsCsv, commissionsDto, distributionCsv, distributionDto, effectivenessCsv, effectivenessDto, planDto, routeSummaryCsv, routeSummaryDto, sweepCsv, sweepDto } from '../field-report-dto.ts';
import { collectionsReport, commissionsReport, effectivenessReport, reportReps, routeDistributionReport, routeSummaryReport, sweepReport, type ReportRequest } from '../../services/field-reports.ts';
import { commissionPlanHistory, mayChangeCommissionPlan, setCommissionPlan } from '../../services/commission-plans.ts';

const base = '/api/v1';
const tag = 'field reports';
const alsoCsv = ['text/csv'] as const;

const requestOf = (query: { from: string; to: string; repId?: string | undefined; branchId?: string | undefined }): ReportRequest => ({ range: { from: query.from, to: query.to }, repId: query.repId, branchId: query.branchId });

/** CSV when the link says format=csv or the client prefers text/csv; JSON otherwise. */
function wantsCsv(req: Request, format: 'json' | 'csv' | undefined): boolean {
  return format === 'csv' || (format === undefined && req.accepts(['application/json', 'text/csv']) === 'text/csv');
}

type Dated = { range: { from: string; to: string } } | { months: { from: string; to: string } };

/** A report as JSON, or as a CSV download written straight to the response (the route layer then sends nothing more). */
function answer<R extends Dated>(ctx: { req: Request; res: Response; query: { format?: 'json' | 'csv' | undefined } }, name: string, result: R, json: (r: R) => unknown, csv: (r: R) => string): RouteReply | void {
  if (!wantsCsv(ctx.req, ctx.query.format)) return { body: json(result) };
  const range = 'range' in result ? result.range : result.months;
  ctx.res.status(200).type('text/csv; charset=utf-8').setHeader('Content-Disposition', `attachment; filename="field-${name}-${range.from}-to-${range.to}.csv"`);
  ctx.res.send(csv(result));
}

export function fieldReportRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;


  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/collections',
    operationId: 'getFieldCollectionsReport',
    summary: 'Collections by day, ISO week or month, by rep and for all reps: visits, posted payments by method, reversed payments apart',
    tag,
    permission: 'field:reports',
    query: CollectionsQuery,
    responses: { 200: { description: 'The report', schema: CollectionsReport, alsoAs: alsoCsv }, 404: { description: 'No such branch (or not yours)' } },
    handler: async (ctx) => answer(ctx, 'collections', await collectionsReport(db, ctx.principal, { ...requestOf(ctx.query), period: ctx.query.period }), collectionsDto, collectionsCsv),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/commissions',
    operationId: 'getFieldCommissionsReport',
    summary: 'Each rep’s commission for each whole month the range touches, from the plan in force: collected, equipment, tiers, total',
    tag,
    permission: 'field:reports',
    query: ReportQuery,
    responses: { 200: { description: 'The report', schema: CommissionsReport, alsoAs: alsoCsv }, 404: { description: 'No such branch (or not yours)' } },
    handler: async (ctx) => answer(ctx, 'commissions', await commissionsReport(db, ctx.principal, requestOf(ctx.query)), commissionsDto, commissionsCsv),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/routes',
    operationId: 'getFieldRouteSummaryReport',
    summary: 'Each route of the days in the range: planned stops against visited and skipped, results, money, promises, equipment, planned against actual time',
    tag,
    permission: 'field:reports',
    query: ReportQuery,
    responses: { 200: { description: 'The report', schema: RouteSummaryReport, alsoAs: alsoCsv }, 404: { description: 'No such branch (or not yours)' } },
    handler: async (ctx) => answer(ctx, 'route-summary', await routeSummaryReport(db, ctx.principal, requestOf(ctx.query)), routeSummaryDto, routeSummaryCsv),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/distribution',
    operationId: 'getFieldRouteDistributionReport',
    summary: 'How the stops on the routes of the range, their accounts and arrears spread over reps and areas (postal-code prefix, corp, audit route)',
    tag,
    permission: 'field:reports',
    query: DistributionQuery,
    responses: { 200: { description: 'The report', schema: DistributionReport, alsoAs: alsoCsv }, 404: { description: 'No such branch (or not yours)' } },
    handler: async (ctx) => answer(ctx, 'route-distribution', await routeDistributionReport(db, ctx.principal, { ...requestOf(ctx.query), by: ctx.query.by, prefixLength: ctx.query.prefixLength }), distributionDto, distributionCsv),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/sweep',
    operationId: 'getFieldCollectionsSweep',
    summary: 'What each rep took in each day, item by item (cash, cheques with their numbers, money orders, cards), with totals per method, to reconcile with deposits',
    tag,
    permission: 'field:reports',
    query: ReportQuery,
    responses: { 200: { description: 'The report', schema: SweepReport, alsoAs: alsoCsv }, 404: { description: 'No such branch (or not yours)' } },
    handler: async (ctx) => answer(ctx, 'sweep', await sweepReport(db, ctx.principal, requestOf(ctx.query)), sweepDto, sweepCsv),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/effectiveness',
    operationId: 'getFieldEffectivenessReport',
    summary: 'Each rep’s effectiveness and the staff’s: right-party and payment rates, amount per visit, promises kept, equipment, retention, declined cards',
    tag,
    permission: 'field:reports',
    query: ReportQuery,
    responses: { 200: { description: 'The report', schema: EffectivenessReport, alsoAs: alsoCsv }, 404: { description: 'No such branch (or not yours)' } },
    handler: async (ctx) => answer(ctx, 'effectiveness', await effectivenessReport(db, ctx.principal, requestOf(ctx.query)), effectivenessDto, effectivenessCsv),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/reports/reps',
    operationId: 'listFieldReportReps',
    summary: 'The field reps the reports can be narrowed to (those of the caller’s branches)',
    tag,
    permission: 'field:reports',
    query: RepsQuery,
    responses: { 200: { description: 'The reps, by name', schema: RepList }, 404: { description: 'No such branch (or not yours)' } },
    handler: async ({ principal, query }) => ({ body: { items: await reportReps(db, principal, query.branchId) } }),
  });

  defineRoute(router, base, {
    method: 'get',
    path: '/field/commission-plan',
    operationId: 'getCommissionPlan',
    summary: 'The commission plan in force, its earlier versions, and whether the caller may set a new one',
    tag,
    permission: 'field:reports',
    responses: { 200: { description: 'The plan', schema: CommissionPlanState } },
    handler: async ({ principal }) => {
      const { current, history } = await commissionPlanHistory(db);
      return { body: { current: planDto(current), history: history.map(planDto), canChange: mayChangeCommissionPlan(principal) } };
    },
  });

  defineRoute(router, base, {
    method: 'put',
    path: '/field/commission-plan',
    operationId: 'setCommissionPlan',
    summary: 'Put a new commission plan in force (a new version; earlier ones are kept; audited). Only for someone who sees every branch',
    tag,
    permission: 'field:reports',
    body: CommissionPlanBody,
    responses: { 200: { description: 'The plan now in force', schema: CommissionPlanVersion } },
    handler: async ({ principal, actor, body }) => ({ body: planDto(await setCommissionPlan(db, principal, actor, { name: body.name, plan: body.definition })) }),
  });
  return router;
}
