// Strategy versions and champion/challenger (S4, S6, E4): admins add validated versions and publish
// them; new cases are split between arms deterministically and record their version; running cases
// keep the version they started with.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, delinquencyReport } from '../support/fixtures.ts';
import { seedDemoData } from '../../prisma/demo-data.ts';
import { referenceStrategyS5 } from '../../domain/reference-strategies.ts';
import { chooseArm } from '../../domain/champion-challenger.ts';

let system: TestSystem;
let admin: string;
let segmentId: string;
let v1: string;

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  await seedDemoData(system.database.db, { accounts: 30 });
  admin = await createApiKey(system.database.db, ['strategies:manage', 'accounts:read', 'delinquencies:report']);
  const segments = (await request(system.app).get('/api/v1/segments').set('x-api-key', admin)).body.items as Array<{ id: string; code: string; strategies: Array<{ id: string; status: string; trafficPercent: number }> }>;
  const retailLow = segments.find((s) => s.code === 'RETAIL_LOW')!;
  segmentId = retailLow.id;
  v1 = retailLow.strategies[0]!.id;
  expect(retailLow.strategies[0]).toMatchObject({ status: 'active', trafficPercent: 100 });
});
afterAll(async () => system?.stop());

const earlierReminder = { steps: referenceStrategyS5.steps.map((s) => (s.id === 'reminder_email' ? { ...s, trigger: { kind: 'days_past_due' as const, days: 3 } } : s)) };

describe('strategy versions', () => {
  test('a contradictory or unreachable definition is refused with the step at fault', async () => {
    const backwards = { steps: [...referenceStrategyS5.steps.slice(1, 2), referenceStrategyS5.steps[0]!] };
    const res = await request(system.app).post(`/api/v1/segments/${segmentId}/strategies`).set('x-api-key', admin).send({ name: 'bad', definition: backwards });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain('body.definition.steps.1');
    const noTemplate = { steps: [{ id: 'x', stage: 'soft', trigger: { kind: 'days_past_due', days: 1 }, action: { kind: 'send_message', channel: 'sms', template: 'no_such_template' } }] };
    const res2 = await request(system.app).post(`/api/v1/segments/${segmentId}/strategies`).set('x-api-key', admin).send({ name: 'bad', definition: noTemplate });
    expect(res2.status).toBe(400);
    expect(JSON.stringify(res2.body.errors)).toContain('no sms template no_such_template');
  });

  test('a challenger takes its share of new cases; each account’s arm is deterministic and recorded', async () => {
    const draft = await request(system.app).post(`/api/v1/segments/${segmentId}/strategies`).set('x-api-key', admin).send({ name: 'Earlier reminder', definition: earlierReminder });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 2, status: 'draft', trafficPercent: 0 });
    const published = await request(system.app).post(`/api/v1/strategies/${draft.body.id}/publish`).set('x-api-key', admin).send({ mode: 'challenger', percent: 30 });
    expect(published.status).toBe(200);
    expect(published.body.active).toEqual([{ strategyId: v1, percent: 70 }, { strategyId: draft.body.id, percent: 30 }]);

    const arms: Record<string, number> = {};
    for (let i = 0; i < 40; i++) {
      const opened = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', admin).send(delinquencyReport('EAST', { amountMinor: 5000 }));
      expect(opened.status).toBe(201);
      const row = await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: opened.body.caseId } });
      expect(row.strategyId).toBe(chooseArm(opened.body.accountId, [{ strategyId: v1, percent: 70 }, { strategyId: draft.body.id, percent: 30 }])!.strategyId);
      arms[row.strategyId!] = (arms[row.strategyId!] ?? 0) + 1;
    }
    expect(Object.keys(arms).sort()).toEqual([v1, draft.body.id].sort());

    // Publishing in place retires both; cases already open keep the version they started with.
    const before = await system.database.db.collectionCase.groupBy({ by: ['strategyId'], _count: true, where: { status: 'open' } });
    const v3 = await request(system.app).post(`/api/v1/segments/${segmentId}/strategies`).set('x-api-key', admin).send({ name: 'v3', definition: referenceStrategyS5 });
    const replaced = await request(system.app).post(`/api/v1/strategies/${v3.body.id}/publish`).set('x-api-key', admin).send({ mode: 'replace' });
    expect(replaced.body.active).toEqual([{ strategyId: v3.body.id, percent: 100 }]);
    expect(await system.database.db.collectionCase.groupBy({ by: ['strategyId'], _count: true, where: { status: 'open' } })).toEqual(before);
    const statuses = (await system.database.db.strategy.findMany({ where: { segmentId }, orderBy: { version: 'asc' } })).map((s) => s.status);
    expect(statuses).toEqual(['retired', 'retired', 'active']);
    const again = await request(system.app).post(`/api/v1/strategies/${v3.body.id}/publish`).set('x-api-key', admin).send({ mode: 'replace' });
    expect(again.status).toBe(409);
  });

  test('only admins manage strategies', async () => {
    const reader = await createApiKey(system.database.db, ['accounts:read']);
    expect((await request(system.app).post(`/api/v1/segments/${segmentId}/strategies`).set('x-api-key', reader).send({ name: 'x', definition: referenceStrategyS5 })).status).toBe(403);
    const challengerWithoutShare = await request(system.app).post(`/api/v1/strategies/${v1}/publish`).set('x-api-key', admin).send({ mode: 'challenger' });
    expect(challengerWithoutShare.status).toBe(400);
  });
});
