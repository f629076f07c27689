// X1, GDPR Art. 12(3): a data-subject request is answered within one calendar month of receipt,
// extendable once by up to two further months, with a reason, within the first month.
import { describe, expect, test } from 'vitest';
import { addCalendarMonths, dueOnFor, dueState, erasurePlan, extendedDueOn, extensionProblems, type DataRequestDates } from '../../domain/data-requests.ts';

const request = (over: Partial<DataRequestDates> = {}): DataRequestDates => ({ status: 'open', receivedAt: new Date('2026-01-31T09:00:00Z'), dueOn: '2026-02-28', extendedDueOn: null, ...over });

describe('due dates', () => {
  test('one calendar month after receipt; the last day of a shorter month', () => {
    expect(dueOnFor(new Date('2026-11-15T23:30:00Z'))).toBe('2026-12-15');
    expect(dueOnFor(new Date('2026-01-31T09:00:00Z'))).toBe('2026-02-28');
    expect(dueOnFor(new Date('2028-01-31T09:00:00Z'))).toBe('2028-02-29');
    expect(addCalendarMonths('2026-12-31', 2)).toBe('2027-02-28');
  });

  test('overdue the day after the due date, due soon within a week of it, answered once closed', () => {
    expect(dueState(request(), '2026-02-28')).toBe('due_soon');
    expect(dueState(request(), '2026-03-01')).toBe('overdue');
    expect(dueState(request(), '2026-02-10')).toBe('on_time');
    expect(dueState(request({ status: 'completed' }), '2026-09-01')).toBe('answered');
    expect(dueState(request({ extendedDueOn: '2026-04-28' }), '2026-03-01')).toBe('on_time');
  });
});

describe('extensions', () => {
  test('up to two further months, with a reason, within the first month', () => {
    expect(extensionProblems(request(), { months: 2, reason: 'twelve years of records across three accounts' }, '2026-02-20')).toEqual([]);
    expect(extendedDueOn(request(), 2)).toBe('2026-04-28');
  });

  test('refused: no reason, three months, too late, twice, or once answered', () => {
    expect(extensionProblems(request(), { months: 2, reason: ' ' }, '2026-02-20')).toEqual(['reason_required']);
    expect(extensionProblems(request(), { months: 3, reason: 'complex' }, '2026-02-20')).toEqual(['too_long']);
    expect(extensionProblems(request(), { months: 1, reason: 'complex' }, '2026-03-01')).toEqual(['too_late']);
    expect(extensionProblems(request({ extendedDueOn: '2026-03-28' }), { months: 1, reason: 'more' }, '2026-02-20')).toEqual(['already_extended']);
    expect(extensionProblems(request({ status: 'completed' }), { months: 1, reason: 'complex' }, '2026-02-20')).toEqual(['request_closed']);
  });
});

describe('erasure', () => {
  const now = new Date('2026-12-03T12:00:00Z');
  test('past retention: personal data is pseudonymised now, and what is kept says why', () => {
    const plan = erasurePlan({ hasOpenCase: false, lastRecordAt: new Date('2022-01-01T00:00:00Z'), pseudonymisedAt: null }, 3, now);
    expect(plan.eraseNow).toBe(true);
    expect(plan.erased).toContain('name');
    expect(plan.kept.map((k) => k.what)).toContain('the audit trail');
  });

  test('within retention: nothing is erased yet; the record says until when and why', () => {
    const plan = erasurePlan({ hasOpenCase: false, lastRecordAt: new Date('2025-03-01T00:00:00Z'), pseudonymisedAt: null }, 3, now);
    expect(plan).toMatchObject({ eraseNow: false, erased: [], keptUntil: '2028-03-01' });
    expect(plan.kept[0]!.why).toContain('Reg F §1006.100');
  });

  test('an open case: kept for the collection and any legal claim', () => {
    const plan = erasurePlan({ hasOpenCase: true, lastRecordAt: new Date('2026-12-01T00:00:00Z'), pseudonymisedAt: null }, 3, now);
    expect(plan).toMatchObject({ eraseNow: false, keptUntil: null });
    expect(plan.kept[0]!.why).toContain('Art. 17(3)(e)');
  });
});
