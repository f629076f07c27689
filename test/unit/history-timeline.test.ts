// The history inspector's mapping: a recorded S5 history (test/fixtures/histories) and hand-made
// events for what that run does not contain (senders, failures, continue-as-new, pending timers).
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import { describeDuration, historyTimeline } from '../../services/history-timeline.ts';
import { senderHeader } from '../../workflows/messages.ts';

// Hand-made events use plain numbers where protobuf declares Long; the mapping reads either.
type Event = temporal.api.history.v1.IHistoryEvent;
const s5 = temporal.api.history.v1.History.decode(readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'histories', 's5-full-run.pb'))).events;

const t0 = Date.parse('2026-11-02T06:00:00Z');
const at = (minutes: number) => ({ seconds: Math.floor((t0 + minutes * 60_000) / 1000), nanos: 0 });
const payloads = (...values: unknown[]) => ({ payloads: values.map((v) => defaultPayloadConverter.toPayload(v)!) });
const sender = (name: string, type: 'user' | 'api_key' = 'user', id = '7b0c1f64-0000-4000-8000-000000000001') => ({ fields: { [senderHeader]: defaultPayloadConverter.toPayload({ type, id, name })! } });

describe('a recorded S5 run, read as a timeline', () => {
  const timeline = historyTimeline(s5, { currency: 'USD' });
  const kinds = timeline.entries.map((e) => e.kind);

  test('it starts, waits on timers that say when they fire, runs its steps and completes with the case paid', () => {
    expect(kinds[0]).toBe('started');
    expect(kinds.at(-1)).toBe('completed');
    expect(timeline.entries.at(-1)!.summary).toBe('Case workflow completed: case closed (paid)');
    const timer = timeline.entries.find((e) => e.kind === 'timer_started')!;
    // Timer 1 in that run: 307318.283 s after it was set.
    expect(Date.parse(timer.firesAt!) - Date.parse(timer.at)).toBe(307_318_283);
    expect(timer.summary).toMatch(/^Timer 1 set to fire at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC \(in 3 d 13 h\)$/);
    expect(timeline.entries.find((e) => e.kind === 'timer_fired' && e.name === '1')!.relatedEventId).toBe(timer.eventId);
    expect(timeline.pendingTimers).toEqual([]);
  });

  test('strategy steps read as steps: which one, what it does, and what came of it', () => {
    const steps = timeline.entries.filter((e) => e.name === 'performStep' && e.kind === 'activity_scheduled').map((e) => e.summary);
    expect(steps[0]).toBe('Step reminder_email started: Email payment reminder (day 5 past due)');
    expect(steps.some((s) => s.startsWith('Step call_task started: Call task'))).toBe(true);
    const completed = timeline.entries.filter((e) => e.name === 'performStep' && e.kind === 'activity_completed');
    expect(completed).toHaveLength(steps.length);
    expect(completed[0]!.summary).toMatch(/^Step reminder_email done/);
  });

  test('the payment signal and the promise update are decoded, with amounts in the case currency', () => {
    const payment = timeline.entries.find((e) => e.kind === 'signal')!;
    expect(payment).toMatchObject({ name: 'paymentReceived', identity: '14648@vm', sentBy: null });
    expect(payment.summary).toBe('Payment received: $125.50 (payment 1ffddb01)');
    const promise = timeline.entries.find((e) => e.kind === 'update_accepted')!;
    expect(promise.summary).toMatch(/^Promise to pay \$125\.50 by \d{4}-\d{2}-\d{2}$/);
    expect(timeline.entries.find((e) => e.kind === 'update_completed')!.summary).toMatch(/^recordPromise answered: promise [0-9a-f]{8} accepted, breaks on \d{4}-\d{2}-\d{2}$/);
  });

  test('workflow-task bookkeeping is left out, and version markers are named', () => {
    expect(timeline.entries.length).toBeLessThan(s5.length);
    expect(timeline.entries.find((e) => e.kind === 'marker')!.summary).toBe('Code version marker: plan-contact-steps-at-contact-hours');
    expect(kinds).not.toContain('other');
  });
});

describe('what a recorded run does not show', () => {
  const events = [
    { eventId: 1, eventTime: at(0), workflowExecutionStartedEventAttributes: { workflowType: { name: 'collectionCaseWorkflow' }, continuedExecutionRunId: 'run-0', input: payloads({ caseId: 'c1' }), header: sender('billing', 'api_key', 'key-1') } },
    { eventId: 2, eventTime: at(1), workflowExecutionSignaledEventAttributes: { signalName: 'paymentReceived', input: payloads({ paymentId: 'abcdef12-3456', amountMinor: '2000' }), identity: '1@api', header: sender('Dana Supervisor') } },
    { eventId: 3, eventTime: at(2), workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { meta: { updateId: 'u1', identity: '1@api' }, input: { name: 'postpone', args: payloads({ until: '2026-11-05T15:00:00.000Z', userId: 'user-9', reason: 'travelling' }) } } } },
    { eventId: 4, eventTime: at(2), workflowExecutionUpdateCompletedEventAttributes: { meta: { updateId: 'u1' }, acceptedEventId: 3, outcome: { success: payloads({ until: '2026-11-05T15:00:00.000Z' }) } } },
    { eventId: 5, eventTime: at(3), workflowExecutionUpdateAcceptedEventAttributes: { acceptedRequest: { meta: { updateId: 'u2' }, input: { name: 'pauseCase', args: payloads({ reason: 'complaint under review', by: { type: 'user', id: 'user-7', name: 'Sam Lead' } }) } } } },
    { eventId: 6, eventTime: at(4), activityTaskScheduledEventAttributes: { activityId: '7', activityType: { name: 'performStep' }, input: payloads({ caseId: 'c1', stepId: 'sms_nudge', action: { kind: 'send_message', channel: 'sms', template: 'payment_nudge' }, daysPastDue: 8 }) } },
    { eventId: 7, eventTime: at(9), activityTaskStartedEventAttributes: { scheduledEventId: 6, attempt: 3 } },
    { eventId: 8, eventTime: at(9), activityTaskFailedEventAttributes: { scheduledEventId: 6, startedEventId: 7, failure: { message: 'connect ECONNREFUSED 127.0.0.1:5432', applicationFailureInfo: { type: 'Error' } } } },
    { eventId: 9, eventTime: at(10), timerStartedEventAttributes: { timerId: '4', startToFireTimeout: { seconds: 90_000, nanos: 0 } } },
    { eventId: 10, eventTime: at(11), timerStartedEventAttributes: { timerId: '5', startToFireTimeout: { seconds: 600, nanos: 0 } } },
    { eventId: 11, eventTime: at(12), timerCanceledEventAttributes: { timerId: '5', startedEventId: 10 } },
    { eventId: 12, eventTime: at(13), workflowTaskFailedEventAttributes: { failure: { message: 'Nondeterminism error: timer 6 expected' } } },
    { eventId: 13, eventTime: at(14), workflowExecutionUpdateRejectedEventAttributes: { rejectedRequest: { input: { name: 'pauseCase', args: payloads({ reason: 'again', by: { type: 'user', id: 'user-7', name: 'Sam Lead' } }) } }, failure: { message: 'already_paused' } } },
  ] as unknown as Event[];

  test('senders come from the message header, or from the payload when an older message only had that', () => {
    const timeline = historyTimeline(events, { currency: 'EUR' });
    const [started, payment, postpone, , pause] = timeline.entries;
    expect(started).toMatchObject({ kind: 'started', runId: 'run-0', sentBy: { type: 'api_key', name: 'billing' } });
    expect(started!.summary).toBe('Case workflow continued from run run-0');
    expect(payment).toMatchObject({ kind: 'signal', sentBy: { type: 'user', name: 'Dana Supervisor' } });
    expect(payment!.summary).toBe('Payment received: €20.00 (payment abcdef12) — sent by Dana Supervisor');
    // Only a user id: the service names the user afterwards.
    expect(postpone).toMatchObject({ kind: 'update_accepted', name: 'postpone', sentBy: { type: 'user', id: 'user-9', name: null } });
    expect(pause!.summary).toBe('Pause the case: complaint under review — sent by Sam Lead');
    expect(timeline.entries.find((e) => e.kind === 'update_completed')!.summary).toBe('postpone answered: postponed until 2026-11-05T15:00:00.000Z');
    expect(timeline.entries.find((e) => e.kind === 'update_rejected')!.summary).toBe('pauseCase refused: already_paused — sent by Sam Lead');
  });

  test('a failed activity says which, on which attempt and why; a failed workflow task says why', () => {
    const timeline = historyTimeline(events);
    expect(timeline.entries.find((e) => e.kind === 'activity_scheduled')!.summary).toBe('Step sms_nudge started: SMS payment nudge (day 8 past due)');
    const failed = timeline.entries.find((e) => e.kind === 'activity_failed')!;
    expect(failed).toMatchObject({ name: 'performStep', attempt: 3, relatedEventId: 6, details: { failure: { message: 'connect ECONNREFUSED 127.0.0.1:5432', type: 'Error' } } });
    expect(failed.summary).toBe('Carry out a strategy step failed (attempt 3): connect ECONNREFUSED 127.0.0.1:5432');
    expect(timeline.entries.find((e) => e.kind === 'workflow_task_failed')!.summary).toBe('Workflow task failed: Nondeterminism error: timer 6 expected');
  });

  test('a timer neither fired nor cancelled is pending, with when it fires', () => {
    const timeline = historyTimeline(events);
    expect(timeline.pendingTimers).toEqual([{ timerId: '4', eventId: 9, startedAt: new Date(t0 + 10 * 60_000).toISOString(), firesAt: new Date(t0 + 10 * 60_000 + 90_000_000).toISOString() }]);
    expect(timeline.entries.find((e) => e.kind === 'timer_cancelled')!.summary).toBe('Timer 5 cancelled: the case woke up before it fired');
  });

  test('continue-as-new links to the next run, and a run that continued has nothing pending', () => {
    const continued = { eventId: 14, eventTime: at(20), workflowExecutionContinuedAsNewEventAttributes: { newExecutionRunId: 'run-2', input: payloads({ caseId: 'c1', carried: { paymentsSeen: 1 } }) } } as unknown as Event;
    const timeline = historyTimeline([...events, continued]);
    expect(timeline).toMatchObject({ continuedFrom: 'run-0', continuedTo: 'run-2', pendingTimers: [] });
    expect(timeline.entries.at(-1)).toMatchObject({ kind: 'continued_as_new', runId: 'run-2' });
  });

  test('durations read as people say them', () => {
    expect(describeDuration(90_000_000)).toBe('1 d 1 h');
    expect(describeDuration(3_900_000)).toBe('1 h 5 min');
    expect(describeDuration(12_000)).toBe('12 s');
  });
});
