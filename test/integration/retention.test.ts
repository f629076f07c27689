// X1: records kept at least 3 years after an account's last case closes, then the customer's personal
// data pseudonymised by the retention job — amounts and the hash-chained audit trail intact, the purge
// itself audited, and nothing younger than 3 years touched. Real PostgreSQL and Redis.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import { randomBytes, randomUUID } from 'node:crypto';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/database.ts';
import { createBranch, createUser } from '../support/fixtures.ts';
import { runRetention } from '../../services/retention.ts';
import { auditedTransaction, recordAudit, systemActor, verifyAuditChain } from '../../services/audit.ts';
import { startRetentionWorker } from '../../workers/retention.ts';
import { createRetentionQueue } from '../../platform/retention/queue.ts';
import { createLogger } from '../../platform/logger.ts';
import { loadConfig } from '../../platform/config.ts';

let database: TestDatabase;
let branchId: string;
let rep: string;
const db = () => database.db;
const now = new Date('2026-12-03T12:00:00Z');
const yearsAgo = (years: number, days = 0) => new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() - days, 12));

beforeAll(async () => {
  database = await createTestDatabase();
  branchId = (await createBranch(db())).id;
  rep = (await createUser(db(), 'field_rep', branchId)).id;
});
afterAll(async () => database?.drop());

/** A customer whose one case closed at `closedAt`, with a message, a note, a payment and an audit entry from then. */
async function customerWithClosedCase(name: string, closedAt: Date, options: { open?: boolean; laterPaymentAt?: Date } = {}) {
  const ref = randomBytes(3).toString('hex');
  const email = `${name.toLowerCase().replace(' ', '.')}@example.net`;
  const customer = await db().customer.create({ data: { externalRef: `C-${ref}`, type: 'retail', name, timeZone: 'America/New_York', branchId, attorneyDetails: 'Dana Law LLP', createdAt: yearsAgo(9), updatedAt: yearsAgo(9), contacts: { create: [{ kind: 'email', value: email, createdAt: yearsAgo(9) }, { kind: 'mobile', value: '+15550009999', optedOut: true, createdAt: yearsAgo(9) }] } } });
  const account = await db().account.create({ data: { externalRef: `A-${ref}`, customerId: customer.id, branchId, currency: 'USD', status: options.open ? 'delinquent' : 'current', balanceMinor: options.open ? 5_000n : 0n, serviceAddress: '12 Elm St, Boston, MA', latitude: 42.35, longitude: -71.06, postalCode: '02108', createdAt: yearsAgo(9) } });
  await db().invoice.create({ data: { accountId: account.id, externalRef: `I-${ref}`, issuedAt: yearsAgo(8), dueDate: yearsAgo(8), amountMinor: 5_000n, openMinor: options.open ? 5_000n : 0n, status: options.open ? 'open' : 'paid', createdAt: yearsAgo(8) } });
  const collectionCase = await db().collectionCase.create({ data: { accountId: account.id, episode: 1, workflowId: `test-case/${account.id}`, status: options.open ? 'open' : 'closed', stage: options.open ? 'soft' : 'closed', closeReason: options.open ? null : 'paid', openedAt: yearsAgo(8), closedAt: options.open ? null : closedAt, balanceAtOpen: 5_000n, daysPastDueAtOpen: 5 } });
  const before = new Date(closedAt.getTime() - 86_400_000);
  await db().message.create({ data: { accountId: account.id, caseId: collectionCase.id, channel: 'email', toAddress: email, fromAddress: 'collections@example.com', subject: `Dear ${name}`, body: `Hello ${name}, you owe $50.00`, status: 'sent', idempotencyKey: `m-${ref}`, createdAt: before } });
  await db().activity.createMany({ data: [
    { accountId: account.id, caseId: collectionCase.id, kind: 'note', summary: `${name} says the cheque is in the post`, occurredAt: before },
    { accountId: account.id, caseId: collectionCase.id, kind: 'payment', summary: 'Payment received: $50.00', occurredAt: before },
  ] });
  await db().payment.create({ data: { accountId: account.id, externalRef: `P-${ref}`, amountMinor: 5_000n, currency: 'USD', method: 'card', source: 'billing', receivedAt: options.laterPaymentAt ?? before, createdAt: before } });
  await db().task.create({ data: { accountId: account.id, caseId: collectionCase.id, branchId, kind: 'call', title: `Call ${name} back: after 6pm`, dueAt: before, createdAt: before } });
  await db().fieldVisit.create({ data: { clientVisitId: randomUUID(), accountId: account.id, caseId: collectionCase.id, repId: rep, branchId, arrivedAt: before, syncedAt: before, latitude: 42.35, longitude: -71.06, contactResult: 'spoke_with_customer', paymentAmountMinor: 5_000n, paymentMethod: 'cash', notes: `${name} paid in cash at the door`, signaturePng: Uint8Array.from([137, 80, 78, 71]), signedByName: name, receiptNumber: `R-${ref}`, currency: 'USD', summary: `Spoke with ${name}` } });
  await auditedTransaction(db(), (tx) => recordAudit(tx, systemActor, { action: 'message.queued', entityType: 'message', entityId: ref, accountId: account.id, after: { to: email } }));
  return { customer, account, email };
}

describe('the retention job', () => {
  test('a record past 3 years is pseudonymised — name, contacts, texts — with amounts and the audit chain intact; nothing younger than 3 years is touched', async () => {
    const old = await customerWithClosedCase('Ann Past', yearsAgo(3, 1));
    const young = await customerWithClosedCase('Bo Recent', yearsAgo(3, -1)); // 3 years less a day
    const paidLater = await customerWithClosedCase('Cy Payer', yearsAgo(5), { laterPaymentAt: yearsAgo(2) });
    const open = await customerWithClosedCase('Di Open', yearsAgo(8), { open: true });
    const auditBefore = await db().auditLog.findMany({ orderBy: { id: 'asc' } });

    const run = await runRetention(db(), { retentionYears: 3, now });
    expect(run.pseudonymised).toEqual([old.customer.id]);

    const customer = await db().customer.findUniqueOrThrow({ where: { id: old.customer.id }, include: { contacts: true } });
    expect(customer).toMatchObject({ name: `Pseudonymised customer ${old.customer.id.slice(0, 8)}`, attorneyDetails: null, externalRef: old.customer.externalRef });
    expect(customer.pseudonymisedAt).toEqual(now);
    expect(customer.contacts.map((c) => c.value).every((v) => v.startsWith('erased-'))).toBe(true);
    expect(customer.contacts.find((c) => c.kind === 'mobile')!.optedOut).toBe(true); // the opt-out is kept as evidence
    const message = await db().message.findFirstOrThrow({ where: { accountId: old.account.id } });
    expect(message).toMatchObject({ toAddress: '[erased]', subject: '[erased]', body: '[erased]', status: 'sent', fromAddress: 'collections@example.com' });
    const activities = await db().activity.findMany({ where: { accountId: old.account.id }, orderBy: { kind: 'asc' } });
    expect(activities.map((a) => [a.kind, a.summary])).toEqual([['note', '[erased]'], ['payment', 'Payment received: $50.00']]);
    expect((await db().task.findFirstOrThrow({ where: { accountId: old.account.id } })).title).toBe('[erased]');
    expect(await db().fieldVisit.findFirstOrThrow({ where: { accountId: old.account.id } })).toMatchObject({ notes: '[erased]', summary: '[erased]', signaturePng: null, signedByName: null, latitude: null, paymentAmountMinor: 5_000n, contactResult: 'spoke_with_customer' });
    expect(await db().account.findUniqueOrThrow({ where: { id: old.account.id } })).toMatchObject({ serviceAddress: null, latitude: null, postalCode: '02108' });
    // Amounts and references are kept.
    expect(await db().payment.findFirstOrThrow({ where: { accountId: old.account.id } })).toMatchObject({ amountMinor: 5_000n, status: 'posted' });
    expect(await db().invoice.findFirstOrThrow({ where: { accountId: old.account.id } })).toMatchObject({ amountMinor: 5_000n, externalRef: expect.stringMatching(/^I-/) });

    // The audit trail: not one earlier row changed, the chain still verifies, and the purge is in it (without personal data).
    expect(await db().auditLog.findMany({ where: { id: { lte: auditBefore.at(-1)!.id } }, orderBy: { id: 'asc' } })).toEqual(auditBefore);
    expect(await verifyAuditChain(db())).toEqual({ ok: true, rows: auditBefore.length + 1 });
    const purge = await db().auditLog.findFirstOrThrow({ where: { action: 'customer.pseudonymised' } });
    expect(purge).toMatchObject({ entityId: old.customer.id, accountId: old.account.id, actorType: 'system' });
    expect(purge.after).toMatchObject({ reason: { kind: 'retention', retentionYears: 3 }, counts: { contacts: 2, messages: 1, activities: 1, tasks: 1, fieldVisits: 1 } });
    expect(JSON.stringify(purge.after)).not.toContain('Ann');

    // Younger than 3 years, paid since, or open: untouched.
    for (const kept of [young, paidLater, open]) {
      const row = await db().customer.findUniqueOrThrow({ where: { id: kept.customer.id }, include: { contacts: true } });
      expect(row.pseudonymisedAt).toBeNull();
      expect(row.contacts.map((c) => c.value)).toContain(kept.email);
      expect((await db().message.findFirstOrThrow({ where: { accountId: kept.account.id } })).body).toContain('you owe $50.00');
    }

    // A second pass finds nothing more to do.
    expect((await runRetention(db(), { retentionYears: 3, now })).pseudonymised).toEqual([]);
  });

  test('a longer configured retention keeps the record longer', async () => {
    const sixYears = await customerWithClosedCase('Eve Longer', yearsAgo(6));
    expect((await runRetention(db(), { retentionYears: 7, now })).pseudonymised).not.toContain(sixYears.customer.id);
    expect((await runRetention(db(), { retentionYears: 5, now })).pseudonymised).toContain(sixYears.customer.id);
  });

  test('a retention shorter than 3 years is refused at start-up', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x', RETENTION_YEARS: '2' })).toThrow(/RETENTION_YEARS: records are kept at least 3 years/);
    expect(loadConfig({ DATABASE_URL: 'postgres://x', REDIS_URL: 'redis://x' }).RETENTION_YEARS).toBe(3);
  });

  test('the worker schedules one pass per period on the retention queue', async () => {
    const redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
    const prefix = `retention-${randomBytes(3).toString('hex')}`;
    const worker = await startRetentionWorker({ connection: redis, db: db(), logger: createLogger('test', 'silent'), retentionYears: 3, everyHours: 24, prefix });
    const queue = createRetentionQueue(redis, { prefix });
    try {
      const scheduler = await queue.getJobScheduler('retention-pass');
      expect(scheduler).toMatchObject({ every: 24 * 3_600_000 });
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    }
  });
});
