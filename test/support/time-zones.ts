// Zones picked by the clock, so that tests about contact hours pass whenever they run. Fixed-offset
// zones (POSIX signs: Etc/GMT-3 is UTC+3) cover every hour of the day.
const zones = Array.from({ length: 27 }, (_, k) => k - 12).map((offset) => (offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`));

const localHour = (zone: string, now: Date) => Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now));

/** A zone where it is mid-day now: the default contact hours (every day, 08:00–21:00) allow a call there. */
export function daytimeZone(now = new Date()): string {
  const zone = zones.find((z) => localHour(z, now) >= 10 && localHour(z, now) <= 16);
  if (!zone) throw new Error('no zone has mid-day now');
  return zone;
}

/** A zone where it is the middle of the night now: calls are outside contact hours there. */
export function nightZone(now = new Date()): string {
  const zone = zones.find((z) => localHour(z, now) >= 1 && localHour(z, now) <= 5);
  if (!zone) throw new Error('no zone has night now');
  return zone;
}
