import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';
import type { MessageTemplateDetail, TemplateChannel, TemplateTone } from '#lib/api/types.ts';

const channels = ['email', 'sms', 'letter'];
const tones = ['retail', 'corporate'];

export async function load({ fetch, params }) {
  if (!channels.includes(params.channel) || !tones.includes(params.tone)) error(404, { message: 'There is no such template.', code: 'not_found' });
  const key = { code: params.code, channel: params.channel as TemplateChannel, tone: params.tone as TemplateTone };
  try {
    return { key, detail: (await api.template(key, fetch)) as MessageTemplateDetail | null };
  } catch (e) {
    // A code nobody has written yet: the editor starts from an empty text.
    if (e instanceof ApiError && e.status === 404) return { key, detail: null };
    if (e instanceof ApiError && e.status === 403) error(403, { message: messageFor(e), code: e.code });
    throw e;
  }
}
