// A case workflow's Temporal event history as a timeline a supervisor can read: what was sent to the
// case and by whom, the timers it set and when they fire, the activities it ran with their results or
// failures, and how its runs link up across continue-as-new. Pure: it maps events fetched elsewhere
// (services/case-history.ts), decoding payloads with Temporal's default data converter.
// Workflow-task bookkeeping (scheduled/started/completed) and search-attribute upserts are left out:
// they say nothing about the case.
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { SenderIdentity } from '../domain/access.ts';
import { formatMinorUnits } from '../domain/money.ts';
import { describeStepAction, type StepAction } from '../domain/strategy.ts';
import { senderHeader } from '../workflows/messages.ts';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
type Payloads = temporal.api.common.v1.IPayloads | null | undefined;
type Failure = temporal.api.failure.v1.IFailure | null | undefined;

export type TimelineKind =
  | 'started'
  | 'signal'
  | 'update_accepted'
  | 'update_completed'
  | 'update_rejected'
  | 'timer_started'
  | 'timer_fired'
  | 'timer_cancelled'
  | 'activity_scheduled'
  | 'activity_completed'
  | 'activity_failed'
  | 'activity_timed_out'
  | 'workflow_task_failed'
  | 'marker'
  | 'continued_as_new'
  | 'completed'
  | 'failed'
  | 'terminated'
  | 'timed_out'
  | 'cancelled'
  | 'other';

/** Who sent a signal or update: the header's identity, or only a user id from the payload (named later). */
export type TimelineSender = Omit<SenderIdentity, 'name'> & { name: string | null };

export interface TimelineEntry {
  eventId: number;
  at: string;
  kind: TimelineKind;
  summary: string;
  /** Signal or update name, activity type, timer id or marker name. */
  name?: string;
  sentBy?: TimelineSender | null;
  /** The Temporal client or worker identity that made the event (e.g. "1234@host"). */
  identity?: string;
  attempt?: number;
  /** Timers: when it fires (set) or was set to fire. */
  firesAt?: string;
  /** Continue-as-new: the run this one continued in. */
  runId?: string;
  /** The event this one answers (a timer's start, an activity's scheduling, an update's acceptance). */
  relatedEventId?: number;
  /** Decoded input, result or failure, for the inspector's expandable raw view. */
  details: Record<string, unknown>;
}

export interface PendingTimer {
  timerId: string;
  eventId: number;
  startedAt: string;
  firesAt: string | null;
}

export interface RunTimeline {
  entries: TimelineEntry[];
  /** Timers started and neither fired nor cancelled (in a closed run: none). */
  pendingTimers: PendingTimer[];
  /** The run this one continued from, and the run it continued in (continue-as-new). */
  continuedFrom: string | null;
  continuedTo: string | null;
}

/** Activities by what they do for the case. */
const activityLabels: Record<string, string> = {
  loadCaseContext: "Load the case's facts and strategy",
  refreshCaseFacts: 'Re-read the balance and invoices',
  recordPaymentOnCase: 'Record a payment on the case',
  recordCaseProgress: 'Write stage and next step to the case record',
  performStep: 'Carry out a strategy step',
  recordPostponement: 'Record a postponement',
  returnPostponedAccount: 'Return a postponed account to the queue',
  savePromise: 'Save a promise to pay',
  resolvePromise: 'Settle a promise to pay',
  closeCase: 'Close the case',
  sendCaseClosedNotice: 'Send the case-closed notice',
  recordCasePaused: 'Record the pause',
  recordCaseResumed: 'Record the resume',
};

export function historyTimeline(events: readonly HistoryEvent[], context: { currency?: string } = {}): RunTimeline {
  const entries: TimelineEntry[] = [];
  const scheduled = new Map<number, { type: string; input: unknown[] }>();
  const attempts = new Map<number, number>();
  const timers = new Map<string, PendingTimer>();
  const updates = new Map<string, string>();
  let continuedFrom: string | null = null;
  let continuedTo: string | null = null;
  const money = (amountMinor: unknown) => formatMoney(amountMinor, context.currency);

  for (const event of events) {
    const eventId = toNumber(event.eventId);
    const at = timestampToIso(event.eventTime) ?? '';
    const entry = (kind: TimelineKind, summary: string, extra: Partial<TimelineEntry> = {}) => entries.push({ eventId, at, kind, summary, details: {}, ...extra });

    if (event.workflowExecutionStartedEventAttributes) {
      const a = event.workflowExecutionStartedEventAttributes;
      continuedFrom = a.continuedExecutionRunId || null;
      const input = decodeAll(a.input);
      const sentBy = senderFromHeader(a.header?.fields);
      entry('started', continuedFrom ? `Case workflow continued from run ${continuedFrom}` : `Case workflow started (${a.workflowType?.name ?? 'workflow'})`, { name: a.workflowType?.name ?? undefined, sentBy, identity: a.identity || undefined, ...(continuedFrom ? { runId: continuedFrom } : {}), details: { input } });
    } else if (event.workflowExecutionSignaledEventAttributes) {
      const a = event.workflowExecutionSignaledEventAttributes;
      const args = decodeAll(a.input);
      const sentBy = senderFromHeader(a.header?.fields) ?? senderFromPayload(args[0]);
      entry('signal', withSender(describeSignal(a.signalName ?? '', args[0], money), sentBy), { name: a.signalName ?? undefined, sentBy, identity: a.identity || undefined, details: { args } });
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const name = request?.input?.name ?? '';
      const args = decodeAll(request?.input?.args);
      if (request?.meta?.updateId) updates.set(request.meta.updateId, name);
      const sentBy = senderFromHeader(request?.input?.header?.fields) ?? senderFromPayload(args[0]);
      entry('update_accepted', withSender(describeUpdate(name, args[0], money), sentBy), { name, sentBy, identity: request?.meta?.identity || undefined, details: { updateId: request?.meta?.updateId, args } });
    } else if (event.workflowExecutionUpdateCompletedEventAttributes) {
      const a = event.workflowExecutionUpdateCompletedEventAttributes;
      const name = updates.get(a.meta?.updateId ?? '') ?? 'update';
      const failure = a.outcome?.failure;
      if (failure) entry('update_completed', `${name} failed: ${failure.message ?? 'no message'}`, { name, relatedEventId: toNumber(a.acceptedEventId), details: { updateId: a.meta?.updateId, failure: describeFailure(failure) } });
      else {
        const [result] = decodeAll(a.outcome?.success);
        entry('update_completed', `${name} answered${describeUpdateResult(name, result)}`, { name, relatedEventId: toNumber(a.acceptedEventId), details: { updateId: a.meta?.updateId, result } });
      }
    } else if (event.workflowExecutionUpdateRejectedEventAttributes) {
      const a = event.workflowExecutionUpdateRejectedEventAttributes;
      const name = a.rejectedRequest?.input?.name ?? 'update';
      const args = decodeAll(a.rejectedRequest?.input?.args);
      const sentBy = senderFromHeader(a.rejectedRequest?.input?.header?.fields) ?? senderFromPayload(args[0]);
      entry('update_rejected', withSender(`${name} refused: ${a.failure?.message ?? 'no reason given'}`, sentBy), { name, sentBy, details: { args, failure: describeFailure(a.failure) } });
    } else if (event.timerStartedEventAttributes) {
      const a = event.timerStartedEventAttributes;
      const timerId = a.timerId ?? '';
      const waitMs = durationToMs(a.startToFireTimeout);
      const firesAt = at && waitMs !== null ? new Date(Date.parse(at) + waitMs).toISOString() : null;
      timers.set(timerId, { timerId, eventId, startedAt: at, firesAt });
      entry('timer_started', firesAt ? `Timer ${timerId} set to fire at ${readableUtc(firesAt)} (in ${describeDuration(waitMs!)})` : `Timer ${timerId} set`, { name: timerId, ...(firesAt ? { firesAt } : {}), details: { waitMs } });
    } else if (event.timerFiredEventAttributes) {
      const a = event.timerFiredEventAttributes;
      const started = timers.get(a.timerId ?? '');
      timers.delete(a.timerId ?? '');
      entry('timer_fired', `Timer ${a.timerId} fired`, { name: a.timerId ?? undefined, relatedEventId: toNumber(a.startedEventId), ...(started?.firesAt ? { firesAt: started.firesAt } : {}), details: {} });
    } else if (event.timerCanceledEventAttributes) {
      const a = event.timerCanceledEventAttributes;
      timers.delete(a.timerId ?? '');
      entry('timer_cancelled', `Timer ${a.timerId} cancelled: the case woke up before it fired`, { name: a.timerId ?? undefined, relatedEventId: toNumber(a.startedEventId), details: {} });
    } else if (event.activityTaskScheduledEventAttributes) {
      const a = event.activityTaskScheduledEventAttributes;
      const type = a.activityType?.name ?? 'activity';
      const input = decodeAll(a.input);
      scheduled.set(eventId, { type, input });
      entry('activity_scheduled', describeActivityScheduled(type, input[0]), { name: type, details: { activityId: a.activityId, input } });
    } else if (event.activityTaskStartedEventAttributes) {
      const a = event.activityTaskStartedEventAttributes;
      attempts.set(toNumber(a.scheduledEventId), a.attempt ?? 1);
    } else if (event.activityTaskCompletedEventAttributes) {
      const a = event.activityTaskCompletedEventAttributes;
      const of = scheduled.get(toNumber(a.scheduledEventId));
      const type = of?.type ?? 'activity';
      const [result] = decodeAll(a.result);
      const attempt = attempts.get(toNumber(a.scheduledEventId));
      entry('activity_completed', describeActivityResult(type, of?.input[0], result) + attemptNote(attempt), { name: type, ...(attempt ? { attempt } : {}), relatedEventId: toNumber(a.scheduledEventId), identity: a.identity || undefined, details: { result } });
    } else if (event.activityTaskFailedEventAttributes || event.activityTaskTimedOutEventAttributes) {
      const a = (event.activityTaskFailedEventAttributes ?? event.activityTaskTimedOutEventAttributes)!;
      const timedOut = !event.activityTaskFailedEventAttributes;
      const type = scheduled.get(toNumber(a.scheduledEventId))?.type ?? 'activity';
      const attempt = attempts.get(toNumber(a.scheduledEventId));
      entry(timedOut ? 'activity_timed_out' : 'activity_failed', `${label(type)} ${timedOut ? 'timed out' : 'failed'}${attemptNote(attempt)}: ${a.failure?.message ?? 'no message'}`, { name: type, ...(attempt ? { attempt } : {}), relatedEventId: toNumber(a.scheduledEventId), details: { failure: describeFailure(a.failure) } });
    } else if (event.workflowTaskFailedEventAttributes) {
      const a = event.workflowTaskFailedEventAttributes;
      entry('workflow_task_failed', `Workflow task failed: ${a.failure?.message ?? 'no message'}`, { identity: a.identity || undefined, details: { cause: a.cause, failure: describeFailure(a.failure) } });
    } else if (event.workflowTaskTimedOutEventAttributes) {
      entry('workflow_task_failed', 'Workflow task timed out (the worker did not answer in time)', { details: { timeoutType: event.workflowTaskTimedOutEventAttributes.timeoutType } });
    } else if (event.markerRecordedEventAttributes) {
      const a = event.markerRecordedEventAttributes;
      const details = Object.fromEntries(Object.entries(a.details ?? {}).map(([key, value]) => [key, decodeAll(value)]));
      const patch = (details['patch-data']?.[0] as { id?: string } | undefined)?.id;
      entry('marker', patch ? `Code version marker: ${patch}` : `Marker ${a.markerName}`, { name: patch ?? a.markerName ?? undefined, details });
    } else if (event.workflowExecutionContinuedAsNewEventAttributes) {
      const a = event.workflowExecutionContinuedAsNewEventAttributes;
      continuedTo = a.newExecutionRunId || null;
      entry('continued_as_new', `Continued as new in run ${a.newExecutionRunId} (a long history starts afresh, carrying the case's state)`, { ...(continuedTo ? { runId: continuedTo } : {}), details: { input: decodeAll(a.input) } });
    } else if (event.workflowExecutionCompletedEventAttributes) {
      const [result] = decodeAll(event.workflowExecutionCompletedEventAttributes.result);
      const snapshot = result as { status?: string; closeReason?: string | null } | undefined;
      entry('completed', `Case workflow completed${snapshot?.status ? `: case ${snapshot.status}${snapshot.closeReason ? ` (${snapshot.closeReason.replaceAll('_', ' ')})` : ''}` : ''}`, { details: { result } });
    } else if (event.workflowExecutionFailedEventAttributes) {
      const failure = event.workflowExecutionFailedEventAttributes.failure;
      entry('failed', `Case workflow failed: ${failure?.message ?? 'no message'}`, { details: { failure: describeFailure(failure) } });
    } else if (event.workflowExecutionTerminatedEventAttributes) {
      const a = event.workflowExecutionTerminatedEventAttributes;
      entry('terminated', `Case workflow terminated${a.reason ? `: ${a.reason}` : ''}`, { identity: a.identity || undefined, details: { reason: a.reason, details: decodeAll(a.details) } });
    } else if (event.workflowExecutionTimedOutEventAttributes) {
      entry('timed_out', 'Case workflow timed out', { details: {} });
    } else if (event.workflowExecutionCanceledEventAttributes) {
      entry('cancelled', 'Case workflow cancelled', { details: { details: decodeAll(event.workflowExecutionCanceledEventAttributes.details) } });
    } else if (!isBookkeeping(event)) {
      const attributes = Object.keys(event).find((key) => key.endsWith('EventAttributes') && (event as Record<string, unknown>)[key]);
      entry('other', `Event ${attributes?.replace(/EventAttributes$/, '') ?? 'of an unknown type'}`, { details: {} });
    }
  }
  return { entries, pendingTimers: continuedTo ? [] : [...timers.values()], continuedFrom, continuedTo };
}

function isBookkeeping(event: HistoryEvent): boolean {
  return Boolean(event.workflowTaskScheduledEventAttributes || event.workflowTaskStartedEventAttributes || event.workflowTaskCompletedEventAttributes || event.upsertWorkflowSearchAttributesEventAttributes || event.workflowPropertiesModifiedEventAttributes);
}

function describeSignal(name: string, payload: unknown, money: (amountMinor: unknown) => string): string {
  const p = (payload ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'paymentReceived':
      return `Payment received: ${money(p.amountMinor)} (payment ${shortId(p.paymentId)})`;
    case 'paymentReversed':
      return `Payment reversed: ${money(p.amountMinor)} (payment ${shortId(p.paymentId)})`;
    case 'contactFailed':
      return `Contact failed by ${String(p.channel ?? 'an unknown channel')}: ${String(p.reason ?? 'no reason given')}`;
    case 'factsChanged':
      return 'The account was reported again: the case re-reads its facts';
    default:
      return `Signal ${name}`;
  }
}

function describeUpdate(name: string, payload: unknown, money: (amountMinor: unknown) => string): string {
  const p = (payload ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'recordPromise': {
      const instalments = Array.isArray(p.instalments) ? p.instalments.length : 0;
      return instalments > 0 ? `Promise to pay ${money(p.amountMinor)} in ${instalments} instalments, the last by ${String(p.dueDate)}` : `Promise to pay ${money(p.amountMinor)} by ${String(p.dueDate)}`;
    }
    case 'postpone':
      return `Postpone until ${String(p.until)}${p.reason ? `: ${String(p.reason)}` : ''}`;
    case 'pauseCase':
      return `Pause the case: ${String(p.reason ?? '')}`;
    case 'resumeCase':
      return 'Resume the case';
    default:
      return `Update ${name}`;
  }
}

function describeUpdateResult(name: string, result: unknown): string {
  const r = (result ?? {}) as Record<string, unknown>;
  if (name === 'recordPromise' && r.breaksOn) return `: promise ${shortId(r.promiseId)} accepted, breaks on ${String(r.breaksOn)}`;
  if (name === 'postpone' && r.until) return `: postponed until ${String(r.until)}`;
  if (name === 'pauseCase' && r.since) return `: paused since ${String(r.since)}`;
  if (name === 'resumeCase' && r.resumedAt) return `: resumed at ${String(r.resumedAt)}`;
  return '';
}

function describeActivityScheduled(type: string, input: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  if (type === 'performStep' && i.stepId) return `Step ${String(i.stepId)} started: ${describeAction(i.action)}${typeof i.daysPastDue === 'number' ? ` (day ${i.daysPastDue} past due)` : ''}`;
  if (type === 'resolvePromise' && i.outcome) return `${label(type)}: ${String(i.outcome)}`;
  if (type === 'closeCase' && i.reason) return `${label(type)} (${String(i.reason).replaceAll('_', ' ')})`;
  return label(type);
}

function describeActivityResult(type: string, input: unknown, result: unknown): string {
  const i = (input ?? {}) as Record<string, unknown>;
  const r = (result ?? {}) as Record<string, unknown>;
  if (type === 'performStep') {
    const step = String(i.stepId ?? 'step');
    if (r.status === 'deferred') return `Step ${step} deferred until ${String(r.until)}: ${String(r.explanation ?? r.detail ?? '')}`;
    if (r.status === 'skipped') return `Step ${step} skipped: ${String(r.detail ?? '')}`;
    if (r.status === 'done') return `Step ${step} done: ${String(r.detail ?? '')}`;
    return `Step ${step} done`;
  }
  if (type === 'recordPaymentOnCase' && r.balanceMinor !== undefined) return `Payment recorded; balance now ${String(r.balanceMinor)} (minor units)`;
  return `${label(type)}: done`;
}

function describeAction(action: unknown): string {
  const a = action as StepAction | undefined;
  if (!a || typeof a !== 'object' || typeof a.kind !== 'string') return 'a step';
  try {
    return describeStepAction(a);
  } catch {
    return a.kind.replaceAll('_', ' ');
  }
}

function label(type: string): string {
  return activityLabels[type] ?? type;
}

function attemptNote(attempt: number | undefined): string {
  return attempt && attempt > 1 ? ` (attempt ${attempt})` : '';
}

function withSender(summary: string, sentBy: TimelineSender | null): string {
  return sentBy?.name ? `${summary} — sent by ${sentBy.name}` : summary;
}

function senderFromHeader(fields: Record<string, temporal.api.common.v1.IPayload> | null | undefined): TimelineSender | null {
  const payload = fields?.[senderHeader];
  if (!payload) return null;
  const value = decode(payload) as Partial<SenderIdentity> | undefined;
  if (!value || typeof value !== 'object' || !['user', 'api_key', 'system'].includes(String(value.type))) return null;
  return { type: value.type!, id: typeof value.id === 'string' ? value.id : null, name: typeof value.name === 'string' ? value.name : null };
}

/** Older messages name their sender only in the payload: a user id (named by the caller), or a pause's `by`. */
function senderFromPayload(payload: unknown): TimelineSender | null {
  const p = payload as { userId?: unknown; by?: Partial<SenderIdentity> } | undefined;
  if (p?.by && typeof p.by === 'object' && typeof p.by.name === 'string') return { type: p.by.type ?? 'user', id: p.by.id ?? null, name: p.by.name };
  if (typeof p?.userId === 'string') return { type: 'user', id: p.userId, name: null };
  return null;
}

function decodeAll(payloads: Payloads): unknown[] {
  return (payloads?.payloads ?? []).map(decode);
}

function decode(payload: temporal.api.common.v1.IPayload): unknown {
  try {
    return defaultPayloadConverter.fromPayload(payload as Payload);
  } catch {
    return '(a payload the default converter cannot read)';
  }
}

function describeFailure(failure: Failure): Record<string, unknown> | null {
  if (!failure) return null;
  return {
    message: failure.message ?? '',
    type: failure.applicationFailureInfo?.type ?? null,
    nonRetryable: failure.applicationFailureInfo?.nonRetryable ?? null,
    source: failure.source || null,
    ...(failure.stackTrace ? { stackTrace: failure.stackTrace } : {}),
    ...(failure.cause ? { cause: describeFailure(failure.cause) } : {}),
  };
}

function formatMoney(amountMinor: unknown, currency: string | undefined): string {
  const digits = typeof amountMinor === 'string' || typeof amountMinor === 'number' ? String(amountMinor) : '';
  if (!/^-?\d+$/.test(digits)) return 'an amount';
  if (!currency) return `${digits} (minor units)`;
  try {
    return formatMinorUnits(BigInt(digits), currency);
  } catch {
    return `${digits} ${currency} (minor units)`;
  }
}

function shortId(id: unknown): string {
  return typeof id === 'string' ? id.slice(0, 8) : '?';
}

/** Protobuf int64 fields arrive as Long objects (or numbers); event ids and seconds fit a number. */
function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : Number(String(value));
}

/** A protobuf Timestamp as ISO 8601. */
export function timestampToIso(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (!ts) return null;
  return new Date(toNumber(ts.seconds) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000)).toISOString();
}

function durationToMs(duration: { seconds?: unknown; nanos?: number | null } | null | undefined): number | null {
  if (!duration) return null;
  return toNumber(duration.seconds) * 1000 + Math.floor((duration.nanos ?? 0) / 1_000_000);
}

/** "2026-11-30 02:30 UTC": a moment anyone can read, whatever their time zone (the UI shows local times beside it). */
function readableUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "3 d 13 h", "4 h 5 min", "12 s". */
export function describeDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}
