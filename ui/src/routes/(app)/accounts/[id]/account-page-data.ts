// What the account page shows. The account and what the contact policy allows now come from the
// database and load together; the case as its workflow reports it (the next step and why it waits,
// the promise's progress) asks the running workflow, which can be slow while the worker is busy, so
// it loads on its own and never holds up the rest of the page.
import { api } from '#lib/api/client.ts';
import type { AccountDetail, CaseView, ContactStatus, TimelinePage } from '#lib/api/types.ts';

export interface AccountPageData {
  account: AccountDetail;
  /** Null when it cannot be read: the page still shows the account. */
  contactStatus: ContactStatus | null;
  /** The timeline's newest page, loaded with the account so that both show the same moment; null when it cannot be read. */
  timeline: TimelinePage | null;
}

export const timelinePageSize = 30;

export async function loadAccountPage(id: string, fetcher: typeof fetch = fetch): Promise<AccountPageData> {
  const [account, contactStatus, timeline] = await Promise.all([api.account(id, fetcher), api.contactStatus(id, fetcher).catch(() => null), api.timeline(id, { limit: timelinePageSize }, fetcher).catch(() => null)]);
  return { account, contactStatus, timeline };
}

/** The account's current case as its workflow reports it; null without a case, undefined when it cannot be read now. */
export async function loadCaseView(account: AccountDetail, fetcher: typeof fetch = fetch): Promise<CaseView | null | undefined> {
  const current = account.cases[0];
  if (!current) return null;
  return api.case(current.id, fetcher).catch(() => undefined);
}
