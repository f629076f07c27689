// The history inspector and case control through the API (issue 4): who may read and pause, branch
// scope, the problem codes for bad requests, and the sender of each message shown from its header.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, delinquencyReport, testPassword } from '../support/fixtures.ts';

let system: TestSystem;
let billingKey: string;
let branchCode: string;
let branchId: string;
let caseId: string;
let accountId: string;

async function signIn(role: 'admin' | 'supervisor' | 'collector', branch: string | null = null) {
  const user = await createUser(system.database.db, role, branch);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  return { agent, csrf: res.body.csrfToken as string, user };
}

beforeAll(async () => {
  system = await startTestSystem({ env: { TEMPORAL_UI_URL: 'http://localhost:8233' } });
  const branch = await createBranch(system.database.db);
  branchCode = branch.code;
  branchId = branch.id;
  billingKey = await createApiKey(system.database.db, ['delinquencies:report', 'accounts:read'], branchId);
  // Fallen due yesterday: the day-5 reminder lies ahead, so the case waits on a timer at any time of day.
  // (A debt due in October runs all of S5's timed steps at once within the debtor's contact hours, and
  // then waits on no timer: this test failed whenever it ran between 08:00 and 21:00 in New York.)
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const reported = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(delinquencyReport(branchCode, { dueDate: yesterday }));
  expect(reported.status).toBe(201);
  caseId = reported.body.caseId;
  accountId = reported.body.accountId;
});
afterAll(async () => system?.stop());

describe('reading a case history', () => {
  test('a supervisor sees the run, its events with the API key that reported the account, and the Temporal link', async () => {
    const supervisor = await signIn('supervisor', branchId);
    const res = await eventually(() => supervisor.agent.get(`/api/v1/cases/${caseId}/history`), (r) => r.status === 200 && r.body.entries.some((e: { kind: string }) => e.kind === 'timer_started') && r.body.pendingTimers.length === 1, 60_000);
    expect(res.status).toBe(200);
    const workflowId = (await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: caseId } })).workflowId;
    expect(res.body).toMatchObject({ caseId, workflowId, temporalUrl: `http://localhost:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}`, page: 1 });
    expect(res.body.runs).toHaveLength(1);
    expect(res.body.runId).toBe(res.body.runs[0].runId);
    const kinds = res.body.entries.map((e: { kind: string }) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(['started', 'signal']);
    expect(kinds).toContain('activity_completed');
    // Reported by signal-with-start: the start and the signal both name the billing API key.
    const [started, signal] = res.body.entries;
    expect(started.sentBy).toMatchObject({ type: 'api_key', name: 'test delinquencies:report,accounts:read' });
    expect(signal).toMatchObject({ name: 'factsChanged', sentBy: { type: 'api_key', name: 'test delinquencies:report,accounts:read' } });
    expect(res.body.pendingTimers).toHaveLength(1);
    expect(res.body.live).toMatchObject({ stage: 'soft', paused: null });
  });

  test('a collector may not; another branch, an unknown case or run is not found; bad paging is refused', async () => {
    const collector = await signIn('collector', branchId);
    const forbidden = await collector.agent.get(`/api/v1/cases/${caseId}/history`);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.code).toBe('forbidden');

    const otherBranch = await createBranch(system.database.db);
    const outsider = await signIn('supervisor', otherBranch.id);
    const hidden = await outsider.agent.get(`/api/v1/cases/${caseId}/history`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('not_found');

    const supervisor = await signIn('supervisor', branchId);
    expect((await supervisor.agent.get('/api/v1/cases/00000000-0000-4000-8000-000000000000/history')).status).toBe(404);
    const noRun = await supervisor.agent.get(`/api/v1/cases/${caseId}/history?runId=not-a-run`);
    expect(noRun.status).toBe(404);
    expect(noRun.body.code).toBe('not_found');
    const badPage = await supervisor.agent.get(`/api/v1/cases/${caseId}/history?pageSize=0`);
    expect(badPage.status).toBe(400);
    expect(badPage.body.code).toBe('validation_failed');
    const badId = await supervisor.agent.get('/api/v1/cases/not-a-uuid/history');
    expect(badId.status).toBe(400);
  });

  test('a case whose workflow never started has no runs and an empty timeline, not an error', async () => {
    const reported = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', billingKey).send(delinquencyReport(branchCode));
    await system.temporal.workflow.getHandle(reported.body.workflowId).terminate('the test pretends it never started');
    await system.database.db.collectionCase.update({ where: { id: reported.body.caseId }, data: { workflowId: `never-started-${reported.body.caseId}` } });
    const supervisor = await signIn('supervisor', branchId);
    const res = await supervisor.agent.get(`/api/v1/cases/${reported.body.caseId}/history`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ runs: [], runId: null, entries: [], total: 0, live: null });
  });
});

describe('pausing and resuming through the API', () => {
  test('pause needs a reason; a second pause or a resume of a running case is a 409 with its code; each is audited', async () => {
    const supervisor = await signIn('supervisor', branchId);
    const post = (path: string, body?: object) => supervisor.agent.post(`/api/v1/cases/${caseId}/${path}`).set('x-csrf-token', supervisor.csrf).send(body);

    const noReason = await post('pause', {});
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('validation_failed');
    expect(noReason.body.errors[0].path).toBe('body.reason');
    expect((await post('pause', { reason: '   ' })).status).toBe(400);

    const notPaused = await post('resume');
    expect(notPaused.status).toBe(409);
    expect(notPaused.body.code).toBe('not_paused');

    const paused = await post('pause', { reason: 'customer complaint' });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ caseId, paused: { reason: 'customer complaint', by: { type: 'user', id: supervisor.user.id, name: supervisor.user.name } } });
    const again = await post('pause', { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('already_paused');

    const shown = await supervisor.agent.get(`/api/v1/cases/${caseId}`);
    expect(shown.body.paused).toMatchObject({ reason: 'customer complaint', by: { name: supervisor.user.name } });

    const resumed = await post('resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ caseId, pausedSince: paused.body.paused.since });
    expect((await supervisor.agent.get(`/api/v1/cases/${caseId}`)).body.paused).toBeNull();

    const audit = await eventually(() => supervisor.agent.get(`/api/v1/accounts/${accountId}/audit`), (r) => r.body.items?.some((a: { action: string }) => a.action === 'case.resumed'));
    const actions = audit.body.items.map((a: { action: string }) => a.action);
    expect(actions.filter((a: string) => a === 'case.paused')).toHaveLength(1);
    expect(actions.filter((a: string) => a === 'case.resumed')).toHaveLength(1);

    // The timeline shows both, with who asked.
    const history = await supervisor.agent.get(`/api/v1/cases/${caseId}/history`);
    const control = history.body.entries.filter((e: { name?: string; kind: string }) => e.kind === 'update_accepted');
    expect(control.map((e: { summary: string }) => e.summary)).toEqual([`Pause the case: customer complaint — sent by ${supervisor.user.name}`, `Resume the case — sent by ${supervisor.user.name}`]);
    expect(history.body.entries.some((e: { kind: string; summary: string }) => e.kind === 'marker' && e.summary === 'Code version marker: case-pause')).toBe(true);
  });

  test('a closed case cannot be paused or resumed (409 case_closed)', async () => {
    const payer = await createApiKey(system.database.db, ['delinquencies:report', 'payments:write']);
    const report = delinquencyReport(branchCode, { amountMinor: 3000 });
    const reported = await request(system.app).post('/api/v1/delinquencies').set('x-api-key', payer).send(report);
    const paid = await request(system.app).post('/api/v1/payments').set('x-api-key', payer).send({ accountRef: report.account.externalRef, externalRef: `PAY-${report.account.externalRef}`, amountMinor: 3000, currency: 'USD', method: 'card' });
    expect(paid.status).toBe(201);
    await eventually(() => system.database.db.collectionCase.findUniqueOrThrow({ where: { id: reported.body.caseId } }), (c) => c.status === 'closed');
    const supervisor = await signIn('supervisor', branchId);
    for (const path of ['pause', 'resume']) {
      const res = await supervisor.agent.post(`/api/v1/cases/${reported.body.caseId}/${path}`).set('x-csrf-token', supervisor.csrf).send({ reason: 'too late' });
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('case_closed');
    }
  });

  test('a collector may not pause; another branch cannot see the case to pause it', async () => {
    const collector = await signIn('collector', branchId);
    const refused = await collector.agent.post(`/api/v1/cases/${caseId}/pause`).set('x-csrf-token', collector.csrf).send({ reason: 'x' });
    expect(refused.status).toBe(403);
    const outsider = await signIn('supervisor', (await createBranch(system.database.db)).id);
    const hidden = await outsider.agent.post(`/api/v1/cases/${caseId}/pause`).set('x-csrf-token', outsider.csrf).send({ reason: 'x' });
    expect(hidden.status).toBe(404);
  });
});
