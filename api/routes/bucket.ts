// Around the accounts bucket (W1): its summary by age, branch, segment and stage; the never-worked
// (R5) and trace (W8) lists under the bucket's own filters; saved views of those filters.
// Mounted before routes/accounts.ts so that /accounts/summary is not read as an account id.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { AccountListQuery, AccountPage, IdParams } from '../schemas.ts';
import { BucketSummary, BucketSummaryQuery, SavedView, SavedViewBody, SavedViewList } from '../console-schemas.ts';
import { accountSummaryDto } from '../dto.ts';
import { bucketSummaryDto, savedViewDto } from '../console-dto.ts';
import { listAccounts, type AccountListFilter } from '../../services/account-queries.ts';
import { getBucketSummary } from '../../services/bucket-summary.ts';
import { createSavedView, deleteSavedView, listSavedViews } from '../../services/saved-views.ts';
import type { Principal } from '../../domain/access.ts';

export function bucketRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const page = async (principal: Principal, query: AccountListFilter) => {
    const { items, total } = await listAccounts(db, principal, query);
    return { body: { items: items.map((row) => accountSummaryDto(row)), page: query.page, pageSize: query.pageSize, total } };
  };

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/summary',
    operationId: 'getBucketSummary',
    summary: 'Counts and balances of the accounts matching the bucket’s filters, by ageing band, branch, segment and stage',
    tag: 'accounts',
    permission: 'accounts:read',
    query: BucketSummaryQuery,
    responses: { 200: { description: 'The summary', schema: BucketSummary } },
    handler: async ({ principal, query }) => ({ body: bucketSummaryDto(await getBucketSummary(db, principal, query)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/never-worked',
    operationId: 'listNeverWorkedAccounts',
    summary: 'Accounts never worked (R5): owing, with an open case, no work-log stretch and no call or visit by a user',
    tag: 'accounts',
    permission: 'team:monitor',
    query: AccountListQuery.omit({ worked: true }),
    responses: { 200: { description: 'A page of accounts', schema: AccountPage } },
    handler: async ({ principal, query }) => page(principal, { ...query, worked: 'never' }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/trace',
    operationId: 'listTraceAccounts',
    summary: 'Accounts in trace (W8): the debtor cannot be reached at the known contacts',
    tag: 'accounts',
    permission: 'team:monitor',
    query: AccountListQuery.omit({ status: true }),
    responses: { 200: { description: 'A page of accounts', schema: AccountPage } },
    handler: async ({ principal, query }) => page(principal, { ...query, status: 'trace' }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/saved-views',
    operationId: 'listSavedViews',
    summary: 'Your saved views of the bucket, and those shared in your branch',
    tag: 'accounts',
    permission: 'accounts:read',
    responses: { 200: { description: 'Saved views', schema: SavedViewList } },
    handler: async ({ principal }) => ({ body: { items: (await listSavedViews(db, principal)).map(savedViewDto) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/saved-views',
    operationId: 'createSavedView',
    summary: 'Save the bucket’s current filters under a name (unique among your views)',
    tag: 'accounts',
    permission: 'accounts:read',
    body: SavedViewBody,
    responses: { 201: { description: 'Saved', schema: SavedView }, 409: { description: 'You already have a view with this name (saved_view_name_taken)' } },
    handler: async ({ principal, body }) => ({ status: 201, body: savedViewDto(await createSavedView(db, principal, { name: body.name, query: body.query as Record<string, string | number>, shared: body.shared })) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'delete',
    path: '/saved-views/:id',
    operationId: 'deleteSavedView',
    summary: 'Delete one of your saved views',
    tag: 'accounts',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such view (or not visible to you)' } },
    handler: async ({ principal, params }) => {
      await deleteSavedView(db, principal, params.id);
    },
  });
  return router;
}
