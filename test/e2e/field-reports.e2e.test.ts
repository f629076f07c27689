// The field reports (F10) through a real browser against the whole running system. The three demo
// field reps work three weeks of visits on their branches' demo accounts — routes written as the
// route planner writes them, visits synced from their phones through the API (cash, cheques, money
// orders, cards through the processor's sandbox, one declined, one cheque bounced), equipment and
// retention offers — and a supervisor reads the reports: a figure checked against what the reps took,
// the charts drawn, a branch supervisor limited to her branch, the plan changed by the admin.
// Screenshots for docs/field-reports.md.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, baseUrl, billingKey, launchBrowser, signIn } from './browser.ts';
import { createDb, type Db } from '../../platform/db/client.ts';
import { encryptCard } from '../../domain/card-encryption.ts';
import { localDate } from '../../domain/ageing.ts';
import { instantOfLocal } from '../../domain/contact-policy.ts';
import { signaturePng } from '../support/png.ts';

const screenshots = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(screenshots, { recursive: true });

let browser: Browser;
let db: Db;
/** What Frank's visits posted (cents): the figure the page must show for him. */
let frankCollected = 0;

const reps = [
  { email: 'field1@example.com', branch: 'EAST', timeZone: 'America/New_York', zips: ['02118', '02124', '02903', '06103', '01608'], towns: ['Boston', 'Providence', 'Hartford', 'Worcester'] },
  { email: 'field2@example.com', branch: 'CENT', timeZone: 'America/Chicago', zips: ['60614', '60622', '53202', '60540', '46402'], towns: ['Chicago', 'Milwaukee', 'Naperville', 'Gary'] },
  { email: 'field3@example.com', branch: 'WEST', timeZone: 'America/Denver', zips: ['80203', '80210', '80302', '80012', '80903'], towns: ['Denver', 'Boulder', 'Aurora', 'Colorado Springs'] },
] as const;
const corps = ['Metro Cable', 'Valley Broadband', 'Lakeshore Telecom'];
const firstNames = ['Maria', 'James', 'Aisha', 'Wei', 'Carlos', 'Linda', 'Kenji', 'Noor', 'Robert', 'Ana', 'Dmitri', 'Sarah', 'Mateo', 'Fatima', 'Luca', 'Zoe'];
const lastNames = ['Garcia', 'Nguyen', 'Smith', 'Okafor', 'Rossi', 'Haddad', 'Tanaka', 'Novak', 'Brown', 'Lopez', 'Schmidt', "O'Brien", 'Martin', 'Lee', 'Wilson', 'Davis'];

/** Mulberry32: the same three weeks on every run. */
function prng(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]! };
}

const signature = (seed: number) => ({ pngBase64: Buffer.from(signaturePng(200, 60, seed)).toString('base64'), signedByName: 'Customer' });

/** Billing reports the accounts a rep will visit: their service location, corp and audit route, as routes need them. */
async function accountsToVisit(rep: (typeof reps)[number], rnd: ReturnType<typeof prng>, billing: string, count: number) {
  const stamp = Date.now();
  const accounts: Array<{ id: string; externalRef: string; balanceMinor: number }> = [];
  for (let i = 0; i < count; i++) {
    const ref = `ACC-FR-${rep.branch}-${stamp}-${i}`;
    const amountMinor = rnd.int(80, 600) * 100;
    const res = await fetch(`${baseUrl()}/api/v1/delinquencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': billing },
      body: JSON.stringify({
        customer: { externalRef: `CUST-${ref}`, name: `${rnd.pick(firstNames)} ${rnd.pick(lastNames)}`, type: 'retail', timeZone: rep.timeZone, branchCode: rep.branch, contacts: [{ kind: 'email', value: `${ref.toLowerCase()}@example.net` }] },
        account: { externalRef: ref, currency: 'USD', serviceLocation: { address: `${rnd.int(1, 400)} Main St`, postalCode: rnd.pick(rep.zips), latitude: 40, longitude: -80 }, corp: rnd.pick(corps), auditRoute: `AR-${rep.branch.slice(0, 1)}${rnd.int(1, 4)}` },
        invoices: [{ externalRef: `INV-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-10-01', amountMinor, openMinor: amountMinor }],
      }),
    });
    expect(res.status).toBe(201);
    accounts.push({ id: ((await res.json()) as { accountId: string }).accountId, externalRef: ref, balanceMinor: amountMinor });
  }
  return accounts;
}

/** Three weeks of one rep's work: a route every few days, visits on and off it, synced as the phone would. */
async function threeWeeksOf(rep: (typeof reps)[number], seed: number, billing: string) {
  const rnd = prng(seed);
  const call = await apiAs(rep.email);
  const user = await db.user.findUniqueOrThrow({ where: { email: rep.email } });
  const branch = await db.branch.findUniqueOrThrow({ where: { code: rep.branch } });
  const accounts = await accountsToVisit(rep, rnd, billing, 26);
  const key = (await call('GET', '/field/card-processor')).body;
  const year = new Date().getUTCFullYear() + 2;
  const approved = await encryptCard({ number: '4242424242424242', expMonth: 12, expYear: year, cvc: '123', holder: 'Customer' }, key);
  const declined = await encryptCard({ number: '4000000000000002', expMonth: 12, expYear: year, cvc: '123', holder: 'Customer' }, key);
  const at = (date: string, hour: number, minute: number) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return new Date(instantOfLocal(y, m, d, hour, branch.timeZone).getTime() + minute * 60_000);
  };
  const visits: Array<Record<string, unknown>> = [];
  const payments: Array<{ clientVisitId: string; amountMinor: number; method: string; declined: boolean; accountRef: string }> = [];
  let next = 0;
  for (let daysAgo = 20; daysAgo >= 1; daysAgo--) {
    const date = localDate(new Date(Date.now() - daysAgo * 86_400_000), branch.timeZone);
    if (new Date(`${date}T12:00:00Z`).getUTCDay() === 0) continue; // Sundays off
    const onRoute = daysAgo % 3 === 1;
    const count = onRoute ? rnd.int(3, 6) : rnd.int(1, 3);
    const [skipped, pending] = onRoute ? [rnd.int(0, 2), rnd.int(0, daysAgo === 1 ? 2 : 1)] : [0, 0];
    const pool = accounts.slice(0, 22); // the last four are stops no visit reaches
    const day = pool.slice(next % pool.length, (next % pool.length) + count);
    next += count;
    let stops: Array<{ id: string }> = [];
    if (onRoute) {
      const route = await db.fieldRoute.create({
        data: {
          branchId: branch.id,
          repId: user.id,
          name: `${rnd.pick(rep.towns)} ${rnd.pick(['north', 'south', 'east', 'west', 'centre'])}`,
          serviceDate: new Date(`${date}T00:00:00Z`),
          status: 'planned',
          groupBy: 'zip',
          groupKey: null,
          startLatitude: branch.latitude ?? 0,
          startLongitude: branch.longitude ?? 0,
          startAt: at(date, 9, 0),
          plannedDistanceM: rnd.int(25_000, 70_000),
          plannedDurationS: (5 + rnd.int(0, 2)) * 3600,
          travelSource: 'great_circle',
          stops: { create: [...day, ...accounts.slice(22, 22 + skipped + pending)].map((a, i) => ({ seq: i + 1, accountId: a.id, plannedArrivalAt: at(date, 9 + i, 30), status: i >= day.length && i < day.length + skipped ? 'skipped' : 'pending' })) },
        },
        include: { stops: { orderBy: { seq: 'asc' } } },
      });
      stops = route.stops;
    }
    day.forEach((account, i) => {
      const clientVisitId = randomUUID();
      const roll = rnd.next();
      const contactResult = roll < 0.18 ? 'no_one_home' : roll < 0.24 ? 'spoke_with_other' : roll < 0.28 ? 'refused_to_talk' : 'spoke_with_customer';
      const visit: Record<string, unknown> = { clientVisitId, accountId: account.id, arrivedAt: at(date, onRoute ? 9 + i : 10 + i * 2, rnd.int(30, 59)).toISOString(), contactResult, routeStopId: stops[i]?.id ?? null };
      if (contactResult === 'spoke_with_customer' || contactResult === 'spoke_with_other') {
        const kind = rnd.next();
        if (kind < 0.7) {
          const method = rnd.pick(['cash', 'cash', 'cheque', 'card', 'money_order'] as const);
          const isDeclined = method === 'card' && rnd.next() < 0.2;
          const amountMinor = Math.round((Number(account.balanceMinor) * rnd.int(15, 45)) / 100 / 100) * 100;
          visit.payment = { amountMinor, method, ...(method === 'cheque' ? { reference: String(rnd.int(100_000, 999_999)) } : method === 'money_order' ? { reference: `MO-${rnd.int(10_000, 99_999)}` } : method === 'card' ? { card: isDeclined ? declined : approved } : {}) };
          payments.push({ clientVisitId, amountMinor, method, declined: isDeclined, accountRef: account.externalRef });
        } else if (contactResult === 'spoke_with_customer' && kind < 0.85) {
          visit.promise = { amountMinor: Math.round(Number(account.balanceMinor) / 200) * 100, dueDate: localDate(new Date(Date.now() + 7 * 86_400_000), branch.timeZone) };
        }
        if (rnd.next() < 0.25) visit.equipment = [{ type: rnd.pick(['Modem', 'Set-top box', 'Router']), serial: `SN-${rnd.int(100_000, 999_999)}` }];
        if (contactResult === 'spoke_with_customer' && rnd.next() < 0.2) visit.retention = { offer: 'Three months at half price', outcome: rnd.pick(['accepted', 'declined', 'considering'] as const) };
        if (visit.payment || visit.equipment) visit.signature = signature(i + 1);
      }
      visits.push(visit);
    });
  }
  for (let i = 0; i < visits.length; i += 25) {
    const synced = await call('POST', '/field/sync', { deviceId: `${rep.email}-phone`, visits: visits.slice(i, i + 25) });
    expect(synced.status).toBe(200);
    expect(synced.body.results.map((r: { status: string }) => r.status).filter((s: string) => s !== 'recorded')).toEqual([]);
  }
  // One of the rep's cheques bounces: billing reverses it.
  const cheque = payments.find((p) => p.method === 'cheque');
  if (cheque) {
    const reversed = await fetch(`${baseUrl()}/api/v1/payments/reversals`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': billing }, body: JSON.stringify({ accountRef: cheque.accountRef, paymentRef: `field-visit:${cheque.clientVisitId}`, reason: 'cheque returned unpaid' }) });
    expect(reversed.status).toBe(201);
  }
  return payments.filter((p) => !p.declined && p !== cheque).reduce((sum, p) => sum + p.amountMinor, 0);
}

/** What a rep's field visits have posted so far (posted payments; reversed ones do not count). */
async function collectedSoFar(email: string): Promise<number> {
  const rep = await db.user.findUniqueOrThrow({ where: { email }, select: { id: true } });
  const visits = await db.fieldVisit.findMany({ where: { repId: rep.id, paymentId: { not: null } }, select: { paymentId: true } });
  const payments = await db.payment.findMany({ where: { id: { in: visits.map((v) => v.paymentId!) }, status: 'posted' }, select: { amountMinor: true } });
  return payments.reduce((sum, p) => sum + Number(p.amountMinor), 0);
}

beforeAll(async () => {
  browser = await launchBrowser();
  db = createDb(process.env.DATABASE_URL!);
  const billing = await billingKey();
  // Earlier files may have had Frank collect today (the field app's test does): his figure counts those too.
  const before = await collectedSoFar('field1@example.com');
  const collected = [];
  for (const [i, rep] of reps.entries()) collected.push(await threeWeeksOf(rep, 7 + i, billing));
  frankCollected = before + collected[0]!;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
});

const usd = (cents: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);

/** Pixels a chart's canvas has drawn (not transparent): a chart that failed to render has none. */
async function drawnPixels(page: Page, testid: string): Promise<number> {
  return page.getByTestId(testid).locator('canvas').evaluate((element) => {
    // The browser's canvas (the tests are type-checked without the DOM's types).
    const canvas = element as unknown as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    let drawn = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) drawn += 1;
    return drawn;
  });
}

describe('field reports', () => {
  test('a supervisor reads collections, effectiveness, routes, distribution and the sweep: the figures match what the reps took, the charts are drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.getByTestId('nav').getByText('Field reports').click();
    await page.getByTestId('collections-by-rep').waitFor();
    expect(new URL(page.url()).pathname).toBe('/field/reports/collections');
    expect(await page.locator('[data-testid=collections-rep-row] td:first-child strong').allTextContents()).toEqual(['Frank Fielding', 'Rosa Ramirez', 'Tom Becker']);
    expect(await drawnPixels(page, 'collections-chart')).toBeGreaterThan(2_000);
    await page.screenshot({ path: path.join(screenshots, 'field-reports-collections.png'), fullPage: false });

    // Narrowed to Frank: exactly what his visits posted — the declined card and the bounced cheque left out.
    const frank = await page.getByTestId('filter-rep').locator('option', { hasText: 'Frank Fielding' }).getAttribute('value');
    await page.getByTestId('filter-rep').selectOption(frank);
    await page.waitForURL(/rep=/);
    await expect.poll(() => page.getByTestId('stat-collected').textContent()).toBe(usd(frankCollected));
    await page.getByTestId('period-week').click();
    await page.waitForURL(/period=week/);
    await expect.poll(() => page.getByTestId('stat-collected').textContent()).toBe(usd(frankCollected));
    const csv = await page.getByTestId('csv-download').getAttribute('href');
    expect(csv).toContain('format=csv');
    const download = await page.evaluate(async (href) => { const res = await fetch(href!); return { type: res.headers.get('content-type'), text: await res.text() }; }, csv);
    expect(download.type).toBe('text/csv; charset=utf-8');
    expect(download.text.split('\r\n')[0]).toContain('period,period_start,period_end,rep_id,rep_name,visits,payments,collected_USD');
    await page.getByTestId('filter-rep').selectOption('');
    await page.waitForURL((url) => !url.searchParams.has('rep'));

    await page.getByTestId('report-tabs').getByText('Effectiveness').click();
    await page.getByTestId('effectiveness-table').waitFor();
    expect(await page.getByTestId('effectiveness-row').count()).toBe(3);
    expect(await page.getByTestId('stat-right-party').textContent()).toMatch(/^\d+ %$/);
    expect(await drawnPixels(page, 'effectiveness-chart')).toBeGreaterThan(2_000);
    await page.screenshot({ path: path.join(screenshots, 'field-reports-effectiveness.png'), fullPage: true });

    await page.getByTestId('report-tabs').getByText('Route summary').click();
    await page.getByTestId('routes-table').waitFor();
    expect(await page.getByTestId('route-row').count()).toBeGreaterThanOrEqual(15);
    expect(await drawnPixels(page, 'routes-chart')).toBeGreaterThan(2_000);
    await page.screenshot({ path: path.join(screenshots, 'field-reports-routes.png'), fullPage: true });

    await page.getByTestId('report-tabs').getByText('Route distribution').click();
    await page.getByTestId('distribution-by-area').waitFor();
    expect(await page.getByTestId('area-row').count()).toBeGreaterThan(3);
    expect(await drawnPixels(page, 'distribution-chart')).toBeGreaterThan(2_000);
    await page.screenshot({ path: path.join(screenshots, 'field-reports-distribution.png'), fullPage: true });
    await page.getByTestId('area-corp').click();
    await page.waitForURL(/by=corp/);
    await expect.poll(() => page.locator('[data-testid=area-row] strong').allTextContents()).toEqual(expect.arrayContaining(['Metro Cable']));

    await page.getByTestId('report-tabs').getByText('Collections sweep').click();
    await page.getByTestId('sweep-day').first().waitFor();
    expect(await page.locator('[data-testid=sweep-item]', { hasText: 'Reversed since' }).count()).toBeGreaterThanOrEqual(1);
    await page.screenshot({ path: path.join(screenshots, 'field-reports-sweep.png'), fullPage: false });
    await page.close();
  });

  test('a branch supervisor sees her branch’s rep only; the admin changes the commission plan through the form', async () => {
    const east = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await signIn(east, 'supervisor.east@example.com');
    await east.getByTestId('accounts-table').waitFor();
    await east.goto(`${baseUrl()}/field/reports/effectiveness`);
    await east.getByTestId('effectiveness-table').waitFor();
    expect(await east.getByTestId('filter-rep').locator('option').allTextContents()).toEqual(['All reps', 'Frank Fielding']);
    expect(await east.locator('[data-testid=effectiveness-row] strong').allTextContents()).toEqual(['Frank Fielding']);
    await east.getByTestId('report-tabs').getByText('Commissions').click();
    await east.getByTestId('commission-plan').waitFor();
    expect(await east.getByTestId('change-plan').count()).toBe(0); // the plan pays every branch: head office sets it
    await east.close();

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await signIn(page, 'admin@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.goto(`${baseUrl()}/field/reports/commissions`);
    await page.getByTestId('commissions-table').waitFor();
    expect(await drawnPixels(page, 'commissions-chart')).toBeGreaterThan(1_000);
    // Frank's rows: [month, plan, commission]. A plan set now pays the open month; closed months keep theirs.
    const franksRows = () =>
      page.locator('[data-testid=commission-row]', { hasText: 'Frank Fielding' }).evaluateAll((rows) =>
        rows.map((row) => [row.getAttribute('data-month'), row.querySelector('[data-testid=commission-plan-name]')?.textContent?.trim(), row.querySelector('[data-testid=commission-total]')?.textContent?.trim(), row.querySelector('[data-testid=commission-collected]')?.textContent?.trim()]),
      );
    const before = await franksRows();
    expect(before.length).toBeGreaterThan(0);
    for (const [, plan] of before) expect(plan).toBe('Default plan');
    const thisMonth = localDate(new Date(), 'America/New_York').slice(0, 7);
    await page.getByTestId('change-plan').click();
    await page.getByTestId('plan-name').fill('Field plan 2027');
    await page.getByTestId('plan-rate').first().fill('4');
    await page.getByTestId('plan-save').click();
    await expect.poll(() => page.getByTestId('commission-plan').locator('h2').textContent()).toContain('Field plan 2027');
    await expect.poll(async () => (await franksRows()).map(([month, plan]) => [month, plan])).toEqual(before.map(([month, plan]) => [month, month === thisMonth ? 'Field plan 2027' : plan]));
    const after = await franksRows();
    // 4 % instead of 3 % of what Frank took this month; closed months' commissions unchanged.
    const took = (collected: string | null | undefined) => Number(collected?.replace(/[^0-9.]/g, '')) > 0;
    for (const [i, [month, , total, collected]] of after.entries()) expect(total !== before[i]![2]).toBe(month === thisMonth && took(collected));
    await page.getByRole('status').filter({ hasText: 'Field plan 2027 is in force' }).getByRole('button', { name: 'Dismiss' }).click();
    await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshots, 'field-reports-commissions.png'), fullPage: false });
    await page.close();
  });
});
