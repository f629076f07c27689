// Field visits reaching the case workflow (F5, F6): a visit that does not find the debtor counts as
// a failed contact for the strategy, recovered equipment and the visit itself are events a strategy
// can act on, and a visit told twice (a re-synced phone) counts once. On Temporal's time-skipping
// server with the real activities; the history is kept as a replay fixture.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { workflowBundle } from '../../workers/temporal-worker.ts';
import { caseSnapshotQuery } from '../../workflows/messages.ts';
import { startCaseHarness, type CaseHarness } from '../support/case-harness.ts';
import { eventually } from '../support/system.ts';

let harness: CaseHarness;

beforeAll(async () => {
  harness = await startCaseHarness({ timeZone: 'America/Chicago' });
});
afterAll(async () => harness?.stop());

const db = () => harness.database.db;

describe('field visits on the case', () => {
  test('two visits with nobody home send the account to legal review; equipment recovered and each visit run their steps; a repeated visit counts once', async () => {
    const segment = await db().segment.create({ data: { code: 'FIELD-VISITS', name: 'Field visits', criteria: { customerType: 'corporate' }, priority: 0 } });
    const definition = {
      steps: [
        { id: 'visited', stage: 'hard', trigger: { kind: 'event', event: 'visit_completed' }, action: { kind: 'note', text: 'A field rep has been: read the visit before calling' } },
        { id: 'kit_back', stage: 'hard', trigger: { kind: 'event', event: 'equipment_recovered' }, action: { kind: 'note', text: 'Equipment recovered: stop the rental charges' } },
        { id: 'not_found', stage: 'pre_legal', trigger: { kind: 'event', event: 'contact_failed', times: 2 }, action: { kind: 'reminder', title: 'Two visits found nobody: review for legal action', inDays: 1 } },
      ],
    };
    await db().strategy.create({ data: { segmentId: segment.id, version: 1, name: 'Field visits', status: 'active', trafficPercent: 100, definition } });
    const c = await harness.openCase(30_000n, { customer: { type: 'corporate' } });
    const caseId = c.caseId!;
    const visit = (visitId: string, fields: { failedContact?: boolean; equipmentUnits?: number }) => harness.workflows().notifyFieldVisit(c.workflowId!, { visitId, reachedDebtor: !fields.failedContact, failedContact: fields.failedContact ?? false, equipmentUnits: fields.equipmentUnits ?? 0 });

    await visit('visit-1', { failedContact: true });
    await visit('visit-1', { failedContact: true }); // the phone synced it twice
    const once = await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.fieldVisits === 1);
    expect(once.stepsDone).toEqual(['visited']);
    expect(await db().task.count({ where: { caseId, kind: 'review' } })).toBe(0);

    await visit('visit-2', { failedContact: true });
    const review = await eventually(() => db().task.findFirst({ where: { caseId, kind: 'review' } }), (t) => t !== null);
    expect(review!.title).toBe('Two visits found nobody: review for legal action');

    await visit('visit-3', { equipmentUnits: 2 });
    const after = await eventually(() => c.handle.query(caseSnapshotQuery), (s) => s.fieldVisits === 3 && s.stepsDone.length === 5);
    expect(after).toMatchObject({ fieldVisits: 3, equipmentRecovered: 2, stage: 'pre_legal' });
    expect(after.stepsDone.sort()).toEqual(['kit_back', 'not_found', 'visited', 'visited#2', 'visited#3']);
    // A step counts as done as it starts (so a re-entry never repeats it): its note may land a moment after the query.
    expect(await eventually(() => db().activity.count({ where: { caseId, summary: 'Equipment recovered: stop the rental charges' } }), (n) => n === 1)).toBe(1);
    // "visited" runs at every visit (each occurrence of its event), once per visit however often the phone synced it.
    expect(await eventually(() => db().activity.count({ where: { caseId, summary: 'A field rep has been: read the visit before calling' } }), (n) => n === 3)).toBe(3);

    await harness.endCase(c.handle);
    const history = await c.handle.fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history);
    if (process.env.RECORD_HISTORIES === '1') writeFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'histories', 'field-visits.pb'), temporal.api.history.v1.History.encode(history).finish());
    await db().segment.update({ where: { id: segment.id }, data: { active: false } });
  });
});
