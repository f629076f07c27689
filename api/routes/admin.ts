// Reference data and administration: branches, the local outbox, API keys.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { ApiKeyCreateBody, ApiKeyCreated, ApiKeyItem, BranchRef, IdParams, MessageListQuery, MessagePage } from '../schemas.ts';
import { isPermission } from '../../domain/access.ts';
import { branchScope } from '../../domain/access.ts';
import { auditedTransaction, recordAudit } from '../../services/audit.ts';
import { newApiKeySecret } from '../auth/api-keys.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function adminRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/branches',
    operationId: 'listBranches',
    summary: 'Branches (CSCs) the caller may see',
    tag: 'reference',
    permission: 'accounts:read',
    responses: { 200: { description: 'Branches', schema: registry.register('BranchList', z.object({ items: z.array(BranchRef) })) } },
    handler: async ({ principal }) => {
      const scope = branchScope(principal);
      const items = await db.branch.findMany({ where: scope ? { id: scope } : {}, orderBy: { code: 'asc' }, select: { id: true, code: true, name: true } });
      return { body: { items } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/messages',
    operationId: 'listMessages',
    summary: 'The outbox: messages the system sent or queued',
    tag: 'messages',
    permission: 'messages:read',
    query: MessageListQuery,
    responses: { 200: { description: 'A page of messages', schema: MessagePage } },
    handler: async ({ principal, query }) => {
      const scope = branchScope(principal);
      const where = {
        ...(query.channel ? { channel: query.channel } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.q ? { OR: [{ toAddress: { contains: query.q, mode: 'insensitive' as const } }, { subject: { contains: query.q, mode: 'insensitive' as const } }] } : {}),
        ...(scope ? { account: { branchId: scope } } : {}),
      };
      const [rows, total] = await Promise.all([
        db.message.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'asc' }], skip: (query.page - 1) * query.pageSize, take: query.pageSize }),
        db.message.count({ where }),
      ]);
      const items = rows.map((m) => ({ id: m.id, channel: m.channel, toAddress: m.toAddress, subject: m.subject, body: m.body, status: m.status, provider: m.provider, accountId: m.accountId, createdAt: m.createdAt.toISOString(), sentAt: iso(m.sentAt) }));
      return { body: { items, page: query.page, pageSize: query.pageSize, total } };
    },
  });

  const apiKeyDto = (k: { id: string; name: string; prefix: string; scopes: string[]; branchId: string | null; createdAt: Date; lastUsedAt: Date | null; revokedAt: Date | null }) => ({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: k.scopes,
    branchId: k.branchId,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: iso(k.lastUsedAt),
    revokedAt: iso(k.revokedAt),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/api-keys',
    operationId: 'listApiKeys',
    summary: 'API keys (secrets are never shown again)',
    tag: 'admin',
    permission: 'api_keys:manage',
    responses: { 200: { description: 'Keys', schema: registry.register('ApiKeyList', z.object({ items: z.array(ApiKeyItem) })) } },
    handler: async () => ({ body: { items: (await db.apiKey.findMany({ orderBy: { createdAt: 'desc' } })).map(apiKeyDto) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/api-keys',
    operationId: 'createApiKey',
    summary: 'Create a scoped API key for a system; the key is returned once',
    tag: 'admin',
    permission: 'api_keys:manage',
    body: ApiKeyCreateBody,
    responses: { 201: { description: 'Created', schema: ApiKeyCreated } },
    handler: async ({ principal, actor, body }) => {
      const unknown = body.scopes.filter((s) => !isPermission(s));
      if (unknown.length) throw new HttpProblem(400, 'validation_failed', 'unknown scopes', unknown.map((s) => ({ path: 'body.scopes', message: `unknown scope ${s}` })));
      if (body.branchId && !(await db.branch.findUnique({ where: { id: body.branchId } }))) throw new HttpProblem(422, 'unknown_branch', 'no such branch');
      const secret = newApiKeySecret();
      const created = await auditedTransaction(db, async (tx) => {
        const key = await tx.apiKey.create({ data: { name: body.name, prefix: secret.prefix, secretHash: secret.secretHash, scopes: body.scopes, branchId: body.branchId ?? null, createdById: principal.kind === 'user' ? principal.id : null } });
        await recordAudit(tx, actor, { action: 'api_key.created', entityType: 'api_key', entityId: key.id, after: { name: key.name, scopes: key.scopes, branchId: key.branchId } });
        return key;
      });
      return { status: 201, body: { ...apiKeyDto(created), key: secret.key } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'delete',
    path: '/api-keys/:id',
    operationId: 'revokeApiKey',
    summary: 'Revoke an API key',
    tag: 'admin',
    permission: 'api_keys:manage',
    params: IdParams,
    responses: { 204: { description: 'Revoked' }, 404: { description: 'No such key' } },
    handler: async ({ actor, params }) => {
      await auditedTransaction(db, async (tx) => {
        const key = await tx.apiKey.findUnique({ where: { id: params.id } });
        if (!key) throw new HttpProblem(404, 'not_found', 'no such API key');
        if (key.revokedAt) return;
        await tx.apiKey.update({ where: { id: key.id }, data: { revokedAt: new Date() } });
        await recordAudit(tx, actor, { action: 'api_key.revoked', entityType: 'api_key', entityId: key.id, before: { revokedAt: null }, after: { revokedAt: new Date().toISOString() } });
      });
    },
  });
  return router;
}
