// Webhook endpoints and their delivery log (admins): register a receiver, read what was sent and how
// it went, and replay any delivery.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { IdParams } from '../schemas.ts';
import { createEndpoint, replayDelivery, webhookEvents } from '../../services/webhooks.ts';
import { endpointSecret } from '../../platform/webhooks/signature.ts';

const EndpointBody = registry.register('WebhookEndpointCreate', z.object({ name: z.string().trim().min(1).max(100), url: z.url({ protocol: /^https?$/ }), events: z.array(z.enum(webhookEvents)).min(1) }));
const Endpoint = registry.register('WebhookEndpoint', z.object({ id: z.uuid(), name: z.string(), url: z.string(), events: z.array(z.string()), active: z.boolean(), createdAt: z.string() }));
const EndpointCreated = registry.register('WebhookEndpointCreated', Endpoint.extend({ secret: z.string().openapi({ description: 'Verify Arrears-Signature with it; shown once' }) }));
const Delivery = registry.register(
  'WebhookDelivery',
  z.object({ id: z.uuid(), endpointId: z.uuid(), event: z.string(), accountId: z.string().nullable(), status: z.enum(['pending', 'delivered', 'failed', 'dead']), attempts: z.number().int(), lastStatusCode: z.number().int().nullable(), lastError: z.string().nullable(), createdAt: z.string(), deliveredAt: z.string().nullable(), payload: z.unknown() }),
);
const DeliveryQuery = z.object({ endpointId: z.uuid().optional(), status: z.enum(['pending', 'delivered', 'failed', 'dead']).optional(), accountId: z.uuid().optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export function webhookRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, config } = deps;
  const endpointDto = (e: { id: string; name: string; url: string; events: string[]; active: boolean; createdAt: Date }) => ({ id: e.id, name: e.name, url: e.url, events: e.events, active: e.active, createdAt: e.createdAt.toISOString() });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/webhook-endpoints',
    operationId: 'createWebhookEndpoint',
    summary: 'Register a receiver for events (service.suspend, service.resume, account.blacklist, case.closed)',
    tag: 'webhooks',
    permission: 'webhooks:manage',
    body: EndpointBody,
    responses: { 201: { description: 'Registered; the signing secret is shown once', schema: EndpointCreated } },
    handler: async ({ actor, body }) => {
      const endpoint = await createEndpoint(db, actor, body);
      return { status: 201, body: { ...endpointDto(endpoint), secret: endpointSecret(config.WEBHOOK_SIGNING_SECRET, endpoint.id) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/webhook-endpoints',
    operationId: 'listWebhookEndpoints',
    summary: 'Registered webhook receivers',
    tag: 'webhooks',
    permission: 'webhooks:manage',
    responses: { 200: { description: 'Endpoints', schema: z.object({ items: z.array(Endpoint) }) } },
    handler: async () => ({ body: { items: (await db.webhookEndpoint.findMany({ orderBy: { createdAt: 'asc' } })).map(endpointDto) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/webhook-deliveries',
    operationId: 'listWebhookDeliveries',
    summary: 'The delivery log, newest first',
    tag: 'webhooks',
    permission: 'webhooks:manage',
    query: DeliveryQuery,
    responses: { 200: { description: 'Deliveries', schema: z.object({ items: z.array(Delivery) }) } },
    handler: async ({ query }) => {
      const rows = await db.webhookDelivery.findMany({
        where: { ...(query.endpointId ? { endpointId: query.endpointId } : {}), ...(query.status ? { status: query.status } : {}), ...(query.accountId ? { accountId: query.accountId } : {}) },
        orderBy: { createdAt: 'desc' },
        take: query.limit,
      });
      return { body: { items: rows.map((d) => ({ ...d, createdAt: d.createdAt.toISOString(), deliveredAt: d.deliveredAt?.toISOString() ?? null })) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/webhook-deliveries/:id/replay',
    operationId: 'replayWebhookDelivery',
    summary: 'Send a delivery again (same id and payload, new signature)',
    tag: 'webhooks',
    permission: 'webhooks:manage',
    params: IdParams,
    responses: { 202: { description: 'Queued for delivery' }, 404: { description: 'No such delivery' } },
    handler: async ({ actor, params }) => {
      if (!deps.queues) throw new Error('the API was started without message queues');
      await replayDelivery(db, deps.queues, actor, params.id);
      return { status: 202, body: { id: params.id, status: 'pending' } };
    },
  });
  return router;
}
