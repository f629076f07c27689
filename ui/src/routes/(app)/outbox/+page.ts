import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';

export async function load({ fetch, url }) {
  const p = url.searchParams;
  try {
    return {
      messages: await api.messages({ channel: p.get('channel') ?? undefined, status: p.get('status') ?? undefined, q: p.get('q') ?? undefined, page: Number(p.get('page') ?? 1) || 1, pageSize: 25 }, fetch),
    };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) error(403, { message: messageFor(e), code: e.code });
    throw e;
  }
}
