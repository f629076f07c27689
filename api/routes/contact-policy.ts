// The contact policy (X1) through the API: settings per jurisdiction and per segment, what the
// policy allows on an account right now (and why not), the debtor's own requests (cease, lawyer,
// opt-outs), and inbound SMS, where a STOP reply opts the number out.
import express, { Router } from 'express';
import twilio from 'twilio';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { HttpProblem } from '../http/problem-exports.ts';
import { IdParams } from '../schemas.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { contactPolicyOverridesSchema } from '../../domain/contact-rules.ts';
import { requireAccountInScope } from '../../services/account-queries.ts';
import { contactStatusForAccount, listJurisdictionPolicies, recordInboundSms, setContactRestrictions, setJurisdictionPolicy, setSegmentContactPolicy } from '../../services/contact-policy.ts';

// Cloned: the domain schema may load before zod's OpenAPI extension is installed.
const Overrides = registry.register('ContactPolicyOverrides', contactPolicyOverridesSchema.clone());
const JurisdictionParams = z.object({ jurisdiction: z.string().regex(/^[A-Z]{2}(-[A-Z0-9]{1,3})?$/, 'an ISO 3166 country code, optionally with a region: US, US-MA, HU') });
const Restrictions = registry.register(
  'ContactRestrictions',
  z
    .object({
      ceaseCommunication: z.boolean().optional(),
      attorney: z.object({ details: z.string().trim().min(3).max(500) }).strict().nullable().optional(),
      optOuts: z.array(z.object({ contactId: z.uuid(), optedOut: z.boolean() }).strict()).max(50).optional(),
    })
    .strict()
    .refine((r) => r.ceaseCommunication !== undefined || r.attorney !== undefined || (r.optOuts?.length ?? 0) > 0, { message: 'say what changes: ceaseCommunication, attorney or optOuts' }),
);
const InboundSms = registry.register('InboundSms', z.object({ from: z.string().trim().min(3).max(40), body: z.string().max(1600), providerMessageId: z.string().trim().min(1).max(100) }).strict());

export function contactPolicyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db, config } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/contact-policies',
    operationId: 'listContactPolicies',
    summary: 'Contact-policy settings per jurisdiction (built in and stored), with the policy in force for each',
    tag: 'contact policy',
    permission: 'contact_policy:manage',
    responses: { 200: { description: 'Jurisdictions' } },
    handler: async () => ({ body: { items: await listJurisdictionPolicies(db) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'put',
    path: '/contact-policies/:jurisdiction',
    operationId: 'setContactPolicy',
    summary: "Set a jurisdiction's contact-policy settings over the US defaults (hours, attempt caps, quiet days, final notices)",
    tag: 'contact policy',
    permission: 'contact_policy:manage',
    params: JurisdictionParams,
    body: Overrides,
    responses: { 200: { description: 'Saved' } },
    handler: async ({ actor, params, body }) => {
      const saved = await setJurisdictionPolicy(db, actor, params.jurisdiction, body);
      return { body: { jurisdiction: saved.jurisdiction, overrides: saved.policy } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'put',
    path: '/segments/:id/contact-policy',
    operationId: 'setSegmentContactPolicy',
    summary: "Set a segment's contact-policy overrides (they win over the debtor's jurisdiction)",
    tag: 'contact policy',
    permission: 'contact_policy:manage',
    params: IdParams,
    body: Overrides,
    responses: { 200: { description: 'Saved' }, 404: { description: 'No such segment' } },
    handler: async ({ actor, params, body }) => ({ body: { segmentId: params.id, overrides: await setSegmentContactPolicy(db, actor, params.id, body) } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/accounts/:id/contact-status',
    operationId: 'getContactStatus',
    summary: 'What the contact policy allows on this account now, per channel: allowed, or deferred/blocked and why',
    tag: 'contact policy',
    permission: 'accounts:read',
    params: IdParams,
    responses: { 200: { description: 'The policy in force and a decision per channel' }, 404: { description: 'No such account (or not in your branch)' } },
    handler: async ({ principal, params }) => {
      await requireAccountInScope(db, principal, params.id);
      const status = await contactStatusForAccount(db, params.id);
      return { body: { policy: status.policy, channels: status.channels.map((c) => ({ channel: c.channel, ...c.decision, ...('until' in c.decision ? { until: c.decision.until.toISOString() } : {}) })) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'put',
    path: '/accounts/:id/contact-restrictions',
    operationId: 'setContactRestrictions',
    summary: "Record the debtor's requests about contact: cease communication, a lawyer, channel opt-outs (X1)",
    tag: 'contact policy',
    permission: 'accounts:write',
    params: IdParams,
    body: Restrictions,
    responses: { 200: { description: 'Recorded' }, 404: { description: 'No such account or contact' } },
    handler: async ({ principal, actor, params, body }) => {
      await requireAccountInScope(db, principal, params.id);
      return { body: await setContactRestrictions(db, actor, params.id, body) };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/inbound/sms',
    operationId: 'receiveSms',
    summary: 'An SMS from a debtor (from an SMS gateway); STOP and its synonyms opt the number out',
    tag: 'contact policy',
    permission: 'messages:inbound',
    body: InboundSms,
    responses: { 200: { description: 'Recorded (a repeat of the same providerMessageId changes nothing)' } },
    handler: async ({ actor, body }) => ({ body: await recordInboundSms(db, actor, body) }),
  });

  // Twilio's inbound-message webhook: form-encoded, authenticated by its signature over the URL and parameters.
  router.post('/inbound/sms/twilio', express.urlencoded({ extended: false, limit: '100kb' }), async (req, res) => {
    if (!config.TWILIO_AUTH_TOKEN) throw new HttpProblem(503, 'twilio_not_configured', 'set TWILIO_AUTH_TOKEN to receive Twilio webhooks');
    const params = (req.body ?? {}) as Record<string, string>;
    const url = `${config.PUBLIC_URL ?? `${req.protocol}://${req.get('host')}`}${req.originalUrl}`;
    if (!twilio.validateRequest(config.TWILIO_AUTH_TOKEN, req.get('x-twilio-signature') ?? '', url, params)) throw new HttpProblem(403, 'bad_signature', 'the X-Twilio-Signature does not match');
    if (!params.From || !params.MessageSid) throw new HttpProblem(400, 'validation_failed', 'From and MessageSid are required');
    await recordInboundSms(db, { type: 'system', id: 'twilio' }, { from: params.From, body: params.Body ?? '', providerMessageId: params.MessageSid });
    res.type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response></Response>');
  });
  return router;
}
