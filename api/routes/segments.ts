// Segments admins define (S1, E4): create and update them with validated criteria; and the segments
// the system proposes from the data (C2). Listing them with their strategies is in strategies.ts.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { IdParams } from '../schemas.ts';
import { segmentCriteriaSchema } from '../../domain/segmentation.ts';
import { minorToNumber } from '../../domain/money.ts';
import { createSegment, segmentProposals, updateSegment } from '../../services/segments.ts';

// A clone: the domain schema may be built before zod is extended for OpenAPI (import order).
const Criteria = registry.register('SegmentCriteria', segmentCriteriaSchema.clone().openapi({ description: 'Every criterion given must hold; an account without the attribute a criterion needs does not match' }));
const segmentCode = z.string().regex(/^[A-Z][A-Z0-9_]{0,39}$/, 'upper-case letters, digits and _, starting with a letter');
const SegmentDetail = registry.register(
  'SegmentDetail',
  z.object({ id: z.uuid(), code: z.string(), name: z.string(), description: z.string(), priority: z.number().int(), active: z.boolean(), criteria: Criteria, createdAt: z.string() }),
);
const SegmentCreate = registry.register(
  'SegmentCreate',
  z.strictObject({
    code: segmentCode,
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).optional(),
    priority: z.number().int().min(0).max(100_000).openapi({ description: 'Lower first: an account joins the first segment it matches' }),
    active: z.boolean().optional(),
    criteria: Criteria,
  }),
);
const SegmentUpdate = registry.register(
  'SegmentUpdate',
  z
    .strictObject({ name: z.string().trim().min(1).max(100), description: z.string().max(1000), priority: z.number().int().min(0).max(100_000), active: z.boolean(), criteria: Criteria })
    .partial()
    .refine((u) => Object.keys(u).length > 0, { message: 'change at least one field' }),
);
const ProposalQuery = z.object({ currency: z.string().regex(/^[A-Z]{3}$/).optional().openapi({ description: 'Accounts in this currency (default: the most common one)' }) });
const Proposals = registry.register(
  'SegmentProposals',
  z.object({
    currency: z.string().nullable(),
    accountsConsidered: z.number().int(),
    proposals: z.array(z.object({ code: z.string(), name: z.string(), criteria: Criteria, priority: z.number().int(), accountCount: z.number().int(), totalBalance: z.object({ amountMinor: z.number().int(), currency: z.string() }) })),
  }),
);

const segmentDto = (s: { id: string; code: string; name: string; description: string; priority: number; active: boolean; criteria: unknown; createdAt: Date }) => ({
  id: s.id,
  code: s.code,
  name: s.name,
  description: s.description,
  priority: s.priority,
  active: s.active,
  criteria: s.criteria as z.infer<typeof Criteria>,
  createdAt: s.createdAt.toISOString(),
});

export function segmentRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/segments/proposals',
    operationId: 'proposeSegments',
    summary: 'Segments proposed from the delinquent accounts: by customer type, balance bands at the data’s quantiles and days-past-due bands',
    tag: 'strategies',
    permission: 'segments:propose',
    query: ProposalQuery,
    responses: { 200: { description: 'Proposals, each with its criteria, account count and total balance', schema: Proposals } },
    handler: async ({ query }) => {
      const result = await segmentProposals(db, { currency: query.currency });
      const currency = result.currency ?? '';
      return { body: { ...result, proposals: result.proposals.map(({ totalBalanceMinor, ...p }) => ({ ...p, totalBalance: { amountMinor: minorToNumber(totalBalanceMinor), currency } })) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/segments',
    operationId: 'createSegment',
    summary: 'Create a segment with business-defined criteria',
    tag: 'strategies',
    permission: 'segments:manage',
    body: SegmentCreate,
    responses: { 201: { description: 'The segment', schema: SegmentDetail }, 409: { description: 'The code is taken' } },
    handler: async ({ actor, body }) => ({ status: 201, body: segmentDto(await createSegment(db, actor, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'patch',
    path: '/segments/:id',
    operationId: 'updateSegment',
    summary: 'Change a segment’s name, priority, criteria or whether it is active; accounts move when their next report is segmented',
    tag: 'strategies',
    permission: 'segments:manage',
    params: IdParams,
    body: SegmentUpdate,
    responses: { 200: { description: 'The segment', schema: SegmentDetail }, 404: { description: 'No such segment' } },
    handler: async ({ actor, params, body }) => ({ body: segmentDto(await updateSegment(db, actor, params.id, body)) }),
  });
  return router;
}
