// What billing systems drive through the API: delinquency reports (open a case) and payments.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { DelinquencyReportBody, DelinquencyResult, PaymentBody, PaymentResult } from '../schemas.ts';
import { reportDelinquency } from '../../services/delinquency-intake.ts';
import { postPayment } from '../../services/payments.ts';
import { openDispute, resolveDispute } from '../../services/disputes.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { minorToNumber } from '../../domain/money.ts';

export function billingRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows } = deps;

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/delinquencies',
    operationId: 'reportDelinquency',
    summary: 'Report a delinquent account (upserts customer, account, invoices; opens a case once)',
    tag: 'billing',
    permission: 'delinquencies:report',
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
        body: { paymentId: result.paymentId, accountId: result.accountId, created: result.created, balance: { amountMinor: minorToNumber(result.balanceMinor), currency: body.currency }, caseWorkflowId: result.caseWorkflowId },
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
    body: ResolveBody,
    responses: { 200: { description: 'Recorded', schema: DisputeResult }, 404: { description: 'No such account or invoice' }, 409: { description: 'An invoice is not in dispute' } },
    handler: async ({ principal, actor, body }) => ({ body: disputeReply(await resolveDispute(db, workflows, principal, actor, body)) }),
  });
  return router;
}
