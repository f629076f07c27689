// Field collections reports (F10, F11): how days, ISO weeks and months are cut in the branch's time
// zone (DST, year ends, ranges that cut a period short), what a visit's money counts as (collected,
// reversed, declined), and each visit-based report's figures: collections, commissions, the sweep,
// effectiveness — with nothing divided by zero.
import { describe, expect, test } from 'vitest';
import {
  buildCollectionsReport,
  buildCommissionLines,
  buildEffectiveness,
  buildSweep,
  daysInRange,
  planForMonth,
  isoWeek,
  maxReportDays,
  perVisit,
  periodKey,
  periodsCovering,
  rangeProblems,
  ratio,
  takingStatus,
  wholeMonths,
  type DatedCommissionPlan,
  type RepRef,
  type TakingFact,
  type VisitFact,
} from '../../domain/field-reports.ts';
import { defaultCommissionPlan } from '../../domain/commissions.ts';

const builtIn: DatedCommissionPlan = { id: null, name: 'Default plan', plan: defaultCommissionPlan, createdAt: null };

const frank: RepRef = { id: 'rep-f', name: 'Frank Fielding', branchCode: 'EAST' };
const rosa: RepRef = { id: 'rep-r', name: 'Rosa Ramirez', branchCode: 'CENT' };
const tom: RepRef = { id: 'rep-t', name: 'Tom Becker', branchCode: 'WEST' };
const newYork = 'America/New_York';
let n = 0;

function visit(at: string, fields: Partial<VisitFact> = {}): VisitFact {
  n += 1;
  return {
    id: `v${n}`,
    rep: frank,
    timeZone: newYork,
    arrivedAt: new Date(at),
    currency: 'USD',
    account: { id: `acc${n}`, externalRef: `ACC-${n}`, customerName: `Customer ${n}` },
    receiptNumber: `R-${n}`,
    contactResult: 'spoke_with_customer',
    taking: null,
    promise: null,
    equipment: [],
    retentionOutcome: null,
    routeId: null,
    routeStopId: null,
    ...fields,
  };
}

const paid = (amountMinor: number, method: TakingFact['method'] = 'cash', extra: Partial<TakingFact> = {}): TakingFact => ({ method, amountMinor: BigInt(amountMinor), reference: null, status: 'posted', card: null, reversedAt: null, ...extra });

describe('periods in the branch’s calendar', () => {
  test('ISO weeks start on Monday and week 1 holds the year’s first Thursday, so a week can belong to the year before or after', () => {
    expect(isoWeek('2026-01-01')).toEqual({ year: 2026, week: 1, monday: '2025-12-29' }); // a Thursday
    expect(periodKey('2027-01-01', 'week')).toBe('2026-W53'); // a Friday: the last week of 2026
    expect(periodKey('2024-12-30', 'week')).toBe('2025-W01'); // a Monday in December
    expect(periodKey('2021-01-03', 'week')).toBe('2020-W53'); // a Sunday in January
    expect(periodKey('2026-03-15', 'week')).toBe('2026-W11'); // Sunday ends the week …
    expect(periodKey('2026-03-16', 'week')).toBe('2026-W12'); // … Monday starts the next
    expect(periodKey('2026-03-16', 'month')).toBe('2026-03');
    expect(periodKey('2026-03-16', 'day')).toBe('2026-03-16');
  });

  test('the periods of a range are cut to it, and say when they are only part of their week or month', () => {
    expect(periodsCovering({ from: '2026-03-04', to: '2026-03-17' }, 'week')).toEqual([
      { key: '2026-W10', start: '2026-03-04', end: '2026-03-08', partial: true },
      { key: '2026-W11', start: '2026-03-09', end: '2026-03-15', partial: false },
      { key: '2026-W12', start: '2026-03-16', end: '2026-03-17', partial: true },
    ]);
    expect(periodsCovering({ from: '2028-01-15', to: '2028-03-01' }, 'month')).toEqual([
      { key: '2028-01', start: '2028-01-15', end: '2028-01-31', partial: true },
      { key: '2028-02', start: '2028-02-01', end: '2028-02-29', partial: false }, // a leap year
      { key: '2028-03', start: '2028-03-01', end: '2028-03-01', partial: true },
    ]);
    const days = periodsCovering({ from: '2026-02-27', to: '2026-03-02' }, 'day');
    expect(days.map((d) => d.key)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    expect(days.every((d) => !d.partial)).toBe(true);
    expect(periodsCovering({ from: '2026-03-10', to: '2026-03-10' }, 'month')).toEqual([{ key: '2026-03', start: '2026-03-10', end: '2026-03-10', partial: true }]);
  });

  test('a range must not end before it starts, nor be longer than 400 days; commissions take whole months', () => {
    expect(daysInRange({ from: '2026-03-01', to: '2026-03-01' })).toBe(1);
    expect(rangeProblems({ from: '2026-03-02', to: '2026-03-01' })).toEqual([{ path: 'query.to', message: 'must not be before from' }]);
    expect(rangeProblems({ from: '2025-01-01', to: '2026-02-04' })).toEqual([]); // 400 days
    expect(maxReportDays).toBe(400);
    expect(rangeProblems({ from: '2025-01-01', to: '2026-02-05' })[0]?.message).toContain('at most 400 days');
    expect(wholeMonths({ from: '2026-02-10', to: '2026-03-05' })).toEqual({ from: '2026-02-01', to: '2026-03-31' });
  });

  test('visits count on the branch’s local day across the spring DST change: 23:30 on Sunday in New York is Monday in UTC', () => {
    const report = buildCollectionsReport({
      range: { from: '2026-03-08', to: '2026-03-09' },
      period: 'day',
      reps: [frank],
      visits: [
        visit('2026-03-08T06:30:00Z', { taking: paid(1_000) }), // 01:30 EST, before the clocks go forward
        visit('2026-03-09T03:30:00Z', { taking: paid(2_000) }), // 23:30 EDT on the 8th
        visit('2026-03-09T04:30:00Z', { taking: paid(4_000) }), // 00:30 EDT on the 9th
      ],
    });
    expect(report.allReps.periods.map((p) => [p.period, p.visits, p.collected])).toEqual([
      ['2026-03-08', 2, [{ currency: 'USD', amountMinor: 3_000n }]],
      ['2026-03-09', 1, [{ currency: 'USD', amountMinor: 4_000n }]],
    ]);
  });

  test('on the 25-hour day in autumn both 01:30s are the same day; a Sunday-night visit stays in its ISO week', () => {
    const report = buildCollectionsReport({
      range: { from: '2026-10-26', to: '2026-11-08' },
      period: 'week',
      reps: [frank],
      visits: [
        visit('2026-11-01T05:30:00Z'), // 01:30 EDT, Sunday 1 November
        visit('2026-11-01T06:30:00Z'), // 01:30 EST, the same Sunday
        visit('2026-11-02T04:30:00Z'), // 23:30 EST, still Sunday: week 44
        visit('2026-11-02T05:30:00Z'), // 00:30 Monday: week 45
      ],
    });
    expect(report.allReps.periods.map((p) => [p.period, p.visits])).toEqual([
      ['2026-W44', 3],
      ['2026-W45', 1],
    ]);
  });

  test('each visit is read in its own branch’s time zone: the same instant is the 9th in Los Angeles and the 10th in Berlin', () => {
    const instant = '2026-03-10T03:30:00Z';
    const report = buildCollectionsReport({
      range: { from: '2026-03-09', to: '2026-03-09' },
      period: 'day',
      reps: [],
      visits: [visit(instant, { rep: rosa, timeZone: 'America/Los_Angeles' }), visit(instant, { rep: tom, timeZone: 'Europe/Berlin' })],
    });
    expect(report.allReps.total.visits).toBe(1);
    expect(report.reps.map((r) => [r.rep.name, r.total.visits])).toEqual([['Rosa Ramirez', 1]]);
  });
});

describe('rates and shares', () => {
  test('nothing divided by zero: a rate with no visits is unknown (null), not 0 %', () => {
    expect(ratio(0, 0)).toBeNull();
    expect(ratio(1, 3)).toBe(0.3333);
    expect(ratio(2, 2)).toBe(1);
    expect(perVisit(1_000n, 0)).toBeNull();
    expect(perVisit(1_000n, 3)).toBe(333n);
    expect(perVisit(5n, 2)).toBe(3n); // half a cent rounds up
  });

  test('money taken at the door is collected once posted; a declined card took nothing; a reversed payment is apart; an unfinished sync is unposted', () => {
    expect(takingStatus({ paymentId: 'p', paymentStatus: 'posted', cardStatus: null })).toBe('posted');
    expect(takingStatus({ paymentId: 'p', paymentStatus: 'posted', cardStatus: 'approved' })).toBe('posted');
    expect(takingStatus({ paymentId: null, paymentStatus: null, cardStatus: 'declined' })).toBe('declined');
    expect(takingStatus({ paymentId: 'p', paymentStatus: 'reversed', cardStatus: null })).toBe('reversed');
    expect(takingStatus({ paymentId: null, paymentStatus: null, cardStatus: null })).toBe('unposted');
  });
});

describe('collections by rep and for all reps', () => {
  test('collected counts posted payments by method; a reversed payment and a declined card are not collected; currencies are never added together', () => {
    const report = buildCollectionsReport({
      range: { from: '2026-03-02', to: '2026-03-08' },
      period: 'week',
      reps: [frank, rosa],
      visits: [
        visit('2026-03-02T15:00:00Z', { taking: paid(5_000, 'cash') }),
        visit('2026-03-03T15:00:00Z', { taking: paid(7_000, 'cheque', { reference: '000123' }) }),
        visit('2026-03-03T16:00:00Z', { taking: paid(9_000, 'card', { card: { brand: 'Visa', last4: '4242', processorRef: 'ch_1' } }) }),
        visit('2026-03-04T15:00:00Z', { taking: paid(3_000, 'cheque', { reference: '000124', status: 'reversed' }) }),
        visit('2026-03-04T16:00:00Z', { taking: paid(8_000, 'card', { status: 'declined' }) }),
        visit('2026-03-05T15:00:00Z', { contactResult: 'no_one_home' }),
        visit('2026-03-05T16:00:00Z', { rep: rosa, timeZone: 'America/Chicago', currency: 'CAD', taking: paid(2_500, 'money_order', { reference: 'MO-9' }) }),
      ],
    });
    const all = report.allReps.total;
    expect(all.visits).toBe(7);
    expect(all.payments).toBe(4);
    expect(all.collected).toEqual([{ currency: 'CAD', amountMinor: 2_500n }, { currency: 'USD', amountMinor: 21_000n }]);
    expect(all.byMethod).toEqual([
      { method: 'cash', count: 1, amounts: [{ currency: 'USD', amountMinor: 5_000n }] },
      { method: 'cheque', count: 1, amounts: [{ currency: 'USD', amountMinor: 7_000n }] },
      { method: 'card', count: 1, amounts: [{ currency: 'USD', amountMinor: 9_000n }] },
      { method: 'money_order', count: 1, amounts: [{ currency: 'CAD', amountMinor: 2_500n }] },
    ]);
    expect(all.reversed).toEqual({ count: 1, amounts: [{ currency: 'USD', amountMinor: 3_000n }] });
    expect(report.reps.map((r) => [r.rep.name, r.total.visits, r.total.payments])).toEqual([
      ['Frank Fielding', 6, 3],
      ['Rosa Ramirez', 1, 1],
    ]);
  });

  test('an empty range still has its periods, every rep asked about, and zeros', () => {
    const report = buildCollectionsReport({ range: { from: '2026-03-01', to: '2026-03-03' }, period: 'day', reps: [tom, frank], visits: [] });
    expect(report.periods).toHaveLength(3);
    expect(report.reps.map((r) => r.rep.name)).toEqual(['Frank Fielding', 'Tom Becker']);
    expect(report.allReps.periods.every((p) => p.visits === 0 && p.collected.length === 0)).toBe(true);
    expect(report.allReps.total).toMatchObject({ visits: 0, payments: 0, collected: [], reversed: { count: 0, amounts: [] } });
  });

  test('a visit outside the range does not count, and someone who is not a field rep but made a visit is listed', () => {
    const supervisor: RepRef = { id: 'sup', name: 'Evan Easton', branchCode: 'EAST' };
    const report = buildCollectionsReport({ range: { from: '2026-03-02', to: '2026-03-02' }, period: 'day', reps: [frank], visits: [visit('2026-03-02T15:00:00Z', { rep: supervisor }), visit('2026-03-03T15:00:00Z')] });
    expect(report.reps.map((r) => [r.rep.name, r.total.visits])).toEqual([
      ['Evan Easton', 1],
      ['Frank Fielding', 0],
    ]);
  });
});

describe('commissions per rep per month', () => {
  test('what each rep collected in each month (reversals excluded) and the equipment they recovered, through the plan’s tiers', () => {
    const lines = buildCommissionLines({
      months: { from: '2026-02-01', to: '2026-03-31' },
      plans: { versions: [], fallback: builtIn },
      visits: [
        visit('2026-02-10T15:00:00Z', { taking: paid(400_000) }),
        visit('2026-02-20T15:00:00Z', { taking: paid(300_000), equipment: [{ type: 'Set-Top Box', serial: 'A' }, { type: 'Modem', serial: 'B' }] }),
        visit('2026-02-21T15:00:00Z', { taking: paid(100_000, 'cheque', { status: 'reversed' }) }),
        visit('2026-03-01T04:00:00Z', { taking: paid(50_000) }), // 23:00 on 28 February in New York
        visit('2026-03-10T15:00:00Z', { rep: rosa, taking: paid(10_000) }),
      ],
    });
    expect(lines.map((l) => [l.month, l.rep.name, l.collectedMinor])).toEqual([
      ['2026-02', 'Frank Fielding', 750_000n],
      ['2026-03', 'Rosa Ramirez', 10_000n],
    ]);
    const february = lines[0]!;
    expect(february.equipmentByType).toEqual([
      { type: 'modem', units: 1 },
      { type: 'set-top box', units: 1 },
    ]);
    // 3 % of $5,000 + 5 % of $2,500, then $15 for the modem and $25 for the set-top box.
    expect(february.breakdown.tiers.map((t) => t.commissionMinor)).toEqual([15_000n, 12_500n]);
    expect(february.breakdown).toMatchObject({ collectedCommissionMinor: 27_500n, equipmentUnits: 2, equipmentCommissionMinor: 4_000n, totalMinor: 31_500n });
    expect(february.plan).toEqual({ id: null, name: 'Default plan' });
  });

  const flat = (id: string, rateBps: number, createdAt: string): DatedCommissionPlan => ({ id, name: `Flat ${rateBps / 100} %`, plan: { tiers: [{ fromMinor: 0, rateBps }], perEquipmentMinor: 0, perEquipmentTypeMinor: {} }, createdAt: new Date(createdAt) });
  const january = flat('p-jan', 200, '2026-01-15T15:00:00Z');
  const march = flat('p-mar', 1_000, '2026-03-02T15:00:00Z');

  test('a month is paid on the plan in force when it closed: the newest set on or before its last day; before any, the built-in one', () => {
    const versions = [march, january]; // as the service lists them, newest first; the order does not matter
    expect(planForMonth(versions, '2025-12', newYork, builtIn)).toBe(builtIn);
    expect(planForMonth(versions, '2026-01', newYork, builtIn)).toBe(january); // set mid-month: pays the whole month
    expect(planForMonth(versions, '2026-02', newYork, builtIn)).toBe(january);
    expect(planForMonth([january, march], '2026-03', newYork, builtIn)).toBe(march);
    expect(planForMonth(versions, '2026-07', newYork, builtIn)).toBe(march);
    expect(planForMonth([], '2026-07', newYork, builtIn)).toBe(builtIn);
  });

  test('the month’s close is read in the branch’s calendar', () => {
    const lateFebruary = flat('p-late', 500, '2026-03-01T03:00:00Z'); // 22:00 on 28 February in New York; 1 March in Berlin
    expect(planForMonth([lateFebruary, january], '2026-02', newYork, builtIn)).toBe(lateFebruary);
    expect(planForMonth([lateFebruary, january], '2026-02', 'Europe/Berlin', builtIn)).toBe(january);
  });

  test('setting a new plan changes the open month, not the one already closed', () => {
    const lines = buildCommissionLines({
      months: { from: '2026-02-01', to: '2026-03-31' },
      plans: { versions: [march, january], fallback: builtIn },
      visits: [visit('2026-02-10T15:00:00Z', { taking: paid(100_000) }), visit('2026-03-10T15:00:00Z', { taking: paid(100_000) })],
    });
    expect(lines.map((l) => [l.month, l.plan.id, l.breakdown.totalMinor])).toEqual([
      ['2026-02', 'p-jan', 2_000n],
      ['2026-03', 'p-mar', 10_000n],
    ]);
  });
});

describe('the collections sweep', () => {
  test('each rep’s day lists every cheque with its number, money order and card taking, with totals per method; a later reversal stays in, marked; a declined card is only counted', () => {
    const { days, totals } = buildSweep({
      range: { from: '2026-03-02', to: '2026-03-03' },
      visits: [
        visit('2026-03-02T16:00:00Z', { taking: paid(7_000, 'cheque', { reference: '000123' }) }),
        visit('2026-03-02T15:00:00Z', { taking: paid(5_000, 'cash') }),
        visit('2026-03-02T17:00:00Z', { taking: paid(3_000, 'cheque', { reference: '000124', status: 'reversed' }) }),
        visit('2026-03-02T18:00:00Z', { taking: paid(9_000, 'card', { status: 'declined' }) }),
        visit('2026-03-02T19:00:00Z', { taking: paid(9_000, 'card', { card: { brand: 'Visa', last4: '4242', processorRef: 'ch_1' } }) }),
        visit('2026-03-02T20:00:00Z', { contactResult: 'no_one_home' }),
        visit('2026-03-03T15:00:00Z', { rep: rosa, timeZone: 'America/Chicago', taking: paid(2_500, 'money_order', { reference: 'MO-9' }) }),
      ],
    });
    expect(days.map((d) => [d.date, d.rep.name, d.items.length])).toEqual([
      ['2026-03-02', 'Frank Fielding', 4],
      ['2026-03-03', 'Rosa Ramirez', 1],
    ]);
    const frankDay = days[0]!;
    expect(frankDay.items.map((i) => [i.method, i.reference, i.status])).toEqual([
      ['cash', null, 'posted'],
      ['cheque', '000123', 'posted'],
      ['cheque', '000124', 'reversed'],
      ['card', null, 'posted'],
    ]);
    expect(frankDay.totals.byMethod.find((m) => m.method === 'cheque')).toEqual({ method: 'cheque', count: 2, amounts: [{ currency: 'USD', amountMinor: 10_000n }] });
    expect(frankDay.totals).toMatchObject({ taken: [{ currency: 'USD', amountMinor: 24_000n }], reversed: { count: 1, amounts: [{ currency: 'USD', amountMinor: 3_000n }] }, declinedCards: 1 });
    expect(totals.taken).toEqual([{ currency: 'USD', amountMinor: 26_500n }]);
  });
});

describe('effectiveness of each rep and of the staff', () => {
  test('right-party and payment rates, amount per visit, promises kept of those resolved, equipment, retention accepted, declined cards', () => {
    const { reps, staff } = buildEffectiveness({
      range: { from: '2026-03-02', to: '2026-03-08' },
      reps: [frank, rosa, tom],
      visits: [
        visit('2026-03-02T15:00:00Z', { taking: paid(6_000), equipment: [{ type: 'Modem', serial: 'A' }] }),
        visit('2026-03-02T16:00:00Z', { promise: { amountMinor: 5_000n, outcome: 'kept' } }),
        visit('2026-03-02T17:00:00Z', { promise: { amountMinor: 4_000n, outcome: 'broken' } }),
        visit('2026-03-02T18:00:00Z', { promise: { amountMinor: 3_000n, outcome: 'pending' }, retentionOutcome: 'accepted' }),
        visit('2026-03-02T19:00:00Z', { contactResult: 'no_one_home' }),
        visit('2026-03-02T20:00:00Z', { contactResult: 'spoke_with_other', taking: paid(9_000, 'card', { status: 'declined' }) }),
        visit('2026-03-03T15:00:00Z', { rep: rosa, retentionOutcome: 'declined' }),
      ],
    });
    const frankRow = reps.find((r) => r.rep.id === frank.id)!;
    expect(frankRow).toMatchObject({
      visits: 6,
      rightPartyContacts: 4,
      rightPartyRate: 0.6667,
      visitsWithPayment: 1,
      paymentRate: 0.1667,
      collected: [{ currency: 'USD', amountMinor: 6_000n }],
      amountPerVisit: [{ currency: 'USD', amountMinor: 1_000n }],
      promises: { made: 3, kept: 1, broken: 1, keptRate: 0.5 },
      equipmentRecovered: 1,
      retention: { offers: 1, accepted: 1, acceptedRate: 1 },
      cards: { charged: 0, declined: 1 },
    });
    // The staff's rates come from its totals: 5 of 7 visits reached the customer (not the mean of 67 % and 100 %).
    expect(staff).toMatchObject({ visits: 7, rightPartyContacts: 5, rightPartyRate: 0.7143, retention: { offers: 2, accepted: 1, acceptedRate: 0.5 } });
    // A rep with no visits is listed, with rates unknown rather than zero.
    expect(reps.find((r) => r.rep.id === tom.id)).toMatchObject({ visits: 0, rightPartyRate: null, paymentRate: null, amountPerVisit: [], promises: { keptRate: null }, retention: { acceptedRate: null } });
  });

  test('amount per visit is per currency, over the visits to accounts in that currency', () => {
    const { staff } = buildEffectiveness({
      range: { from: '2026-03-02', to: '2026-03-02' },
      reps: [],
      visits: [visit('2026-03-02T15:00:00Z', { taking: paid(9_000) }), visit('2026-03-02T16:00:00Z'), visit('2026-03-02T17:00:00Z', { currency: 'CAD', taking: paid(4_000) })],
    });
    expect(staff.amountPerVisit).toEqual([
      { currency: 'CAD', amountMinor: 4_000n },
      { currency: 'USD', amountMinor: 4_500n },
    ]);
  });
});
