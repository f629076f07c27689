// Liveness, readiness (Temporal, PostgreSQL, Redis) and Prometheus metrics.
import { Router } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from 'express';
import type { ApiDeps } from '../deps.ts';

export const metrics = new Registry();
collectDefaultMetrics({ register: metrics });
const httpDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route and status',
  labelNames: ['method', 'route', 'status'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metrics],
});

export const measureRequests: RequestHandler = (req, res, next) => {
  const end = httpDuration.startTimer();
  res.on('finish', () => end({ method: req.method, route: req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched', status: String(res.statusCode) }));
  next();
};

export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const timed = async (check: () => Promise<unknown>) => {
      try {
        await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
        return 'ok';
      } catch (error) {
        return `failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    };
    const checks = {
      postgres: await timed(() => deps.db.$queryRaw`select 1`),
      redis: await timed(() => deps.redis.ping()),
      temporal: await timed(async () => {
        if (!(await deps.temporalHealthy())) throw new Error('unreachable');
      }),
    };
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
