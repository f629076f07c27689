// What billing systems drive through the API: delinquency reports (open a case), payments and their
// reversals, invoice adjustments, disputes. Every POST honours the Idempotency-Key header.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { idempotencyKeys } from '../http/idempotency.ts';
import { DelinquencyReportBody, DelinquencyResult, InvoiceAdjustmentsBody, InvoiceAdjustmentsResult, PaymentBody, PaymentResult, PaymentReversalBody, PaymentReversalResult } from '../schemas.ts';
import { reportDelinquency } from '../../services/delinquency-intake.ts';
import { postPayment } from '../../services/payments.ts';
import { reversePayment } from '../../services/payment-reversals.ts';
import { adjustInvoices } from '../../services/invoice-adjustments.ts';
import { openDispute, resolveDispute } from '../../services/disputes.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { minorToNumber } from '../../domain/money.ts';

export function billingRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows } = deps;
  const keys = idempotencyKeys(db);
  const money = (amountMinor: bigint, currency: string) => ({ amountMinor: minorToNumber(amountMinor), currency });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/delinquencies',
    operationId: 'reportDelinquency',
    summary: 'Report a delinquent account (upserts customer, account, invoices; opens a case once)',
    tag: 'billing',
    permission: 'delinquencies:report',
    idempotency: keys,
    body: DelinquencyReportBody,
    responses: { 201: { description: 'A case was opened', schema: DelinquencyResult }, 200: { description: 'Recorded; the open case (if any) continues', schema: DelinquencyResult } },
    handler: async ({ principal, actor, body }) => {
      const result = await reportDelinquency(db, workflows, principal, actor, {
        ...body,
        customer: { ...body.customer, contacts: body.customer.contacts },
        invoices: body.invoices.map((i) => ({ ...i, amountMinor: BigInt(i.amountMinor), openMinor: BigInt(i.openMinor) })),
      });
      return {
        status: result.caseCreated ? 201 : 200,
        body: { accountId: result.accountId, caseId: result.caseId, workflowId: result.workflowId, caseCreated: result.caseCreated, balance: { amountMinor: minorToNumber(result.balanceMinor), currency: body.account.currency }, daysPastDue: result.daysPastDue },
      };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/payments',
    operationId: 'postPayment',
    summary: 'Post a payment to an account (idempotent on externalRef); the open case is notified',
    tag: 'billing',
    permission: 'payments:write',
    idempotency: keys,
    body: PaymentBody,
    responses: { 201: { description: 'Recorded', schema: PaymentResult }, 200: { description: 'Already recorded earlier (same externalRef)', schema: PaymentResult }, 404: { description: 'No such account' }, 409: { description: 'Same externalRef with different details' } },
    handler: async ({ principal, actor, body }) => {
      const source = principal.kind === 'api_key' ? 'billing' : principal.role === 'field_rep' ? 'field' : 'collector';
      const result = await postPayment(db, workflows, principal, actor, {
        accountRef: body.accountRef,
        externalRef: body.externalRef,
        amountMinor: BigInt(body.amountMinor),
        currency: body.currency,
        method: body.method,
        source,
        receivedAt: body.receivedAt ? new Date(body.receivedAt) : new Date(),
      });
      return {
        status: result.created ? 201 : 200,
        body: {
          paymentId: result.paymentId,
          accountId: result.accountId,
          created: result.created,
          balance: money(result.balanceMinor, body.currency),
          allocations: result.allocations.map((a) => ({ invoiceRef: a.invoiceRef, amountMinor: minorToNumber(a.amountMinor) })),
          unapplied: money(result.unappliedMinor, body.currency),
          credit: money(result.creditMinor, body.currency),
          caseWorkflowId: result.caseWorkflowId,
        },
      };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/payments/reversals',
    operationId: 'reversePayment',
    summary: 'Reverse a payment (bounced cheque, charge-back): the invoices it paid are owed again; its credit is taken back; the case hears of it or a new one opens',
    tag: 'billing',
    permission: 'payments:write',
    idempotency: keys,
    body: PaymentReversalBody,
    responses: {
      201: { description: 'Reversed', schema: PaymentReversalResult },
      200: { description: 'Reversed earlier: the same answer, nothing written', schema: PaymentReversalResult },
      404: { description: 'No such account or payment' },
    },
    handler: async ({ principal, actor, body }) => {
      const r = await reversePayment(db, workflows, principal, actor, body);
      return {
        status: r.reversed ? 201 : 200,
        body: {
          paymentId: r.paymentId,
          accountId: r.accountId,
          reversed: r.reversed,
          reversedAt: r.reversedAt.toISOString(),
          reason: r.reason,
          amount: money(r.amountMinor, r.currency),
          reopened: r.reopened.map((i) => ({ invoiceRef: i.invoiceRef, amountMinor: minorToNumber(i.amountMinor) })),
          creditRemoved: money(r.creditRemovedMinor, r.currency),
          balance: money(r.balanceMinor, r.currency),
          credit: money(r.creditMinor, r.currency),
          caseId: r.caseId,
          caseWorkflowId: r.caseWorkflowId,
          caseOpened: r.caseOpened,
        },
      };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/invoices/adjustments',
    operationId: 'adjustInvoices',
    summary: 'Credit notes, debit notes and corrections on invoices (each idempotent on its externalRef; all or none apply); the case re-reads its facts',
    tag: 'billing',
    permission: 'payments:write',
    idempotency: keys,
    body: InvoiceAdjustmentsBody,
    responses: {
      201: { description: 'Applied', schema: InvoiceAdjustmentsResult },
      200: { description: 'Every adjustment had been recorded before: nothing written', schema: InvoiceAdjustmentsResult },
      404: { description: 'No such account or invoice' },
      409: { description: 'An externalRef was recorded with different details (idempotency_conflict)' },
      422: { description: 'Refused (adjustment_refused): a credit note larger than what is open, or the invoice is disputed or written off' },
    },
    handler: async ({ principal, actor, body }) => {
      const r = await adjustInvoices(db, workflows, principal, actor, { accountRef: body.accountRef, adjustments: body.adjustments.map((a) => ({ ...a, amountMinor: BigInt(a.amountMinor) })) });
      return {
        status: r.appliedCount > 0 ? 201 : 200,
        body: {
          accountId: r.accountId,
          applied: r.appliedCount,
          adjustments: r.adjustments.map((a) => ({
            externalRef: a.externalRef,
            invoiceRef: a.invoiceRef,
            kind: a.kind,
            change: money(a.amountMinor, r.currency),
            openBefore: money(a.openBeforeMinor, r.currency),
            openAfter: money(a.openAfterMinor, r.currency),
            alreadyRecorded: a.alreadyRecorded,
          })),
          balance: money(r.balanceMinor, r.currency),
          caseId: r.caseId,
        },
      };
    },
  });
  const invoiceRefs = z.array(z.string().trim().min(1).max(100)).min(1).max(100);
  const DisputeBody = registry.register('DisputeOpen', z.object({ accountRef: z.string().trim().min(1).max(100), invoiceRefs, reason: z.string().trim().min(3).max(1000) }));
  const ResolveBody = registry.register('DisputeResolve', z.object({ accountRef: z.string().trim().min(1).max(100), invoiceRefs, outcome: z.enum(['upheld', 'rejected']), note: z.string().trim().max(1000).optional() }));
  const DisputeResult = registry.register('DisputeResult', z.object({ accountId: z.uuid(), caseId: z.uuid().nullable(), balance: z.object({ amountMinor: z.number().int(), currency: z.string() }), disputed: z.object({ amountMinor: z.number().int(), currency: z.string() }) }));
  const disputeReply = (r: { accountId: string; caseId: string | null; balanceMinor: bigint; disputedMinor: bigint; currency: string }) => ({
    accountId: r.accountId,
    caseId: r.caseId,
    balance: { amountMinor: minorToNumber(r.balanceMinor), currency: r.currency },
    disputed: { amountMinor: minorToNumber(r.disputedMinor), currency: r.currency },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/disputes',
    operationId: 'openDispute',
    summary: 'Put invoices in dispute: they leave the dunning balance; if all is disputed the case pauses (C7)',
    tag: 'billing',
    permission: 'payments:write',
    idempotency: keys,
    body: DisputeBody,
    responses: { 200: { description: 'Recorded', schema: DisputeResult }, 404: { description: 'No such account or invoice' }, 409: { description: 'An invoice is not open' } },
    handler: async ({ principal, actor, body }) => ({ body: disputeReply(await openDispute(db, workflows, principal, actor, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/disputes/resolve',
    operationId: 'resolveDispute',
    summary: 'Resolve disputed invoices: upheld (written off) or rejected (owed again); the case resumes or closes',
    tag: 'billing',
    permission: 'payments:write',
    idempotency: keys,
    body: ResolveBody,
    responses: { 200: { description: 'Recorded', schema: DisputeResult }, 404: { description: 'No such account or invoice' }, 409: { description: 'An invoice is not in dispute' } },
    handler: async ({ principal, actor, body }) => ({ body: disputeReply(await resolveDispute(db, workflows, principal, actor, body)) }),
  });
  return router;
}
