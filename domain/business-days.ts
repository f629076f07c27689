// Business days on calendar dates (YYYY-MM-DD): Saturdays, Sundays and legal public holidays do not
// count. Reg F counts the validation notice's assumed receipt in such days (§1006.34(b)(5)). The US
// federal legal public holidays are those of 5 U.S.C. 6103(a), moved to the Friday before or the
// Monday after when they fall on a weekend (Executive Order 11582); other countries' holidays are
// not modelled (only weekends are skipped there), which errs on the short side: see docs/compliance.md.
import { addDays } from './case-schedule.ts';

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
/** ISO weekday, 1 = Monday … 7 = Sunday, of a calendar date. */
export function weekdayOf(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

/** The `n`th (1-based) given ISO weekday of a month, or the last one when `n` is -1. */
function nthWeekday(year: number, month: number, weekday: number, n: number): string {
  if (n === -1) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    for (let day = last; ; day--) if (weekdayOf(iso(year, month, day)) === weekday) return iso(year, month, day);
  }
  let seen = 0;
  for (let day = 1; ; day++) if (weekdayOf(iso(year, month, day)) === weekday && ++seen === n) return iso(year, month, day);
}

/** A fixed-date holiday on a weekend is observed on the Friday before or the Monday after. */
function observed(date: string): string {
  const weekday = weekdayOf(date);
  return weekday === 6 ? addDays(date, -1) : weekday === 7 ? addDays(date, 1) : date;
}

/** The US federal legal public holidays of a year, as observed. */
export function usLegalPublicHolidays(year: number): string[] {
  return [
    observed(iso(year, 1, 1)), // New Year's Day
    nthWeekday(year, 1, 1, 3), // Birthday of Martin Luther King, Jr.
    nthWeekday(year, 2, 1, 3), // Washington's Birthday
    nthWeekday(year, 5, 1, -1), // Memorial Day
    observed(iso(year, 6, 19)), // Juneteenth National Independence Day
    observed(iso(year, 7, 4)), // Independence Day
    nthWeekday(year, 9, 1, 1), // Labor Day
    nthWeekday(year, 10, 1, 2), // Columbus Day
    observed(iso(year, 11, 11)), // Veterans Day
    nthWeekday(year, 11, 4, 4), // Thanksgiving Day
    observed(iso(year, 12, 25)), // Christmas Day
  ];
}

/** Whether a date is a legal public holiday where the debtor lives (US jurisdictions only; see the module comment). */
export function isLegalPublicHoliday(date: string, jurisdiction: string): boolean {
  if (jurisdiction.split('-')[0] !== 'US') return false;
  const year = Number(date.slice(0, 4));
  // 1 January of next year may be observed on 31 December of this one.
  return usLegalPublicHolidays(year).includes(date) || usLegalPublicHolidays(year + 1).includes(date);
}

export function isBusinessDay(date: string, jurisdiction: string): boolean {
  return weekdayOf(date) <= 5 && !isLegalPublicHoliday(date, jurisdiction);
}

/** The date `days` business days after `date` (the day itself not counted). */
export function addBusinessDays(date: string, days: number, jurisdiction: string): string {
  let day = date;
  for (let counted = 0; counted < days; ) {
    day = addDays(day, 1);
    if (isBusinessDay(day, jurisdiction)) counted += 1;
  }
  return day;
}
