// The supervisor's live board of collectors (W5, S7) and "accounts worked per collector, at any time"
// (R1): the rules that turn per-collector facts (work stretches, contacts, promises, payments, the
// current lease, sign-in) into one row per collector and the team's totals. Pure: the service reads
// the facts, this module decides what they count as. docs/supervisor-console.md explains each rule.
import { localDate } from './ageing.ts';

/** Activity kinds that are a contact attempt by a person (a note or a system event is not). */
export const contactKinds: ReadonlySet<string> = new Set(['call', 'visit', 'email', 'sms']);

/** Gaps between work stretches shorter than this are the time it takes to pick up the next account. */
export const idleGapMs = 2 * 60_000;
/** A signed-in collector with no sign of work for this long is shown offline, not idle. */
export const awayAfterMs = 30 * 60_000;

export interface BoardMoney {
  amountMinor: bigint;
  currency: string;
}

export interface WorkStretch {
  accountId: string;
  startedAt: Date;
  /** null while the stretch is under way. */
  finishedAt: Date | null;
}

export interface ContactFact {
  kind: string;
  outcome: string | null;
  occurredAt: Date;
}

export interface PromiseMade {
  amountMinor: bigint;
  currency: string;
  createdAt: Date;
}

export interface CollectorFacts {
  user: { id: string; name: string; role: string; branchCode: string | null; timeZone: string };
  stretches: WorkStretch[];
  /** The user's activities (any kind; the board keeps the contact kinds). */
  contacts: ContactFact[];
  promises: PromiseMade[];
  /** The unexpired lease the user holds now, if any. */
  lease: { accountId: string; accountRef: string; leasedAt: Date } | null;
  /** When the user's newest unexpired session began; null when not signed in. */
  signedInAt: Date | null;
}

/** A promise on an account, as the payment attribution rule needs it. */
export interface AccountPromise {
  accountId: string;
  createdById: string | null;
  createdAt: Date;
  status: 'pending' | 'kept' | 'broken' | 'cancelled';
  resolvedAt: Date | null;
}

export interface ReceivedPayment {
  id: string;
  accountId: string;
  amountMinor: bigint;
  currency: string;
  receivedAt: Date;
}

export type CollectorStatus = { kind: 'working'; accountRef: string; since: Date } | { kind: 'idle'; since: Date } | { kind: 'offline' };

export interface BoardRow {
  user: { id: string; name: string; branchCode: string | null };
  accountsWorked: number;
  contacts: number;
  rightPartyContacts: number;
  promises: { count: number; amounts: BoardMoney[] };
  payments: { count: number; amounts: BoardMoney[] };
  nowWorkingOn: { accountId: string; accountRef: string; since: Date } | null;
  idleMs: number;
  /** null when the board looks at days that do not include now: history has no "now". */
  status: CollectorStatus | null;
}

export interface TeamBoard {
  from: string;
  to: string;
  live: boolean;
  rows: BoardRow[];
  totals: {
    collectors: number;
    working: number;
    idle: number;
    offline: number;
    /** Distinct accounts: an account two collectors worked counts once for the team. */
    accountsWorked: number;
    contacts: number;
    rightPartyContacts: number;
    promises: { count: number; amounts: BoardMoney[] };
    payments: { count: number; amounts: BoardMoney[] };
    idleMs: number;
  };
}

export interface BoardInput {
  /**
   * Local calendar dates (YYYY-MM-DD), inclusive, read in each collector's own time zone; absent: each
   * collector's own today (branches in other time zones may be on another date near midnight).
   */
  days?: { from: string; to: string } | undefined;
  now: Date;
  collectors: CollectorFacts[];
  payments: ReceivedPayment[];
  accountPromises: AccountPromise[];
  /** Contact outcomes that mean the debtor (or someone entitled to speak for them) was reached. */
  rightPartyOutcomes: ReadonlySet<string>;
}

// --- calendar -------------------------------------------------------------------------------

function zoneOffsetMs(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - (at - (((at % 1000) + 1000) % 1000));
}

/** The instant a local calendar day begins in `timeZone` (midnight, or the first moment after a DST gap). */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${date}T00:00:00Z`);
  const first = midnightUtc - zoneOffsetMs(midnightUtc, timeZone);
  // The offset at the day's real start can differ from the one at UTC midnight on DST days.
  return new Date(midnightUtc - zoneOffsetMs(first, timeZone));
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The instants [start, end) that local dates from..to (inclusive) cover in `timeZone`. */
export function localDaysWindow(from: string, to: string, timeZone: string): { start: Date; end: Date } {
  return { start: startOfLocalDay(from, timeZone), end: startOfLocalDay(addDays(to, 1), timeZone) };
}

const within = (at: Date, window: { start: Date; end: Date }) => at >= window.start && at < window.end;

// --- payments -------------------------------------------------------------------------------

/**
 * Who gets the credit for a payment: the collector who made the promise in force when it arrived.
 * That is the account's latest promise created before the payment, if at that moment it was still
 * pending or had been kept (not yet broken or cancelled). A payment with no such promise, or whose
 * promise was made by the system or an API key, is nobody's.
 */
export function promiseMakerFor(payment: ReceivedPayment, promises: readonly AccountPromise[]): string | null {
  let latest: AccountPromise | null = null;
  for (const promise of promises) {
    if (promise.accountId !== payment.accountId || promise.createdAt > payment.receivedAt) continue;
    if (!latest || promise.createdAt > latest.createdAt) latest = promise;
  }
  if (!latest?.createdById) return null;
  const resolvedBefore = latest.resolvedAt !== null && latest.resolvedAt < payment.receivedAt;
  const inForce = latest.status === 'pending' || latest.status === 'kept' || !resolvedBefore;
  return inForce ? latest.createdById : null;
}

// --- idle time ------------------------------------------------------------------------------

/**
 * Idle time of one collector on one local day: the gaps longer than `idleGapMs` between consecutive
 * work stretches, from the first stretch's start to the last one's end, plus, while the collector is
 * idle now (`idleSince`: their last sign of work), the time since then. Overlapping stretches (two
 * accounts open) merge.
 */
export function idleTimeOfDay(stretches: readonly WorkStretch[], now: Date, idleSince: Date | null): number {
  const spans = stretches
    .map((s) => ({ start: s.startedAt.getTime(), end: Math.max(s.startedAt.getTime(), (s.finishedAt ?? now).getTime()) }))
    .sort((a, b) => a.start - b.start);
  if (spans.length === 0) return 0;
  let idle = 0;
  let reach = spans[0]!.end;
  for (const span of spans.slice(1)) {
    const gap = span.start - reach;
    if (gap > idleGapMs) idle += gap;
    reach = Math.max(reach, span.end);
  }
  if (idleSince) {
    const tail = now.getTime() - Math.max(reach, idleSince.getTime());
    if (tail > idleGapMs) idle += tail;
  }
  return idle;
}

// --- the board ------------------------------------------------------------------------------

export function sumByCurrency(items: ReadonlyArray<{ amountMinor: bigint; currency: string }>): BoardMoney[] {
  const sums = new Map<string, bigint>();
  for (const item of items) sums.set(item.currency, (sums.get(item.currency) ?? 0n) + item.amountMinor);
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([currency, amountMinor]) => ({ currency, amountMinor }));
}

function statusNow(facts: CollectorFacts, todaysStretches: readonly WorkStretch[], todaysContacts: readonly ContactFact[], now: Date): CollectorStatus {
  if (facts.lease) return { kind: 'working', accountRef: facts.lease.accountRef, since: facts.lease.leasedAt };
  if (!facts.signedInAt) return { kind: 'offline' };
  // Records dated in the future (imported or back-filled with a wrong clock) are no sign of work now.
  const signs = [facts.signedInAt.getTime(), ...todaysStretches.map((s) => (s.finishedAt ?? s.startedAt).getTime()), ...todaysContacts.map((c) => c.occurredAt.getTime())].filter((t) => t <= now.getTime());
  const lastSign = Math.max(...signs);
  return now.getTime() - lastSign <= awayAfterMs ? { kind: 'idle', since: new Date(lastSign) } : { kind: 'offline' };
}

/** Collectors always have a row; anyone else (a supervisor who took a call) only with work to show. */
function belongsOnBoard(row: BoardRow, role: string): boolean {
  return role === 'collector' || row.accountsWorked > 0 || row.contacts > 0 || row.promises.count > 0 || row.nowWorkingOn !== null;
}

export function buildTeamBoard(input: BoardInput): TeamBoard {
  const { now } = input;
  const rows: BoardRow[] = [];
  const accountsByRow: Array<Set<string>> = [];
  const dates: string[] = [];
  let live = false;
  for (const facts of input.collectors) {
    const tz = facts.user.timeZone;
    const days = input.days ?? { from: localDate(now, tz), to: localDate(now, tz) };
    dates.push(days.from, days.to);
    const window = localDaysWindow(days.from, days.to, tz);
    const isLive = within(now, window);
    live ||= isLive;
    const stretches = facts.stretches.filter((s) => within(s.startedAt, window));
    const contacts = facts.contacts.filter((c) => contactKinds.has(c.kind) && within(c.occurredAt, window));
    const promises = facts.promises.filter((p) => within(p.createdAt, window));
    const payments = input.payments.filter((p) => within(p.receivedAt, window) && promiseMakerFor(p, input.accountPromises) === facts.user.id);
    const today = localDate(now, tz);
    const todaysStretches = stretches.filter((s) => localDate(s.startedAt, tz) === today);
    const status = isLive ? statusNow(facts, todaysStretches, contacts.filter((c) => localDate(c.occurredAt, tz) === today), now) : null;
    const byDay = new Map<string, WorkStretch[]>();
    for (const s of stretches) {
      const day = localDate(s.startedAt, tz);
      const group = byDay.get(day);
      if (group) group.push(s);
      else byDay.set(day, [s]);
    }
    let idleMs = 0;
    for (const [day, dayStretches] of byDay) idleMs += idleTimeOfDay(dayStretches, now, isLive && day === today && status?.kind === 'idle' ? status.since : null);
    const worked = new Set(stretches.map((s) => s.accountId));
    const row: BoardRow = {
      user: { id: facts.user.id, name: facts.user.name, branchCode: facts.user.branchCode },
      accountsWorked: worked.size,
      contacts: contacts.length,
      rightPartyContacts: contacts.filter((c) => c.outcome !== null && input.rightPartyOutcomes.has(c.outcome)).length,
      promises: { count: promises.length, amounts: sumByCurrency(promises) },
      payments: { count: payments.length, amounts: sumByCurrency(payments) },
      nowWorkingOn: isLive && facts.lease ? { accountId: facts.lease.accountId, accountRef: facts.lease.accountRef, since: facts.lease.leasedAt } : null,
      idleMs,
      status,
    };
    if (!belongsOnBoard(row, facts.user.role)) continue;
    rows.push(row);
    accountsByRow.push(worked);
  }
  const order = rows.map((_, i) => i).sort((a, b) => rows[a]!.user.name.localeCompare(rows[b]!.user.name));
  const sorted = order.map((i) => rows[i]!);
  const allPromises = sorted.flatMap((r) => r.promises.amounts);
  const allPayments = sorted.flatMap((r) => r.payments.amounts);
  const count = (kind: CollectorStatus['kind']) => sorted.filter((r) => r.status?.kind === kind).length;
  dates.sort();
  const today = localDate(now, 'UTC');
  return {
    from: input.days?.from ?? dates[0] ?? today,
    to: input.days?.to ?? dates[dates.length - 1] ?? today,
    live: input.days ? live || (input.collectors.length === 0 && input.days.from <= today && today <= input.days.to) : true,
    rows: sorted,
    totals: {
      collectors: sorted.length,
      working: count('working'),
      idle: count('idle'),
      offline: count('offline'),
      accountsWorked: new Set(accountsByRow.flatMap((s) => [...s])).size,
      contacts: sum(sorted.map((r) => r.contacts)),
      rightPartyContacts: sum(sorted.map((r) => r.rightPartyContacts)),
      promises: { count: sum(sorted.map((r) => r.promises.count)), amounts: sumByCurrency(allPromises) },
      payments: { count: sum(sorted.map((r) => r.payments.count)), amounts: sumByCurrency(allPayments) },
      idleMs: sum(sorted.map((r) => r.idleMs)),
    },
  };
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
