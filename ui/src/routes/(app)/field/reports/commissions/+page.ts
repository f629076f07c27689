// Rep commissions (F10) for the whole months the filters' range touches, and the plan they come from.
import { fieldReportsApi } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

export async function load({ fetch, url }) {
  const filters = filtersFromUrl(url.searchParams);
  const [report, plan] = await Promise.all([fieldReportsApi.commissions(filters, fetch), fieldReportsApi.commissionPlan(fetch)]);
  return { report, plan };
}
