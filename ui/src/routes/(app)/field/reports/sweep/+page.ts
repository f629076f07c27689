// The collections sweep (F10): what each rep took in each day, item by item.
import { fieldReportsApi } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

export async function load({ fetch, url }) {
  return { report: await fieldReportsApi.sweep(filtersFromUrl(url.searchParams), fetch) };
}
