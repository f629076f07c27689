// Declares an API route once: its permission, its zod schemas (validation and OpenAPI alike) and a
// handler that gets parsed input and the caller. Route files read as one declaration per endpoint.
import type { Request, Response, Router } from 'express';
import type { ZodType, z } from 'zod';
import { hasPermission, senderOf, type Permission, type Principal } from '../../domain/access.ts';
import type { Actor } from '../../services/audit.ts';
import { actorOf } from '../auth/principal.ts';
import { asSender } from '../../services/workflow-sender.ts';
import { HttpProblem, ProblemSchema, zodErrors } from './problem-exports.ts';
import { registry } from './openapi-registry.ts';
import { beginIdempotentRequest, IdempotencyKeyHeader, idempotencyKeyOf, type IdempotencyKeys } from './idempotency.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  principal: Principal;
  actor: Actor;
  req: Request;
  res: Response;
}

export interface RouteReply {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition<P extends ZodType, Q extends ZodType, B extends ZodType> {
  method: Method;
  path: string;
  /** Stable name of the operation in the OpenAPI document (and generated clients). */
  operationId: string;
  summary: string;
  tag: string;
  permission: Permission | 'authenticated';
  params?: P;
  query?: Q;
  body?: B;
  /** Honour the Idempotency-Key header (api/http/idempotency.ts): a repeat gets the stored answer and does nothing. */
  idempotency?: IdempotencyKeys;
  /** A file as the request body (not JSON): the route parses it itself; listed here for the OpenAPI document. */
  upload?: { contentTypes: readonly string[]; description: string };
  /** `alsoAs`: other media types the response can take (by Accept), e.g. text/csv. */
  responses: Record<number, { description: string; schema?: ZodType; headers?: Record<string, string>; alsoAs?: readonly string[] }>;
  handler: (ctx: RouteContext<z.infer<P>, z.infer<Q>, z.infer<B>>) => Promise<RouteReply | void>;
}

export function defineRoute<P extends ZodType, Q extends ZodType, B extends ZodType>(router: Router, base: string, def: RouteDefinition<P, Q, B>): void {
  registerOpenApi(base, def);
  router[def.method](def.path, async (req: Request, res: Response) => {
    const principal = req.auth?.principal;
    if (!principal) throw new HttpProblem(401, 'unauthenticated', 'sign in or present an API key');
    if (def.permission !== 'authenticated' && !hasPermission(principal, def.permission)) {
      throw new HttpProblem(403, 'forbidden', `this needs the ${def.permission} permission`);
    }
    const idempotencyKey = def.idempotency ? idempotencyKeyOf(req) : null;
    const params = parsePart(def.params, req.params, 'path') as z.infer<P>;
    // Unknown query parameters are refused: a misspelt filter must not silently return everything.
    const query = parsePart(def.query && 'strict' in def.query ? (def.query as unknown as { strict(): ZodType }).strict() : def.query, req.query, 'query') as z.infer<Q>;
    if (def.body && !req.is('application/json')) throw new HttpProblem(415, 'unsupported_media_type', 'send a JSON body with Content-Type: application/json');
    const body = parsePart(def.body, req.body ?? {}, 'body') as z.infer<B>;
    // Invalid requests were refused above without touching the key; only a valid request claims it.
    const idempotent = def.idempotency ? await beginIdempotentRequest(def.idempotency, idempotencyKey, principal, req) : ({ kind: 'none' } as const);
    if (idempotent.kind === 'replay') {
      res.setHeader('Idempotent-Replayed', 'true');
      if (idempotent.body === null || idempotent.body === undefined) res.status(idempotent.statusCode).end();
      else res.status(idempotent.statusCode).json(idempotent.body);
      return;
    }
    let reply: RouteReply | void;
    try {
      // Workflow messages the handler sends carry the caller's identity (the history inspector shows it).
      reply = await asSender(senderOf(principal), () => def.handler({ params, query, body, principal, actor: actorOf(principal, String(req.id ?? '')), req, res }));
    } catch (error) {
      if (idempotent.kind === 'claimed') await idempotent.release();
      throw error;
    }
    if (res.headersSent) {
      if (idempotent.kind === 'claimed') await idempotent.release(); // the handler answered itself: nothing to replay
      return;
    }
    for (const [name, value] of Object.entries(reply?.headers ?? {})) res.setHeader(name, value);
    const status = reply?.status ?? (reply?.body === undefined ? 204 : 200);
    if (idempotent.kind === 'claimed') {
      // The work is done and committed: answer even if the answer cannot be stored. The key then stays
      // "in progress" until it is abandoned (5 min); the operations are idempotent on their own keys too.
      await idempotent.complete(status, reply?.body ?? null).catch((error: unknown) => req.log?.error({ err: error }, 'could not store the answer for an Idempotency-Key'));
    }
    if (reply?.body === undefined) res.status(status).end();
    else res.status(status).json(reply.body);
  });
}

function parsePart(schema: ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new HttpProblem(400, 'validation_failed', `the request ${where} is not valid`, zodErrors(result.error).map((e) => ({ ...e, path: `${where}.${e.path}` })));
  }
  return result.data;
}

function registerOpenApi(base: string, def: RouteDefinition<ZodType, ZodType, ZodType>): void {
  const responses: Record<string, object> = {};
  for (const [status, r] of Object.entries(def.responses)) {
    const alsoAs = Object.fromEntries((r.alsoAs ?? []).map((type) => [type, { schema: { type: 'string' } }]));
    const headers = r.headers ? { headers: Object.fromEntries(Object.entries(r.headers).map(([name, description]) => [name, { description, schema: { type: 'string' } }])) } : {};
    responses[status] = r.schema ? { description: r.description, content: { 'application/json': { schema: r.schema }, ...alsoAs }, ...headers } : { description: r.description, ...headers };
  }
  const problemStatuses = def.idempotency ? ['400', '401', '403', '409', '422'] : ['400', '401', '403'];
  for (const status of problemStatuses) {
    responses[status] ??= { description: 'Problem', content: { 'application/problem+json': { schema: ProblemSchema } } };
  }
  registry.registerPath({
    method: def.method,
    path: (base + def.path).replace(/:(\w+)/g, '{$1}'),
    operationId: def.operationId,
    summary: def.summary,
    tags: [def.tag],
    description: def.permission === 'authenticated' ? 'Any signed-in caller.' : `Needs the \`${def.permission}\` permission (role or API-key scope).`,
    request: {
      ...(def.params ? { params: def.params as never } : {}),
      ...(def.query ? { query: def.query as never } : {}),
      ...(def.body ? { body: { content: { 'application/json': { schema: def.body } } } } : {}),
      ...(def.idempotency ? { headers: IdempotencyKeyHeader } : {}),
      ...(def.upload ? { body: { description: def.upload.description, required: true, content: Object.fromEntries(def.upload.contentTypes.map((type) => [type, { schema: { type: 'string' } }])) } } : {}),
    },
    responses: responses as never,
  });
}
