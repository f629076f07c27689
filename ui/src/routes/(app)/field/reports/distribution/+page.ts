// The route distribution (F10) by postal-code prefix, corp or audit route.
import { fieldReportsApi, type DistributionArea } from '#lib/api/field-reports.ts';
import { filtersFromUrl } from '#lib/field-reports.ts';

const areas: DistributionArea[] = ['postal_prefix', 'corp', 'audit_route'];

export async function load({ fetch, url }) {
  const asked = url.searchParams.get('by') as DistributionArea | null;
  const by = asked && areas.includes(asked) ? asked : 'postal_prefix';
  const prefixLength = Math.min(10, Math.max(1, Number(url.searchParams.get('prefix')) || 3));
  return { by, prefixLength, report: await fieldReportsApi.distribution({ ...filtersFromUrl(url.searchParams), by, prefixLength }, fetch) };
}
