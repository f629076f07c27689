// The field app's pages need a signed-in field rep, and must open with no connection: the session
// comes from the server when it answers and from the phone's copy when it does not (lib/field/session.ts).
import { error, redirect } from '@sveltejs/kit';
import { fieldSession } from '#lib/field/session.ts';

export async function load({ fetch, url }) {
  const signedIn = await fieldSession(fetch);
  if (!signedIn.me) {
    if (signedIn.reason === 'signed_out') redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
    error(503, { message: 'There is no connection, and no one has signed in to the field app on this phone yet. Connect once and sign in; after that it works offline.', code: 'offline_never_signed_in' });
  }
  if (!signedIn.me.permissions.includes('field:work')) error(403, { message: 'The field app is for field reps.', code: 'forbidden' });
  return { me: signedIn.me, sessionConfirmed: signedIn.confirmed };
}
