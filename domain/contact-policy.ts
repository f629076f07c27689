// Contact-policy rules that apply to every message, whatever strategy sent it (X1).
// Every email and SMS carries a simple way to opt out; the SMS wording is the one carriers and the
// CFPB expect ("Reply STOP"), and a STOP reply is honoured by marking the contact opted out.

export type Channel = 'email' | 'sms' | 'letter';

export const smsOptOutLine = 'Reply STOP to opt out.';
export const emailOptOutLine = 'To stop receiving these emails, reply with "unsubscribe" or call us; we will honour your request.';

/** The body as sent: the opt-out notice is appended once, whatever the template said. */
export function withOptOutNotice(channel: Channel, body: string): string {
  const trimmed = body.trimEnd();
  if (channel === 'sms') return trimmed.endsWith(smsOptOutLine) ? trimmed : `${trimmed} ${smsOptOutLine}`;
  if (channel === 'email') return trimmed.includes(emailOptOutLine) ? trimmed : `${trimmed}\n\n--\n${emailOptOutLine}`;
  return trimmed;
}

/** Inbound words that mean "stop contacting me on this channel" (carrier-standard keywords). */
const stopWords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);

export function isOptOutReply(text: string): boolean {
  return stopWords.has(text.trim().toUpperCase().replace(/[^A-Z]/g, ''));
}

/** When contact is allowed, in the debtor's local time (X1; US default 08:00-21:00 every day). */
export interface ContactWindow {
  startHour: number;
  endHour: number;
  /** ISO weekdays allowed, 1 = Monday … 7 = Sunday. */
  weekdays: readonly number[];
}

export const defaultContactWindow: ContactWindow = { startHour: 8, endHour: 21, weekdays: [1, 2, 3, 4, 5, 6, 7] };

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const weekdayNumber: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

export function localParts(at: Date, timeZone: string): LocalParts {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', weekday: 'short', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: Number(get('year')), month: Number(get('month')), day: Number(get('day')), hour: Number(get('hour')), minute: Number(get('minute')), weekday: weekdayNumber[get('weekday')] ?? 1 };
}

/** The instant at which the wall clock in `timeZone` shows the given date and hour (DST-safe). */
export function instantOfLocal(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wanted = Date.UTC(year, month - 1, day, hour);
  let guess = wanted;
  for (let i = 0; i < 3; i++) {
    const p = localParts(new Date(guess), timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    guess += wanted - shown;
  }
  return new Date(guess);
}

/** `at` itself when contact is allowed then; otherwise the start of the next allowed window. */
export function nextAllowedContactTime(at: Date, timeZone: string, window: ContactWindow = defaultContactWindow): Date {
  const local = localParts(at, timeZone);
  if (window.weekdays.includes(local.weekday) && local.hour >= window.startHour && local.hour < window.endHour) return at;
  // Walk forward day by day (local calendar) to the first allowed day's opening hour.
  for (let offset = local.hour < window.startHour ? 0 : 1; offset <= 8; offset++) {
    const day = new Date(Date.UTC(local.year, local.month - 1, local.day + offset));
    const weekday = ((day.getUTCDay() + 6) % 7) + 1;
    if (window.weekdays.includes(weekday)) return instantOfLocal(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate(), window.startHour, timeZone);
  }
  throw new RangeError('the contact window allows no day of the week');
}
