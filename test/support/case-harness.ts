// Runs case workflows on Temporal's time-skipping test server with their real activities, a real
// PostgreSQL and real message queues: weeks pass in seconds. Shared by the workflow test files.
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createCaseActivities } from '../../activities/cases.ts';
import { workflowBundle } from '../../workers/temporal-worker.ts';
import { caseSnapshotQuery } from '../../workflows/messages.ts';
import { reportDelinquency, type DelinquencyReport } from '../../services/delinquency-intake.ts';
import { temporalCaseWorkflows, type CaseWorkflows } from '../../services/case-workflows.ts';
import type { Principal } from '../../domain/access.ts';
import { localDate } from '../../domain/ageing.ts';
import { addDays, localMidnight } from '../../domain/case-schedule.ts';
import { createMessageQueues, type MessageQueues } from '../../platform/messaging/queues.ts';
import { createTestDatabase, requireEnv, type TestDatabase } from './database.ts';
import { createBranch } from './fixtures.ts';
import { eventually } from './system.ts';

export const billing: Principal = { kind: 'api_key', id: 'billing', scopes: ['delinquencies:report', 'payments:write'], branchId: null, name: 'billing' };
export const billingActor = { type: 'api_key' as const, id: 'billing' };

export interface CaseHarness {
  env: TestWorkflowEnvironment;
  database: TestDatabase;
  queues: MessageQueues;
  taskQueue: string;
  branchCode: string;
  timeZone: string;
  /** Services talk to the workflow through the production adapter, on the test server's client. */
  workflows(): CaseWorkflows;
  /** Opens a case 1 day past due today (debtor's calendar) running S5 unless the account is segmented otherwise. */
  openCase(amountMinor: bigint, options?: { contacts?: DelinquencyReport['customer']['contacts']; customer?: Partial<DelinquencyReport['customer']> }): Promise<OpenedCase>;
  /** Skips time to `hour`:00 local on the day the account is `day` days past due. */
  skipTo(dueDate: string, day: number, hour?: number): Promise<void>;
  startWorker(): Promise<void>;
  stopWorker(): Promise<void>;
  /** A worker in a child process (to be killed with SIGKILL by the test); resolves once it polls. */
  spawnWorkerProcess(): Promise<ChildProcess>;
  /** Terminates a case once its run waits on a timer with nothing in flight (see `endCase`). */
  endCase(handle: TerminableRun, reason?: string): Promise<void>;
  stop(): Promise<void>;
}

export type OpenedCase = Awaited<ReturnType<typeof reportDelinquency>> & { ref: string; dueDate: string; handle: ReturnType<TestWorkflowEnvironment['client']['workflow']['getHandle']> };

type TerminableRun = Pick<WorkflowHandle, 'describe' | 'terminate'>;

/**
 * Ends a case once nothing of it is in flight: no workflow task and no activity pending. The
 * time-skipping server keeps the time-skipping lock of a workflow task or activity cut off by a
 * termination (temporalio/sdk-java#1138), and every later skip in the file would then take real
 * time: tests must never terminate a busy run.
 */
export async function endCase(handle: TerminableRun, reason = 'test over'): Promise<void> {
  const idle = async () => {
    const { raw } = await handle.describe();
    return !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0;
  };
  await eventually(async () => (await idle()) && (await new Promise((r) => setTimeout(r, 200)).then(idle)), (quiet) => quiet, { intervalMs: 50 });
  await handle.terminate(reason);
}

let runtimeInstalled = false;

export async function startCaseHarness(options: { timeZone?: string; worker?: boolean } = {}): Promise<CaseHarness> {
  if (!runtimeInstalled) {
    Runtime.install({ logger: new DefaultLogger('WARN') });
    runtimeInstalled = true;
  }
  const timeZone = options.timeZone ?? 'America/Chicago';
  const taskQueue = `tts-${randomBytes(4).toString('hex')}`;
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: requireEnv('TEMPORAL_TEST_SERVER_PATH') } } });
  const database = await createTestDatabase();
  const branchCode = (await createBranch(database.db)).code;
  // The billing system listens for service changes (E5).
  await database.db.webhookEndpoint.create({ data: { name: 'billing', url: 'http://127.0.0.1:9/unused', events: ['service.suspend', 'service.resume', 'case.closed'] } });
  const redis = new Redis(requireEnv('REDIS_URL'), { maxRetriesPerRequest: null });
  const queues = createMessageQueues(redis, { prefix: `${taskQueue}-bull` });
  const workflows = () => temporalCaseWorkflows(env.client, taskQueue);
  const children: ChildProcess[] = [];

  // One worker at a time, as in production: cases run side by side on it.
  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  const startWorker = async () => {
    if (worker) return; // one at a time
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: createCaseActivities({ db: database.db, queues, senders: { email: 'collections@example.com', sms: '+15005550006', creditorName: 'Example Telecom Inc.' } }),
    });
    workerRun = worker.run();
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await workerRun;
    worker = undefined;
  };
  if (options.worker !== false) await startWorker();

  return {
    env,
    database,
    queues,
    taskQueue,
    branchCode,
    timeZone,
    workflows,
    endCase,
    startWorker,
    stopWorker,
    async spawnWorkerProcess() {
      const root = path.resolve(import.meta.dirname, '..', '..');
      // Node itself runs the worker (tsx as a loader, not tsx's CLI, which would put a second process in between
      // and leave the real worker running when the test kills the first).
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'support', 'case-worker-process.ts')], {
        cwd: root,
        env: { ...process.env, CASE_WORKER_TEMPORAL_ADDRESS: env.address, CASE_WORKER_TASK_QUEUE: taskQueue, CASE_WORKER_DATABASE_URL: database.url, CASE_WORKER_QUEUE_PREFIX: `${taskQueue}-bull` },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('worker ready') && resolve());
        child.once('exit', (code) => reject(new Error(`the worker process exited (${code}) before it was ready`)));
      });
      return child;
    },
    async openCase(amountMinor, extra = {}) {
      const ref = `ACC-${randomBytes(3).toString('hex')}`;
      const now = new Date(await env.currentTimeMs());
      const dueDate = addDays(localDate(now, timeZone), -1);
      const result = await reportDelinquency(database.db, workflows(), billing, billingActor, {
        customer: { externalRef: `C-${ref}`, name: 'Sam Carter', type: 'retail', timeZone, branchCode, contacts: extra.contacts ?? [{ kind: 'email', value: `${ref.toLowerCase()}@example.net` }], ...extra.customer },
        account: { externalRef: ref, currency: 'USD' },
        invoices: [{ externalRef: `I-${ref}`, issuedAt: addDays(dueDate, -20), dueDate, amountMinor, openMinor: amountMinor }],
      }, now);
      const handle = env.client.workflow.getHandle(result.workflowId!);
      if (worker) await eventually(() => handle.query(caseSnapshotQuery), (s) => s.ready);
      return { ref, dueDate, ...result, handle };
    },
    async skipTo(dueDate, day, hour = 12) {
      const target = localMidnight(addDays(dueDate, day), timeZone).getTime() + hour * 3_600_000;
      const now = await env.currentTimeMs();
      if (target > now) await env.sleep(target - now);
    },
    async stop() {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await stopWorker();
      await env.teardown();
      await database.drop();
      await queues.close();
      const keys = await redis.keys(`${taskQueue}-bull:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    },
  };
}
