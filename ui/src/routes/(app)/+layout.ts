// Every page in this group needs a signed-in user; without one, go to the sign-in page and come back.
import { redirect } from '@sveltejs/kit';
import { api, ApiError } from '#lib/api/client.ts';
import { session, setSession } from '#lib/session.svelte.ts';

export async function load({ fetch, url }) {
  if (!session.me) {
    try {
      setSession(await api.me(fetch));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) redirect(307, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
      throw error;
    }
  }
  return { me: session.me! };
}
