// The Idempotency-Key header on the billing API: a repeat gets the first answer and does nothing, a key
// reused for another request is refused, a repeat while the first runs is told to wait, a malformed key
// is a 400, and only successful answers are kept (a failed request gives its key back).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, delinquencyReport } from '../support/fixtures.ts';
import { fingerprint } from '../../services/idempotency.ts';

let system: TestSystem;
let key: string;
let branchCode: string;

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  branchCode = (await createBranch(system.database.db)).code;
  key = await createApiKey(system.database.db, ['delinquencies:report', 'payments:write', 'accounts:read']);
});
afterAll(async () => system?.stop());

const db = () => system.database.db;
const post = (path: string, body: object, idempotencyKey?: string, apiKey = key) => {
  const req = request(system.app).post(`/api/v1${path}`).set('x-api-key', apiKey);
  return (idempotencyKey === undefined ? req : req.set('Idempotency-Key', idempotencyKey)).send(body);
};
const apiKeyId = async (presented: string) => (await db().apiKey.findUniqueOrThrow({ where: { prefix: presented.split('_')[1]! } })).id;

describe('a request repeated with the same Idempotency-Key', () => {
  test('gets the stored answer with Idempotent-Replayed: true and does nothing', async () => {
    const report = delinquencyReport(branchCode);
    const first = await post('/delinquencies', report, 'report-1');
    expect(first.status).toBe(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const audit = await db().auditLog.count();
    const replay = await post('/delinquencies', report, 'report-1');
    // Without the key a repeat is a 200 "case already open"; with it, the first answer comes back as it was.
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
    expect(await db().auditLog.count()).toBe(audit);
    expect(await db().collectionCase.count({ where: { accountId: first.body.accountId } })).toBe(1);
  });

  test('every POST of the billing API honours it', async () => {
    const report = delinquencyReport(branchCode, { amountMinor: 10000 });
    const ref = report.account.externalRef;
    const inv = `INV-${ref}-1`;
    const calls: Array<[string, object]> = [
      ['/delinquencies', report],
      ['/payments', { accountRef: ref, externalRef: 'P-1', amountMinor: 1000, currency: 'USD', method: 'cheque' }],
      ['/payments/reversals', { accountRef: ref, paymentRef: 'P-1', reason: 'bounced' }],
      ['/invoices/adjustments', { accountRef: ref, adjustments: [{ externalRef: 'DN-1', invoiceRef: inv, kind: 'debit_note', amountMinor: 500, reason: 'late fee' }] }],
      ['/disputes', { accountRef: ref, invoiceRefs: [inv], reason: 'never ordered' }],
      ['/disputes/resolve', { accountRef: ref, invoiceRefs: [inv], outcome: 'rejected' }],
    ];
    for (const [path, body] of calls) {
      const first = await post(path, body, `every-${path}`);
      expect(first.status, path).toBeLessThan(300);
      const audit = await db().auditLog.count();
      const replay = await post(path, body, `every-${path}`);
      expect(replay.headers['idempotent-replayed'], path).toBe('true');
      expect(replay.status, path).toBe(first.status);
      expect(replay.body, path).toEqual(first.body);
      expect(await db().auditLog.count(), path).toBe(audit);
    }
    // The dispute resolution was replayed, not run again (a second run would be refused: the invoice is no longer disputed).
    expect((await post('/disputes/resolve', calls[5]![1])).body.code).toBe('invalid_state');
  });

  test('with a different body or on another operation is refused: idempotency_key_reused', async () => {
    const report = delinquencyReport(branchCode);
    await post('/delinquencies', report, 'reused-1');
    const changed = structuredClone(report);
    changed.invoices[0]!.openMinor = 100;
    const otherBody = await post('/delinquencies', changed, 'reused-1');
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.code).toBe('idempotency_key_reused');
    expect(otherBody.headers['content-type']).toMatch(/application\/problem\+json/);
    expect((await db().invoice.findFirstOrThrow({ where: { externalRef: report.invoices[0]!.externalRef } })).openMinor).toBe(12550n);
    const otherPath = await post('/payments', { accountRef: report.account.externalRef, externalRef: 'P-R', amountMinor: 100, currency: 'USD', method: 'cash' }, 'reused-1');
    expect(otherPath.status).toBe(422);
    expect(otherPath.body.code).toBe('idempotency_key_reused');
    expect(await db().payment.count({ where: { externalRef: 'P-R' } })).toBe(0);
  });

  test('the same body in another key order is the same request', async () => {
    const report = delinquencyReport(branchCode);
    const first = await post('/delinquencies', report, 'order-1');
    const reordered = Object.fromEntries(Object.entries(report).reverse());
    const replay = await post('/delinquencies', reordered, 'order-1');
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual(first.body);
  });

  test('keys belong to their caller: another API key may use the same key for its own request', async () => {
    const other = await createApiKey(db(), ['delinquencies:report']);
    await post('/delinquencies', delinquencyReport(branchCode), 'shared-name');
    const theirs = await post('/delinquencies', delinquencyReport(branchCode), 'shared-name', other);
    expect(theirs.status).toBe(201);
    expect(theirs.headers['idempotent-replayed']).toBeUndefined();
    expect(await db().idempotencyRecord.count({ where: { key: 'shared-name' } })).toBe(2);
  });

  test('while the first is still in flight is told so: idempotency_in_progress', async () => {
    const report = delinquencyReport(branchCode);
    const body = { accountRef: report.account.externalRef, externalRef: 'P-F', amountMinor: 100, currency: 'USD', method: 'cash' };
    await post('/delinquencies', report);
    // The first request has claimed the key and not finished (as if it were running right now).
    await db().idempotencyRecord.create({ data: { scope: `api_key:${await apiKeyId(key)}`, key: 'in-flight-1', ...fingerprint('POST', '/api/v1/payments', body) } });
    const repeat = await post('/payments', body, 'in-flight-1');
    expect(repeat.status).toBe(409);
    expect(repeat.body.code).toBe('idempotency_in_progress');
    expect(await db().payment.count({ where: { externalRef: 'P-F' } })).toBe(0);
  });

  test('after 24 hours the key may be used afresh', async () => {
    const report = delinquencyReport(branchCode);
    await db().idempotencyRecord.create({
      data: { scope: `api_key:${await apiKeyId(key)}`, key: 'old-1', method: 'POST', path: '/api/v1/delinquencies', requestHash: 'something else', statusCode: 200, responseBody: {}, createdAt: new Date(Date.now() - 25 * 3600_000), completedAt: new Date(Date.now() - 25 * 3600_000) },
    });
    const res = await post('/delinquencies', report, 'old-1');
    expect(res.status).toBe(201);
    expect(res.headers['idempotent-replayed']).toBeUndefined();
    expect((await post('/delinquencies', report, 'old-1')).headers['idempotent-replayed']).toBe('true');
  });
});

describe('what is not kept', () => {
  test('a malformed key is a 400 problem and nothing is done', async () => {
    const report = delinquencyReport(branchCode);
    for (const bad of ['', '   ', 'k'.repeat(256), 'has space']) {
      const res = await post('/delinquencies', report, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('idempotency_key_invalid');
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect(await db().account.count({ where: { externalRef: report.account.externalRef } })).toBe(0);
    expect((await post('/delinquencies', report, 'k'.repeat(255))).status).toBe(201);
  });

  test('an invalid or refused request gives its key back: the corrected request runs with the same key', async () => {
    const report = delinquencyReport(branchCode);
    const invalid = await post('/delinquencies', { ...report, invoices: [] }, 'retry-1');
    expect(invalid.status).toBe(400);
    const refused = await post('/delinquencies', { ...report, customer: { ...report.customer, branchCode: 'NOSUCH' } }, 'retry-1');
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('unknown_branch');
    expect(await db().idempotencyRecord.count({ where: { key: 'retry-1' } })).toBe(0);
    const corrected = await post('/delinquencies', report, 'retry-1');
    expect(corrected.status).toBe(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
  });
});

test('the OpenAPI document lists the header on the billing operations and the collector actions that must not repeat', async () => {
  const doc = (await request(system.app).get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { operationId: string; parameters?: Array<{ in: string; name: string }> }>> };
  const withHeader = Object.values(doc.paths)
    .flatMap((methods) => Object.values(methods))
    .filter((op) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
    .map((op) => op.operationId)
    .sort();
  expect(withHeader).toEqual(['adjustInvoices', 'openDispute', 'postPayment', 'recordContactOutcome', 'reportDelinquency', 'resolveDispute', 'reversePayment', 'sendTemplateMessage']);
});
