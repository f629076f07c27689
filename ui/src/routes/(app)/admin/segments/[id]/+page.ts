// S6: one segment's strategy versions and how their cases have done.
import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';

export async function load({ fetch, params }) {
  try {
    return { performance: await api.strategyPerformance(params.id, fetch) };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 403 || e.status === 404)) error(e.status, { message: messageFor(e), code: e.code });
    throw e;
  }
}
