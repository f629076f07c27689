// Makes sure every open case has its workflow running: after demo seeding, after a restore, or
// after a start that failed once its case was committed. Starting is idempotent (USE_EXISTING).
import type { Db } from '../platform/db/client.ts';
import type { CaseWorkflows } from './case-workflows.ts';

export async function startMissingCaseWorkflows(
  db: Db,
  workflows: CaseWorkflows,
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<number> {
  const open = await db.collectionCase.findMany({
    where: { status: 'open' },
    select: { id: true, accountId: true, episode: true, workflowId: true, account: { select: { currency: true } } },
    orderBy: { openedAt: 'asc' },
  });
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < open.length) {
      const c = open[next++]!;
      await workflows.startCase(c.workflowId, { caseId: c.id, accountId: c.accountId, episode: c.episode, currency: c.account.currency });
      done += 1;
      if (done % 100 === 0 || done === open.length) options.onProgress?.(done, open.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  return open.length;
}
