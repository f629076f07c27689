import { error } from '@sveltejs/kit';
import { ApiError, api } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';

// The run and page are in the address, so a supervisor can share exactly what they are looking at.
export async function load({ fetch, params, url }) {
  const runId = url.searchParams.get('run') ?? undefined;
  const page = Number(url.searchParams.get('page') ?? '1') || 1;
  try {
    return { history: await api.caseHistory(params.id, { runId, page, pageSize: 200 }, fetch) };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 400)) error(e.status === 400 ? 404 : e.status, { message: messageFor(e), code: e.code });
    throw e;
  }
}
