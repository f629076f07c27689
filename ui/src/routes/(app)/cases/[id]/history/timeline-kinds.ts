// How each kind of timeline entry looks: a glyph (from fonts every machine has), a short label and a badge tone, and which filter
// it belongs to. Presentation only: what an entry says comes from the API.
import type { HistoryEventKind } from '#lib/api/types.ts';
import type { Tone } from '#lib/format.ts';

export type TimelineFilter = 'all' | 'messages' | 'timers' | 'activities' | 'problems';

export const kindLooks: Record<HistoryEventKind, { glyph: string; label: string; tone: Tone; filter: Exclude<TimelineFilter, 'all'> | 'run' }> = {
  started: { glyph: '▶', label: 'Started', tone: 'info', filter: 'run' },
  signal: { glyph: '✉', label: 'Signal', tone: 'info', filter: 'messages' },
  update_accepted: { glyph: '✎', label: 'Update', tone: 'info', filter: 'messages' },
  update_completed: { glyph: '✓', label: 'Update answered', tone: 'good', filter: 'messages' },
  update_rejected: { glyph: '✗', label: 'Update refused', tone: 'bad', filter: 'problems' },
  timer_started: { glyph: '◷', label: 'Timer set', tone: 'neutral', filter: 'timers' },
  timer_fired: { glyph: '◉', label: 'Timer fired', tone: 'neutral', filter: 'timers' },
  timer_cancelled: { glyph: '◌', label: 'Timer cancelled', tone: 'neutral', filter: 'timers' },
  activity_scheduled: { glyph: '⚙', label: 'Activity', tone: 'neutral', filter: 'activities' },
  activity_completed: { glyph: '✓', label: 'Activity done', tone: 'good', filter: 'activities' },
  activity_failed: { glyph: '⚠', label: 'Activity failed', tone: 'bad', filter: 'problems' },
  activity_timed_out: { glyph: '◔', label: 'Activity timed out', tone: 'bad', filter: 'problems' },
  workflow_task_failed: { glyph: '⚠', label: 'Workflow task failed', tone: 'severe', filter: 'problems' },
  marker: { glyph: '⚑', label: 'Version marker', tone: 'neutral', filter: 'run' },
  continued_as_new: { glyph: '↪', label: 'Continued as new', tone: 'info', filter: 'run' },
  completed: { glyph: '✔', label: 'Completed', tone: 'good', filter: 'run' },
  failed: { glyph: '✖', label: 'Failed', tone: 'severe', filter: 'problems' },
  terminated: { glyph: '■', label: 'Terminated', tone: 'bad', filter: 'run' },
  timed_out: { glyph: '◔', label: 'Timed out', tone: 'bad', filter: 'problems' },
  cancelled: { glyph: '■', label: 'Cancelled', tone: 'warn', filter: 'run' },
  other: { glyph: '•', label: 'Event', tone: 'neutral', filter: 'run' },
};

export const filters: Array<{ value: TimelineFilter; label: string }> = [
  { value: 'all', label: 'Everything' },
  { value: 'messages', label: 'Signals & updates' },
  { value: 'timers', label: 'Timers' },
  { value: 'activities', label: 'Activities' },
  { value: 'problems', label: 'Problems' },
];

export function shows(filter: TimelineFilter, kind: HistoryEventKind): boolean {
  return filter === 'all' || kindLooks[kind].filter === filter;
}
