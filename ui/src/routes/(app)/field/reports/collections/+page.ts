// Collections by day, ISO week or month (F10), for the reports' filters.
import { fieldReportsApi, type ReportPeriod } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

const periods: ReportPeriod[] = ['day', 'week', 'month'];

export async function load({ fetch, url }) {
  const filters = filtersFromUrl(url.searchParams);
  const asked = url.searchParams.get('period') as ReportPeriod | null;
  const period = asked && periods.includes(asked) ? asked : 'day';
  return { period, report: await fieldReportsApi.collections({ ...filters, period }, fetch) };
}
