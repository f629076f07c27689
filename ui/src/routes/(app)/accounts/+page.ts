// The accounts bucket: the URL's query is the state (shareable, back-button friendly).
import { api } from '#lib/api/client.ts';


export async function load({ fetch, url }) {
  const p = url.searchParams;
  const [accounts, branches] = await Promise.all([
    api.accounts(
      {
        q: p.get('q') ?? undefined,
        status: p.get('status') ?? undefined,
        branchId: p.get('branch') ?? undefined,
        customerType: p.get('type') ?? undefined,
        caseStatus: p.get('case') ?? undefined,
        ageingBucket: p.get('age') ?? undefined,
        sort: p.get('sort') ?? 'daysPastDue',
        order: p.get('order') ?? 'desc',
        page: Number(p.get('page') ?? 1) || 1,
        pageSize: 25,
      },
      fetch,
    ),
    api.branches(fetch),
  ]);
  return { accounts, branches: branches.items };
}
