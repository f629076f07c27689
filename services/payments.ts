// Posting a payment (E3): allocate it to open invoices oldest first and record what it paid on each
// (so a reversal can reopen exactly that), keep an over-payment as a credit on the account, keep the
// balance in step, log it on the account, and tell the open case's workflow. The caller's
// `externalRef` makes a re-delivered payment a no-op; the same ref with a different amount is refused.
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { allocatePayment } from '../domain/payment-allocation.ts';
import { toDateOnly } from '../domain/ageing.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { lockAccount, refreshAccountBalance } from './balances.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';
import { retryOnUniqueConflict } from './retry.ts';
import { resegmentAccount } from './segments.ts';

export interface PaymentInput {
  accountRef: string;
  externalRef: string;
  amountMinor: bigint;
  currency: string;
  method: 'cash' | 'cheque' | 'card' | 'money_order' | 'bank_transfer' | 'direct_debit' | 'other';
  source: 'billing' | 'field' | 'collector' | 'portal';
  receivedAt: Date;
}

export interface PaymentResult {
  paymentId: string;
  accountId: string;
  created: boolean;
  balanceMinor: bigint;
  /** What the payment paid on each invoice. */
  allocations: Array<{ invoiceRef: string; amountMinor: bigint }>;
  /** The part no open invoice needed: kept as a credit on the account. */
  unappliedMinor: bigint;
  /** The account's credit now. */
  creditMinor: bigint;
  caseWorkflowId: string | null;
}

export async function postPayment(db: Db, workflows: CaseWorkflows, principal: Principal, actor: Actor, input: PaymentInput): Promise<PaymentResult> {
  const result = await retryOnUniqueConflict(() => auditedTransaction(db, async (tx) => {
    const account = await tx.account.findUnique({ where: { externalRef: input.accountRef } });
    if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', `no account ${input.accountRef}`);
    if (account.currency !== input.currency.toUpperCase()) throw new ServiceError('currency_mismatch', `the account is kept in ${account.currency}`);
    await lockAccount(tx, account.id);

    const openCase = await tx.collectionCase.findFirst({ where: { accountId: account.id, status: 'open' }, select: { id: true, workflowId: true } });
    const existing = await tx.payment.findUnique({ where: { accountId_externalRef: { accountId: account.id, externalRef: input.externalRef } } });
    if (existing) {
      if (existing.amountMinor !== input.amountMinor || existing.method !== input.method) {
        throw new ServiceError('idempotency_conflict', `payment ${input.externalRef} was already recorded with different details`);
      }
      const current = await tx.account.findUniqueOrThrow({ where: { id: account.id }, select: { balanceMinor: true, creditMinor: true } });
      const recorded = await tx.paymentAllocation.findMany({ where: { paymentId: existing.id }, include: { invoice: { select: { externalRef: true } } }, orderBy: { invoice: { dueDate: 'asc' } } });
      return {
        paymentId: existing.id,
        accountId: account.id,
        created: false,
        balanceMinor: current.balanceMinor,
        allocations: recorded.map((a) => ({ invoiceRef: a.invoice.externalRef, amountMinor: a.amountMinor })),
        unappliedMinor: existing.unappliedMinor,
        creditMinor: current.creditMinor,
        openCase,
      };
    }

    const invoices = await tx.invoice.findMany({ where: { accountId: account.id, status: 'open' }, select: { id: true, externalRef: true, dueDate: true, openMinor: true } });
    const { allocations, unappliedMinor } = allocatePayment(input.amountMinor, invoices.map((i) => ({ id: i.id, dueDate: toDateOnly(i.dueDate), openMinor: i.openMinor })));
    for (const a of allocations) {
      await tx.invoice.update({ where: { id: a.invoiceId }, data: { openMinor: a.openAfterMinor, status: a.openAfterMinor === 0n ? 'paid' : 'open' } });
    }
    const payment = await tx.payment.create({
      data: {
        accountId: account.id,
        externalRef: input.externalRef,
        amountMinor: input.amountMinor,
        currency: account.currency,
        method: input.method,
        source: input.source,
        receivedAt: input.receivedAt,
        unappliedMinor,
        allocations: { create: allocations.map((a) => ({ invoiceId: a.invoiceId, amountMinor: a.appliedMinor })) },
      },
    });
    const { creditMinor } = unappliedMinor > 0n
      ? await tx.account.update({ where: { id: account.id }, data: { creditMinor: { increment: unappliedMinor } }, select: { creditMinor: true } })
      : account;
    const { balanceMinor } = await refreshAccountBalance(tx, account.id);
    await resegmentAccount(tx, actor, account.id); // its facts changed (S1, E4)
    const refOf = new Map(invoices.map((i) => [i.id, i.externalRef]));
    const paid = allocations.map((a) => ({ invoiceRef: refOf.get(a.invoiceId)!, amountMinor: a.appliedMinor }));
    await tx.activity.create({
      data: {
        accountId: account.id,
        caseId: openCase?.id ?? null,
        userId: actor.type === 'user' ? actor.id : null,
        kind: 'payment',
        direction: 'inbound',
        summary: `Payment received: ${formatMinorUnits(input.amountMinor, account.currency)} by ${input.method.replace('_', ' ')}${unappliedMinor > 0n ? `; ${formatMinorUnits(unappliedMinor, account.currency)} kept as credit` : ''}`,
      },
    });
    await recordAudit(tx, actor, {
      action: 'payment.posted',
      entityType: 'payment',
      entityId: payment.id,
      accountId: account.id,
      before: { balanceMinor: account.balanceMinor, creditMinor: account.creditMinor },
      after: { payment, allocations: paid, balanceMinor, creditMinor },
    });
    return { paymentId: payment.id, accountId: account.id, created: true, balanceMinor, allocations: paid, unappliedMinor, creditMinor, openCase };
  }));

  if (result.openCase) {
    // Re-signalled on a duplicate delivery too: the workflow treats a payment it has seen as a no-op.
    await workflows.notifyPayment(result.openCase.workflowId, { paymentId: result.paymentId, amountMinor: input.amountMinor.toString() }).catch((error: unknown) => {
      if (!isWorkflowGone(error)) throw error;
    });
  }
  const { openCase, ...answer } = result;
  return { ...answer, caseWorkflowId: openCase?.workflowId ?? null };
}

export function isWorkflowGone(error: unknown): boolean {
  return error instanceof Error && (error.name === 'WorkflowNotFoundError' || /not found|already completed/i.test(error.message));
}
