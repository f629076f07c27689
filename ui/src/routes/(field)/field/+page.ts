// Today's route, from the phone: the stored day opens at once, online or not; with no day stored (or
// only an earlier one) and a connection, today's is downloaded first.
import { ApiError } from '#lib/api/client.ts';
import { messageFor } from '#lib/messages.ts';
import { dayOnPhone, downloadDay, mapConfigOnPhone } from '#lib/field/day.ts';

export async function load({ parent, fetch }) {
  const { me } = await parent();
  let onPhone = await dayOnPhone(me.user.id);
  let downloadError: string | null = null;
  if (!onPhone || onPhone.stale) {
    try {
      onPhone = await downloadDay(fetch);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      downloadError = error.code === 'network_error' ? null : messageFor(error);
    }
  }
  return { onPhone, downloadError, mapConfig: await mapConfigOnPhone() };
}
