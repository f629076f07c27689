// What billing systems drive through the API: delinquency reports (open a case) and payments.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { DelinquencyReportBody, DelinquencyResult, PaymentBody, PaymentResult } from '../schemas.ts';
import { reportDelinquency } from '../../services/delinquency-intake.ts';
import { postPayment } from '../../services/payments.ts';
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
  return router;
}
