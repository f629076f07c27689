// Segments' strategies as versions: admins add a version (validated), then publish it either in
// place of the current one or as a challenger taking a share of new cases (S6). Running cases keep
// the version they started with; new cases take an arm of the published ones.
import type { Db } from '../platform/db/client.ts';
import { strategyDefinitionSchema, strategyProblems, type StrategyDefinition } from '../domain/strategy.ts';
import { chooseArm, sharesAfterPublish } from '../domain/champion-challenger.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';
import { knownTemplatesIn } from './templates.ts';

export async function addStrategyVersion(db: Db, actor: Actor, segmentId: string, input: { name: string; definition: StrategyDefinition }) {
  strategyDefinitionSchema.parse(input.definition); // the route has validated; this guards other callers
  // Messages must name a template that exists: a built-in or one an admin saved (C3).
  const missing = strategyProblems(input.definition, await knownTemplatesIn(db));
  if (missing.length) throw new ServiceError('validation_failed', 'the strategy names templates that do not exist', missing.map((p) => ({ path: `body.definition.steps.${p.index}`, message: p.message })));
  return auditedTransaction(db, async (tx) => {
    const segment = await tx.segment.findUnique({ where: { id: segmentId } });
    if (!segment) throw new ServiceError('not_found', 'no such segment');
    const last = await tx.strategy.findFirst({ where: { segmentId }, orderBy: { version: 'desc' }, select: { version: true } });
    const created = await tx.strategy.create({ data: { segmentId, version: (last?.version ?? 0) + 1, name: input.name, status: 'draft', trafficPercent: 0, definition: input.definition as object } });
    await recordAudit(tx, actor, { action: 'strategy.drafted', entityType: 'strategy', entityId: created.id, after: { segment: segment.code, version: created.version, name: created.name } });
    return created;
  });
}

export async function publishStrategy(db: Db, actor: Actor, strategyId: string, mode: 'replace' | 'challenger', percent: number) {
  return auditedTransaction(db, async (tx) => {
    const strategy = await tx.strategy.findUnique({ where: { id: strategyId } });
    if (!strategy) throw new ServiceError('not_found', 'no such strategy');
    if (strategy.status !== 'draft') throw new ServiceError('invalid_state', `version ${strategy.version} is ${strategy.status}; publish a draft`);
    const active = await tx.strategy.findMany({ where: { segmentId: strategy.segmentId, status: 'active' } });
    const shares = sharesAfterPublish(active.map((a) => ({ strategyId: a.id, percent: a.trafficPercent })), strategy.id, mode, percent);
    const keep = new Set(shares.map((s) => s.strategyId));
    for (const old of active) if (!keep.has(old.id)) await tx.strategy.update({ where: { id: old.id }, data: { status: 'retired', trafficPercent: 0 } });
    for (const share of shares) await tx.strategy.update({ where: { id: share.strategyId }, data: { status: 'active', trafficPercent: share.percent } });
    await recordAudit(tx, actor, { action: 'strategy.published', entityType: 'strategy', entityId: strategy.id, before: active.map((a) => ({ id: a.id, version: a.version, percent: a.trafficPercent })), after: shares });
    return shares;
  });
}

/** The strategy version a new case in this segment runs: its arm of the segment's active versions. */
export function strategyForNewCase(accountId: string, active: ReadonlyArray<{ id: string; trafficPercent: number }>): string | null {
  return chooseArm(accountId, active.map((s) => ({ strategyId: s.id, percent: s.trafficPercent })))?.strategyId ?? null;
}
