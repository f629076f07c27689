// Invoice adjustments from billing (adjustInvoices): credit notes lower what is open, debit notes raise
// it, a correction sets it. All of a request's adjustments apply together or not at all; each is
// recorded once per externalRef (a re-delivery is a no-op, the same ref with other details a conflict).
// The balance follows, the change is audited, and the open case re-reads its facts (and closes as
// settled when nothing is owed any more).
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { applyAdjustment, isSameAdjustment, type AdjustmentKind } from '../domain/invoice-adjustments.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { lockAccount, refreshAccountBalance } from './balances.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';
import { isWorkflowGone } from './payments.ts';
import { retryOnUniqueConflict } from './retry.ts';
import { resegmentAccount } from './segments.ts';

export interface AdjustmentInput {
  externalRef: string;
  invoiceRef: string;
  kind: AdjustmentKind;
  /** Notes: the note's positive amount. Correction: the invoice's new open amount. */
  amountMinor: bigint;
  reason: string;
}

export interface AdjustmentsResult {
  accountId: string;
  currency: string;
  /** How many adjustments were applied now (0 when every one had been recorded before). */
  appliedCount: number;
  adjustments: Array<{ externalRef: string; invoiceRef: string; kind: AdjustmentKind; amountMinor: bigint; openBeforeMinor: bigint; openAfterMinor: bigint; alreadyRecorded: boolean }>;
  balanceMinor: bigint;
  caseId: string | null;
}

export async function adjustInvoices(db: Db, workflows: CaseWorkflows, principal: Principal, actor: Actor, input: { accountRef: string; adjustments: AdjustmentInput[] }): Promise<AdjustmentsResult> {
  const result = await retryOnUniqueConflict(() => auditedTransaction(db, async (tx) => {
    const account = await tx.account.findUnique({ where: { externalRef: input.accountRef } });
    if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', `no account ${input.accountRef}`);
    await lockAccount(tx, account.id);
    const invoices = new Map((await tx.invoice.findMany({ where: { accountId: account.id, externalRef: { in: input.adjustments.map((a) => a.invoiceRef) } } })).map((i) => [i.externalRef, i]));
    const missing = [...new Set(input.adjustments.map((a) => a.invoiceRef).filter((ref) => !invoices.has(ref)))];
    if (missing.length) throw new ServiceError('not_found', `no invoice ${missing.join(', ')} on ${input.accountRef}`);
    const recorded = new Map((await tx.invoiceAdjustment.findMany({ where: { accountId: account.id, externalRef: { in: input.adjustments.map((a) => a.externalRef) } } })).map((r) => [r.externalRef, r]));

    const answer: AdjustmentsResult['adjustments'] = [];
    const before: unknown[] = [];
    const after: unknown[] = [];
    for (const adjustment of input.adjustments) {
      const invoice = invoices.get(adjustment.invoiceRef)!;
      const earlier = recorded.get(adjustment.externalRef);
      if (earlier) {
        if (!isSameAdjustment(earlier, { ...adjustment, invoiceId: invoice.id })) {
          throw new ServiceError('idempotency_conflict', `adjustment ${adjustment.externalRef} was already recorded with different details`);
        }
        answer.push({ externalRef: adjustment.externalRef, invoiceRef: adjustment.invoiceRef, kind: earlier.kind, amountMinor: earlier.amountMinor, openBeforeMinor: earlier.openBefore, openAfterMinor: earlier.openAfter, alreadyRecorded: true });
        continue;
      }
      const outcome = applyAdjustment(invoice, adjustment);
      if (!outcome.ok) throw new ServiceError('adjustment_refused', `${adjustment.externalRef} on ${adjustment.invoiceRef}: ${outcome.detail} (${outcome.reason})`);
      const updated = await tx.invoice.update({ where: { id: invoice.id }, data: { openMinor: outcome.openAfterMinor, amountMinor: outcome.amountAfterMinor, status: outcome.statusAfter } });
      await tx.invoiceAdjustment.create({
        data: { accountId: account.id, invoiceId: invoice.id, externalRef: adjustment.externalRef, kind: adjustment.kind, amountMinor: outcome.deltaMinor, openBefore: invoice.openMinor, openAfter: outcome.openAfterMinor, reason: adjustment.reason },
      });
      before.push({ externalRef: invoice.externalRef, amountMinor: invoice.amountMinor, openMinor: invoice.openMinor, status: invoice.status });
      after.push({ externalRef: updated.externalRef, amountMinor: updated.amountMinor, openMinor: updated.openMinor, status: updated.status, adjustment: adjustment.externalRef, kind: adjustment.kind, reason: adjustment.reason });
      answer.push({ externalRef: adjustment.externalRef, invoiceRef: adjustment.invoiceRef, kind: adjustment.kind, amountMinor: outcome.deltaMinor, openBeforeMinor: invoice.openMinor, openAfterMinor: outcome.openAfterMinor, alreadyRecorded: false });
      invoices.set(invoice.externalRef, updated); // a later adjustment of the same invoice starts from here
    }

    const openCase = await tx.collectionCase.findFirst({ where: { accountId: account.id, status: 'open' } });
    const appliedCount = answer.filter((a) => !a.alreadyRecorded).length;
    if (appliedCount === 0) {
      return { accountId: account.id, currency: account.currency, appliedCount, adjustments: answer, balanceMinor: account.balanceMinor, openCase };
    }
    const { balanceMinor } = await refreshAccountBalance(tx, account.id);
    await resegmentAccount(tx, actor, account.id); // its facts changed (S1, E4)
    const fresh = answer.filter((a) => !a.alreadyRecorded);
    await tx.activity.create({
      data: {
        accountId: account.id,
        caseId: openCase?.id ?? null,
        userId: actor.type === 'user' ? actor.id : null,
        kind: 'note',
        direction: 'inbound',
        summary: `Invoices adjusted by billing: ${fresh.map((a) => `${a.kind.replace('_', ' ')} ${formatMinorUnits(a.amountMinor, account.currency)} on ${a.invoiceRef}`).join('; ')}`,
      },
    });
    await recordAudit(tx, actor, { action: 'invoices.adjusted', entityType: 'account', entityId: account.id, accountId: account.id, before: { invoices: before, balanceMinor: account.balanceMinor }, after: { invoices: after, balanceMinor } });
    return { accountId: account.id, currency: account.currency, appliedCount, adjustments: answer, balanceMinor, openCase };
  }));

  const { openCase, ...answer } = result;
  if (openCase && answer.appliedCount > 0) {
    await workflows.notifyFactsChanged(openCase.workflowId).catch((error: unknown) => {
      if (!isWorkflowGone(error)) throw error;
    });
  }
  return { ...answer, caseId: openCase?.id ?? null };
}
