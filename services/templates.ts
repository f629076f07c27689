// Which template text a message uses (C3): the newest active version an admin saved for its
// code/channel/tone, else the built-in default (domain/templates.ts). Saving a version is validated
// and audited; the effective texts are cached for a few seconds per process, and a save clears this
// process's cache at once (other processes see it within the cache's lifetime).
import type { Db } from '../platform/db/client.ts';
import type { Channel } from '../domain/contact-policy.ts';
import {
  builtInTemplate,
  builtInTemplateKeys,
  knownTemplates,
  renderTemplate,
  templateProblems,
  templateTones,
  type KnownTemplates,
  type RenderedMessage,
  type TemplateContent,
  type TemplateKey,
  type TemplateVariables,
  type Tone,
} from '../domain/templates.ts';
import { auditedTransaction, recordAudit, type Actor } from './audit.ts';
import { ServiceError } from './errors.ts';

export const templateCacheMillis = 5_000;

export interface EffectiveTemplate extends TemplateKey, TemplateContent {
  /** The saved version in use; null when the built-in text is. */
  version: number | null;
  builtIn: boolean;
  /** Whether a built-in default exists for this code/channel/tone. */
  hasBuiltIn: boolean;
  updatedAt: Date | null;
}

interface SavedVersion extends TemplateKey, TemplateContent {
  id: string;
  version: number;
  active: boolean;
  createdById: string | null;
  createdAt: Date;
}

const cache = new WeakMap<Db, { at: number; latest: Promise<Map<string, SavedVersion>> }>();
const keyOf = (k: TemplateKey) => `${k.code}|${k.channel}|${k.tone}`;

/** The newest active saved version of every code/channel/tone, cached briefly. */
function latestSaved(db: Db): Promise<Map<string, SavedVersion>> {
  const hit = cache.get(db);
  if (hit && Date.now() - hit.at < templateCacheMillis) return hit.latest;
  const latest = db.messageTemplate
    .findMany({ where: { active: true }, orderBy: { version: 'desc' } })
    .then((rows) => {
      const byKey = new Map<string, SavedVersion>();
      for (const row of rows) if (!byKey.has(keyOf(row))) byKey.set(keyOf(row), row);
      return byKey;
    });
  latest.catch(() => cache.delete(db));
  cache.set(db, { at: Date.now(), latest });
  return latest;
}

export function forgetCachedTemplates(db: Db): void {
  cache.delete(db);
}

function effective(key: TemplateKey, saved: Map<string, SavedVersion>): EffectiveTemplate | null {
  const builtIn = builtInTemplate(key.code, key.channel, key.tone);
  const version = saved.get(keyOf(key));
  if (version) return { ...key, subject: version.subject, body: version.body, version: version.version, builtIn: false, hasBuiltIn: builtIn !== null, updatedAt: version.createdAt };
  if (builtIn) return { ...key, ...builtIn, version: null, builtIn: true, hasBuiltIn: true, updatedAt: null };
  return null;
}

/**
 * The text a message of this code/channel goes out with for a customer of this tone. A code an admin
 * wrote for one tone only serves the other tone too, rather than leave a step unable to send.
 */
export async function effectiveTemplate(db: Db, code: string, channel: Channel, tone: Tone): Promise<EffectiveTemplate | null> {
  const saved = await latestSaved(db);
  const other: Tone = tone === 'retail' ? 'corporate' : 'retail';
  return effective({ code, channel, tone }, saved) ?? effective({ code, channel, tone: other }, saved);
}

/** Renders the effective template; a missing one is an error the step's retries report. */
export async function renderEffectiveTemplate(db: Db, code: string, channel: Channel, tone: Tone, variables: TemplateVariables): Promise<RenderedMessage> {
  const template = await effectiveTemplate(db, code, channel, tone);
  if (!template) throw new RangeError(`no ${channel} template ${code}`);
  return renderTemplate(template, channel, variables);
}

/** Template codes a strategy may name: the built-ins and every code an admin saved (read fresh, not cached). */
export async function knownTemplatesIn(db: Db): Promise<KnownTemplates> {
  return knownTemplates(await db.messageTemplate.findMany({ where: { active: true }, distinct: ['code', 'channel'], select: { code: true, channel: true } }));
}

/** Every effective template: each built-in (or its override) and each code only admins wrote. */
export async function listEffectiveTemplates(db: Db): Promise<EffectiveTemplate[]> {
  const saved = await latestSaved(db);
  const keys = new Map(builtInTemplateKeys().map((k) => [keyOf(k), k] as const));
  for (const version of saved.values()) keys.set(keyOf(version), { code: version.code, channel: version.channel, tone: version.tone });
  return [...keys.values()]
    .map((k) => effective(k, saved)!)
    .sort((a, b) => a.code.localeCompare(b.code) || a.channel.localeCompare(b.channel) || templateTones.indexOf(a.tone) - templateTones.indexOf(b.tone));
}

/** One code/channel/tone: what is in effect, the built-in default and every saved version, newest first. */
export async function templateWithHistory(db: Db, key: TemplateKey) {
  // Read straight from the database: the cache may be a few seconds behind another process's save.
  const versions = await db.messageTemplate.findMany({ where: { code: key.code, channel: key.channel, tone: key.tone }, orderBy: { version: 'desc' } });
  const newest = versions.find((v) => v.active);
  const template = effective(key, new Map(newest ? [[keyOf(key), newest]] : []));
  if (!template) throw new ServiceError('not_found', `there is no ${key.channel} template ${key.code} (${key.tone})`);
  return { template, builtInDefault: builtInTemplate(key.code, key.channel, key.tone), versions };
}

/** Saves a new version (validated); it is in effect for the next message this code sends. */
export async function saveTemplateVersion(db: Db, actor: Actor, key: TemplateKey, content: TemplateContent) {
  const problems = templateProblems(key.channel, content);
  if (problems.length) throw new ServiceError('template_invalid', problems.map((p) => p.message).join('; '), problems.map((p) => ({ path: `body.${p.field}`, message: p.message })));
  const created = await auditedTransaction(db, async (tx) => {
    // The audit chain's lock serialises audited transactions, so max + 1 cannot race another save.
    const last = await tx.messageTemplate.findFirst({ where: { code: key.code, channel: key.channel, tone: key.tone }, orderBy: { version: 'desc' } });
    const before = last ? { version: last.version, subject: last.subject, body: last.body } : builtInTemplate(key.code, key.channel, key.tone);
    const row = await tx.messageTemplate.create({
      data: { ...key, version: (last?.version ?? 0) + 1, subject: content.subject, body: content.body, active: true, createdById: actor.type === 'user' ? actor.id : null },
    });
    await recordAudit(tx, actor, { action: 'template.version_saved', entityType: 'message_template', entityId: row.id, before, after: { ...key, version: row.version, subject: row.subject, body: row.body } });
    return row;
  });
  forgetCachedTemplates(db);
  return created;
}

/** A template as it would be sent: the draft text given, or the effective one; with its problems. */
export async function previewTemplate(
  db: Db,
  input: { code?: string; channel: Channel; tone: Tone; subject?: string; body?: string; variables?: Partial<TemplateVariables> },
  sample: TemplateVariables,
) {
  let content: TemplateContent;
  if (input.body !== undefined) content = { subject: input.subject ?? '', body: input.body };
  else {
    const found = input.code ? await effectiveTemplate(db, input.code, input.channel, input.tone) : null;
    if (!found) throw new ServiceError('not_found', `there is no ${input.channel} template ${input.code ?? ''}`.trim());
    content = found;
  }
  const rendered = renderTemplate(content, input.channel, { ...sample, ...input.variables });
  return { subject: rendered.sent.subject, body: rendered.sent.body, length: rendered.sent.body.length, problems: templateProblems(input.channel, content) };
}
