// A stop's state as the rep should see it: the phone's own record first (a visit saved here counts at
// once, before any sync), then the server's (a visit synced from another device, a skipped stop).
import type { RouteStop } from '../api/field.ts';
import type { OutboxEntry, OutboxStatus } from './outbox-types.ts';

export type StopState =
  | { kind: 'visited'; on: 'phone'; status: OutboxStatus; entry: OutboxEntry }
  | { kind: 'visited'; on: 'server' }
  | { kind: 'pending' }
  | { kind: 'other'; status: string };

export function stopStates(stops: RouteStop[], visits: OutboxEntry[]): Map<string, StopState> {
  const latestByStop = new Map<string, OutboxEntry>();
  // Visits come newest first: the first one seen for a stop is its latest.
  for (const entry of visits) {
    const stopId = entry.visit.routeStopId;
    if (stopId && !latestByStop.has(stopId)) latestByStop.set(stopId, entry);
  }
  const states = new Map<string, StopState>();
  for (const stop of stops) {
    const entry = latestByStop.get(stop.id);
    if (entry) states.set(stop.id, { kind: 'visited', on: 'phone', status: entry.status, entry });
    else if (stop.status === 'visited') states.set(stop.id, { kind: 'visited', on: 'server' });
    else if (stop.status === 'pending') states.set(stop.id, { kind: 'pending' });
    else states.set(stop.id, { kind: 'other', status: stop.status });
  }
  return states;
}

export const outboxStatusLabels: Record<OutboxStatus, string> = {
  waiting: 'Waiting to send',
  sending: 'Sending…',
  synced: 'On the server',
  needs_fix: 'Needs a fix',
  retry: 'Will retry',
};

export const outboxStatusTones: Record<OutboxStatus, 'neutral' | 'good' | 'warn' | 'bad' | 'info'> = {
  waiting: 'warn',
  sending: 'info',
  synced: 'good',
  needs_fix: 'bad',
  retry: 'warn',
};
