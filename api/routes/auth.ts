// Sign-in, sign-out and "who am I" for people using the web UI.
import { Router } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem, problem } from '../http/problem.ts';
import { LoginBody, Me } from '../schemas.ts';
import { createSession, deleteSession, sessionCookie } from '../auth/sessions.ts';
import { verifyPassword } from '../auth/secrets.ts';
import { auditedTransaction, recordAudit } from '../../services/audit.ts';
import { registry } from '../http/openapi-registry.ts';
import { permissionsOf } from '../../domain/access.ts';

export function authRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, config } = deps;

  const loginLimiter = rateLimit({
    windowMs: 15 * 60_000,
    limit: config.LOGIN_RATE_LIMIT_PER_15_MIN,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}:${String(req.body?.email ?? '').toLowerCase().slice(0, 200)}`,
    store: new RedisStore({ prefix: 'rl:login:', sendCommand: (...args: string[]) => deps.redis.call(args[0]!, ...args.slice(1)) as never }),
    handler: (_req, res) => res.status(429).type('application/problem+json').json(problem(429, 'rate_limited', 'too many sign-in attempts; wait a few minutes')),
  });

  registry.registerPath({
    method: 'post',
    path: '/api/v1/auth/login',
    operationId: 'login',
    summary: 'Sign in with email and password',
    tags: ['auth'],
    security: [],
    request: { body: { content: { 'application/json': { schema: LoginBody } } } },
    responses: { 200: { description: 'Signed in; sets the session cookie', content: { 'application/json': { schema: Me } } }, 401: { description: 'Wrong email or password' }, 429: { description: 'Too many attempts' } },
  });
  router.post('/auth/login', loginLimiter, async (req, res) => {
    const parsed = LoginBody.safeParse(req.body ?? {});
    if (!parsed.success) throw new HttpProblem(400, 'validation_failed', 'email and password are required', parsed.error.issues.map((i) => ({ path: `body.${i.path.join('.')}`, message: i.message })));
    const user = await db.user.findUnique({ where: { email: parsed.data.email.toLowerCase() }, include: { branch: { select: { id: true, code: true, name: true } } } });
    const ok = await verifyPassword(user?.active ? user.passwordHash : null, parsed.data.password);
    if (!user || !ok) throw new HttpProblem(401, 'invalid_credentials', 'email or password is wrong');
    const session = await createSession(db, user.id, config.SESSION_TTL_HOURS, { ip: req.ip, userAgent: req.get('user-agent') });
    await auditedTransaction(db, (tx) => recordAudit(tx, { type: 'user', id: user.id, requestId: String(req.id ?? '') }, { action: 'auth.login', entityType: 'user', entityId: user.id }));
    res.cookie(sessionCookie, session.token, { httpOnly: true, sameSite: 'lax', secure: config.COOKIE_SECURE, path: '/', expires: session.expiresAt });
    res.json({ user: { id: user.id, email: user.email, name: user.name, role: user.role, branch: user.branch }, csrfToken: session.csrfToken, permissions: permissionsOf(user.role) });
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/auth/me',
    operationId: 'getMe',
    summary: 'The signed-in user and the CSRF token for unsafe requests',
    tag: 'auth',
    permission: 'authenticated',
    responses: { 200: { description: 'The current user', schema: Me } },
    handler: async ({ principal, req }) => {
      if (principal.kind !== 'user') throw new HttpProblem(400, 'not_a_user', 'API keys have no user');
      const user = await db.user.findUniqueOrThrow({ where: { id: principal.id }, include: { branch: { select: { id: true, code: true, name: true } } } });
      return { body: { user: { id: user.id, email: user.email, name: user.name, role: user.role, branch: user.branch }, csrfToken: req.auth!.csrfToken, permissions: permissionsOf(user.role) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    summary: 'Sign out (ends the session)',
    tag: 'auth',
    permission: 'authenticated',
    responses: { 204: { description: 'Signed out' } },
    handler: async ({ req, res, principal, actor }) => {
      if (req.auth?.sessionId) {
        await deleteSession(db, req.auth.sessionId);
        await auditedTransaction(db, (tx) => recordAudit(tx, actor, { action: 'auth.logout', entityType: 'user', entityId: principal.id }));
      }
      res.clearCookie(sessionCookie, { path: '/' });
    },
  });
  return router;
}
