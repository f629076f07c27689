import { error } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';

export async function load({ fetch }) {
  try {
    const [segments, proposals] = await Promise.all([api.segments(fetch), api.segmentProposals(fetch)]);
    return { segments, proposals };
  } catch (e) {
    if (e instanceof ApiError && e.status === 403) error(403, { message: messageFor(e), code: e.code });
    throw e;
  }
}
