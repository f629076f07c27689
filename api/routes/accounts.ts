// The accounts bucket (W1), the account page (W7) and its audit trail (X2).
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { AccountDetail, AccountListQuery, AccountPage, AuditList, IdParams } from '../schemas.ts';
import { getAccountAudit, getAccountDetail, listAccounts } from '../../services/account-queries.ts';
import { accountDetailDto, accountSummaryDto, workStateDto } from '../dto.ts';
import { caseComplianceViewOf } from '../../services/case-compliance.ts';
import { workStateOf } from '../../services/work-serving.ts';

export function accountRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, config } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts',
    operationId: 'listAccounts',
    summary: 'Search, filter, sort and page the accounts the caller may see',
    tag: 'accounts',
    permission: 'accounts:read',
    query: AccountListQuery,
    responses: { 200: { description: 'A page of accounts', schema: AccountPage } },
    handler: async ({ principal, query }) => {
      const { items, total } = await listAccounts(db, principal, query);
      return { body: { items: items.map((row) => accountSummaryDto(row)), page: query.page, pageSize: query.pageSize, total } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/:id',
    operationId: 'getAccount',
    summary: 'One account with customer, contacts, invoices, payments, cases and history',
    tag: 'accounts',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'The account', schema: AccountDetail }, 404: { description: 'No such account (or not in your branch)' } },
    handler: async ({ principal, params }) => {
      const row = await getAccountDetail(db, principal, params.id);
      const [work, compliance] = await Promise.all([workStateOf(db, row.id), row.cases[0] ? caseComplianceViewOf(db, row.cases[0].id) : null]);
      return { body: { ...accountDetailDto(row, { uiUrl: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE }, new Date(), compliance), work: workStateDto(work) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/:id/audit',
    operationId: 'getAccountAudit',
    summary: "The account's audit trail, newest first",
    tag: 'accounts',
    permission: 'audit:read',
    params: IdParams,
    responses: { 200: { description: 'Audit entries', schema: AuditList } },
    handler: async ({ principal, params }) => {
      const rows = await getAccountAudit(db, principal, params.id);
      return {
        body: {
          items: rows.map((r) => ({ id: r.id.toString(), at: r.at.toISOString(), actorType: r.actorType, actorId: r.actorId, action: r.action, entityType: r.entityType, entityId: r.entityId, before: r.before, after: r.after })),
        },
      };
    },
  });
  return router;
}
