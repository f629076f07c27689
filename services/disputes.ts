// Disputes, the case side (C7): disputed invoices leave the dunning balance and the case hears of it;
// if everything owed is disputed the case pauses. Resolution either upholds the customer (the invoice
// is written off) or rejects the dispute (the invoice is owed again), and the case resumes or closes.
// A dispute raised within the validation period (Reg F §1006.34, X1) is marked as such in the log and
// the audit: collection of the disputed part holds until it is resolved, as for any dispute here.
import type { Db } from '../platform/db/client.ts';
import { canAccessBranch, type Principal } from '../domain/access.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { disputedAmount, lockAccount, refreshAccountBalance } from './balances.ts';
import type { CaseWorkflows } from './case-workflows.ts';
import { ServiceError } from './errors.ts';
import { localDate, toDateOnly } from '../domain/ageing.ts';
import { resegmentAccount } from './segments.ts';

export interface DisputeInput {
  accountRef: string;
  invoiceRefs: string[];
  reason: string;
}

export interface DisputeResolution {
  accountRef: string;
  invoiceRefs: string[];
  outcome: 'upheld' | 'rejected';
  note?: string;
}

async function changeInvoices(
  db: Db,
  workflows: CaseWorkflows,
  principal: Principal,
  actor: Actor,
  accountRef: string,
  invoiceRefs: string[],
  change: { from: 'open' | 'disputed'; to: 'open' | 'disputed' | 'written_off'; action: string; summary: string; note?: string },
) {
  const result = await auditedTransaction(db, async (tx) => {
    const account = await tx.account.findUnique({ where: { externalRef: accountRef }, include: { customer: { select: { timeZone: true } } } });
    if (!account || !canAccessBranch(principal, account.branchId)) throw new ServiceError('not_found', `no account ${accountRef}`);
    await lockAccount(tx, account.id);
    const invoices = await tx.invoice.findMany({ where: { accountId: account.id, externalRef: { in: invoiceRefs } } });
    const missing = invoiceRefs.filter((ref) => !invoices.some((i) => i.externalRef === ref));
    if (missing.length) throw new ServiceError('not_found', `no invoice ${missing.join(', ')} on ${accountRef}`);
    const wrong = invoices.filter((i) => i.status !== change.from);
    if (wrong.length) throw new ServiceError('invalid_state', `invoice ${wrong.map((i) => `${i.externalRef} is ${i.status}`).join(', ')}; expected ${change.from}`);
    await tx.invoice.updateMany({ where: { id: { in: invoices.map((i) => i.id) } }, data: { status: change.to } });
    const { balanceMinor } = await refreshAccountBalance(tx, account.id);
    await resegmentAccount(tx, actor, account.id); // its facts changed (S1, E4)
    const disputed = await disputedAmount(tx, account.id);
    const openCase = await tx.collectionCase.findFirst({ where: { accountId: account.id, status: 'open' } });
    const periodEndsOn = openCase?.validationPeriodEndsOn ? toDateOnly(openCase.validationPeriodEndsOn) : null;
    const withinValidationPeriod = change.to === 'disputed' && periodEndsOn !== null && localDate(new Date(), account.customer.timeZone) <= periodEndsOn;
    await tx.activity.create({ data: { accountId: account.id, caseId: openCase?.id ?? null, userId: actor.type === 'user' ? actor.id : null, kind: 'note', direction: 'inbound', summary: `${change.summary}: ${invoiceRefs.join(', ')}${change.note ? ` (${change.note})` : ''}${withinValidationPeriod ? ` — within the validation period (ends ${periodEndsOn})` : ''}` } });
    await recordAudit(tx, actor, { action: change.action, entityType: 'account', entityId: account.id, accountId: account.id, before: invoices.map((i) => ({ externalRef: i.externalRef, status: i.status })), after: { invoices: invoiceRefs, status: change.to, note: change.note ?? null, balanceMinor, disputedMinor: disputed, ...(withinValidationPeriod ? { withinValidationPeriod: true } : {}) } });
    return { accountId: account.id, balanceMinor, disputedMinor: disputed, openCase, currency: account.currency };
  });
  if (result.openCase) {
    await workflows.reportCase(result.openCase.workflowId, { caseId: result.openCase.id, accountId: result.accountId, episode: result.openCase.episode, currency: result.currency });
  }
  return { accountId: result.accountId, caseId: result.openCase?.id ?? null, balanceMinor: result.balanceMinor, disputedMinor: result.disputedMinor, currency: result.currency };
}

export function openDispute(db: Db, workflows: CaseWorkflows, principal: Principal, actor: Actor, input: DisputeInput) {
  return changeInvoices(db, workflows, principal, actor, input.accountRef, input.invoiceRefs, { from: 'open', to: 'disputed', action: 'dispute.opened', summary: 'Dispute opened on invoice(s)', note: input.reason });
}

export function resolveDispute(db: Db, workflows: CaseWorkflows, principal: Principal, actor: Actor, input: DisputeResolution) {
  return changeInvoices(db, workflows, principal, actor, input.accountRef, input.invoiceRefs, {
    from: 'disputed',
    to: input.outcome === 'upheld' ? 'written_off' : 'open',
    action: `dispute.${input.outcome}`,
    summary: input.outcome === 'upheld' ? 'Dispute upheld, invoice(s) written off' : 'Dispute rejected, invoice(s) owed again',
    note: input.note,
  });
}
