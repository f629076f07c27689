import { fieldRoutesApi } from '#lib/api/field-routes.ts';

export async function load({ fetch, url }) {
  const status = url.searchParams.get('status') === 'resolved' ? 'resolved' : 'open';
  return { status, page: await fieldRoutesApi.conflicts({ status }, fetch) } as const;
}
