// Reversing a payment (a bounced cheque, a charge-back): the invoices it paid are owed again, exactly
// as much as it paid on each (its allocations), its over-payment credit is taken back, and the payment
// is marked reversed, logged on the account and audited. The open case hears of it; if there is none
// and the account is owing and past due again (the payment had closed the case), a new case episode
// opens as a billing report would open it: a bounced cheque reopens what it closed.
// Reversing a reversed payment answers the same and writes nothing.
import type { Db, Prisma } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { creditAfterReversal, reopenWithoutAllocations, statusAfterReopening, type Reopening } from '../domain/payment-allocation.ts';
import { daysPastDue, describeDaysPastDue, toDateOnly } from '../domain/ageing.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { lockAccount, refreshAccountBalance } from './balances.ts';
import { openCaseEpisode } from './case-opening.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';
import { isWorkflowGone } from './payments.ts';
import { retryOnUniqueConflict } from './retry.ts';
import { resegmentAccount } from './segments.ts';

export interface ReversalInput {
  accountRef: string;
  /** The payment's externalRef, as it was posted. */
  paymentRef: string;
  reason: string;
}

export interface ReversalResult {
  paymentId: string;
  accountId: string;
  /** False when the payment had been reversed before: nothing was written this time. */
  reversed: boolean;
  reversedAt: Date;
  reason: string;
  amountMinor: bigint;
  currency: string;
  /** What is owed again on each invoice. */
  reopened: Array<{ invoiceRef: string; amountMinor: bigint }>;
  /** The payment's over-payment credit, taken back from the account. */
  creditRemovedMinor: bigint;
  balanceMinor: bigint;
  creditMinor: bigint;
  caseId: string | null;
  caseWorkflowId: string | null;
  /** A new case episode opened because the reversal left the account owing and past due with no open case. */
  caseOpened: boolean;
}

export async function reversePayment(db: Db, workflows: CaseWorkflows, principal: Principal, actor: Actor, input: ReversalInput, now = new Date()): Promise<ReversalResult> {
  const result = await retryOnUniqueConflict(() => auditedTransaction(db, async (tx) => {
    const account = await tx.account.findUnique({ where: { externalRef: input.accountRef }, include: { customer: { select: { type: true, timeZone: true } }, branch: { select: { code: true } } } });
    if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', `no account ${input.accountRef}`);
    await lockAccount(tx, account.id);
    const payment = await tx.payment.findUnique({ where: { accountId_externalRef: { accountId: account.id, externalRef: input.paymentRef } } });
    if (!payment) throw new ServiceError('not_found', `no payment ${input.paymentRef} on ${input.accountRef}`);
    const openCase = await tx.collectionCase.findFirst({ where: { accountId: account.id, status: 'open' } });

    if (payment.status === 'reversed') {
      const current = await tx.account.findUniqueOrThrow({ where: { id: account.id }, select: { balanceMinor: true, creditMinor: true } });
      return {
        answer: { ...reversalFacts(payment, await reopenedOf(tx, payment.id)), reversed: false, balanceMinor: current.balanceMinor, creditMinor: current.creditMinor },
        openCase,
        caseOpened: false,
        currency: account.currency,
      };
    }

    let reopenings: Reopening[] = (await tx.paymentAllocation.findMany({ where: { paymentId: payment.id } })).map((a) => ({ invoiceId: a.invoiceId, reopenedMinor: a.amountMinor }));
    const keptAllocations = reopenings.length > 0 || payment.unappliedMinor > 0n;
    if (!keptAllocations) {
      // Recorded before allocations were kept: reopen paid invoices newest first, and record that as its allocations.
      const invoices = await tx.invoice.findMany({ where: { accountId: account.id, status: { in: ['open', 'paid'] } }, select: { id: true, dueDate: true, amountMinor: true, openMinor: true } });
      reopenings = reopenWithoutAllocations(payment.amountMinor, invoices.map((i) => ({ ...i, dueDate: toDateOnly(i.dueDate) }))).reopenings;
      if (reopenings.length) await tx.paymentAllocation.createMany({ data: reopenings.map((r) => ({ paymentId: payment.id, invoiceId: r.invoiceId, amountMinor: r.reopenedMinor })) });
    }
    const invoicesBefore = await tx.invoice.findMany({ where: { id: { in: reopenings.map((r) => r.invoiceId) } }, select: { id: true, externalRef: true, openMinor: true, status: true } });
    for (const r of reopenings) {
      const invoice = invoicesBefore.find((i) => i.id === r.invoiceId)!;
      await tx.invoice.update({ where: { id: invoice.id }, data: { openMinor: invoice.openMinor + r.reopenedMinor, status: statusAfterReopening(invoice.status) } });
    }
    const creditMinor = creditAfterReversal(account.creditMinor, payment.unappliedMinor);
    if (creditMinor !== account.creditMinor) await tx.account.update({ where: { id: account.id }, data: { creditMinor } });
    const reversed = await tx.payment.update({ where: { id: payment.id }, data: { status: 'reversed', reversedAt: now, reversalReason: input.reason } });
    const { balanceMinor, oldestDueDate } = await refreshAccountBalance(tx, account.id);
    await resegmentAccount(tx, actor, account.id); // its facts changed (S1, E4)
    const facts = reversalFacts(reversed, await reopenedOf(tx, payment.id));

    await tx.activity.create({
      data: {
        accountId: account.id,
        caseId: openCase?.id ?? null,
        userId: actor.type === 'user' ? actor.id : null,
        kind: 'payment',
        direction: 'inbound',
        summary: `Payment reversed: ${formatMinorUnits(payment.amountMinor, account.currency)} (${payment.externalRef}) — ${input.reason}`,
      },
    });
    await recordAudit(tx, actor, {
      action: 'payment.reversed',
      entityType: 'payment',
      entityId: payment.id,
      accountId: account.id,
      before: { payment: { status: payment.status }, invoices: invoicesBefore.map((i) => ({ externalRef: i.externalRef, openMinor: i.openMinor, status: i.status })), balanceMinor: account.balanceMinor, creditMinor: account.creditMinor },
      after: { payment: { status: reversed.status, reversedAt: reversed.reversedAt, reason: input.reason }, reopened: facts.reopened, balanceMinor, creditMinor },
    });

    let caseOpened = false;
    let theCase = openCase;
    const dpd = daysPastDue(oldestDueDate ? toDateOnly(oldestDueDate) : null, now, account.customer.timeZone);
    if (!openCase && balanceMinor > 0n && dpd > 0) {
      const accountNow = await tx.account.findUniqueOrThrow({ where: { id: account.id } });
      theCase = await openCaseEpisode(tx, actor, { account: accountNow, customer: account.customer, branch: account.branch, balanceMinor, dpd, summary: `Payment ${payment.externalRef} reversed: ${describeDaysPastDue(dpd)} again` });
      caseOpened = true;
    }
    return { answer: { ...facts, reversed: true, balanceMinor, creditMinor }, openCase: theCase, caseOpened, currency: account.currency };
  }));

  const { answer, openCase, caseOpened } = result;
  if (openCase && caseOpened) {
    // Signal-with-start, as a billing report starts a case: a failed start is repaired by a repeat.
    await workflows.reportCase(openCase.workflowId, { caseId: openCase.id, accountId: answer.accountId, episode: openCase.episode, currency: result.currency });
  } else if (openCase && answer.reversed) {
    await workflows.notifyPaymentReversed(openCase.workflowId, { paymentId: answer.paymentId, amountMinor: answer.amountMinor.toString() }).catch((error: unknown) => {
      if (!isWorkflowGone(error)) throw error;
    });
  }
  return { ...answer, caseId: openCase?.id ?? null, caseWorkflowId: openCase?.workflowId ?? null, caseOpened };
}

type PaymentRow = { id: string; accountId: string; amountMinor: bigint; currency: string; unappliedMinor: bigint; reversedAt: Date | null; reversalReason: string | null };

function reversalFacts(payment: PaymentRow, reopened: ReversalResult['reopened']) {
  return {
    paymentId: payment.id,
    accountId: payment.accountId,
    reversedAt: payment.reversedAt!,
    reason: payment.reversalReason ?? '',
    amountMinor: payment.amountMinor,
    currency: payment.currency,
    reopened,
    creditRemovedMinor: payment.unappliedMinor,
  };
}

async function reopenedOf(tx: Prisma.TransactionClient, paymentId: string): Promise<ReversalResult['reopened']> {
  const allocations = await tx.paymentAllocation.findMany({ where: { paymentId }, include: { invoice: { select: { externalRef: true } } }, orderBy: { invoice: { dueDate: 'asc' } } });
  return allocations.map((a) => ({ invoiceRef: a.invoice.externalRef, amountMinor: a.amountMinor }));
}
