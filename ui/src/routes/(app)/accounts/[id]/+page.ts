import { error } from '@sveltejs/kit';
import { ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';
import { loadAccountPage } from './account-page-data.ts';

export async function load({ fetch, params }) {
  try {
    return await loadAccountPage(params.id, fetch);
  } catch (e) {
    if (e instanceof ApiError && (e.status === 404 || e.status === 403 || e.status === 400)) error(e.status === 400 ? 404 : e.status, { message: messageFor(e), code: e.code });
    throw e;
  }
}
