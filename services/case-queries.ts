// Reading a case: the database row (the read side) joined with the live workflow's own answer
// (what comes next, stages left before legal, an open promise), scoped to the caller's branch.
import type { Db } from '../platform/db/client.ts';
import { branchScope, canAccessBranch, type Principal } from '../domain/access.ts';
import type { Prisma } from '../platform/db/client.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';

export async function getCase(db: Db, workflows: CaseWorkflows, principal: Principal, caseId: string) {
  const row = await db.collectionCase.findUnique({ where: { id: caseId }, include: { account: { select: { id: true, externalRef: true, branchId: true, currency: true, balanceMinor: true, serviceStatus: true } }, strategy: { select: { name: true, version: true } } } });
  if (!row || !canAccessBranch(principal, row.account.branchId)) throw new ServiceError('not_found', 'no such case');
  const live = await workflows.snapshot(row.workflowId);
  return { row, live };
}

/** Refuses (as not found) a case outside the caller's branch; returns what callers need of it. */
export async function requireCaseInScope(db: Db, principal: Principal, caseId: string) {
  const row = await db.collectionCase.findUnique({ where: { id: caseId }, select: { id: true, workflowId: true, status: true, accountId: true, account: { select: { branchId: true, currency: true } } } });
  if (!row || !canAccessBranch(principal, row.account.branchId)) throw new ServiceError('not_found', 'no such case');
  return row;
}

export async function openCaseOf(db: Db, principal: Principal, accountId: string) {
  const account = await db.account.findUnique({ where: { id: accountId }, select: { branchId: true, cases: { where: { status: 'open' }, select: { id: true, workflowId: true } } } });
  if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', 'no such account');
  const open = account.cases[0];
  if (!open) throw new ServiceError('no_open_case', 'this account has no open collection case');
  return open;
}

export interface CaseListFilter {
  status?: 'open' | 'closed' | undefined;
  stage?: 'soft' | 'hard' | 'pre_legal' | 'legal' | 'closed' | undefined;
  accountRef?: string | undefined;
  strategyId?: string | undefined;
  page: number;
  pageSize: number;
}

export async function listCases(db: Db, principal: Principal, filter: CaseListFilter) {
  const scope = branchScope(principal);
  const where: Prisma.CollectionCaseWhereInput = {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.stage ? { stage: filter.stage } : {}),
    ...(filter.strategyId ? { strategyId: filter.strategyId } : {}),
    ...(filter.accountRef || scope ? { account: { ...(filter.accountRef ? { externalRef: filter.accountRef } : {}), ...(scope ? { branchId: scope } : {}) } } : {}),
  };
  const [rows, total] = await Promise.all([
    db.collectionCase.findMany({ where, orderBy: [{ openedAt: 'desc' }, { id: 'asc' }], skip: (filter.page - 1) * filter.pageSize, take: filter.pageSize, include: { account: { select: { externalRef: true, balanceMinor: true, currency: true } } } }),
    db.collectionCase.count({ where }),
  ]);
  return { rows, total };
}
