// Field collections, the rep's side (F4-F9, F11): the day's routes to take offline, live look-ups,
// the sync of visits recorded offline, receipts, and the processor key for cards; and the
// supervisor's conflict list (F5). Routes, leads and reports are in field-routes.ts and field-reports.ts.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem.ts';
import { IdParams } from '../schemas.ts';
import { z } from '../http/openapi-registry.ts';
import { senderFor } from '../../platform/messaging/providers.ts';
import { dayEtag, fieldAccountLookup, fieldDay } from '../../services/field-day.ts';
import { accountFieldVisits, listVisitConflicts, resolveVisitConflict, syncFieldVisits } from '../../services/field-visits.ts';
import { getReceipt, receiptByLink, receiptLink, receiptPdf, sendReceipt, type Receipt, type ReceiptSettings } from '../../services/receipts.ts';
import { visitRecordFromWire } from '../../domain/field-visits.ts';
import { AccountFieldVisits, CardProcessorConfig, ConflictListQuery, ConflictPage, FieldAccountCard, FieldDay, FieldDayQuery, ReceiptDoc, ReceiptLinkParams, ReceiptLinkQuery, ResolveConflictBody, SendReceiptBody, SendReceiptResult, SyncBody, SyncResult } from '../field-schemas.ts';

export function receiptSettings(config: ApiDeps['config']): ReceiptSettings {
  return { companyName: config.COMPANY_NAME, publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}`, secret: config.WEBHOOK_SIGNING_SECRET };
}

function receiptDto(receipt: Receipt, settings: ReceiptSettings) {
  return { visitId: receipt.visitId, accountId: receipt.accountId, receiptNumber: receipt.receiptNumber, ...receipt.document, signaturePng: receipt.signaturePng ? Buffer.from(receipt.signaturePng).toString('base64') : null, link: receiptLink(settings, receipt.receiptNumber) };
}

/** The customer's receipt link: no sign-in, the token in the link is the key. Mounted before authentication. */
export function publicReceiptRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/receipts/:file', async (req, res) => {
    const match = /^(R-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4})\.pdf$/.exec(req.params.file);
    const params = ReceiptLinkParams.safeParse({ receiptNumber: match?.[1] });
    const query = ReceiptLinkQuery.safeParse(req.query);
    if (!params.success || !query.success) throw new HttpProblem(404, 'not_found', 'no such receipt');
    const receipt = await receiptByLink(deps.db, receiptSettings(deps.config), params.data.receiptNumber, query.data.token);
    res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${receipt.receiptNumber}.pdf"`);
    res.setHeader('Cache-Control', 'private, no-store');
    res.send(Buffer.from(await receiptPdf(receipt)));
  });
  return router;
}

export function fieldRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, workflows, config } = deps;
  const settings = receiptSettings(config);

  defineRoute(router, '', {
    method: 'get',
    path: '/field/day',
    operationId: 'getFieldDay',
    summary: 'The signed-in rep’s routes for a day (today in their branch by default), with every stop’s account, to work offline',
    tag: 'Field',
    permission: 'field:work',
    query: FieldDayQuery,
    responses: {
      200: { description: 'The day. Its `ETag` changes only with its content: send it back as `If-None-Match` (browsers do, with `Cache-Control: no-cache`) and an unchanged day is 304 with no body', schema: FieldDay, headers: { ETag: 'A strong validator of the content', 'Cache-Control': 'private, no-cache: kept, and checked again before each use' } },
      304: { description: 'Not modified since the `If-None-Match` given' },
    },
    handler: async ({ principal, query }) => {
      const day = await fieldDay(db, deps.cardProcessor ?? null, config.COMPANY_NAME, principal, query.date);
      // Express answers 304 itself when If-None-Match matches the ETag set here (res.json → req.fresh).
      return { body: day, headers: { ETag: dayEtag(day), 'Cache-Control': 'private, no-cache' } };
    },
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/accounts/:id',
    operationId: 'lookupFieldAccount',
    summary: 'Live look-up of an account from the field: current balance, open invoices, recent payments (F4)',
    tag: 'Field',
    permission: 'field:work',
    params: IdParams,
    responses: { 200: { description: 'The account as the phone keeps it', schema: FieldAccountCard } },
    handler: async ({ principal, params }) => ({ body: await fieldAccountLookup(db, principal, params.id) }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/map-config',
    operationId: 'getMapConfig',
    summary: 'Where the route maps take their tiles from (MAP_TILE_URL)',
    tag: 'Field',
    permission: 'authenticated',
    responses: { 200: { description: 'Tile URL template and attribution', schema: z.object({ tileUrl: z.string(), attribution: z.string() }) } },
    handler: async () => ({ body: { tileUrl: config.MAP_TILE_URL, attribution: config.MAP_ATTRIBUTION } }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/card-processor',
    operationId: 'getCardProcessorConfig',
    summary: 'The merchant processor’s public key with which the phone encrypts cards (F9)',
    tag: 'Field',
    permission: 'field:work',
    responses: { 200: { description: 'The key', schema: CardProcessorConfig }, 503: { description: 'No card processor is configured' } },
    handler: async () => {
      if (!deps.cardProcessor) throw new HttpProblem(503, 'card_processing_unavailable', 'no card processor is configured');
      return { body: await deps.cardProcessor.clientConfig() };
    },
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/sync',
    operationId: 'syncFieldVisits',
    summary: 'Send visits recorded on the phone (offline or not): each is recorded once under its clientVisitId, its payment posted and its case told (F5)',
    tag: 'Field',
    permission: 'field:work',
    body: SyncBody,
    responses: { 200: { description: 'One result per visit, in order', schema: SyncResult } },
    handler: async ({ principal, actor, body }) => {
      const synced = await syncFieldVisits({ db, workflows, cardProcessor: deps.cardProcessor ?? null }, principal, actor, { deviceId: body.deviceId ?? null, visits: body.visits.map(visitRecordFromWire) });
      return { body: synced };
    },
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/accounts/:id/field-visits',
    operationId: 'listAccountFieldVisits',
    summary: 'An account’s field visits, newest first: result, payment, card, equipment, offer, location, conflicts, receipt',
    tag: 'Field',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'Visits', schema: AccountFieldVisits } },
    handler: async ({ principal, params }) => ({ body: { items: await accountFieldVisits(db, principal, params.id) } }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/visits/:id/receipt',
    operationId: 'getVisitReceipt',
    summary: 'A visit’s receipt as data (what the print page shows), with the customer’s link',
    tag: 'Field',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'The receipt', schema: ReceiptDoc } },
    handler: async ({ principal, params }) => ({ body: receiptDto(await getReceipt(db, principal, params.id, settings), settings) }),
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/visits/:id/receipt.pdf',
    operationId: 'getVisitReceiptPdf',
    summary: 'A visit’s receipt as a PDF with the customer’s signature (F8)',
    tag: 'Field',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'application/pdf' } },
    handler: async ({ principal, params, res }) => {
      const receipt = await getReceipt(db, principal, params.id, settings);
      res.type('application/pdf').setHeader('Content-Disposition', `inline; filename="${receipt.receiptNumber}.pdf"`);
      res.send(Buffer.from(await receiptPdf(receipt)));
    },
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/visits/:id/receipt/send',
    operationId: 'sendVisitReceipt',
    summary: 'Send the receipt’s link to the customer by email or SMS (once per address)',
    tag: 'Field',
    permission: 'field:work',
    params: IdParams,
    body: SendReceiptBody,
    responses: { 202: { description: 'Queued', schema: SendReceiptResult } },
    handler: async ({ principal, actor, params, body }) => {
      if (!deps.queues) throw new HttpProblem(503, 'messaging_unavailable', 'the message queues are not connected');
      const sent = await sendReceipt(db, deps.queues, { email: senderFor(config, 'email'), sms: senderFor(config, 'sms') }, settings, principal, actor, params.id, { channel: body.channel, to: body.to ?? null });
      return { status: 202, body: sent };
    },
  });

  defineRoute(router, '', {
    method: 'get',
    path: '/field/conflicts',
    operationId: 'listFieldConflicts',
    summary: 'Synced visits whose sync found something to check (a payment posted meanwhile, a declined card, a promise the case refused…)',
    tag: 'Field',
    permission: 'field:manage',
    query: ConflictListQuery,
    responses: { 200: { description: 'A page of visits', schema: ConflictPage } },
    handler: async ({ principal, query }) => {
      const { total, visits } = await listVisitConflicts(db, principal, query);
      return {
        body: {
          total,
          items: visits.map((v) => ({
            visitId: v.id,
            receiptNumber: v.receiptNumber,
            arrivedAt: v.arrivedAt.toISOString(),
            syncedAt: v.syncedAt.toISOString(),
            summary: v.summary,
            account: { id: v.account.id, externalRef: v.account.externalRef, customerName: v.account.customer.name },
            rep: v.rep,
            conflicts: (v.conflicts as Array<{ code: string; message: string }> | null) ?? [],
            status: v.conflictStatus!,
            note: v.conflictNote,
            resolvedAt: v.conflictResolvedAt?.toISOString() ?? null,
          })),
        },
      };
    },
  });

  defineRoute(router, '', {
    method: 'post',
    path: '/field/visits/:id/conflict/resolve',
    operationId: 'resolveFieldConflict',
    summary: 'Settle a visit’s conflicts with a note of what was done (audited)',
    tag: 'Field',
    permission: 'field:manage',
    params: IdParams,
    body: ResolveConflictBody,
    responses: { 200: { description: 'Resolved', schema: z.object({ id: z.uuid(), conflictStatus: z.string().nullable(), conflictNote: z.string().nullable(), conflictResolvedAt: z.string().nullable() }) } },
    handler: async ({ principal, actor, params, body }) => {
      const resolved = await resolveVisitConflict(db, principal, actor, params.id, body.note);
      return { body: { ...resolved, conflictResolvedAt: resolved.conflictResolvedAt?.toISOString() ?? null } };
    },
  });
  return router;
}
