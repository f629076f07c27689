// Accounts never worked (R5), with the bucket's filters in the URL.
import { api } from '#lib/api/client.ts';
import { accountQueryFromUrl } from '#lib/bucket-query.ts';

export async function load({ fetch, url }) {
  const [accounts, branches] = await Promise.all([api.neverWorkedAccounts(accountQueryFromUrl(url.searchParams), fetch), api.branches(fetch)]);
  return { accounts, branches: branches.items };
}
