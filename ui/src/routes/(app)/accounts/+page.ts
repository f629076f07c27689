// The accounts bucket: the URL's query is the state (shareable, back-button friendly). The summary
// and the saved views load beside the page of accounts.
import { api } from '#lib/api/client.ts';
import { accountQueryFromUrl, filtersFromUrl } from '#lib/bucket-query.ts';

export async function load({ fetch, url }) {
  const [accounts, branches, summary, views] = await Promise.all([
    api.accounts(accountQueryFromUrl(url.searchParams), fetch),
    api.branches(fetch),
    api.bucketSummary(filtersFromUrl(url.searchParams), fetch),
    api.savedViews(fetch),
  ]);
  return { accounts, branches: branches.items, summary, views: views.items };
}
