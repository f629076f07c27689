// The supervisor's board (W5, R1): what counts as an account worked, a contact, a right-party
// contact, a promise, a payment to a collector's credit, idle time, and each collector's status.
import { describe, expect, test } from 'vitest';
import { buildTeamBoard, idleTimeOfDay, localDaysWindow, promiseMakerFor, startOfLocalDay, type AccountPromise, type BoardInput, type CollectorFacts } from '../../domain/team-board.ts';

const rightParty = new Set(['reached', 'promise', 'refusal', 'dispute', 'callback_requested']);
const at = (iso: string) => new Date(iso);
const min = 60_000;

function collector(id: string, overrides: Partial<CollectorFacts> = {}): CollectorFacts {
  return { user: { id, name: `Collector ${id}`, role: 'collector', branchCode: 'EAST', timeZone: 'America/New_York' }, stretches: [], contacts: [], promises: [], lease: null, signedInAt: null, ...overrides };
}

function board(input: Partial<BoardInput> & Pick<BoardInput, 'collectors'>) {
  return buildTeamBoard({ days: { from: '2026-11-24', to: '2026-11-24' }, now: at('2026-11-24T20:00:00Z'), payments: [], accountPromises: [], rightPartyOutcomes: rightParty, ...input });
}

describe('the local day', () => {
  test("a day begins at midnight in the collector's time zone, not the server's", () => {
    expect(startOfLocalDay('2026-11-24', 'America/New_York').toISOString()).toBe('2026-11-24T05:00:00.000Z');
    expect(startOfLocalDay('2026-07-01', 'America/Chicago').toISOString()).toBe('2026-07-01T05:00:00.000Z');
    expect(startOfLocalDay('2026-11-24', 'UTC').toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  test('a day when the clocks go back is 25 hours long', () => {
    const { start, end } = localDaysWindow('2026-11-01', '2026-11-01', 'America/New_York');
    expect(start.toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect((end.getTime() - start.getTime()) / 3_600_000).toBe(25);
  });
});

describe('accounts worked', () => {
  test('are the distinct accounts with a work stretch started in the day; the team counts an account once', () => {
    const a = collector('a', { stretches: [
      { accountId: 'acc1', startedAt: at('2026-11-24T14:00:00Z'), finishedAt: at('2026-11-24T14:05:00Z') },
      { accountId: 'acc1', startedAt: at('2026-11-24T15:00:00Z'), finishedAt: at('2026-11-24T15:03:00Z') },
      { accountId: 'acc2', startedAt: at('2026-11-24T15:04:00Z'), finishedAt: at('2026-11-24T15:09:00Z') },
      // 23:30 on the 23rd in New York: yesterday's work.
      { accountId: 'acc3', startedAt: at('2026-11-24T04:30:00Z'), finishedAt: at('2026-11-24T04:40:00Z') },
    ] });
    const b = collector('b', { stretches: [{ accountId: 'acc2', startedAt: at('2026-11-24T16:00:00Z'), finishedAt: at('2026-11-24T16:10:00Z') }] });
    const result = board({ collectors: [a, b] });
    expect(result.rows.map((r) => r.accountsWorked)).toEqual([2, 1]);
    expect(result.totals.accountsWorked).toBe(2);
  });

  test("without dates, each collector's today is read in their own time zone", () => {
    // 03:30 UTC on the 25th: still the 24th in Denver, already the 25th in London.
    const now = at('2026-11-25T03:30:00Z');
    const stretch = { accountId: 'acc1', startedAt: at('2026-11-24T20:00:00Z'), finishedAt: at('2026-11-24T20:05:00Z') };
    const denver = collector('d', { user: { id: 'd', name: 'D', role: 'collector', branchCode: 'WEST', timeZone: 'America/Denver' }, stretches: [stretch] });
    const london = collector('l', { user: { id: 'l', name: 'L', role: 'collector', branchCode: 'UK', timeZone: 'Europe/London' }, stretches: [stretch] });
    const result = buildTeamBoard({ now, collectors: [denver, london], payments: [], accountPromises: [], rightPartyOutcomes: rightParty });
    expect(result.rows.map((r) => r.accountsWorked)).toEqual([1, 0]);
    expect([result.from, result.to, result.live]).toEqual(['2026-11-24', '2026-11-25', true]);
  });

  test('a date range adds up the days (R1: accounts worked per collector, at any time)', () => {
    const a = collector('a', { stretches: [
      { accountId: 'acc1', startedAt: at('2026-11-20T14:00:00Z'), finishedAt: at('2026-11-20T14:05:00Z') },
      { accountId: 'acc2', startedAt: at('2026-11-21T14:00:00Z'), finishedAt: at('2026-11-21T14:05:00Z') },
      { accountId: 'acc3', startedAt: at('2026-11-24T14:00:00Z'), finishedAt: at('2026-11-24T14:05:00Z') },
    ] });
    const week = board({ days: { from: '2026-11-20', to: '2026-11-23' }, collectors: [a] });
    expect(week.rows[0]!.accountsWorked).toBe(2);
    expect(week.live).toBe(false);
    expect(week.rows[0]!.status).toBeNull();
  });
});

describe('contacts', () => {
  test('count calls, visits, emails and SMS by the collector; right-party contacts are those that reached the debtor', () => {
    const a = collector('a', { contacts: [
      { kind: 'call', outcome: 'no_answer', occurredAt: at('2026-11-24T14:00:00Z') },
      { kind: 'call', outcome: 'reached', occurredAt: at('2026-11-24T14:10:00Z') },
      { kind: 'visit', outcome: 'promise', occurredAt: at('2026-11-24T15:00:00Z') },
      { kind: 'sms', outcome: null, occurredAt: at('2026-11-24T15:30:00Z') },
      { kind: 'note', outcome: 'reached', occurredAt: at('2026-11-24T15:40:00Z') },
      { kind: 'call', outcome: 'reached', occurredAt: at('2026-11-23T15:00:00Z') },
    ] });
    const row = board({ collectors: [a] }).rows[0]!;
    expect(row.contacts).toBe(4);
    expect(row.rightPartyContacts).toBe(2);
  });
});

describe('promises and payments', () => {
  test('promises made in the day are counted with their amount, per currency', () => {
    const a = collector('a', { promises: [
      { amountMinor: 5000n, currency: 'USD', createdAt: at('2026-11-24T14:00:00Z') },
      { amountMinor: 2500n, currency: 'USD', createdAt: at('2026-11-24T18:00:00Z') },
      { amountMinor: 9999n, currency: 'USD', createdAt: at('2026-11-22T18:00:00Z') },
    ] });
    const result = board({ collectors: [a] });
    expect(result.rows[0]!.promises).toEqual({ count: 2, amounts: [{ currency: 'USD', amountMinor: 7500n }] });
    expect(result.totals.promises.count).toBe(2);
  });

  const promise = (p: Partial<AccountPromise>): AccountPromise => ({ accountId: 'acc1', createdById: 'a', createdAt: at('2026-11-20T12:00:00Z'), status: 'pending', resolvedAt: null, ...p });
  const payment = { id: 'p1', accountId: 'acc1', amountMinor: 3000n, currency: 'USD', receivedAt: at('2026-11-24T15:00:00Z') };

  test("a payment goes to the collector whose promise was in force when it arrived (pending or kept)", () => {
    expect(promiseMakerFor(payment, [promise({})])).toBe('a');
    expect(promiseMakerFor(payment, [promise({ status: 'kept', resolvedAt: at('2026-11-24T15:00:00Z') })])).toBe('a');
    // The latest promise before the payment decides.
    expect(promiseMakerFor(payment, [promise({}), promise({ createdById: 'b', createdAt: at('2026-11-22T12:00:00Z') })])).toBe('b');
    // A promise made after the payment earns nothing for it.
    expect(promiseMakerFor(payment, [promise({ createdAt: at('2026-11-24T16:00:00Z') })])).toBeNull();
  });

  test('a payment after the promise was broken or cancelled is nobody\'s; one before the promise broke still counts', () => {
    expect(promiseMakerFor(payment, [promise({ status: 'broken', resolvedAt: at('2026-11-23T05:00:00Z') })])).toBeNull();
    expect(promiseMakerFor(payment, [promise({ status: 'cancelled', resolvedAt: at('2026-11-21T05:00:00Z') })])).toBeNull();
    expect(promiseMakerFor(payment, [promise({ status: 'broken', resolvedAt: at('2026-11-27T05:00:00Z') })])).toBe('a');
    expect(promiseMakerFor(payment, [promise({ createdById: null })])).toBeNull();
    expect(promiseMakerFor({ ...payment, accountId: 'other' }, [promise({})])).toBeNull();
  });

  test("the board counts the day's payments to each collector's credit", () => {
    const result = board({ collectors: [collector('a'), collector('b')], payments: [payment, { ...payment, id: 'p2', receivedAt: at('2026-11-21T15:00:00Z') }], accountPromises: [promise({})] });
    expect(result.rows[0]!.payments).toEqual({ count: 1, amounts: [{ currency: 'USD', amountMinor: 3000n }] });
    expect(result.rows[1]!.payments.count).toBe(0);
    expect(result.totals.payments.amounts).toEqual([{ currency: 'USD', amountMinor: 3000n }]);
  });
});

describe('idle time', () => {
  const stretch = (from: string, to: string | null) => ({ accountId: 'x', startedAt: at(`2026-11-24T${from}:00Z`), finishedAt: to ? at(`2026-11-24T${to}:00Z`) : null });
  const now = at('2026-11-24T16:00:00Z');

  test('sums the gaps longer than 2 minutes between consecutive work stretches', () => {
    const stretches = [stretch('14:00', '14:10'), stretch('14:11', '14:20'), stretch('14:30', '14:40'), stretch('15:00', '15:05')];
    // 14:10→14:11 is under 2 minutes; 14:20→14:30 (10) and 14:40→15:00 (20) count.
    expect(idleTimeOfDay(stretches, now, null)).toBe(30 * min);
  });

  test('overlapping stretches do not create a gap, and the order they come in does not matter', () => {
    expect(idleTimeOfDay([stretch('14:30', '14:40'), stretch('14:00', '14:35'), stretch('14:45', '14:50')], now, null)).toBe(5 * min);
  });

  test('while the collector is idle now, the time since they went idle counts too', () => {
    expect(idleTimeOfDay([stretch('15:00', '15:40')], now, at('2026-11-24T15:40:00Z'))).toBe(20 * min);
    // Idle since a later sign of work (a contact recorded, signing in again): counted from then.
    expect(idleTimeOfDay([stretch('15:00', '15:10')], now, at('2026-11-24T15:30:00Z'))).toBe(30 * min);
    expect(idleTimeOfDay([stretch('15:00', '15:59')], now, at('2026-11-24T15:59:00Z'))).toBe(0);
    expect(idleTimeOfDay([], now, at('2026-11-24T15:00:00Z'))).toBe(0);
  });

  test('a stretch under way runs until now', () => {
    expect(idleTimeOfDay([stretch('15:00', '15:10'), stretch('15:30', null)], now, null)).toBe(20 * min);
  });
});

describe('status now', () => {
  const now = at('2026-11-24T20:00:00Z');

  test('a collector holding a lease is working on that account since the lease began', () => {
    const a = collector('a', { lease: { accountId: 'acc9', accountRef: 'ACC-9', leasedAt: at('2026-11-24T19:55:00Z') }, signedInAt: at('2026-11-24T13:00:00Z') });
    const row = board({ collectors: [a], now }).rows[0]!;
    expect(row.status).toEqual({ kind: 'working', accountRef: 'ACC-9', since: at('2026-11-24T19:55:00Z') });
    expect(row.nowWorkingOn).toEqual({ accountId: 'acc9', accountRef: 'ACC-9', since: at('2026-11-24T19:55:00Z') });
  });

  test('signed in with no lease is idle since the last sign of work; 30 minutes without any is offline', () => {
    const recent = collector('a', { signedInAt: at('2026-11-24T13:00:00Z'), stretches: [{ accountId: 'x', startedAt: at('2026-11-24T19:40:00Z'), finishedAt: at('2026-11-24T19:50:00Z') }] });
    const away = collector('b', { signedInAt: at('2026-11-24T13:00:00Z'), stretches: [{ accountId: 'x', startedAt: at('2026-11-24T19:00:00Z'), finishedAt: at('2026-11-24T19:10:00Z') }] });
    const signedOut = collector('c');
    const result = board({ collectors: [recent, away, signedOut], now });
    expect(result.rows.map((r) => r.status?.kind)).toEqual(['idle', 'offline', 'offline']);
    expect(result.rows[0]!.status).toEqual({ kind: 'idle', since: at('2026-11-24T19:50:00Z') });
    // The idle collector's open gap counts (10 minutes); the one gone offline has no open gap.
    expect(result.rows[0]!.idleMs).toBe(10 * min);
    expect(result.rows[1]!.idleMs).toBe(0);
    expect(result.totals).toMatchObject({ collectors: 3, working: 0, idle: 1, offline: 2, idleMs: 10 * min });
  });
});

describe('status now, with records dated in the future', () => {
  test('a contact dated later today does not make a collector idle "since" then', () => {
    const now = at('2026-11-24T20:00:00Z');
    const a = collector('a', { signedInAt: at('2026-11-24T19:50:00Z'), contacts: [{ kind: 'call', outcome: 'reached', occurredAt: at('2026-11-25T01:00:00Z') }] });
    expect(board({ collectors: [a], now }).rows[0]!.status).toEqual({ kind: 'idle', since: at('2026-11-24T19:50:00Z') });
  });
});

describe('who is on the board', () => {
  test('every collector, and anyone else only with work to show', () => {
    const idleSupervisor = collector('s', { user: { id: 's', name: 'Sue', role: 'supervisor', branchCode: null, timeZone: 'UTC' } });
    const busySupervisor = collector('t', { user: { id: 't', name: 'Tom', role: 'supervisor', branchCode: null, timeZone: 'UTC' }, contacts: [{ kind: 'call', outcome: 'reached', occurredAt: at('2026-11-24T14:00:00Z') }] });
    const result = board({ collectors: [collector('a'), idleSupervisor, busySupervisor] });
    expect(result.rows.map((r) => r.user.id)).toEqual(['a', 't']);
  });
});
