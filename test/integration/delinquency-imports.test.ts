// C1 bulk import end to end: a billing file is uploaded through the API, worked through in batches
// by the import worker (BullMQ, real Redis) with the one intake (real PostgreSQL), and every case it
// opens runs its workflow (real Temporal). Bad rows are reported per row and never stop the file.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { startTestSystem, eventually, type TestSystem } from '../support/system.ts';
import { createApiKey, createBranch, uniqueCode } from '../support/fixtures.ts';
import { startImportWorker } from '../../workers/imports.ts';
import { temporalCaseWorkflows, type CaseWorkflows } from '../../services/case-workflows.ts';
import { createLogger } from '../../platform/logger.ts';
import { createImport, processImport } from '../../services/delinquency-imports.ts';
import { validateDelinquencyReport } from '../../api/report-validation.ts';
import { reportDelinquencyBatch } from '../../services/batched-intake.ts';
import { verifyAuditChain } from '../../services/audit.ts';
import { caseSnapshotQuery } from '../../workflows/messages.ts';

let system: TestSystem;
let key: string;
let eastKey: string;
let noPermissionKey: string;
let east: { id: string; code: string };
let west: { id: string; code: string };
let importWorker: Worker;
let workerConnection: Redis;

const maxBytes = 200_000;

beforeAll(async () => {
  system = await startTestSystem({ env: { IMPORT_MAX_BYTES: String(maxBytes) } });
  east = await createBranch(system.database.db);
  west = await createBranch(system.database.db);
  key = await createApiKey(system.database.db, ['delinquencies:report', 'accounts:read']);
  eastKey = await createApiKey(system.database.db, ['delinquencies:report'], east.id);
  noPermissionKey = await createApiKey(system.database.db, ['accounts:read']);
  workerConnection = new Redis(system.config.REDIS_URL, { maxRetriesPerRequest: null });
  importWorker = startImportWorker({
    connection: workerConnection,
    db: system.database.db,
    workflows: temporalCaseWorkflows(system.temporal, system.taskQueue),
    logger: createLogger('test', 'silent'),
    batchSize: 3,
    startConcurrency: 8,
    prefix: system.queuePrefix,
  });
});
afterAll(async () => {
  await importWorker?.close();
  await workerConnection?.quit();
  await system?.stop();
});

const api = () => request(system.app);
const db = () => system.database.db;
const header = 'customer_ref,customer_name,customer_type,time_zone,branch_code,email,mobile,account_ref,currency,invoice_ref,issued_at,due_date,amount_minor,open_minor';

function csvRow(account: string, branchCode: string, invoice: { ref?: string; amount?: string | number; open?: string | number; due?: string } = {}) {
  const amount = invoice.amount ?? 12550;
  return `CUST-${account},Jane Doe,retail,America/New_York,${branchCode},${account.toLowerCase()}@example.net,+15550100,${account},USD,${invoice.ref ?? `INV-${account}-1`},2026-09-20,${invoice.due ?? '2026-10-05'},${amount},${invoice.open ?? amount}`;
}
const csvFile = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

async function upload(body: string, contentType = 'text/csv', apiKey = key) {
  return api().post('/api/v1/delinquencies/imports?filename=test.csv').set('x-api-key', apiKey).set('content-type', contentType).send(body);
}

async function finished(id: string, apiKey = key) {
  const reply = await eventually(() => api().get(`/api/v1/delinquencies/imports/${id}`).set('x-api-key', apiKey), (r) => r.body.status === 'completed' || r.body.status === 'failed', 60_000);
  expect(reply.body.status).toBe('completed');
  return reply.body;
}

const caseOfRef = (accountRef: string) => db().collectionCase.findMany({ where: { account: { externalRef: accountRef } } });

describe('importing delinquent accounts from a file', () => {
  test('a CSV opens one case per account, each running its workflow, and progress reaches 100%', async () => {
    const [a, b, c] = [uniqueCode('IMP-'), uniqueCode('IMP-'), uniqueCode('IMP-')];
    const file = csvFile(csvRow(a, east.code), csvRow(b, east.code, { amount: 5000 }), csvRow(a, east.code, { ref: `INV-${a}-2`, amount: 1000, due: '2026-11-01' }), csvRow(c, west.code));
    const reply = await upload(file);
    expect(reply.status).toBe(202);
    expect(reply.headers.location).toBe(`/api/v1/delinquencies/imports/${reply.body.id}`);
    expect(reply.body.status).toBe('queued');

    const done = await finished(reply.body.id);
    expect(done).toMatchObject({ totalRows: 4, processedRows: 4, succeededRows: 4, failedRows: 0, percentDone: 100, casesOpened: 3, filename: 'test.csv', format: 'csv' });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
    expect(done.rowsPerSecond).toBeGreaterThan(0);

    // Two invoice rows of one account make one account with both invoices and one case.
    const account = await db().account.findUniqueOrThrow({ where: { externalRef: a }, include: { invoices: true } });
    expect(account.invoices).toHaveLength(2);
    expect(account.balanceMinor).toBe(13550n);
    for (const ref of [a, b, c]) {
      const cases = await caseOfRef(ref);
      expect(cases).toHaveLength(1);
      const handle = system.temporal.workflow.getHandle(cases[0]!.workflowId);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect((await eventually(() => handle.query(caseSnapshotQuery), (s) => s.ready)).ready).toBe(true);
    }
    // Carried out by the intake as the key that uploaded it, and audited as such.
    const opened = await db().auditLog.findFirstOrThrow({ where: { accountId: account.id, action: 'case.opened' } });
    expect(opened).toMatchObject({ actorType: 'api_key', requestId: `import:${reply.body.id}` });
  });

  test('a JSON-lines file (one reportDelinquency body per line) opens cases the same way', async () => {
    const refs = [uniqueCode('NDJ-'), uniqueCode('NDJ-')];
    const lines = refs.map((ref) => JSON.stringify({
      customer: { externalRef: `CUST-${ref}`, name: 'Bob Roe', type: 'corporate', timeZone: 'Europe/London', branchCode: east.code, contacts: [{ kind: 'email', value: `${ref.toLowerCase()}@example.net` }] },
      account: { externalRef: ref, currency: 'gbp' },
      invoices: [{ externalRef: `INV-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-09-30', amountMinor: 9900, openMinor: 9900 }],
    }));
    const reply = await upload(`${lines.join('\n')}\n`, 'application/x-ndjson');
    expect(reply.status).toBe(202);
    const done = await finished(reply.body.id);
    expect(done).toMatchObject({ format: 'ndjson', totalRows: 2, succeededRows: 2, casesOpened: 2, percentDone: 100 });
    for (const ref of refs) {
      const [theCase] = await caseOfRef(ref);
      expect((await system.temporal.workflow.getHandle(theCase!.workflowId).describe()).status.name).toBe('RUNNING');
      expect((await db().account.findUniqueOrThrow({ where: { externalRef: ref } })).currency).toBe('GBP');
    }
  });

  test('the optional columns bring the jurisdiction, segment attributes and where the service is (for field visits); a bad coordinate is reported on its column', async () => {
    const [located, unlocated] = [uniqueCode('LOC-'), uniqueCode('LOC-')];
    const wide = `${header},jurisdiction,risk_score,service_level,service_address,postal_code,latitude,longitude,corp,audit_route`;
    const file = [
      wide,
      `${csvRow(located, east.code)},US-MA,820,gold,"12 Elm St, Boston",02118,42.3401,-71.0701,Metro Cable,AR-7`,
      `${csvRow(unlocated, east.code)},,,,1 Main St,,north,-71.1,,`,
    ].join('\n');
    const done = await finished((await upload(file)).body.id);
    expect(done).toMatchObject({ totalRows: 2, succeededRows: 1, failedRows: 1 });
    const account = await db().account.findUniqueOrThrow({ where: { externalRef: located }, include: { customer: true } });
    expect(account).toMatchObject({ serviceAddress: '12 Elm St, Boston', postalCode: '02118', latitude: 42.3401, longitude: -71.0701, corp: 'Metro Cable', auditRoute: 'AR-7', attributes: { riskScore: 820, serviceLevel: 'gold' } });
    expect(account.customer.jurisdiction).toBe('US-MA');
    const errors = await api().get(`/api/v1/delinquencies/imports/${done.id}/errors`).set('x-api-key', key);
    expect(errors.body.items.map((e: { rowNumber: number; code: string; field: string | null; accountRef: string | null }) => [e.rowNumber, e.code, e.field, e.accountRef])).toEqual([[3, 'validation_failed', 'latitude', unlocated]]);
  });

  test('bad rows get per-row errors with codes and fields, and the rest of the file succeeds', async () => {
    const good = [uniqueCode('OK-'), uniqueCode('OK-'), uniqueCode('OK-')];
    const badAmount = uniqueCode('BADAMT-');
    const unknownBranch = uniqueCode('NOBR-');
    const file = csvFile(
      csvRow(good[0]!, east.code), // row 2
      csvRow(badAmount, east.code), // row 3
      csvRow(unknownBranch, 'NO-SUCH-BRANCH'), // row 4
      csvRow('', east.code), // row 5: no account_ref
      csvRow(badAmount, east.code, { ref: `INV-${badAmount}-2`, amount: '12.50' }), // row 6: the bad invoice of row 3's account
      csvRow(good[1]!, east.code, { amount: 100, open: 200 }), // row 7: open above amount
      csvRow(good[2]!, east.code), // row 8
    );
    const reply = await upload(file);
    const done = await finished(reply.body.id);
    expect(done).toMatchObject({ totalRows: 7, processedRows: 7, succeededRows: 2, failedRows: 5, casesOpened: 2, percentDone: 100 });
    expect(await caseOfRef(good[0]!)).toHaveLength(1);
    expect(await caseOfRef(good[2]!)).toHaveLength(1);
    expect(await db().account.count({ where: { externalRef: { in: [badAmount, unknownBranch, good[1]!] } } })).toBe(0);

    const errors = await api().get(`/api/v1/delinquencies/imports/${reply.body.id}/errors`).set('x-api-key', key);
    expect(errors.status).toBe(200);
    expect(errors.body.total).toBe(4);
    expect(errors.body.items.map((e: { rowNumber: number; code: string; field: string | null; accountRef: string | null }) => [e.rowNumber, e.code, e.field, e.accountRef])).toEqual([
      [4, 'unknown_branch', null, unknownBranch],
      [5, 'missing_account_ref', 'account_ref', null],
      [6, 'validation_failed', 'amount_minor', badAmount],
      [7, 'validation_failed', 'open_minor', good[1]],
    ]);
    const page2 = await api().get(`/api/v1/delinquencies/imports/${reply.body.id}/errors?page=2&pageSize=3`).set('x-api-key', key);
    expect(page2.body.items.map((e: { rowNumber: number }) => e.rowNumber)).toEqual([7]);

    const asCsv = await api().get(`/api/v1/delinquencies/imports/${reply.body.id}/errors`).set('x-api-key', key).set('accept', 'text/csv');
    expect(asCsv.status).toBe(200);
    expect(asCsv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = asCsv.text.trim().split('\n');
    expect(lines[0]).toBe('row_number,account_ref,code,field,message');
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(new RegExp(`^6,${badAmount},validation_failed,amount_minor,`));
    // A plain download link (the UI's) asks for CSV in the query instead.
    const download = await api().get(`/api/v1/delinquencies/imports/${reply.body.id}/errors?format=csv`).set('x-api-key', key);
    expect(download.headers['content-disposition']).toContain('errors.csv');
    expect(download.text).toBe(asCsv.text);
  });

  test('importing the same file twice opens no second case and starts no second run', async () => {
    const refs = [uniqueCode('TWICE-'), uniqueCode('TWICE-')];
    const file = csvFile(...refs.map((ref) => csvRow(ref, east.code)));
    const first = await finished((await upload(file)).body.id);
    expect(first.casesOpened).toBe(2);
    const runIds = await Promise.all(refs.map(async (ref) => (await system.temporal.workflow.getHandle((await caseOfRef(ref))[0]!.workflowId).describe()).runId));
    const second = await finished((await upload(file)).body.id);
    expect(second).toMatchObject({ casesOpened: 0, succeededRows: 2, failedRows: 0 });
    for (const [i, ref] of refs.entries()) {
      const cases = await caseOfRef(ref);
      expect(cases).toHaveLength(1);
      expect((await system.temporal.workflow.getHandle(cases[0]!.workflowId).describe()).runId).toBe(runIds[i]);
    }
  });

  test('a key bound to a branch imports only that branch; its other rows are row errors "forbidden"', async () => {
    const mine = uniqueCode('MINE-');
    const theirs = uniqueCode('THEIRS-');
    const reply = await upload(csvFile(csvRow(mine, east.code), csvRow(theirs, west.code)), 'text/csv', eastKey);
    expect(reply.status).toBe(202);
    const done = await finished(reply.body.id, eastKey);
    expect(done).toMatchObject({ succeededRows: 1, failedRows: 1, casesOpened: 1 });
    expect(await caseOfRef(mine)).toHaveLength(1);
    expect(await db().account.count({ where: { externalRef: theirs } })).toBe(0);
    const errors = await api().get(`/api/v1/delinquencies/imports/${reply.body.id}/errors`).set('x-api-key', eastKey);
    expect(errors.body.items).toMatchObject([{ rowNumber: 3, code: 'forbidden', accountRef: theirs }]);

    // A caller sees only the imports it may see: the branch key not an unbound one's.
    const unbound = await upload(csvFile(csvRow(uniqueCode('UNB-'), west.code)));
    const hidden = await api().get(`/api/v1/delinquencies/imports/${unbound.body.id}`).set('x-api-key', eastKey);
    expect(hidden.status).toBe(404);
    expect(hidden.body.code).toBe('not_found');
    expect((await api().get(`/api/v1/delinquencies/imports/${unbound.body.id}/errors`).set('x-api-key', eastKey)).status).toBe(404);
    expect((await api().get(`/api/v1/delinquencies/imports/${reply.body.id}`).set('x-api-key', key)).status).toBe(200);
    await finished(unbound.body.id);
  });

  test('a job that dies mid-way resumes after its last committed batch: no row counted twice, every case started', async () => {
    const refs = Array.from({ length: 7 }, () => uniqueCode('RES-'));
    const principal = { kind: 'api_key' as const, id: (await db().apiKey.findFirstOrThrow({ where: { scopes: { has: 'delinquencies:report' }, branchId: null } })).id, scopes: ['delinquencies:report'], branchId: null, name: 'k' };
    const created = await createImport(db(), principal, { type: 'api_key', id: principal.id }, { format: 'csv', filename: null, text: csvFile(...refs.map((ref) => csvRow(ref, east.code))) });
    const real = temporalCaseWorkflows(system.temporal, system.taskQueue);
    // The first attempt commits two batches but dies before any of their workflows is started.
    const lost: CaseWorkflows = { ...real, reportCase: async () => {}, startCase: async () => {} };
    let batches = 0;
    const options = { validate: validateDelinquencyReport, batchSize: 2, startConcurrency: 4 };
    await expect(processImport(db(), lost, created.id, { ...options, onBatch: () => { if (++batches === 2) throw new Error('worker died'); } })).rejects.toThrow('worker died');
    expect(await db().delinquencyImport.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: 'running', processedRows: 4 });

    const done = await processImport(db(), real, created.id, options);
    expect(done).toMatchObject({ status: 'completed', totalRows: 7, processedRows: 7, succeededRows: 7, casesOpened: 7 });
    for (const ref of refs) {
      const cases = await caseOfRef(ref);
      expect(cases).toHaveLength(1);
      expect((await system.temporal.workflow.getHandle(cases[0]!.workflowId).describe()).status.name).toBe('RUNNING');
    }
  });
});

describe('a batch of reports in one transaction', () => {
  test('a report that fails inside the database rolls back alone (its savepoint); the others commit and their starts wait for the commit', async () => {
    const [before, broken, after] = [uniqueCode('SP-'), uniqueCode('SP-'), uniqueCode('SP-')];
    const report = (ref: string, amountMinor: bigint) => ({
      customer: { externalRef: `CUST-${ref}`, name: 'Jane Doe', type: 'retail' as const, timeZone: 'America/New_York', branchCode: east.code, contacts: [] },
      account: { externalRef: ref, currency: 'USD' },
      invoices: [{ externalRef: `INV-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-09-20', amountMinor, openMinor: amountMinor }],
    });
    const principal = { kind: 'api_key' as const, id: 'k', scopes: ['delinquencies:report'], branchId: null, name: 'k' };
    let seenInsideTransaction = -1;
    // 2^70 does not fit PostgreSQL's bigint: the database refuses the invoice after the customer and account were written.
    const batch = await reportDelinquencyBatch(db(), principal, { type: 'system', id: 'test' }, [before, broken, after].map((ref) => ({ key: ref, report: report(ref, ref === broken ? 2n ** 70n : 5000n) })), async (tx) => {
      seenInsideTransaction = await tx.collectionCase.count({ where: { account: { externalRef: { in: [before, after] } } } });
    });
    expect(batch.outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(seenInsideTransaction).toBe(2);
    expect(await db().customer.count({ where: { externalRef: `CUST-${broken}` } })).toBe(0);
    expect(await db().account.count({ where: { externalRef: { in: [before, after] } } })).toBe(2);
    expect(batch.starts).toHaveLength(2);
    // Nothing was started by the batch itself: the caller starts them once it has committed.
    await expect(system.temporal.workflow.getHandle(batch.starts[0]!.workflowId).describe()).rejects.toThrow();
    // The broken report's audit records went with its savepoint; the next report chained onto what remained.
    expect(await verifyAuditChain(db() as never)).toMatchObject({ ok: true });
  });
});

describe('refusals are problem documents', () => {
  const expectProblem = (reply: request.Response, status: number, code: string) => {
    expect(reply.status).toBe(status);
    expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(reply.body.code).toBe(code);
  };

  test('415 for another content type, 413 over the size limit, 400 for an empty file or missing columns', async () => {
    expectProblem(await upload('{"a":1}', 'application/json'), 415, 'unsupported_media_type');
    expectProblem(await upload('a,b\n1,2\n', 'text/plain'), 415, 'unsupported_media_type');
    expectProblem(await upload(csvFile(...Array.from({ length: 2000 }, () => csvRow(uniqueCode('BIG-'), east.code)))), 413, 'payload_too_large');
    expectProblem(await upload(''), 400, 'empty_file');
    expectProblem(await upload('\n\n', 'application/x-ndjson'), 400, 'empty_file');
    const missing = await upload('customer_ref,account_ref,invoice_ref\nC1,A1,I1\n');
    expectProblem(missing, 400, 'missing_columns');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('header.amount_minor');
    expectProblem(await api().post('/api/v1/delinquencies/imports?bogus=1').set('x-api-key', key).set('content-type', 'text/csv').send(csvFile(csvRow('X', east.code))), 400, 'validation_failed');
    expect(await db().delinquencyImport.count({ where: { source: { contains: 'customer_ref,account_ref,invoice_ref' } } })).toBe(0);
  });

  test('404 for an unknown import, 403 without the permission, 401 without credentials', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    expectProblem(await api().get(`/api/v1/delinquencies/imports/${unknown}`).set('x-api-key', key), 404, 'not_found');
    expectProblem(await api().get(`/api/v1/delinquencies/imports/${unknown}/errors`).set('x-api-key', key), 404, 'not_found');
    expectProblem(await api().get('/api/v1/delinquencies/imports/not-a-uuid').set('x-api-key', key), 400, 'validation_failed');
    expectProblem(await upload(csvFile(csvRow('X', east.code)), 'text/csv', noPermissionKey), 403, 'forbidden');
    expectProblem(await api().get(`/api/v1/delinquencies/imports/${unknown}`).set('x-api-key', noPermissionKey), 403, 'forbidden');
    expectProblem(await api().get(`/api/v1/delinquencies/imports/${unknown}/errors`).set('x-api-key', noPermissionKey), 403, 'forbidden');
    expectProblem(await api().post('/api/v1/delinquencies/imports').set('content-type', 'text/csv').send(csvFile(csvRow('X', east.code))), 401, 'unauthenticated');
  });

  test('the three operations are in the OpenAPI document with their operationIds and media types', async () => {
    const doc = (await api().get('/api/v1/openapi.json')).body;
    const upload = doc.paths['/api/v1/delinquencies/imports'].post;
    expect(upload.operationId).toBe('importDelinquencies');
    expect(Object.keys(upload.requestBody.content)).toEqual(['text/csv', 'application/x-ndjson']);
    expect(doc.paths['/api/v1/delinquencies/imports/{id}'].get.operationId).toBe('getImport');
    expect(Object.keys(doc.paths['/api/v1/delinquencies/imports/{id}/errors'].get.responses['200'].content)).toContain('text/csv');
  });
});
