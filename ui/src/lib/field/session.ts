// Who is signed in on the phone. Online, the server says (and the phone keeps a copy); offline, the
// copy stands in, so reloading the app in a basement does not send the rep to a sign-in page that
// cannot work without a connection. The server still decides: the first request after the
// connection returns finds out whether the session is still good.
import { api, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { session, setSession } from '../session.svelte.ts';
import { deleteMeta, readMeta, writeMeta } from './db.ts';

export type FieldSession = { me: Me; confirmed: boolean } | { me: null; reason: 'signed_out' | 'offline_never_signed_in' };

export async function fieldSession(fetcher: typeof fetch = fetch): Promise<FieldSession> {
  try {
    const me = await api.me(fetcher);
    setSession(me);
    await writeMeta('session', me);
    return { me, confirmed: true };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      await forgetSession();
      return { me: null, reason: 'signed_out' };
    }
    if (!(error instanceof ApiError) || error.code !== 'network_error') throw error;
  }
  const known = session.me ?? (await readMeta('session'));
  if (!known) return { me: null, reason: 'offline_never_signed_in' };
  setSession(known);
  return { me: known, confirmed: false };
}

/** Signed out (or the server ended the session): the outbox stays, only the copy of the session goes. */
export async function forgetSession(): Promise<void> {
  setSession(null);
  await deleteMeta('session');
}

/** The signed-in user as the sign-in answered: kept for offline reloads. */
export async function rememberSession(me: Me): Promise<void> {
  await writeMeta('session', me);
}
