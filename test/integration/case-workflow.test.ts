// The case workflow on Temporal's time-skipping test server, with its real activities writing to
// a real PostgreSQL: a month of silence costs no wall time, and payments close the case.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { createCaseActivities } from '../../activities/cases.ts';
import { workflowBundle } from '../../workers/temporal-worker.ts';
import { caseWorkflowType, caseSnapshotQuery, paymentReceivedSignal } from '../../workflows/messages.ts';
import { reportDelinquency } from '../../services/delinquency-intake.ts';
import { postPayment } from '../../services/payments.ts';
import type { CaseWorkflows } from '../../services/case-workflows.ts';
import type { Principal } from '../../domain/access.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from '../support/database.ts';
import { createBranch } from '../support/fixtures.ts';
import { Redis } from 'ioredis';
import { createMessageQueues, type MessageQueues } from '../../platform/messaging/queues.ts';

let env: TestWorkflowEnvironment;
let database: TestDatabase;
let branchCode: string;
let redis: Redis;
let queues: MessageQueues;
const taskQueue = `tts-${randomBytes(4).toString('hex')}`;
const billing: Principal = { kind: 'api_key', id: 'billing', scopes: ['delinquencies:report', 'payments:write'], branchId: null, name: 'billing' };
const actor = { type: 'api_key' as const, id: 'billing' };

// Services talk to the workflow through this port; here it is the test environment's client.
const workflows = (): CaseWorkflows => ({
  startCase: async (workflowId, input) => {
    await env.client.workflow.start(caseWorkflowType, { workflowId, taskQueue, args: [input], workflowIdConflictPolicy: 'USE_EXISTING' });
  },
  notifyPayment: async (workflowId, payment) => env.client.workflow.getHandle(workflowId).signal(paymentReceivedSignal, payment),
});

beforeAll(async () => {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: requireEnv('TEMPORAL_TEST_SERVER_PATH') } } });
  database = await createTestDatabase();
  branchCode = (await createBranch(database.db)).code;
  redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  queues = createMessageQueues(redis, { prefix: `${taskQueue}-bull` });
});
afterAll(async () => {
  await env?.teardown();
  await database?.drop();
  await queues?.close();
  const keys = await redis.keys(`${taskQueue}-bull:*`);
  if (keys.length) await redis.del(...keys);
  await redis?.quit();
});

async function withWorker<T>(body: () => Promise<T>): Promise<T> {
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities: createCaseActivities({ db: database.db, queues, senders: { email: 'collections@example.com', sms: '+15005550006' } }) });
  return worker.runUntil(body);
}

async function openCase(amountMinor: bigint) {
  const ref = `ACC-${randomBytes(3).toString('hex')}`;
  const result = await reportDelinquency(database.db, workflows(), billing, actor, {
    customer: { externalRef: `C-${ref}`, name: 'Sam Carter', type: 'retail', timeZone: 'America/Chicago', branchCode, contacts: [{ kind: 'email', value: `${ref.toLowerCase()}@example.net` }] },
    account: { externalRef: ref, currency: 'USD' },
    invoices: [{ externalRef: `I-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-09-20', amountMinor, openMinor: amountMinor }],
  });
  return { ref, ...result };
}

describe('the collection case workflow', () => {
  test('waits through a month without payment and stays open', async () => {
    await withWorker(async () => {
      const opened = await openCase(5000n);
      const handle = env.client.workflow.getHandle(opened.workflowId!);
      await env.sleep('30 days');
      expect(await handle.query(caseSnapshotQuery)).toMatchObject({ status: 'open', balanceMinor: '5000', paymentsSeen: 0 });
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.terminate('test over');
    });
  });

  test('closes as paid when the payments cover the balance, counting a re-signalled payment once', async () => {
    await withWorker(async () => {
      const opened = await openCase(7000n);
      const handle = env.client.workflow.getHandle(opened.workflowId!);
      const first = await postPayment(database.db, workflows(), billing, actor, { accountRef: opened.ref, externalRef: 'P1', amountMinor: 2000n, currency: 'USD', method: 'card', source: 'billing', receivedAt: new Date() });
      await handle.signal(paymentReceivedSignal, { paymentId: first.paymentId, amountMinor: '2000' });
      await env.sleep('3 days');
      expect(await handle.query(caseSnapshotQuery)).toMatchObject({ status: 'open', paymentsSeen: 1, balanceMinor: '5000' });

      await postPayment(database.db, workflows(), billing, actor, { accountRef: opened.ref, externalRef: 'P2', amountMinor: 5000n, currency: 'USD', method: 'cash', source: 'field', receivedAt: new Date() });
      expect(await handle.result()).toMatchObject({ status: 'closed', stage: 'closed', closeReason: 'paid', paymentsSeen: 2 });
      const row = await database.db.collectionCase.findUniqueOrThrow({ where: { id: opened.caseId! }, include: { account: true } });
      expect(row).toMatchObject({ status: 'closed', closeReason: 'paid' });
      expect(row.account.status).toBe('current');
      const notice = await database.db.message.findUniqueOrThrow({ where: { idempotencyKey: `case-closed:${opened.caseId}` } });
      expect(notice).toMatchObject({ channel: 'email', status: 'queued', accountId: opened.accountId });
      expect(notice.subject).toContain('your balance is settled');
    });
  });
});
