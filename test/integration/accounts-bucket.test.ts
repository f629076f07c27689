// The supervisor's bucket (W1): every account in arrears, filtered by age, branch and type,
// sorted and paged by the database, on the realistic demo book.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import request from 'supertest';
import { startTestSystem, type TestSystem } from '../support/system.ts';
import { createApiKey } from '../support/fixtures.ts';
import { seedDemoData } from '../../prisma/demo-data.ts';

let system: TestSystem;
let key: string;
const list = (query: string) => request(system.app).get(`/api/v1/accounts?${query}`).set('x-api-key', key);

beforeAll(async () => {
  system = await startTestSystem({ withWorker: false });
  await seedDemoData(system.database.db, { accounts: 150 });
  key = await createApiKey(system.database.db, ['accounts:read']);
});
afterAll(async () => system?.stop());

describe('the accounts bucket', () => {
  test('holds every delinquent account of the book, paged', async () => {
    const first = await list('pageSize=100');
    expect(first.body.total).toBe(150);
    expect(first.body.items).toHaveLength(100);
    const second = await list('pageSize=100&page=2');
    expect(second.body.items).toHaveLength(50);
    const ids = new Set([...first.body.items, ...second.body.items].map((a: { id: string }) => a.id));
    expect(ids.size).toBe(150);
  });

  test('an ageing bucket holds only accounts of that age, and the buckets add up to the book', async () => {
    let sum = 0;
    for (const [bucket, min, max] of [['1-30', 1, 30], ['31-60', 31, 60], ['61-90', 61, 90], ['90+', 91, 10_000]] as const) {
      const res = await list(`ageingBucket=${encodeURIComponent(bucket)}&pageSize=100`);
      expect(res.status).toBe(200);
      for (const a of res.body.items as Array<{ daysPastDue: number; ageingBucket: string }>) {
        expect(a.daysPastDue).toBeGreaterThanOrEqual(min);
        expect(a.daysPastDue).toBeLessThanOrEqual(max);
        expect(a.ageingBucket).toBe(bucket);
      }
      sum += res.body.total;
    }
    expect(sum).toBe(150);
  });

  test('sorts by balance and by age in the order asked', async () => {
    const byBalance = (await list('sort=balance&order=desc&pageSize=50')).body.items.map((a: { balance: { amountMinor: number } }) => a.balance.amountMinor);
    expect(byBalance).toEqual([...byBalance].sort((x, y) => y - x));
    const oldestFirst = (await list('sort=daysPastDue&order=desc&pageSize=50')).body.items.map((a: { daysPastDue: number }) => a.daysPastDue);
    // Sorted by the oldest due date; days past due are counted in each debtor's own calendar, so where
    // branches' time zones straddle midnight two accounts due the same day may differ by one day.
    expect(oldestFirst.every((d: number, i: number) => i === 0 || d <= oldestFirst[i - 1] + 1)).toBe(true);
    expect(oldestFirst[0]).toBeGreaterThan(oldestFirst[oldestFirst.length - 1]);
  });

  test('filters by customer type and branch, and searches by name or account number', async () => {
    const corporate = await list('customerType=corporate&pageSize=100');
    expect(corporate.body.total).toBeGreaterThan(0);
    expect(corporate.body.items.every((a: { customer: { type: string } }) => a.customer.type === 'corporate')).toBe(true);
    const branches = (await request(system.app).get('/api/v1/branches').set('x-api-key', key)).body.items as Array<{ id: string; code: string }>;
    const east = branches.find((b) => b.code === 'EAST')!;
    const inEast = await list(`branchId=${east.id}&pageSize=100`);
    expect(inEast.body.items.every((a: { branch: { code: string } }) => a.branch.code === 'EAST')).toBe(true);
    const someone = corporate.body.items[0] as { externalRef: string; customer: { name: string } };
    const byRef = await list(`q=${someone.externalRef}`);
    expect(byRef.body.items.map((a: { externalRef: string }) => a.externalRef)).toEqual([someone.externalRef]);
    const byName = await list(`q=${encodeURIComponent(someone.customer.name.toLowerCase())}`);
    expect(byName.body.items.map((a: { externalRef: string }) => a.externalRef)).toContain(someone.externalRef);
  });
});
