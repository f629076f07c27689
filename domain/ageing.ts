// Ageing: how many days an account is past due, and which bucket that puts it in.
// Days are counted on calendar dates in the debtor's time zone, so that "5 days past due" means
// the same thing to the customer, the collector and the workflow.

export const ageingBuckets = ['current', '1-30', '31-60', '61-90', '90+'] as const;
export type AgeingBucket = (typeof ageingBuckets)[number];

const msPerDay = 86_400_000;

/** A calendar date (YYYY-MM-DD) as seen in `timeZone` at instant `at`. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/** Whole days from `dueDate` to the debtor's local today; 0 when not yet due. */
export function daysPastDue(dueDate: string | null, now: Date, timeZone = 'UTC'): number {
  if (!dueDate) return 0;
  const today = Date.parse(`${localDate(now, timeZone)}T00:00:00Z`);
  const due = Date.parse(`${dueDate.slice(0, 10)}T00:00:00Z`);
  return Math.max(0, Math.round((today - due) / msPerDay));
}

export function ageingBucket(days: number): AgeingBucket {
  if (days <= 0) return 'current';
  if (days <= 30) return '1-30';
  if (days <= 60) return '31-60';
  if (days <= 90) return '61-90';
  return '90+';
}

/** The days-past-due range a bucket covers (max undefined: no upper bound). */
export function bucketRange(bucket: AgeingBucket): { min: number; max?: number } {
  switch (bucket) {
    case 'current':
      return { min: 0, max: 0 };
    case '1-30':
      return { min: 1, max: 30 };
    case '31-60':
      return { min: 31, max: 60 };
    case '61-90':
      return { min: 61, max: 90 };
    case '90+':
      return { min: 91 };
  }
}

/** The due date that makes an account exactly `days` past due on `now` (used by intake and demo data). */
export function dueDateForDaysPastDue(days: number, now: Date, timeZone = 'UTC'): string {
  const today = Date.parse(`${localDate(now, timeZone)}T00:00:00Z`);
  return new Date(today - days * msPerDay).toISOString().slice(0, 10);
}

export function toDateOnly(value: Date): string {
  return value.toISOString().slice(0, 10);
}

/** "1 day past due", "12 days past due". */
export function describeDaysPastDue(days: number): string {
  return `${days} day${days === 1 ? '' : 's'} past due`;
}
