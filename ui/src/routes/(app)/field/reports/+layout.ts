// The reports share their filters (the URL's from, to, rep and branch) and the lists the filters offer.
import { api } from '#lib/api/client.ts';
import { fieldReportsApi } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

export async function load({ fetch, url }) {
  const filters = filtersFromUrl(url.searchParams);
  const [reps, branches] = await Promise.all([fieldReportsApi.reps(filters.branchId, fetch), api.branches(fetch)]);
  return { filters, reps: reps.items, branches: branches.items };
}
