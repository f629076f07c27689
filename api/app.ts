// The Express application: security headers, logging, rate limits, auth, the /api/v1 routes, API
// docs, the queue board and, last, the SvelteKit UI for every other path.
import express, { Router, type RequestHandler } from 'express';
import helmet from 'helmet';
import compression from 'compression';
import cookieParser from 'cookie-parser';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { ApiDeps } from './deps.ts';
import { authenticate } from './auth/middleware.ts';
import { notFoundHandler, problem, problemHandler, HttpProblem } from './http/problem.ts';
import { openApiDocument } from './http/openapi-registry.ts';
import { authRoutes } from './routes/auth.ts';
import { accountRoutes } from './routes/accounts.ts';
import { bucketRoutes } from './routes/bucket.ts';
import { teamRoutes } from './routes/team.ts';
import { accountWorkspaceRoutes } from './routes/account-workspace.ts';
import { billingRoutes } from './routes/billing.ts';
import { importRoutes } from './routes/imports.ts';
import { adminRoutes } from './routes/admin.ts';
import { caseRoutes } from './routes/cases.ts';
import { caseHistoryRoutes } from './routes/case-history.ts';
import { webhookRoutes } from './routes/webhooks.ts';
import { strategyRoutes } from './routes/strategies.ts';
import { templateRoutes } from './routes/templates.ts';
import { contactPolicyRoutes } from './routes/contact-policy.ts';
import { workRoutes } from './routes/work.ts';
import { segmentRoutes } from './routes/segments.ts';
import { dataRequestRoutes } from './routes/data-requests.ts';
import { healthRoutes, measureRequests } from './routes/health.ts';
import { fieldRoutes, publicReceiptRoutes } from './routes/field.ts';
import { fieldRouteRoutes } from './routes/field-routes.ts';
import { fieldReportRoutes } from './routes/field-reports.ts';
import { travelMatrixProviderFromEnv } from '../platform/routing/travel-matrix.ts';
import { hasPermission } from '../domain/access.ts';

export function createApp(deps: ApiDeps, options: { uiHandler?: RequestHandler } = {}) {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(measureRequests);
  app.use(pinoHttp({ logger: deps.logger, genReqId: (req, res) => {
    const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) ?? randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  }, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/metrics' } }));
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          // 'wasm-unsafe-eval': WebAssembly only (the field app's barcode reader), not JavaScript eval.
          'script-src': ["'self'", "'unsafe-inline'", "'wasm-unsafe-eval'"],
          'img-src': ["'self'", 'data:', 'blob:', ...tileOrigins(deps.config.MAP_TILE_URL)],
          'connect-src': ["'self'"],
          'upgrade-insecure-requests': deps.config.COOKIE_SECURE ? [] : null,
        },
      },
      strictTransportSecurity: deps.config.COOKIE_SECURE,
    }),
  );
  // gzip/brotli for JSON, CSV, HTML and the UI's files when the client accepts it (a page of accounts
  // or a field rep's day shrinks several times over a mobile connection). The team board's event stream
  // says `Cache-Control: no-transform`, which compression honours, so its events are never held back.
  app.use(compression());
  app.use(healthRoutes(deps));
  for (const extra of deps.extraRoutes ?? []) app.use(extra.path, extra.router);

  const api = Router();
  api.use(
    rateLimit({
      windowMs: 60_000,
      limit: deps.config.RATE_LIMIT_PER_MINUTE,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new RedisStore({ prefix: 'rl:api:', sendCommand: (...args: string[]) => deps.redis.call(args[0]!, ...args.slice(1)) as never }),
      handler: (_req, res) => res.status(429).type('application/problem+json').json(problem(429, 'rate_limited', 'too many requests; slow down')),
    }),
  );
  api.use('/field/sync', express.json({ limit: '12mb' })); // visits with signatures, in batches
  api.use(express.json({ limit: '1mb' }));
  api.use(cookieParser());
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  mountDocs(api);
  api.use(publicReceiptRoutes(deps)); // the customer's link: its token is the key
  api.use(authenticate(deps.db));
  api.use(authRoutes(deps));
  api.use(bucketRoutes(deps)); // before accountRoutes: /accounts/summary is not an account id
  api.use(accountRoutes(deps));
  api.use(teamRoutes(deps));
  api.use(accountWorkspaceRoutes(deps));
  api.use(billingRoutes(deps));
  api.use(importRoutes(deps));
  api.use(adminRoutes(deps));
  api.use(caseRoutes(deps));
  api.use(caseHistoryRoutes(deps));
  api.use(webhookRoutes(deps));
  api.use(strategyRoutes(deps));
  api.use(templateRoutes(deps));
  api.use(segmentRoutes(deps));
  api.use(contactPolicyRoutes(deps));
  api.use(workRoutes(deps));
  api.use(fieldRoutes(deps));
  const travel = deps.travelMatrix ?? travelMatrixProviderFromEnv(process.env, deps.logger);
  api.use(fieldRouteRoutes(deps, (points) => travel.matrix(points)));
  api.use(fieldReportRoutes(deps));
  api.use(dataRequestRoutes(deps));
  api.use(notFoundHandler);
  app.use('/api/v1', api);

  if (deps.queueBoard) {
    const board = Router();
    board.use(cookieParser(), authenticate(deps.db), (req, _res, next) => {
      if (!req.auth) throw new HttpProblem(401, 'unauthenticated', 'sign in as an admin to see the queues');
      if (!hasPermission(req.auth.principal, 'queues:manage')) throw new HttpProblem(403, 'forbidden', 'the queue board is for admins');
      next();
    });
    board.use(deps.queueBoard);
    app.use('/admin/queues', board);
  }

  if (options.uiHandler) app.use(options.uiHandler);
  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}

/** Browsable API docs (Swagger UI from the swagger-ui-dist package, served locally). */
function mountDocs(api: Router) {
  const require = createRequire(import.meta.url);
  const uiDir: string = require('swagger-ui-dist').getAbsoluteFSPath();
  api.get('/docs', (_req, res) => {
    res.type('html').send(`<!doctype html><html><head><meta charset="utf-8"><title>Arrears API</title>
<link rel="stylesheet" href="/api/v1/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/api/v1/docs/assets/swagger-ui-bundle.js"></script><script src="/api/v1/docs/init.js"></script></body></html>`);
  });
  api.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(`window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#ui' });`);
  });
  api.use('/docs/assets', express.static(uiDir, { index: false }));
}

/** The map tile server's origin for the CSP ("{s}" subdomains as a wildcard); none for a relative URL. */
export function tileOrigins(template: string): string[] {
  try {
    const url = new URL(template.replace(/\{s\}\./, 'x-subdomain.').replace(/\{[a-z]+\}/g, '0'));
    return [url.origin.replace('x-subdomain.', '*.')];
  } catch {
    return [];
  }
}
