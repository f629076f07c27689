// What the account page shows, fetched together on load and on every refresh: the account, its
// current case as the workflow reports it (next step and why it waits, the promise's progress),
// and what the contact policy allows on each channel now. The case and the contact status are
// extras: if either cannot be read the page still shows the account.
import { api } from '#lib/api/client.ts';
import type { AccountDetail, CaseView, ContactStatus } from '#lib/api/types.ts';

export interface AccountPageData {
  account: AccountDetail;
  caseView: CaseView | null;
  contactStatus: ContactStatus | null;
}

export async function loadAccountPage(id: string, fetcher: typeof fetch = fetch): Promise<AccountPageData> {
  const [account, contactStatus] = await Promise.all([api.account(id, fetcher), api.contactStatus(id, fetcher).catch(() => null)]);
  const current = account.cases[0];
  const caseView = current ? await api.case(current.id, fetcher).catch(() => null) : null;
  return { account, caseView, contactStatus };
}
