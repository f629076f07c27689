// The history inspector's read (issue 4): for a case in the caller's branch, the runs of its
// workflow (continue-as-new links them), one run's events as a readable timeline, a page at a time,
// what is pending now (timers from the history, activities from Temporal's description) and the
// case's own answer about its stage, next step and pause. The mapping itself is history-timeline.ts.
import type { Db } from '../platform/db/client.ts';
import type { Principal } from '../domain/access.ts';
import type { CaseSnapshot } from '../domain/case-lifecycle.ts';
import { temporalWorkflowUrl } from '../platform/temporal.ts';
import type { CaseWorkflows, WorkflowRun } from './case-workflows.ts';
import { requireCaseInScope } from './case-queries.ts';
import { ServiceError } from './errors.ts';
import { historyTimeline, timestampToIso, type PendingTimer, type TimelineEntry } from './history-timeline.ts';

export interface CaseHistoryRequest {
  runId?: string | undefined;
  page: number;
  pageSize: number;
}

export interface PendingActivity {
  activityId: string;
  type: string;
  state: string;
  attempt: number;
  scheduledAt: string | null;
  lastStartedAt: string | null;
  nextAttemptAt: string | null;
  lastFailure: string | null;
}

export interface CaseHistory {
  caseId: string;
  accountId: string;
  /** Whether the case is open (pause and resume apply only then). */
  caseStatus: 'open' | 'closed';
  workflowId: string;
  temporalUrl: string | null;
  runs: Array<WorkflowRun & { continuedTo: string | null; temporalUrl: string | null }>;
  /** The run shown (the latest unless the caller picked one); null when the case has no workflow. */
  runId: string | null;
  entries: TimelineEntry[];
  page: number;
  pageSize: number;
  total: number;
  pendingTimers: PendingTimer[];
  pendingActivities: PendingActivity[];
  /** The live case's answer (stage, next step and when, pause); null when no worker answers or it is closed. */
  live: CaseSnapshot | null;
}

type HistoryPorts = Pick<CaseWorkflows, 'runs' | 'runHistory' | 'pendingActivities' | 'snapshot'>;

const pendingActivityStates: Record<number, string> = { 1: 'scheduled', 2: 'started', 3: 'cancel_requested', 4: 'paused', 5: 'pause_requested' };

export async function getCaseHistory(db: Db, workflows: HistoryPorts, principal: Principal, caseId: string, request: CaseHistoryRequest, temporalUi: { uiUrl: string | undefined; namespace: string }): Promise<CaseHistory> {
  const found = await requireCaseInScope(db, principal, caseId);
  const url = (runId?: string) => temporalWorkflowUrl(temporalUi.uiUrl, temporalUi.namespace, found.workflowId, runId);
  const runs = await workflows.runs(found.workflowId);
  const linked = runs.map((run, i) => ({ ...run, continuedTo: runs[i + 1]?.continuedFrom === run.runId ? runs[i + 1]!.runId : null, temporalUrl: url(run.runId) }));
  const empty = { caseId, accountId: found.accountId, caseStatus: found.status, workflowId: found.workflowId, temporalUrl: url(), runs: linked, page: request.page, pageSize: request.pageSize, total: 0, entries: [], pendingTimers: [], pendingActivities: [] };
  if (request.runId && !runs.some((r) => r.runId === request.runId)) throw new ServiceError('not_found', 'no such run of this case');
  const run = request.runId ? runs.find((r) => r.runId === request.runId)! : runs[runs.length - 1];
  if (!run) return { ...empty, runId: null, live: null };

  const running = run.status === 'RUNNING';
  const [events, activities, live] = await Promise.all([workflows.runHistory(found.workflowId, run.runId), running ? workflows.pendingActivities(found.workflowId, run.runId) : Promise.resolve([]), workflows.snapshot(found.workflowId)]);
  const timeline = historyTimeline(events, { currency: found.account.currency });
  const start = (request.page - 1) * request.pageSize;
  const entries = timeline.entries.slice(start, start + request.pageSize);
  await nameSenders(db, entries);
  return {
    ...empty,
    runId: run.runId,
    entries,
    total: timeline.entries.length,
    pendingTimers: running ? timeline.pendingTimers : [],
    pendingActivities: activities.map((a) => ({
      activityId: a.activityId ?? '',
      type: a.activityType?.name ?? 'activity',
      state: pendingActivityStates[a.state ?? 0] ?? 'unknown',
      attempt: a.attempt ?? 1,
      scheduledAt: timestampToIso(a.scheduledTime),
      lastStartedAt: timestampToIso(a.lastStartedTime),
      nextAttemptAt: timestampToIso(a.nextAttemptScheduleTime),
      lastFailure: a.lastFailure?.message ?? null,
    })),
    live,
  };
}

/** Messages that named their sender only by user id get the user's name (one query per page). */
async function nameSenders(db: Db, entries: TimelineEntry[]): Promise<void> {
  const ids = [...new Set(entries.flatMap((e) => (e.sentBy && e.sentBy.type === 'user' && !e.sentBy.name && e.sentBy.id ? [e.sentBy.id] : [])))];
  if (ids.length === 0) return;
  const users = await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } });
  const names = new Map(users.map((u) => [u.id, u.name]));
  for (const entry of entries) {
    const name = entry.sentBy?.id ? names.get(entry.sentBy.id) : undefined;
    if (entry.sentBy && !entry.sentBy.name && name) {
      entry.sentBy = { ...entry.sentBy, name };
      entry.summary = `${entry.summary} — sent by ${name}`;
    }
  }
}
