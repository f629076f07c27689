// C1 bulk import (`importDelinquencies`): a billing file of delinquent accounts is recorded as an
// import, queued, and worked through in the worker process in batches. Each report goes through the
// one intake (via services/batched-intake.ts), so an imported account behaves like a reported one.
// Progress and per-row errors commit in the same transaction as the batch they describe, so the
// counts are exact and a job that dies mid-way resumes after its last committed batch.
import type { Db, Prisma } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import { readUnits, locateIssue, type ImportFormat, type ImportUnit } from '../domain/delinquency-files.ts';
import type { Actor } from './audit.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import type { DelinquencyReport } from './delinquency-intake.ts';
import { reportDelinquencyBatch, startHeldBackWorkflows, type PendingStart } from './batched-intake.ts';
import { ServiceError } from './errors.ts';

export type DelinquencyImportRow = Prisma.DelinquencyImportGetPayload<object>;

/** The intake's own validation of one report (the `reportDelinquency` request schema), handed in by the caller. */
export type ReportValidator = (candidate: unknown) => { ok: true; report: DelinquencyReport } | { ok: false; issues: Array<{ path: ReadonlyArray<PropertyKey>; message: string }> };

export type ImportSummary = Omit<DelinquencyImportRow, 'source'>;

export async function createImport(db: Db, principal: Principal, actor: Actor, file: { format: ImportFormat; filename: string | null; text: string }): Promise<ImportSummary> {
  return db.delinquencyImport.create({
    data: { format: file.format, filename: file.filename, source: file.text, actorType: actor.type, actorId: actor.id, branchId: branchScope(principal) },
    omit: { source: true }, // the file can be tens of MiB: never read it back when it is not needed
  });
}

/** An import the caller may see: one made under its branch, or any when the caller is not branch-bound. Others are "not found". */
export async function getImport(db: Db, principal: Principal, importId: string): Promise<ImportSummary> {
  const found = await db.delinquencyImport.findUnique({ where: { id: importId }, omit: { source: true } });
  if (!found || !maySeeImport(principal, found.branchId)) throw new ServiceError('not_found', 'no such import');
  return found;
}

export async function listImportErrors(db: Db, principal: Principal, importId: string, page: { page: number; pageSize: number }) {
  await getImport(db, principal, importId);
  const [items, total] = await Promise.all([
    db.importRowError.findMany({ where: { importId }, orderBy: { rowNumber: 'asc' }, skip: (page.page - 1) * page.pageSize, take: page.pageSize }),
    db.importRowError.count({ where: { importId } }),
  ]);
  return { items, total };
}

export function maySeeImport(principal: Principal, importBranchId: string | null): boolean {
  return importBranchId === null ? branchScope(principal) === null : canAccessBranch(principal, importBranchId);
}

export interface ProcessOptions {
  validate: ReportValidator;
  /** Reports per audited transaction. */
  batchSize: number;
  /** Workflow starts in flight at once after each batch commits. */
  startConcurrency: number;
  /** After each batch: its reports, its time in all, and the part spent in its transaction (the rest waited for earlier starts). */
  onBatch?: (batch: { reports: number; ms: number; transactionMs: number }) => void;
  now?: () => Date;
}

/**
 * Works an import through to the end, or resumes it after the last committed batch. Bad rows are
 * recorded and never stop the file. Throws only when the import cannot proceed at all (the caller's
 * queue retries it).
 */
export async function processImport(db: Db, workflows: CaseWorkflows, importId: string, options: ProcessOptions): Promise<ImportSummary> {
  const found = await db.delinquencyImport.findUnique({ where: { id: importId } });
  if (!found) throw new ServiceError('not_found', `no import ${importId}`);
  if (found.status === 'completed' || found.status === 'failed') return found;
  const principal = await importerOf(db, found);
  const actor: Actor = { type: found.actorType, id: found.actorId, requestId: `import:${found.id}` };
  const { units, totalRows } = readUnits(found.format as ImportFormat, found.source);
  await db.delinquencyImport.update({ where: { id: importId }, data: { status: 'running', totalRows, startedAt: found.startedAt ?? new Date() } });

  // Skip what earlier attempts committed; their last batches' workflow starts may not have been made.
  let cursor = 0;
  for (let rows = 0; cursor < units.length && rows < found.processedRows; cursor++) rows += units[cursor]!.rows.length;
  if (cursor > 0) await restartRecentCases(db, workflows, units.slice(Math.max(0, cursor - 2 * options.batchSize), cursor), options.startConcurrency);

  let startsInFlight: Promise<void> = Promise.resolve();
  for (let at = cursor; at < units.length; at += options.batchSize) {
    const began = Date.now();
    const batch = units.slice(at, at + options.batchSize);
    const { starts } = await runBatch(db, importId, principal, actor, batch, found.format as ImportFormat, options);
    const committed = Date.now();
    // Starts of this batch overlap the next batch's transaction; at most one batch's starts are in flight.
    await startsInFlight;
    startsInFlight = startHeldBackWorkflows(workflows, starts, options.startConcurrency);
    options.onBatch?.({ reports: batch.length, ms: Date.now() - began, transactionMs: committed - began });
  }
  await startsInFlight;
  return db.delinquencyImport.update({ where: { id: importId }, data: { status: 'completed', finishedAt: new Date() }, omit: { source: true } });
}

/** Marks an import failed for good (its queue gave up on it); the rows already committed stay. */
export async function failImport(db: Db, importId: string, reason: string): Promise<void> {
  await db.delinquencyImport.updateMany({ where: { id: importId, status: { in: ['queued', 'running'] } }, data: { status: 'failed', error: reason.slice(0, 1000), finishedAt: new Date() } });
}

interface RowError {
  rowNumber: number;
  accountRef: string | null;
  code: string;
  message: string;
  details?: Prisma.InputJsonValue;
}

async function runBatch(db: Db, importId: string, principal: Principal, actor: Actor, batch: ImportUnit[], format: ImportFormat, options: ProcessOptions): Promise<{ starts: PendingStart[] }> {
  const rowErrors: RowError[] = [];
  const refused: ImportUnit[] = [];
  const reports: Array<{ key: ImportUnit; report: DelinquencyReport }> = [];
  for (const unit of batch) {
    if (unit.problem) {
      rowErrors.push({ rowNumber: unit.problem.row, accountRef: unit.accountRef, code: unit.problem.code, message: unit.problem.message, details: unit.problem.field ? { field: unit.problem.field } : undefined });
      refused.push(unit);
      continue;
    }
    const checked = options.validate(unit.candidate);
    if (checked.ok) {
      reports.push({ key: unit, report: checked.report });
      continue;
    }
    const located = checked.issues.map((issue) => ({ ...locateIssue(format, unit, issue.path), message: issue.message }));
    const first = located[0]!;
    rowErrors.push({ rowNumber: first.row, accountRef: unit.accountRef, code: 'validation_failed', message: first.message, details: { field: first.field, issues: located } });
    refused.push(unit);
  }
  const rowsOf = (units: ImportUnit[]) => units.reduce((n, u) => n + u.rows.length, 0);
  const result = await reportDelinquencyBatch(db, principal, actor, reports, async (tx, outcomes) => {
    for (const outcome of outcomes) if (!outcome.ok) rowErrors.push(intakeError(outcome.key, outcome.error));
    if (rowErrors.length > 0) await tx.importRowError.createMany({ data: rowErrors.map((e) => ({ importId, ...e })), skipDuplicates: true });
    const processed = rowsOf(batch);
    const failed = rowsOf(refused) + rowsOf(outcomes.filter((o) => !o.ok).map((o) => o.key));
    await tx.delinquencyImport.update({
      where: { id: importId },
      data: {
        processedRows: { increment: processed },
        succeededRows: { increment: processed - failed },
        failedRows: { increment: failed },
        casesOpened: { increment: outcomes.filter((o) => o.ok && o.result.caseCreated).length },
      },
    });
  }, options.now?.() ?? new Date());
  return { starts: result.starts };
}

function intakeError(unit: ImportUnit, error: unknown): RowError {
  if (error instanceof ServiceError) return { rowNumber: unit.rows[0]!, accountRef: unit.accountRef, code: error.code, message: error.message };
  return { rowNumber: unit.rows[0]!, accountRef: unit.accountRef, code: 'internal_error', message: 'the row could not be recorded; it has been logged', details: { error: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500) } };
}

/** After a crash between a batch's commit and its workflow starts: start (idempotently) the open cases of the last units. */
async function restartRecentCases(db: Db, workflows: CaseWorkflows, units: ImportUnit[], concurrency: number): Promise<void> {
  const refs = units.map((u) => u.accountRef).filter((r): r is string => r !== null);
  const open = await db.collectionCase.findMany({ where: { status: 'open', account: { externalRef: { in: refs } } }, select: { id: true, accountId: true, episode: true, workflowId: true, account: { select: { currency: true } } } });
  const starts = open.map((c) => ({ workflowId: c.workflowId, input: { caseId: c.id, accountId: c.accountId, episode: c.episode, currency: c.account.currency } }));
  let next = 0;
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, starts.length)) }, async () => {
    while (next < starts.length) {
      const s = starts[next++]!;
      await workflows.startCase(s.workflowId, s.input);
    }
  }));
}

/** Who the rows are reported as: the importer as they are now (a revoked key or a deactivated user stops the import). */
async function importerOf(db: Db, found: ImportSummary): Promise<Principal> {
  if (found.actorType === 'api_key' && found.actorId) {
    const key = await db.apiKey.findUnique({ where: { id: found.actorId } });
    if (!key || key.revokedAt) throw new ServiceError('forbidden', 'the API key that uploaded this import has been revoked');
    return { kind: 'api_key', id: key.id, scopes: key.scopes, branchId: key.branchId, name: key.name };
  }
  if (found.actorType === 'user' && found.actorId) {
    const user = await db.user.findUnique({ where: { id: found.actorId } });
    if (!user || !user.active) throw new ServiceError('forbidden', 'the user who uploaded this import is no longer active');
    return { kind: 'user', id: user.id, role: user.role, branchId: user.branchId, name: user.name };
  }
  throw new ServiceError('forbidden', 'this import has no importer');
}
