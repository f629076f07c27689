// Many delinquency reports in one audited transaction, each carried out by the one intake
// (`reportDelinquency`), so that an imported account behaves exactly like a reported one.
//
// Why: every audited transaction serialises on the audit chain's lock (docs/architecture.md), so a
// file of 10,000 reports as 10,000 transactions pays the lock, BEGIN and COMMIT 10,000 times. Here a
// batch takes the lock once; each report runs inside a SAVEPOINT (the intake's own transaction becomes
// a savepoint of the batch's), so a report that fails rolls back alone and the rest of the batch
// commits. Workflow starts the intake makes are held back until the batch has committed (a workflow
// must never see a case row that may still roll back) and are then started concurrently.
import type { Db, Prisma } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import { auditedTransaction, forgetAuditHead, type Actor } from './audit.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { reportDelinquency, type DelinquencyReport, type IntakeResult } from './delinquency-intake.ts';
import type { CaseWorkflowInput } from '../workflows/collection-case.ts';

export type BatchOutcome<K> = { key: K; ok: true; result: IntakeResult } | { key: K; ok: false; error: unknown };

export interface PendingStart {
  workflowId: string;
  input: CaseWorkflowInput;
}

export interface IntakeBatch<K> {
  outcomes: Array<BatchOutcome<K>>;
  /** Signal-with-starts the intake asked for, to make once the batch has committed. */
  starts: PendingStart[];
}

/**
 * Runs `reports` through the intake in one audited transaction. `finish` runs last in the same
 * transaction (the caller records progress there, so progress and data commit together).
 */
export async function reportDelinquencyBatch<K>(
  db: Db,
  principal: Principal,
  actor: Actor,
  reports: Array<{ key: K; report: DelinquencyReport }>,
  finish: (tx: Prisma.TransactionClient, outcomes: Array<BatchOutcome<K>>) => Promise<void>,
  now = new Date(),
): Promise<IntakeBatch<K>> {
  return auditedTransaction(db, async (tx) => {
    const starts: PendingStart[] = [];
    const deferredWorkflows = deferringWorkflows(starts);
    const rowDb = savepointDb(tx);
    const outcomes: Array<BatchOutcome<K>> = [];
    for (const { key, report } of reports) {
      try {
        outcomes.push({ key, ok: true, result: await reportDelinquency(rowDb, deferredWorkflows, principal, actor, report, now) });
      } catch (error) {
        outcomes.push({ key, ok: false, error });
      }
    }
    await finish(tx, outcomes);
    return { outcomes, starts };
  });
}

/** Starts (signal-with-start) the held-back workflows, at most `concurrency` at a time. */
export async function startHeldBackWorkflows(workflows: CaseWorkflows, starts: PendingStart[], concurrency: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < starts.length) {
      const start = starts[next++]!;
      await workflows.reportCase(start.workflowId, start.input);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, starts.length)) }, lane));
}

/**
 * A `Db` whose `$transaction` is a savepoint of the batch's transaction. The intake only uses its `db`
 * to open its transaction (auditedTransaction → db.$transaction), so everything else is the batch's
 * own transaction client. Re-taking the audit lock inside is a no-op: advisory locks are re-entrant.
 */
function savepointDb(tx: Prisma.TransactionClient): Db {
  const $transaction = async <T>(work: (inner: Prisma.TransactionClient) => Promise<T>): Promise<T> => {
    await tx.$executeRawUnsafe('SAVEPOINT intake_report');
    try {
      const result = await work(tx);
      await tx.$executeRawUnsafe('RELEASE SAVEPOINT intake_report');
      return result;
    } catch (error) {
      await tx.$executeRawUnsafe('ROLLBACK TO SAVEPOINT intake_report');
      forgetAuditHead(tx); // the audit rows written since the savepoint are gone
      throw error;
    }
  };
  return new Proxy(tx, { get: (target, prop) => (prop === '$transaction' ? $transaction : Reflect.get(target, prop)) }) as unknown as Db;
}

/** Records the intake's signal-with-start instead of making it; anything else is not expected here. */
function deferringWorkflows(starts: PendingStart[]): CaseWorkflows {
  const refuse = () => Promise.reject(new Error('the batched intake only defers signal-with-start'));
  return {
    reportCase: async (workflowId, input) => {
      starts.push({ workflowId, input });
    },
    startCase: async (workflowId, input) => {
      starts.push({ workflowId, input });
    },
    notifyPayment: refuse,
    notifyPaymentReversed: refuse,
    notifyFactsChanged: refuse,
    notifyContactFailed: refuse,
    notifyFieldVisit: refuse,
    recordPromise: refuse,
    snapshot: () => Promise.resolve(null),
    postpone: refuse,
    pause: refuse,
    resume: refuse,
    runs: refuse,
    runHistory: refuse,
    pendingActivities: refuse,
  };
}
