// The rep's day on the phone: read from IndexedDB first (it must open with no connection), refreshed
// from the server when there is one. The day's date is the branch's calendar day, as the server says.
import { localDate } from '$domain/ageing.ts';
import { fieldApi, type AccountCard, type FieldDay, type RouteStop } from '../api/field.ts';
import { fieldRoutesApi, type MapConfig } from '../api/field-routes.ts';
import { latestStoredDay, readMeta, storeAccount, storeDay, storedAccount, writeMeta, type StoredDay } from './db.ts';

export interface DayOnPhone {
  day: FieldDay;
  fetchedAt: string;
  /** The stored day is an earlier day's (the phone has not been online today). */
  stale: boolean;
}

function onPhone(stored: StoredDay, now = new Date()): DayOnPhone {
  const timeZone = stored.day.rep.branch?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return { day: stored.day, fetchedAt: stored.fetchedAt, stale: stored.date < localDate(now, timeZone) };
}

export async function dayOnPhone(repId: string): Promise<DayOnPhone | null> {
  const stored = await latestStoredDay(repId);
  return stored ? onPhone(stored) : null;
}

/** Downloads today's day (and where the map's tiles come from) and keeps it; throws ApiError (network_error offline). */
export async function downloadDay(fetcher: typeof fetch = fetch): Promise<DayOnPhone> {
  const [day, mapConfig] = await Promise.all([fieldApi.day(undefined, fetcher), fieldRoutesApi.mapConfig(fetcher).catch(() => null)]);
  const fetchedAt = new Date().toISOString();
  await storeDay(day, fetchedAt);
  if (mapConfig) await writeMeta('mapConfig', mapConfig);
  // Receipts printed offline are headed like the server's.
  if (day.company) await writeMeta('companyName', day.company);
  return { day, fetchedAt, stale: false };
}

/** The map's tile server as last downloaded; null before the first download (markers only). */
export async function mapConfigOnPhone(): Promise<MapConfig | null> {
  return (await readMeta('mapConfig')) ?? null;
}

export interface StopOnPhone {
  stop: RouteStop;
  routeId: string;
  routeName: string;
  /** The freshest card the phone holds for the stop's account (a live look-up may be newer than the day). */
  account: AccountCard;
  day: DayOnPhone;
}

export async function stopOnPhone(repId: string, stopId: string): Promise<StopOnPhone | null> {
  const day = await dayOnPhone(repId);
  if (!day) return null;
  for (const route of day.day.routes) {
    const stop = route.stops.find((s) => s.id === stopId);
    if (stop) {
      const held = await storedAccount(stop.account.id);
      return { stop, routeId: route.id, routeName: route.name, account: held && held.asOf > stop.account.asOf ? held : stop.account, day };
    }
  }
  return null;
}

/** F4: the account as the back office has it now; kept on the phone for the rest of the day. */
export async function lookUpAccount(accountId: string, fetcher: typeof fetch = fetch): Promise<AccountCard> {
  const card = await fieldApi.lookup(accountId, fetcher);
  await storeAccount(card);
  return card;
}
