// Segments and their strategy versions (admins): read them, add a validated version, publish it
// in place of the current one or as a challenger on a share of new cases.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { IdParams } from '../schemas.ts';
import { strategyDefinitionSchema } from '../../domain/strategy.ts';
import { addStrategyVersion, publishStrategy } from '../../services/strategies.ts';
import { strategyPerformance } from '../../services/strategy-performance.ts';
import { minCasesToCompare } from '../../domain/strategy-performance.ts';

const StrategyItem = registry.register(
  'Strategy',
  z.object({ id: z.uuid(), version: z.number().int(), name: z.string(), status: z.enum(['draft', 'active', 'retired']), trafficPercent: z.number().int(), definition: z.unknown(), createdAt: z.string() }),
);
const SegmentItem = registry.register('Segment', z.object({ id: z.uuid(), code: z.string(), name: z.string(), priority: z.number().int(), criteria: z.unknown(), strategies: z.array(StrategyItem) }));
const NewVersion = registry.register('StrategyVersionCreate', z.object({ name: z.string().trim().min(1).max(100), definition: strategyDefinitionSchema }));
const Publish = registry.register(
  'StrategyPublish',
  z
    .object({ mode: z.enum(['replace', 'challenger']).default('replace'), percent: z.number().int().min(1).max(99).optional() })
    .refine((p) => p.mode === 'replace' || p.percent !== undefined, { message: 'a challenger needs its percent of new cases', path: ['percent'] }),
);

const rate = z.number().nullable();
const StrategyPerformance = registry.register(
  'StrategyPerformance',
  z.object({
    segment: z.object({ id: z.uuid(), code: z.string(), name: z.string() }),
    championId: z.uuid().nullable().openapi({ description: 'The active version with the largest share of new cases' }),
    generatedAt: z.string(),
    arms: z.array(
      z.object({
        strategy: z.object({ id: z.uuid(), version: z.number().int(), name: z.string(), status: z.enum(['draft', 'active', 'retired']), trafficPercent: z.number().int() }),
        isChampion: z.boolean(),
        cases: z.number().int(),
        open: z.number().int(),
        paid: z.number().int().openapi({ description: 'Closed paid in full or settled' }),
        otherClosed: z.number().int(),
        paidShare: rate,
        recoveryRate: rate.openapi({ description: 'Mean over cases of what was collected during the case over what was owed when it opened, capped at 1' }),
        medianDaysToPay: z.number().nullable(),
        promises: z.object({ made: z.number().int(), kept: z.number().int(), broken: z.number().int(), keptShare: rate }),
        comparison: z
          .object({ strategyId: z.uuid().nullable(), paidShareDifference: rate, pValue: rate, verdict: z.enum(['better', 'worse', 'not_yet_significant', 'too_few_cases']) })
          .nullable()
          .openapi({ description: `Against the champion on the share paid (two-proportion z-test; a verdict needs ${minCasesToCompare} cases an arm and p < 0.05)` }),
      }),
    ),
  }),
);

export function strategyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;
  const strategyDto = (s: { id: string; version: number; name: string; status: 'draft' | 'active' | 'retired'; trafficPercent: number; definition: unknown; createdAt: Date }) => ({ ...s, createdAt: s.createdAt.toISOString() });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/segments',
    operationId: 'listSegments',
    summary: 'Segments with their strategy versions and traffic shares',
    tag: 'strategies',
    permission: 'accounts:read',
    responses: { 200: { description: 'Segments', schema: z.object({ items: z.array(SegmentItem) }) } },
    handler: async () => {
      const segments = await db.segment.findMany({ orderBy: { priority: 'asc' }, include: { strategies: { orderBy: { version: 'desc' } } } });
      return { body: { items: segments.map((sg) => ({ id: sg.id, code: sg.code, name: sg.name, priority: sg.priority, criteria: sg.criteria, strategies: sg.strategies.map(strategyDto) })) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/segments/:id/performance',
    operationId: 'getStrategyPerformance',
    summary: "How the segment's strategy versions have done with their cases (S6): share paid, recovery, days to pay, promises; each challenger against the champion",
    tag: 'strategies',
    permission: 'strategies:analyse',
    params: IdParams,
    responses: { 200: { description: "The versions, oldest first; a branch's supervisor counts her branch's cases", schema: StrategyPerformance } },
    handler: async ({ principal, params }) => {
      const report = await strategyPerformance(db, principal, params.id);
      return { body: { ...report, generatedAt: report.generatedAt.toISOString() } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/segments/:id/strategies',
    operationId: 'addStrategyVersion',
    summary: 'Add a strategy version (a draft) to a segment; unreachable or contradictory steps are refused',
    tag: 'strategies',
    permission: 'strategies:manage',
    params: IdParams,
    body: NewVersion,
    responses: { 201: { description: 'The draft version', schema: StrategyItem } },
    handler: async ({ actor, params, body }) => ({ status: 201, body: strategyDto(await addStrategyVersion(db, actor, params.id, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/strategies/:id/publish',
    operationId: 'publishStrategy',
    summary: 'Publish a draft: replace the active version, or run it as a challenger on a share of new cases (S6)',
    tag: 'strategies',
    permission: 'strategies:manage',
    params: IdParams,
    body: Publish,
    responses: { 200: { description: 'The segment’s active versions and their shares', schema: z.object({ active: z.array(z.object({ strategyId: z.uuid(), percent: z.number().int() })) }) } },
    handler: async ({ actor, params, body }) => ({ body: { active: await publishStrategy(db, actor, params.id, body.mode, body.percent ?? 100) } }),
  });
  return router;
}
