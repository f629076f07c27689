// Roles, branches, API-key scopes, CSRF and bad input on every route (X3, and the house rule that
// bad input gets a 4xx problem document and changes nothing).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, delinquencyReport, testPassword } from '../support/fixtures.ts';
import { allPermissions } from '../../domain/access.ts';

let system: TestSystem;
let east: { id: string; code: string };
let west: { id: string; code: string };
let billingKey: string;
let westAccountId: string;
let eastAccountId: string;

async function signIn(role: 'admin' | 'supervisor' | 'collector' | 'viewer', branchId: string | null = null) {
  const user = await createUser(system.database.db, role, branchId);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  expect(res.status).toBe(200);
  return { agent, csrf: res.body.csrfToken as string, user };
}

beforeAll(async () => {
  system = await startTestSystem({ withQueueBoard: true });
  east = await createBranch(system.database.db);
  west = await createBranch(system.database.db);
  billingKey = await createApiKey(system.database.db, ['delinquencies:report', 'payments:write', 'accounts:read']);
  westAccountId = (await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(delinquencyReport(west.code))).body.accountId;
  eastAccountId = (await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(delinquencyReport(east.code))).body.accountId;
});
afterAll(async () => system?.stop());

describe('authentication', () => {
  test('a wrong password is refused with invalid_credentials, the same as an unknown email', async () => {
    const user = await createUser(system.database.db, 'collector');
    const wrong = await request(system.app).post('/api/v1/auth/login').send({ email: user.email, password: 'nope' });
    const unknown = await request(system.app).post('/api/v1/auth/login').send({ email: 'nobody@test.example', password: 'nope' });
    for (const res of [wrong, unknown]) {
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('invalid_credentials');
    }
  });

  test('the session cookie is httpOnly, and the password hash is Argon2id', async () => {
    const user = await createUser(system.database.db, 'collector');
    const res = await request(system.app).post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
    expect(String(res.headers['set-cookie'])).toMatch(/arrears_session=.+HttpOnly/i);
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  test('without a session or key the API answers 401 unauthenticated', async () => {
    const res = await request(system.app).get('/api/v1/accounts');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
  });

  test('a cookie session must echo its CSRF token on unsafe requests', async () => {
    const { agent, csrf } = await signIn('admin');
    const without = await agent.post('/api/v1/api-keys').send({ name: 'x', scopes: ['accounts:read'] });
    expect(without.status).toBe(403);
    expect(without.body.code).toBe('csrf_failed');
    const withToken = await agent.post('/api/v1/api-keys').set('x-csrf-token', csrf).send({ name: 'x', scopes: ['accounts:read'] });
    expect(withToken.status).toBe(201);
    expect(withToken.body.key).toMatch(/^ak_/);
  });

  test('logging out ends the session', async () => {
    const { agent, csrf } = await signIn('viewer');
    expect((await agent.post('/api/v1/auth/logout').set('x-csrf-token', csrf)).status).toBe(204);
    expect((await agent.get('/api/v1/auth/me')).status).toBe(401);
  });
});

describe('roles', () => {
  test("a collector's session cannot call an admin route", async () => {
    const { agent, csrf } = await signIn('collector');
    const res = await agent.post('/api/v1/api-keys').set('x-csrf-token', csrf).send({ name: 'x', scopes: ['accounts:read'] });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect((await agent.get('/api/v1/api-keys')).status).toBe(403);
    expect((await agent.get(`/api/v1/accounts/${eastAccountId}/audit`)).status).toBe(403);
  });

  test('the queue board is for admins only', async () => {
    expect((await request(system.app).get('/admin/queues')).status).toBe(401);
    const collector = await signIn('collector');
    const refused = await collector.agent.get('/admin/queues');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    const admin = await signIn('admin');
    const board = await admin.agent.get('/admin/queues');
    expect(board.status).toBe(200);
    expect(board.text).toContain('<div id="root">');
    const queues = await admin.agent.get('/admin/queues/api/queues');
    expect(queues.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['messages-email', 'messages-sms', 'messages-letter', 'messages-dead-letter']));
  });

  test('an API key without the right scope is refused; a revoked key is unknown', async () => {
    const readOnly = await createApiKey(system.database.db, ['accounts:read']);
    const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', readOnly).send(delinquencyReport(east.code));
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');

    const { agent, csrf } = await signIn('admin');
    const created = await agent.post('/api/v1/api-keys').set('x-csrf-token', csrf).send({ name: 'temp', scopes: ['accounts:read'] });
    expect((await request(system.app).get('/api/v1/accounts').set('authorization', `Bearer ${created.body.key}`)).status).toBe(200);
    expect((await agent.delete(`/api/v1/api-keys/${created.body.id}`).set('x-csrf-token', csrf)).status).toBe(204);
    const revoked = await request(system.app).get('/api/v1/accounts').set('x-api-key', created.body.key);
    expect(revoked.status).toBe(401);
    expect(revoked.body.code).toBe('invalid_api_key');
  });
});

describe('branches', () => {
  test("a collector sees only their branch's accounts, and another branch's account is not found", async () => {
    const { agent } = await signIn('collector', east.id);
    const list = await agent.get('/api/v1/accounts?pageSize=100');
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((a: { branch: { code: string } }) => a.branch.code === east.code)).toBe(true);
    expect((await agent.get(`/api/v1/accounts/${eastAccountId}`)).status).toBe(200);
    const other = await agent.get(`/api/v1/accounts/${westAccountId}`);
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('not_found');
  });

  test("a branch-bound API key cannot report another branch's accounts", async () => {
    const eastKey = await createApiKey(system.database.db, ['delinquencies:report'], east.id);
    const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', eastKey).send(delinquencyReport(west.code));
    expect(res.status).toBe(403);
  });
});

describe('bad input', () => {
  test('every route answers garbage with a 4xx problem document and a stable code', async () => {
    const allScopes = await createApiKey(system.database.db, allPermissions);
    const doc = (await request(system.app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }>> };
    const checked: string[] = [];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const hasPathParam = path.includes('{');
        const hasQuery = (op.parameters ?? []).some((p) => p.in === 'query');
        if (!op.requestBody && !hasPathParam && !hasQuery) continue;
        const url = path.replace(/\{\w+\}/g, 'not-a-uuid');
        const variants: Array<request.Test> = [];
        const call = () => (request(system.app) as unknown as Record<string, (u: string) => request.Test>)[method]!(hasQuery && !hasPathParam ? `${url}?page=-1&pageSize=100000&sort=nonsense` : url).set('x-api-key', allScopes);
        if (op.requestBody) {
          variants.push(call().send({ unexpected: true }));
          variants.push(call().set('content-type', 'application/json').send('{"broken": '));
          variants.push(call().set('content-type', 'text/plain').send('hello'));
        } else variants.push(call());
        for (const res of await Promise.all(variants)) {
          expect(res.status, `${method.toUpperCase()} ${path}`).toBeGreaterThanOrEqual(400);
          expect(res.status, `${method.toUpperCase()} ${path}`).toBeLessThan(500);
          expect(res.headers['content-type'], `${method.toUpperCase()} ${path}`).toMatch(/application\/problem\+json/);
          expect(typeof res.body.code).toBe('string');
        }
        checked.push(`${method} ${path}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['post /api/v1/delinquencies', 'post /api/v1/payments', 'post /api/v1/payments/reversals', 'post /api/v1/invoices/adjustments', 'get /api/v1/accounts/{id}', 'get /api/v1/accounts']));
  });

  test('a rejected report changes nothing', async () => {
    const before = await system.database.db.account.count();
    const report = delinquencyReport(east.code);
    report.invoices[0]!.openMinor = report.invoices[0]!.amountMinor + 1;
    const res = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(report);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('body.invoices.0.openMinor');
    const unknownBranch = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(delinquencyReport('NOSUCH'));
    expect(unknownBranch.status).toBe(422);
    expect(unknownBranch.body.code).toBe('unknown_branch');
    expect(await system.database.db.account.count()).toBe(before);
  });

  test('an unknown route is a 404 problem', async () => {
    const res = await request(system.app).get('/api/v1/nothing-here').set('x-api-key', billingKey);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('route_not_found');
  });
});

describe('operations', () => {
  test('health, readiness (PostgreSQL, Redis, Temporal), metrics and the OpenAPI document are served', async () => {
    expect((await request(system.app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(system.app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'ok', redis: 'ok', temporal: 'ok' });
    expect((await request(system.app).get('/metrics')).text).toContain('http_request_duration_seconds');
    const doc = await request(system.app).get('/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toContain('/api/v1/payments');
    expect((await request(system.app).get('/api/v1/docs')).text).toContain('swagger-ui');
  });

  test('responses carry security headers', async () => {
    const res = await request(system.app).get('/healthz');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
  });

  test('answers are compressed for clients that accept it, and not for those that do not', async () => {
    const gzip = await request(system.app).get('/api/v1/openapi.json').set('accept-encoding', 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.body.openapi).toBe('3.1.0');
    const brotli = await request(system.app).get('/api/v1/openapi.json').set('accept-encoding', 'br');
    expect(brotli.headers['content-encoding']).toBe('br');
    const plain = await request(system.app).get('/api/v1/openapi.json').set('accept-encoding', 'identity');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBeGreaterThan(Number(gzip.headers['content-length'] ?? 0) * 3);
  });
});

describe('query strings', () => {
  test('a misspelt filter is refused rather than ignored', async () => {
    const key = await createApiKey(system.database.db, ['accounts:read']);
    const res = await request(system.app).get('/api/v1/accounts?ageing=90%2B').set('x-api-key', key);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_failed');
    expect(JSON.stringify(res.body.errors)).toContain('ageing');
  });
});
