// The reports open on collections, with whatever filters the link carried.
import { redirect } from '@sveltejs/kit';

export function load({ url }) {
  redirect(307, `/field/reports/collections${url.search}`);
}
