// The board: live (today, over Server-Sent Events) unless the URL asks for a past day (R1).
import { api } from '#lib/api/client.ts';

export async function load({ fetch, url }) {
  const date = url.searchParams.get('date') ?? undefined;
  const branchId = url.searchParams.get('branch') ?? undefined;
  const [board, branches] = await Promise.all([api.teamBoard({ date, branchId }, fetch), api.branches(fetch)]);
  return { board, branches: branches.items, date: date ?? null, branchId: branchId ?? null };
}
