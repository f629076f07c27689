// Field collections, the supervisor's side (F1-F3): leads, route plans, routes and their assignment.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { IdParams } from '../schemas.ts';
import { createLeads, listLeads } from '../../services/field-leads.ts';
import { cancelFieldRoute, createFieldRoutes, getFieldRoute, listFieldReps, listFieldRoutes, moveRouteStop, planFieldRoutes, updateFieldRoute, type FieldRouteDeps } from '../../services/field-routes.ts';
import { CreatedLeads, CreateLeadsBody, CreateRoutesBody, FieldRoute, LeadList, LeadListQuery, MoveStopBody, PlanBody, RepList, RepListQuery, RouteList, RouteListQuery, RoutePlan, RouteStopParams, UpdateRouteBody } from '../field-schemas.ts';
import { z } from '../http/openapi-registry.ts';

export function fieldRouteRoutes(deps: ApiDeps, travel: FieldRouteDeps['travel']): Router {
  const router = Router();
  const { db } = deps;
  const routing: FieldRouteDeps = { db, travel };

  defineRoute(router, '', {
    method: 'get',
    path: '/field/leads',
    operationId: 'listFieldLeads',
    summary: 'Open field-visit leads (from strategies’ visit steps and supervisors’ selections), not yet on a route unless unrouted=false',
    tag: 'Field routes',
    permission: 'field:manage',
    query: LeadListQuery,
    responses: { 200: { description: 'Leads', schema: LeadList } },
    handler: async ({ principal, query }) => ({ body: await listLeads(db, principal, query) }),
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/leads',
    operationId: 'createFieldLeads',
    summary: 'Request field visits for a selection of accounts (F1): one lead per account with an open case, unless it has one',
    tag: 'Field routes',
    permission: 'field:manage',
    body: CreateLeadsBody,
    responses: { 201: { description: 'What was created and what was skipped, with why', schema: CreatedLeads } },
    handler: async ({ principal, actor, body }) => ({ status: 201, body: await createLeads(db, principal, actor, body) }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/reps',
    operationId: 'listFieldReps',
    summary: 'Active field reps (of a branch)',
    tag: 'Field routes',
    permission: 'field:manage',
    query: RepListQuery,
    responses: { 200: { description: 'Reps', schema: RepList } },
    handler: async ({ principal, query }) => ({ body: { items: await listFieldReps(db, principal, query.branchId) } }),
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/routes/plan',
    operationId: 'planFieldRoutes',
    summary: 'Plan a day’s routes from leads (F2, F3): grouped, split to fit each rep’s day, balanced, each ordered for the least driving. Nothing is saved',
    tag: 'Field routes',
    permission: 'field:manage',
    body: PlanBody,
    responses: { 200: { description: 'The plan, with every lead left out and why', schema: RoutePlan } },
    handler: async ({ principal, body }) => ({ body: await planFieldRoutes(routing, principal, body) }),
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/routes',
    operationId: 'createFieldRoutes',
    summary: 'Save routes for a day, each assigned to its rep (a plan as adjusted, or routes made by hand); all or none',
    tag: 'Field routes',
    permission: 'field:manage',
    body: CreateRoutesBody,
    responses: { 201: { description: 'The routes', schema: RouteList }, 409: { description: 'A lead was routed meanwhile' } },
    handler: async ({ principal, actor, body }) => ({ status: 201, body: { items: await createFieldRoutes(routing, principal, actor, body) } }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/routes',
    operationId: 'listFieldRoutes',
    summary: 'Routes, by day, branch and rep',
    tag: 'Field routes',
    permission: 'field:manage',
    query: RouteListQuery,
    responses: { 200: { description: 'Routes', schema: RouteList } },
    handler: async ({ principal, query }) => ({ body: { items: await listFieldRoutes(db, principal, query) } }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/routes/:id',
    operationId: 'getFieldRoute',
    summary: 'One route with its stops (a rep sees only their own)',
    tag: 'Field routes',
    permission: 'field:work',
    params: IdParams,
    responses: { 200: { description: 'The route', schema: FieldRoute } },
    handler: async ({ principal, params }) => ({ body: await getFieldRoute(db, principal, params.id) }),
  });

  defineRoute(router, '', {
    method: 'patch',
    path: '/field/routes/:id',
    operationId: 'updateFieldRoute',
    summary: 'Rename, re-assign or re-order a route (visited stops stay first), or order it again for the least driving',
    tag: 'Field routes',
    permission: 'field:manage',
    params: IdParams,
    body: UpdateRouteBody,
    responses: { 200: { description: 'The route', schema: FieldRoute } },
    handler: async ({ principal, actor, params, body }) => ({ body: await updateFieldRoute(routing, principal, actor, params.id, body) }),
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/routes/:id/stops/:stopId/move',
    operationId: 'moveFieldRouteStop',
    summary: 'Move a stop not yet visited to another route of the same day and branch',
    tag: 'Field routes',
    permission: 'field:manage',
    params: RouteStopParams,
    body: MoveStopBody,
    responses: { 200: { description: 'Both routes as they are now', schema: z.object({ from: FieldRoute, to: FieldRoute }) } },
    handler: async ({ principal, actor, params, body }) => ({ body: await moveRouteStop(routing, principal, actor, params.id, params.stopId, body) }),
  });

  defineRoute(router, '', {
    method: 'delete',
    path: '/field/routes/:id',
    operationId: 'cancelFieldRoute',
    summary: 'Cancel a route: its unvisited leads go back to the pool',
    tag: 'Field routes',
    permission: 'field:manage',
    params: IdParams,
    responses: { 204: { description: 'Cancelled' } },
    handler: async ({ principal, actor, params }) => {
      await cancelFieldRoute(db, principal, actor, params.id);
    },
  });
  return router;
}
