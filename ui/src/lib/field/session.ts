// Who is signed in on the phone. Online, the server says (and the phone keeps a copy); offline, the
// copy stands in, so reloading the app in a basement does not send the rep to a sign-in page that
// cannot work without a connection. The server still decides: the first sync after the connection
// returns finds out whether the session is still good (a 401 asks the rep to sign in again).
import { api, ApiError } from '../api/client.ts';
import type { Me } from '../api/types.ts';
import { session, setSession } from '../session.svelte.ts';
import { deleteMeta, readMeta, writeMeta } from './db.ts';

export type FieldSession = { me: Me; confirmed: boolean } | { me: null; reason: 'signed_out' | 'offline_never_signed_in' };

/** A bad signal must not hold the app up: after this long the phone's copy of the session answers. */
const serverWaitMs = 5_000;

export async function fieldSession(fetcher: typeof fetch = fetch): Promise<FieldSession> {
  // Signed in a moment ago in this tab: the sign-in's answer is the session.
  if (session.me) {
    await writeMeta('session', session.me);
    return { me: session.me, confirmed: true };
  }
  try {
    const me = await withinServerWait(api.me(fetcher));
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
  const known = await readMeta('session');
  if (!known) return { me: null, reason: 'offline_never_signed_in' };
  setSession(known);
  return { me: known, confirmed: false };
}

function withinServerWait<T>(request: Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ApiError(0, 'network_error', 'the server did not answer in time')), serverWaitMs);
    request.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/** Signed out (or the server ended the session): the outbox stays on the phone, only the session's copy goes. */
export async function forgetSession(): Promise<void> {
  setSession(null);
  await deleteMeta('session');
}
