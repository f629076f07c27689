// Message templates admins edit (C3, C2 tone): the effective templates, one with its version history,
// saving a validated new version, and a preview as the message would be sent.
import { Router } from 'express';
import type { ApiDeps } from '../deps.ts';
import { defineRoute } from '../http/route.ts';
import { registry, z } from '../http/openapi-registry.ts';
import { sampleTemplateVariables, templateChannels, templateCodePattern, templatePlaceholders, templateTones } from '../../domain/templates.ts';
import { listEffectiveTemplates, previewTemplate, saveTemplateVersion, templateWithHistory, type EffectiveTemplate } from '../../services/templates.ts';

const code = z.string().regex(templateCodePattern, 'lower-case letters, digits and _, starting with a letter (at most 60)');
const channel = z.enum(templateChannels);
const tone = z.enum(templateTones);
const TemplateKeyParams = z.object({ code, channel, tone });

const TemplateItem = registry.register(
  'MessageTemplate',
  z.object({
    code: z.string(),
    channel,
    tone,
    subject: z.string(),
    body: z.string(),
    version: z.number().int().nullable().openapi({ description: 'The saved version in effect; null when the built-in text is' }),
    builtIn: z.boolean().openapi({ description: 'Whether the built-in default is in effect' }),
    hasBuiltIn: z.boolean(),
    updatedAt: z.string().nullable(),
  }),
);
const TemplateVersionItem = registry.register(
  'MessageTemplateVersion',
  z.object({ id: z.uuid(), version: z.number().int(), subject: z.string(), body: z.string(), active: z.boolean(), createdById: z.uuid().nullable(), createdAt: z.string() }),
);
const TemplateVersionBody = registry.register(
  'MessageTemplateVersionCreate',
  z.strictObject({ subject: z.string().max(1000).default('').openapi({ description: 'Required for email; empty for SMS and letters' }), body: z.string().max(20_000) }),
);
const variables = z
  .strictObject({
    customerName: z.string().max(200),
    accountRef: z.string().max(100),
    balance: z.string().max(50),
    daysPastDue: z.number().int().min(0).max(100_000),
    promiseAmount: z.string().max(50),
    promiseDate: z.string().max(50),
    creditorName: z.string().max(200),
    itemizationDate: z.string().max(50),
    validationPeriodEnds: z.string().max(50),
  })
  .partial();
const PreviewBody = registry.register(
  'MessageTemplatePreviewRequest',
  z
    .strictObject({
      channel,
      tone: tone.default('retail'),
      code: code.optional().openapi({ description: 'Preview the effective template of this code (when no body is given)' }),
      subject: z.string().max(1000).optional(),
      body: z.string().max(20_000).optional().openapi({ description: 'A draft text to preview instead of the saved one' }),
      variables: variables.optional().openapi({ description: `Values for the placeholders; sample values fill the rest (${templatePlaceholders.join(', ')})` }),
    })
    .refine((p) => p.body !== undefined || p.code !== undefined, { message: 'give a code or a draft body', path: ['body'] }),
);
const Preview = registry.register(
  'MessageTemplatePreview',
  z.object({
    subject: z.string().nullable(),
    body: z.string().openapi({ description: 'As sent, with the opt-out line' }),
    length: z.number().int(),
    problems: z.array(z.object({ field: z.enum(['subject', 'body']), message: z.string() })).openapi({ description: 'Why saving this text would be refused; empty when it may be saved' }),
  }),
);

const templateDto = (t: EffectiveTemplate) => ({ code: t.code, channel: t.channel, tone: t.tone, subject: t.subject, body: t.body, version: t.version, builtIn: t.builtIn, hasBuiltIn: t.hasBuiltIn, updatedAt: t.updatedAt?.toISOString() ?? null });
const versionDto = (v: { id: string; version: number; subject: string; body: string; active: boolean; createdById: string | null; createdAt: Date }) => ({ id: v.id, version: v.version, subject: v.subject, body: v.body, active: v.active, createdById: v.createdById, createdAt: v.createdAt.toISOString() });

export function templateRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { db } = deps;

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/templates',
    operationId: 'listTemplates',
    summary: 'Effective message templates: built-in defaults, or the newest version an admin saved',
    tag: 'templates',
    permission: 'templates:manage',
    responses: { 200: { description: 'Templates', schema: z.object({ items: z.array(TemplateItem), placeholders: z.array(z.string()) }) } },
    handler: async () => ({ body: { items: (await listEffectiveTemplates(db)).map(templateDto), placeholders: [...templatePlaceholders] } }),
  });

  defineRoute(router, '/api/v1', {
    method: 'get',
    path: '/templates/:code/:channel/:tone',
    operationId: 'getTemplate',
    summary: 'A template in effect, its built-in default and its saved versions (newest first)',
    tag: 'templates',
    permission: 'templates:manage',
    params: TemplateKeyParams,
    responses: {
      200: { description: 'The template and its history', schema: z.object({ template: TemplateItem, builtInDefault: z.object({ subject: z.string(), body: z.string() }).nullable(), versions: z.array(TemplateVersionItem) }) },
      404: { description: 'No such template' },
    },
    handler: async ({ params }) => {
      const found = await templateWithHistory(db, params);
      return { body: { template: templateDto(found.template), builtInDefault: found.builtInDefault, versions: found.versions.map(versionDto) } };
    },
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/templates/:code/:channel/:tone/versions',
    operationId: 'saveTemplateVersion',
    summary: 'Save a new version of a template (or a new code); it is used by the next message sent. Unknown placeholders, an email without subject and an over-long SMS are refused (422 template_invalid)',
    tag: 'templates',
    permission: 'templates:manage',
    params: TemplateKeyParams,
    body: TemplateVersionBody,
    responses: { 201: { description: 'The new version', schema: TemplateVersionItem }, 422: { description: 'template_invalid: the reasons are in `errors`' } },
    handler: async ({ actor, params, body }) => ({ status: 201, body: versionDto(await saveTemplateVersion(db, actor, params, body)) }),
  });

  defineRoute(router, '/api/v1', {
    method: 'post',
    path: '/templates/preview',
    operationId: 'previewTemplate',
    summary: 'Render a draft text or a saved template with sample or given values, as it would be sent (with the opt-out line)',
    tag: 'templates',
    permission: 'templates:manage',
    body: PreviewBody,
    responses: { 200: { description: 'The rendered message', schema: Preview }, 404: { description: 'No such template' } },
    handler: async ({ body }) => ({ body: await previewTemplate(db, body, sampleTemplateVariables) }),
  });
  return router;
}
