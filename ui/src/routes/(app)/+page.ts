import { redirect } from '@sveltejs/kit';
import { homeFor } from '#lib/navigation.ts';

export async function load({ parent }) {
  const { me } = await parent();
  redirect(307, homeFor(me));
}
