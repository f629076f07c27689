import { fieldRoutesApi } from '#lib/api/field-routes.ts';

export async function load({ fetch, params }) {
  const route = await fieldRoutesApi.route(params.id, fetch);
  const [reps, sameDay, mapConfig] = await Promise.all([fieldRoutesApi.reps(route.branchId, fetch), fieldRoutesApi.routes({ date: route.serviceDate, branchId: route.branchId }, fetch), fieldRoutesApi.mapConfig(fetch)]);
  return { route, reps: reps.items, siblings: sameDay.items.filter((r) => r.id !== route.id && (r.status === 'planned' || r.status === 'in_progress')), mapConfig };
}
