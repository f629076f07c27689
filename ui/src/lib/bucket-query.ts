// The bucket's filters live in the page URL (shareable, back-button friendly) under short names;
// the API and saved views use the API's names. This maps one to the other, in one place.
import type { AccountQuery } from './api/client.ts';

/** API filter name → URL parameter name. */
const urlNames = {
  q: 'q',
  status: 'status',
  branchId: 'branch',
  customerType: 'type',
  caseStatus: 'case',
  ageingBucket: 'age',
  segmentId: 'segment',
  stage: 'stage',
  sort: 'sort',
  order: 'order',
} as const satisfies Partial<Record<keyof AccountQuery, string>>;

type FilterName = keyof typeof urlNames;

/** The filters in a page URL, by API name (without paging). */
export function filtersFromUrl(params: Pick<URLSearchParams, 'get'>): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const [apiName, urlName] of Object.entries(urlNames)) {
    const value = params.get(urlName);
    if (value) filters[apiName] = value;
  }
  return filters;
}

/** The API query for one page of the list the URL describes. */
export function accountQueryFromUrl(params: Pick<URLSearchParams, 'get'>, pageSize = 25): AccountQuery {
  return { sort: 'daysPastDue', order: 'desc', ...filtersFromUrl(params), page: Number(params.get('page') ?? 1) || 1, pageSize };
}

/** A saved view's filters (API names) as a page URL's query string. */
export function urlQueryFromFilters(filters: Record<string, string | number>): string {
  const params = new URLSearchParams();
  for (const [apiName, value] of Object.entries(filters)) {
    const urlName = urlNames[apiName as FilterName];
    if (urlName && value !== '') params.set(urlName, String(value));
  }
  return params.toString();
}

/** The URL parameter a summary group filters by (age, branch, segment, stage). */
export const summaryFilterParam = { byAgeingBucket: 'age', byBranch: 'branch', bySegment: 'segment', byStage: 'stage' } as const;
