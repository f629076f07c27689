import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';

export async function load({ fetch, url }) {
  const p = url.searchParams;
  try {
    return { requests: await api.dataRequests({ status: p.get('status') ?? undefined, due: p.get('due') ?? undefined, page: Number(p.get('page') ?? 1) || 1, pageSize: 25 }, fetch) };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) error(403, { message: messageFor(e), code: e.code });
    throw e;
  }
}
