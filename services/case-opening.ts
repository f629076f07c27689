// Opening a case episode for an account that is delinquent: the next episode number, the segment and
// its strategy arm (reasons audited), the case row, the account marked delinquent, an activity and the
// audit records. Shared by a billing report (delinquency-intake.ts) and a reversed payment that leaves
// the account owing again (payment-reversals.ts): a bounced cheque reopens what it closed. Runs inside
// the caller's audited transaction, with the account locked; the caller starts the workflow after commit.
import type { Prisma } from '../platform/db/client.ts';
import { caseWorkflowId } from '../domain/case-identity.ts';
import type { AccountAttributes } from '../domain/segmentation.ts';
import { recordAudit, type Actor } from './audit.ts';
import { segmentAccount } from './segments.ts';
import { strategyForNewCase } from './strategies.ts';

export interface CaseOpeningFacts {
  account: { id: string; segmentId: string | null; segmentReason: string | null; status: string; attributes: unknown; currency: string };
  customer: { type: 'retail' | 'corporate' };
  branch: { code: string };
  balanceMinor: bigint;
  dpd: number;
  /** The activity line on the account that says why the case opened. */
  summary: string;
  /** The segment the caller already placed the account in (null: none matched); segmented here when absent. */
  segment?: { strategies: Array<{ id: string; trafficPercent: number }> } | null;
}

export async function openCaseEpisode(tx: Prisma.TransactionClient, actor: Actor, facts: CaseOpeningFacts) {
  const { account, customer, branch, balanceMinor, dpd } = facts;
  const last = await tx.collectionCase.findFirst({ where: { accountId: account.id }, orderBy: { episode: 'desc' }, select: { episode: true } });
  const episode = (last?.episode ?? 0) + 1;
  const segment =
    facts.segment !== undefined
      ? facts.segment
      : await segmentAccount(tx, actor, account, { customerType: customer.type, balanceMinor, branchCode: branch.code, daysPastDue: dpd, attributes: (account.attributes ?? {}) as AccountAttributes, currency: account.currency });
  const created = await tx.collectionCase.create({
    data: { accountId: account.id, episode, workflowId: caseWorkflowId(account.id, episode), balanceAtOpen: balanceMinor, daysPastDueAtOpen: dpd, strategyId: segment ? strategyForNewCase(account.id, segment.strategies) : null },
  });
  const before = { status: account.status };
  await tx.account.update({ where: { id: account.id }, data: { status: 'delinquent' } });
  await tx.activity.create({ data: { accountId: account.id, caseId: created.id, kind: 'system', summary: facts.summary } });
  await recordAudit(tx, actor, { action: 'case.opened', entityType: 'collection_case', entityId: created.id, accountId: account.id, after: created });
  await recordAudit(tx, actor, { action: 'account.status_changed', entityType: 'account', entityId: account.id, accountId: account.id, before, after: { status: 'delinquent' } });
  return created;
}
