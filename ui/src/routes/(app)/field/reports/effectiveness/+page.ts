// Effectiveness of each field rep and of the staff as a whole (F10, F11).
import { fieldReportsApi } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

export async function load({ fetch, url }) {
  return { report: await fieldReportsApi.effectiveness(filtersFromUrl(url.searchParams), fetch) };
}
