// Dispatch: the day's unrouted leads, the branch's reps and the routes already made for the day.
import { api } from '#lib/api/client.ts';
import { fieldRoutesApi } from '#lib/api/field-routes.ts';
import { session } from '#lib/session.svelte.ts';

export async function load({ fetch, url }) {
  const date = url.searchParams.get('date') ?? new Date().toLocaleDateString('en-CA');
  const branches = (await api.branches(fetch)).items;
  const branchId = url.searchParams.get('branch') ?? session.me?.user.branch?.id ?? branches[0]?.id;
  const [leads, reps, routes, mapConfig] = await Promise.all([
    fieldRoutesApi.leads({ branchId }, fetch),
    fieldRoutesApi.reps(branchId, fetch),
    fieldRoutesApi.routes({ date, branchId }, fetch),
    fieldRoutesApi.mapConfig(fetch),
  ]);
  return { date, branchId: branchId ?? null, branches, leads: leads.items, reps: reps.items, routes: routes.items, mapConfig };
}
