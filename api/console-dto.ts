// Maps the supervisor console's read models (domain/team-board.ts, services/bucket-summary.ts,
// saved views) to their JSON shapes (api/console-schemas.ts): money as safe integers, times as ISO.
import { minorToNumber } from '../domain/money.ts';
import type { BoardMoney, BoardRow, TeamBoard } from '../domain/team-board.ts';
import type { BucketSummary, SummaryGroup } from '../services/bucket-summary.ts';

const amounts = (list: readonly BoardMoney[]) => list.map((m) => ({ amountMinor: minorToNumber(m.amountMinor), currency: m.currency }));
const minutes = (ms: number) => Math.floor(ms / 60_000);

function rowDto(row: BoardRow) {
  const status = row.status;
  return {
    user: row.user,
    accountsWorked: row.accountsWorked,
    contacts: row.contacts,
    rightPartyContacts: row.rightPartyContacts,
    promises: { count: row.promises.count, amounts: amounts(row.promises.amounts) },
    payments: { count: row.payments.count, amounts: amounts(row.payments.amounts) },
    nowWorkingOn: row.nowWorkingOn ? { ...row.nowWorkingOn, since: row.nowWorkingOn.since.toISOString() } : null,
    idleMinutes: minutes(row.idleMs),
    status: status?.kind ?? null,
    statusSince: status && status.kind !== 'offline' ? status.since.toISOString() : null,
  };
}

/** The board without its timestamp: what the live stream compares to decide whether anything changed. */
export function teamBoardContent(board: TeamBoard) {
  const { idleMs, ...totals } = board.totals;
  return {
    from: board.from,
    to: board.to,
    live: board.live,
    rows: board.rows.map(rowDto),
    totals: {
      ...totals,
      promises: { count: totals.promises.count, amounts: amounts(totals.promises.amounts) },
      payments: { count: totals.payments.count, amounts: amounts(totals.payments.amounts) },
      idleMinutes: minutes(idleMs),
    },
  };
}

export function teamBoardDto(board: TeamBoard, generatedAt = new Date()) {
  return { ...teamBoardContent(board), generatedAt: generatedAt.toISOString() };
}

const groupDto = (g: SummaryGroup) => ({ key: g.key, label: g.label, count: g.count, balances: amounts(g.balances) });

export function bucketSummaryDto(summary: BucketSummary) {
  return {
    total: groupDto(summary.total),
    byAgeingBucket: summary.byAgeingBucket.map(groupDto),
    byBranch: summary.byBranch.map(groupDto),
    bySegment: summary.bySegment.map(groupDto),
    byStage: summary.byStage.map(groupDto),
  };
}

export function savedViewDto(view: { id: string; name: string; query: unknown; shared: boolean; mine: boolean; owner: { id: string; name: string }; createdAt: Date }) {
  return { id: view.id, name: view.name, query: view.query as Record<string, string | number>, shared: view.shared, mine: view.mine, owner: view.owner, createdAt: view.createdAt.toISOString() };
}
