// Segmentation on business-defined parameters (S1, E4, C2): billing reports account attributes; the
// account is segmented when its case opens and again when a later report changes the facts, with the
// reason recorded and audited; admins define segments with validated criteria; the system proposes
// segments from the data.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, createUser, delinquencyReport, testPassword } from '../support/fixtures.ts';
import { segmentCriteriaSchema } from '../../domain/segmentation.ts';

let system: TestSystem;
let admin: string;
let branchCode: string;
const segmentIds: Record<string, string> = {};

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  branchCode = (await createBranch(system.database.db)).code;
  admin = await createApiKey(system.database.db, ['segments:manage', 'segments:propose', 'accounts:read', 'delinquencies:report']);
});
afterAll(async () => system?.stop());

const api = () => request(system.app);

async function signIn(role: 'supervisor' | 'collector') {
  const user = await createUser(system.database.db, role);
  const agent = request.agent(system.app);
  const res = await agent.post('/api/v1/auth/login').send({ email: user.email, password: testPassword });
  return { agent, csrf: res.body.csrfToken as string };
}

describe('segments admins define', () => {
  test('create segments with criteria on any business parameter', async () => {
    const segments = [
      { code: 'GOLD_EAST', name: 'Gold customers of ACME East', priority: 10, criteria: { serviceLevels: ['gold'], hierarchyPrefix: 'ACME/East' } },
      { code: 'LARGE', name: 'Large balances', priority: 15, criteria: { minBalanceMinor: 100_000 } },
      { code: 'HIGH_RISK', name: 'High risk', priority: 20, criteria: { minRiskScore: 700, productTypes: ['fibre-500', 'mobile'] } },
      { code: 'RETAIL', name: 'Retail', priority: 100, criteria: { customerType: 'retail', minDaysPastDue: 1 } },
    ];
    for (const segment of segments) {
      const res = await api().post('/api/v1/segments').set('x-api-key', admin).send(segment);
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ code: segment.code, criteria: segment.criteria, active: true });
      segmentIds[segment.code] = res.body.id;
    }
    expect(await system.database.db.auditLog.count({ where: { action: 'segment.created' } })).toBe(4);
  });

  test('invalid criteria, a taken code or a non-admin are refused with problem documents', async () => {
    const unknownField = await api().post('/api/v1/segments').set('x-api-key', admin).send({ code: 'X', name: 'x', priority: 1, criteria: { riskScore: 5 } });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.code).toBe('validation_failed');
    const inverted = await api().post('/api/v1/segments').set('x-api-key', admin).send({ code: 'X', name: 'x', priority: 1, criteria: { minDaysPastDue: 90, maxDaysPastDue: 30 } });
    expect(inverted.status).toBe(400);
    expect(JSON.stringify(inverted.body.errors)).toContain('minDaysPastDue is above maxDaysPastDue');
    const taken = await api().post('/api/v1/segments').set('x-api-key', admin).send({ code: 'RETAIL', name: 'again', priority: 1, criteria: {} });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('conflict');
    const { agent, csrf } = await signIn('supervisor');
    expect((await agent.post('/api/v1/segments').set('x-csrf-token', csrf).send({ code: 'SUP', name: 'x', priority: 1, criteria: {} })).status).toBe(403);
    expect((await agent.patch(`/api/v1/segments/${segmentIds.RETAIL}`).set('x-csrf-token', csrf).send({ priority: 1 })).status).toBe(403);
  });

  test('update a segment; the change is audited', async () => {
    const res = await api().patch(`/api/v1/segments/${segmentIds.HIGH_RISK}`).set('x-api-key', admin).send({ criteria: { minRiskScore: 700 } });
    expect(res.status).toBe(200);
    expect(res.body.criteria).toEqual({ minRiskScore: 700 });
    const audit = await system.database.db.auditLog.findFirstOrThrow({ where: { action: 'segment.updated', entityId: segmentIds.HIGH_RISK } });
    expect(audit.before).toMatchObject({ criteria: { minRiskScore: 700, productTypes: ['fibre-500', 'mobile'] } });
    expect(audit.after).toMatchObject({ criteria: { minRiskScore: 700 } });
    expect((await api().patch('/api/v1/segments/00000000-0000-4000-8000-000000000000').set('x-api-key', admin).send({ priority: 3 })).status).toBe(404);
    expect((await api().patch(`/api/v1/segments/${segmentIds.HIGH_RISK}`).set('x-api-key', admin).send({})).status).toBe(400);
  });
});

describe('re-segmentation when billing reports changed facts', () => {
  test('attributes are stored; a changed report moves the account, records the reason and audits it; the case keeps its strategy', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 5_000 }) as ReturnType<typeof delinquencyReport> & { account: { attributes?: object } };
    report.account.attributes = { riskScore: 300, productType: 'fibre-500' };
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
    expect(opened.status).toBe(201);
    const accountId = opened.body.accountId as string;
    const account = () => system.database.db.account.findUniqueOrThrow({ where: { id: accountId } });
    expect(await account()).toMatchObject({ segmentId: segmentIds.RETAIL, segmentReason: 'customer is retail, days past due ≥ 1', attributes: { riskScore: 300, productType: 'fibre-500' } });
    const caseBefore = await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: opened.body.caseId } });

    // The risk score rises: the account moves to HIGH_RISK.
    report.account.attributes = { riskScore: 820, productType: 'fibre-500' };
    const again = await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
    expect(again.status).toBe(200);
    expect(await account()).toMatchObject({ segmentId: segmentIds.HIGH_RISK, segmentReason: 'risk score ≥ 700' });
    const moved = await system.database.db.auditLog.findMany({ where: { action: 'account.segmented', accountId }, orderBy: { id: 'asc' } });
    expect(moved).toHaveLength(2);
    expect(moved[1]!.before).toEqual({ segmentId: segmentIds.RETAIL, segment: 'RETAIL', reason: 'customer is retail, days past due ≥ 1' });
    expect(moved[1]!.after).toEqual({ segmentId: segmentIds.HIGH_RISK, segment: 'HIGH_RISK', reason: 'risk score ≥ 700' });
    // Both the first attributes and their change are audited.
    expect(await system.database.db.auditLog.count({ where: { action: 'account.attributes_changed', accountId } })).toBe(2);
    expect(await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: opened.body.caseId } })).toMatchObject({ strategyId: caseBefore.strategyId, status: 'open' });

    // The same report again, or one without attributes, changes nothing.
    await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
    const { attributes: _omitted, ...withoutAttributes } = report.account;
    await api().post('/api/v1/delinquencies').set('x-api-key', admin).send({ ...report, account: withoutAttributes });
    expect(await system.database.db.auditLog.count({ where: { action: 'account.segmented', accountId } })).toBe(2);
    expect((await account()).attributes).toEqual({ riskScore: 820, productType: 'fibre-500' });

    // The customer moves into ACME East's gold service: hierarchy and service level decide.
    report.account.attributes = { riskScore: 820, productType: 'fibre-500', serviceLevel: 'gold', hierarchy: 'ACME/East/Boston' };
    await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
    expect(await account()).toMatchObject({ segmentId: segmentIds.GOLD_EAST, segmentReason: 'service level gold, hierarchy under ACME/East' });
    const detail = await api().get(`/api/v1/accounts/${accountId}`).set('x-api-key', admin);
    expect(detail.body).toMatchObject({ segment: { code: 'GOLD_EAST' }, segmentReason: 'service level gold, hierarchy under ACME/East', attributes: { serviceLevel: 'gold', hierarchy: 'ACME/East/Boston' } });

    // The balance changes too: a new large invoice (gold still comes first), then gold ends.
    report.invoices.push({ externalRef: `${report.invoices[0]!.externalRef}-2`, issuedAt: '2026-09-25', dueDate: '2026-10-10', amountMinor: 200_000, openMinor: 200_000 });
    report.account.attributes = { riskScore: 820 };
    await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
    expect(await account()).toMatchObject({ segmentId: segmentIds.LARGE, segmentReason: 'balance ≥ $1,000.00', balanceMinor: 205_000n });
    expect(await system.database.db.auditLog.count({ where: { action: 'account.segmented', accountId } })).toBe(4);
  });

  test('a payment that takes the balance under a band moves the account, and its reversal moves it back (again when facts change); the case keeps its strategy', async () => {
    const billing = await createApiKey(system.database.db, ['delinquencies:report', 'payments:write']);
    const report = delinquencyReport(branchCode, { amountMinor: 150_000 });
    const opened = await api().post('/api/v1/delinquencies').set('x-api-key', billing).send(report);
    expect(opened.status).toBe(201);
    const accountId = opened.body.accountId as string;
    const account = () => system.database.db.account.findUniqueOrThrow({ where: { id: accountId } });
    expect(await account()).toMatchObject({ segmentId: segmentIds.LARGE, segmentReason: 'balance ≥ $1,000.00' });
    const caseBefore = await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: opened.body.caseId } });

    const paid = await api().post('/api/v1/payments').set('x-api-key', billing).send({ accountRef: report.account.externalRef, externalRef: `PAY-${report.account.externalRef}`, amountMinor: 100_000, currency: 'USD', method: 'cheque' });
    expect(paid.status).toBe(201);
    expect(await account()).toMatchObject({ balanceMinor: 50_000n, segmentId: segmentIds.RETAIL, segmentReason: 'customer is retail, days past due ≥ 1' });
    const moves = () => system.database.db.auditLog.findMany({ where: { action: 'account.segmented', accountId }, orderBy: { id: 'asc' } });
    expect((await moves()).at(-1)!.after).toEqual({ segmentId: segmentIds.RETAIL, segment: 'RETAIL', reason: 'customer is retail, days past due ≥ 1' });

    const bounced = await api().post('/api/v1/payments/reversals').set('x-api-key', billing).send({ accountRef: report.account.externalRef, paymentRef: `PAY-${report.account.externalRef}`, reason: 'cheque returned unpaid' });
    expect(bounced.status).toBe(201);
    expect(await account()).toMatchObject({ balanceMinor: 150_000n, segmentId: segmentIds.LARGE });
    expect(await moves()).toHaveLength(3);
    expect(await system.database.db.collectionCase.findUniqueOrThrow({ where: { id: opened.body.caseId } })).toMatchObject({ strategyId: caseBefore.strategyId });
  });

  test('attributes are validated strictly', async () => {
    const report = delinquencyReport(branchCode) as ReturnType<typeof delinquencyReport> & { account: { attributes?: object } };
    report.account.attributes = { riskScore: 1500 };
    const outOfRange = await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report);
    expect(outOfRange.status).toBe(400);
    expect(outOfRange.body.errors[0].path).toBe('body.account.attributes.riskScore');
    report.account.attributes = { tier: 'gold' };
    expect((await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report)).status).toBe(400);
  });
});

describe('segments the system proposes (C2)', () => {
  test('proposals cover every delinquent account, with criteria an admin can adopt as they are', async () => {
    for (let i = 1; i <= 12; i++) {
      const report = delinquencyReport(branchCode, { amountMinor: i * 1_000, dueDate: i % 2 ? '2026-11-01' : '2026-09-21' });
      if (i % 4 === 0) report.customer.type = 'corporate';
      expect((await api().post('/api/v1/delinquencies').set('x-api-key', admin).send(report)).status).toBe(201);
    }
    const delinquent = await system.database.db.account.findMany({ where: { balanceMinor: { gt: 0 } }, select: { balanceMinor: true } });
    const res = await api().get('/api/v1/segments/proposals').set('x-api-key', admin);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ currency: 'USD', accountsConsidered: delinquent.length });
    const proposals = res.body.proposals as Array<{ code: string; criteria: object; accountCount: number; totalBalance: { amountMinor: number; currency: string } }>;
    expect(proposals.length).toBeGreaterThan(2);
    expect(proposals.reduce((n, p) => n + p.accountCount, 0)).toBe(delinquent.length);
    expect(proposals.reduce((n, p) => n + p.totalBalance.amountMinor, 0)).toBe(Number(delinquent.reduce((n, a) => n + a.balanceMinor, 0n)));
    expect(new Set(proposals.map((p) => (p.criteria as { customerType?: string }).customerType))).toEqual(new Set(['retail', 'corporate']));
    for (const p of proposals) expect(segmentCriteriaSchema.safeParse(p.criteria).success).toBe(true);

    const adopted = await api().post('/api/v1/segments').set('x-api-key', admin).send({ code: proposals[0]!.code, name: 'adopted', priority: 500, criteria: proposals[0]!.criteria });
    expect(adopted.status).toBe(201);
  });

  test('supervisors may see proposals; collectors may not', async () => {
    const supervisor = await signIn('supervisor');
    expect((await supervisor.agent.get('/api/v1/segments/proposals')).status).toBe(200);
    const collector = await signIn('collector');
    const refused = await collector.agent.get('/api/v1/segments/proposals');
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('forbidden');
    expect((await api().get('/api/v1/segments/proposals?currency=usd').set('x-api-key', admin)).status).toBe(400);
  });
});
