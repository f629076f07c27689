// The route summary (F10): the routes of the filters' days.
import { fieldReportsApi } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

export async function load({ fetch, url }) {
  return { report: await fieldReportsApi.routes(filtersFromUrl(url.searchParams), fetch) };
}
