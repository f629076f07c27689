// The phone's own database (IndexedDB, through idb): everything the field app needs to work a day with
// no connection. Nothing here needs the network; the sync service (sync.svelte.ts) is the only part
// that talks to the server, and it writes its answers back here.
//
//   meta      small facts: this device's ID, the signed-in rep (an offline reload keeps them signed
//             in), when the last sync ran and how it went, the company name for receipts, the map's
//             tile server
//   days      the rep's day as downloaded (routes, stops, account cards, the card processor's key)
//   accounts  the freshest card of each account (from the day, or a live look-up, F4)
//   outbox    every visit recorded on this phone, from the moment it is saved until long after it
//             synced: its status, the server's answer, the receipt requests waiting to be sent
//   drafts    a visit form being filled in, kept as the rep types, so that a reload, a call or a
//             flat battery mid-visit loses nothing (never a card number: only the encrypted card)
//
// Outbox entries are never deleted by the app: a synced visit stays as the rep's record of the day
// (and the receipt's source); entries older than the visit rules allow are left for the rep to see.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Me } from '../api/types.ts';
import type { AccountCard, FieldDay } from '../api/field.ts';
import type { MapConfig } from '../api/field-routes.ts';
import type { OutboxEntry, OutboxStatus } from './outbox-types.ts';
import type { VisitDraft } from './visit-draft.ts';

export interface SyncMeta {
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  /** Why the last attempt did not reach the server, in plain words; null when it did. */
  lastError: string | null;
}

interface MetaValues {
  deviceId: string;
  session: Me;
  sync: SyncMeta;
  companyName: string;
  /** Where the map tiles come from (the server's MAP_TILE_URL), kept for offline starts. */
  mapConfig: MapConfig;
}

interface FieldDbSchema extends DBSchema {
  meta: { key: keyof MetaValues; value: MetaValues[keyof MetaValues] };
  days: { key: string; value: StoredDay };
  accounts: { key: string; value: AccountCard };
  outbox: { key: string; value: OutboxEntry; indexes: { byStatus: OutboxStatus; byAccount: string; byRep: string } };
  drafts: { key: string; value: StoredDraft };
}

export interface StoredDraft {
  /** `new/<stopId>` for a visit being recorded, `edit/<clientVisitId>` for one being corrected. */
  key: string;
  repId: string;
  clientVisitId: string;
  draft: VisitDraft;
  savedAt: string;
}

export interface StoredDay {
  /** `${repId}/${date}`: one phone may be shared by reps on different shifts. */
  key: string;
  repId: string;
  date: string;
  day: FieldDay;
  fetchedAt: string;
}

const dbName = 'arrears-field';
let opening: Promise<IDBPDatabase<FieldDbSchema>> | null = null;

export function fieldDb(): Promise<IDBPDatabase<FieldDbSchema>> {
  opening ??= openDB<FieldDbSchema>(dbName, 1, {
    upgrade(db) {
      db.createObjectStore('meta');
      db.createObjectStore('days', { keyPath: 'key' });
      db.createObjectStore('accounts', { keyPath: 'id' });
      const outbox = db.createObjectStore('outbox', { keyPath: 'clientVisitId' });
      outbox.createIndex('byStatus', 'status');
      outbox.createIndex('byAccount', 'visit.accountId');
      outbox.createIndex('byRep', 'repId');
      db.createObjectStore('drafts', { keyPath: 'key' });
    },
    // Another tab opened a newer version: let it upgrade, and reopen on the next call.
    blocking() {
      void opening?.then((db) => db.close());
      opening = null;
    },
    terminated() {
      opening = null;
    },
  }).catch((error) => {
    opening = null;
    throw error;
  });
  return opening;
}

export async function readMeta<K extends keyof MetaValues>(key: K): Promise<MetaValues[K] | undefined> {
  return (await (await fieldDb()).get('meta', key)) as MetaValues[K] | undefined;
}

/** Values may come from reactive state (the session): stored as plain JSON, which IndexedDB can clone. */
export async function writeMeta<K extends keyof MetaValues>(key: K, value: MetaValues[K]): Promise<void> {
  await (await fieldDb()).put('meta', JSON.parse(JSON.stringify(value)) as MetaValues[K], key);
}

export async function deleteMeta(key: keyof MetaValues): Promise<void> {
  await (await fieldDb()).delete('meta', key);
}

/** This phone's ID, made once and kept: the server records which device each visit came from. */
export async function deviceId(): Promise<string> {
  const known = await readMeta('deviceId');
  if (known) return known;
  const made = `phone-${crypto.randomUUID()}`;
  await writeMeta('deviceId', made);
  return made;
}

/**
 * Keeps a downloaded day, and each of its account cards unless the phone holds a newer one (a live
 * look-up made after the day was generated).
 */
export async function storeDay(day: FieldDay, fetchedAt: string): Promise<void> {
  const db = await fieldDb();
  const tx = db.transaction(['days', 'accounts'], 'readwrite');
  const days = tx.objectStore('days');
  const accounts = tx.objectStore('accounts');
  await days.put({ key: `${day.rep.id}/${day.date}`, repId: day.rep.id, date: day.date, day, fetchedAt });
  for (const card of day.routes.flatMap((r) => r.stops.map((s) => s.account))) {
    const held = await accounts.get(card.id);
    if (!held || held.asOf <= card.asOf) await accounts.put(card);
  }
  await tx.done;
}

export async function storedDay(repId: string, date: string): Promise<StoredDay | undefined> {
  return (await fieldDb()).get('days', `${repId}/${date}`);
}

/** The most recent day downloaded for the rep (offline on a new calendar day, yesterday's route is better than nothing). */
export async function latestStoredDay(repId: string): Promise<StoredDay | undefined> {
  const range = IDBKeyRange.bound(`${repId}/`, `${repId}/\uffff`);
  const cursor = await (await fieldDb()).transaction('days').store.openCursor(range, 'prev');
  return cursor?.value;
}

export async function storeAccount(card: AccountCard): Promise<void> {
  await (await fieldDb()).put('accounts', card);
}

export async function storedAccount(accountId: string): Promise<AccountCard | undefined> {
  return (await fieldDb()).get('accounts', accountId);
}

export async function storeDraft(draft: StoredDraft): Promise<void> {
  await (await fieldDb()).put('drafts', draft);
}

export async function storedDraft(key: string): Promise<StoredDraft | undefined> {
  return (await fieldDb()).get('drafts', key);
}

export async function deleteDraft(key: string): Promise<void> {
  await (await fieldDb()).delete('drafts', key);
}
