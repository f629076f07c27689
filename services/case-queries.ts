// Reading a case: the database row (the read side) joined with the live workflow's own answer
// (what comes next, stages left before legal, an open promise), scoped to the caller's branch.
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';

export async function getCase(db: Db, workflows: CaseWorkflows, principal: Principal, caseId: string) {
  const row = await db.collectionCase.findUnique({ where: { id: caseId }, include: { account: { select: { id: true, externalRef: true, branchId: true, currency: true, balanceMinor: true, serviceStatus: true } }, strategy: { select: { name: true, version: true } } } });
  if (!row || !canAccessBranch(principal, row.account.branchId)) throw new ServiceError('not_found', 'no such case');
  const live = await workflows.snapshot(row.workflowId);
  return { row, live };
}

export async function openCaseOf(db: Db, principal: Principal, accountId: string) {
  const account = await db.account.findUnique({ where: { id: accountId }, select: { branchId: true, cases: { where: { status: 'open' }, select: { id: true, workflowId: true } } } });
  if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', 'no such account');
  const open = account.cases[0];
  if (!open) throw new ServiceError('no_open_case', 'this account has no open collection case');
  return open;
}
