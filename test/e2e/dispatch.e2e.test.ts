// Dispatch in the browser (F1-F3, F5): a supervisor plans tomorrow's routes from the branch's leads on
// the map, saves them assigned, opens a route, orders it for the least driving; the sync-conflicts
// list is there to settle what the phones found. Screenshots for the docs.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { apiAs, baseUrl, billingKey, launchBrowser, signIn } from './browser.ts';

let browser: Browser;
const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
const places: Array<[number, number]> = [
  [42.3467, -71.0972],
  [42.3601, -71.0589],
  [42.3398, -71.0892],
  [42.3751, -71.0395],
];

beforeAll(async () => {
  browser = await launchBrowser();
  const key = await billingKey();
  const accountIds: string[] = [];
  for (const [k, [lat, lon]] of places.entries()) {
    const ref = `ACC-D-${Date.now()}-${k}`;
    const res = await fetch(`${baseUrl()}/api/v1/delinquencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        customer: { externalRef: `CUST-${ref}`, name: `Dora Dispatch ${k}`, type: 'retail', timeZone: 'America/New_York', branchCode: 'EAST', contacts: [{ kind: 'mobile', value: `+1555010${k}00${k}` }] },
        account: { externalRef: ref, currency: 'USD', serviceLocation: { address: `${k + 10} Tremont St, Boston`, postalCode: '02118', latitude: lat, longitude: lon } },
        invoices: [{ externalRef: `INV-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-10-01', amountMinor: 20_000 + k, openMinor: 20_000 + k }],
      }),
    });
    expect(res.status).toBe(201);
    accountIds.push(((await res.json()) as { accountId: string }).accountId);
  }
  const supervisor = await apiAs('supervisor.east@example.com');
  const leads = await supervisor('POST', '/field/leads', { accountIds, title: 'Field visit: collect the arrears' });
  expect(leads.body.created).toHaveLength(4);
});
afterAll(async () => browser?.close());

describe('dispatch', () => {
  test('a supervisor plans tomorrow’s routes on the map, saves them assigned, and orders one for the least driving', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, hasTouch: true });
    await signIn(page, 'supervisor.east@example.com');
    await page.getByTestId('nav').waitFor();
    await page.goto(`${baseUrl()}/dispatch?date=${tomorrow}`);
    await page.getByTestId('dispatch-plan').waitFor();
    const waiting = Number(await page.getByTestId('dispatch-selected').textContent());
    expect(waiting).toBeGreaterThanOrEqual(4);
    await expect.poll(() => page.getByTestId('route-map').getAttribute('data-markers')).toBe(String(waiting));

    // A map selection (F2): none, then the leads in the map's left half by dragging an area, then all by Shift-dragging the whole map.
    const map = (await page.getByTestId('route-map').boundingBox())!;
    const drag = async (from: [number, number], to: [number, number]) => {
      await page.mouse.move(from[0], from[1]);
      await page.mouse.down();
      await page.mouse.move((from[0] + to[0]) / 2, (from[1] + to[1]) / 2, { steps: 4 });
      await page.mouse.move(to[0], to[1], { steps: 4 });
      await page.mouse.up();
    };
    await page.getByRole('button', { name: 'None', exact: true }).click();
    expect(await page.getByTestId('dispatch-selected').textContent()).toBe('0');
    const pins = await page.locator('[data-testid=route-map] .map-pin').evaluateAll((all) => all.map((p) => { const r = p.getBoundingClientRect(); return { x: r.x + r.width / 2, y: r.y + r.height / 2 }; }));
    const [left, right, top, bottom] = [Math.min(...pins.map((p) => p.x)) - 12, Math.max(...pins.map((p) => p.x)) + 12, Math.min(...pins.map((p) => p.y)) - 12, Math.max(...pins.map((p) => p.y)) + 12];
    const middle = map.x + map.width / 2;
    const leftHalf = pins.filter((p) => p.x < middle).length;
    expect(leftHalf).toBeGreaterThan(0);
    expect(leftHalf).toBeLessThan(waiting);
    await page.getByTestId('dispatch-area').click();
    // Dragged from the top right (the zoom buttons are top left, the attribution bottom right).
    await drag([middle, top], [left, bottom]);
    await expect.poll(() => page.getByTestId('dispatch-selected').textContent()).toBe(String(leftHalf));
    await page.getByTestId('dispatch-area').click(); // done: dragging moves the map again
    await page.keyboard.down('Shift');
    await drag([right, top], [left, bottom]);
    await page.keyboard.up('Shift');
    await expect.poll(() => page.getByTestId('dispatch-selected').textContent()).toBe(String(waiting));
    // By finger, in area mode (a phone or tablet has no Shift): the same left half, from none.
    await page.getByRole('button', { name: 'None', exact: true }).click();
    await page.getByTestId('dispatch-area').click();
    const touch = await page.context().newCDPSession(page);
    const finger = (type: 'touchStart' | 'touchMove' | 'touchEnd', x?: number, y?: number) => touch.send('Input.dispatchTouchEvent', { type, touchPoints: x === undefined ? [] : [{ x, y: y! }] });
    await finger('touchStart', middle, top);
    for (let i = 1; i <= 5; i++) await finger('touchMove', middle + ((left - middle) * i) / 5, top + ((bottom - top) * i) / 5);
    await finger('touchEnd');
    await expect.poll(() => page.getByTestId('dispatch-selected').textContent()).toBe(String(leftHalf));
    await page.getByTestId('dispatch-area').click();
    await page.getByRole('button', { name: 'All', exact: true }).click();

    await page.getByTestId('dispatch-plan').click();
    await page.getByTestId('planned-route').first().waitFor();
    expect(await page.getByTestId('dispatch-plan-summary').textContent()).toMatch(/\d+ routes? · \d+ stops?/);
    await expect.poll(() => page.getByTestId('planned-route').filter({ hasText: 'Dora Dispatch 0' }).count()).toBe(1);
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/dispatch-plan.png', fullPage: true });

    await page.getByTestId('dispatch-save').click();
    await expect.poll(() => page.getByTestId('saved-route').count()).toBeGreaterThanOrEqual(1);
    await page.getByTestId('saved-route').first().getByRole('link').click();
    await page.getByTestId('route-stops').waitFor();
    const before = await page.getByTestId('route-stops').locator('li').count();
    expect(before).toBeGreaterThanOrEqual(4);
    await page.getByTestId('route-optimise').click();
    await expect.poll(() => page.getByText('Stops ordered for the least driving').count()).toBe(1);
    expect(await page.getByTestId('route-stops').locator('li').count()).toBe(before);
    await page.screenshot({ path: 'docs/screenshots/dispatch-route.png', fullPage: true });

    // The leads are on routes now: none left for tomorrow's plan.
    await page.goto(`${baseUrl()}/dispatch?date=${tomorrow}`);
    await page.getByTestId('saved-route').first().waitFor();
    await page.goto(`${baseUrl()}/dispatch/conflicts`);
    await expect.poll(async () => (await page.getByTestId('conflicts-empty').count()) + (await page.getByTestId('conflict').count())).toBeGreaterThan(0);
    await page.close();
  });

  test('a supervisor requests a field visit from an account page; it waits among the leads, once', async () => {
    const key = await billingKey();
    const ref = `ACC-DV-${Date.now()}`;
    const res = await fetch(`${baseUrl()}/api/v1/delinquencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        customer: { externalRef: `CUST-${ref}`, name: 'Vera Visit', type: 'retail', timeZone: 'America/New_York', branchCode: 'EAST', contacts: [] },
        account: { externalRef: ref, currency: 'USD', serviceLocation: { address: '5 Beacon St, Boston', postalCode: '02108', latitude: 42.3577, longitude: -71.0625 } },
        invoices: [{ externalRef: `INV-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-10-01', amountMinor: 31_000, openMinor: 31_000 }],
      }),
    });
    const { accountId } = (await res.json()) as { accountId: string };
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signIn(page, 'supervisor.east@example.com');
    await page.getByTestId('nav').waitFor();
    await page.goto(`${baseUrl()}/accounts/${accountId}`);
    await page.getByTestId('request-field-visits').click();
    await expect.poll(() => page.getByText('1 field visit requested').count()).toBe(1);
    await page.getByTestId('request-field-visits').click();
    await expect.poll(() => page.getByText('already requested').count()).toBe(1);
    const leads = await (await apiAs('supervisor.east@example.com'))('GET', '/field/leads?q=Vera%20Visit');
    expect(leads.body.items.map((l: { account: { externalRef: string } }) => l.account.externalRef)).toEqual([ref]);
    await page.close();
  });

  test('a supervisor requests visits for every account the bucket’s filters match, beyond the page shown (F1: by criteria)', async () => {
    const key = await billingKey();
    const token = `Sweep${Date.now()}`;
    const count = 27; // more than a page of 25
    for (let k = 0; k < count; k++) {
      const ref = `ACC-SW-${token}-${k}`;
      const res = await fetch(`${baseUrl()}/api/v1/delinquencies`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({
          customer: { externalRef: `CUST-${ref}`, name: `${token} Debtor ${k}`, type: 'retail', timeZone: 'America/New_York', branchCode: 'EAST', contacts: [] },
          account: { externalRef: ref, currency: 'USD' },
          invoices: [{ externalRef: `INV-${ref}`, issuedAt: '2026-09-01', dueDate: '2026-10-01', amountMinor: 10_000 + k, openMinor: 10_000 + k }],
        }),
      });
      expect(res.status).toBe(201);
    }
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await signIn(page, 'supervisor.east@example.com');
    await page.getByTestId('nav').waitFor();
    await page.goto(`${baseUrl()}/accounts?q=${token}`);
    await expect.poll(() => page.getByTestId('bucket-total').textContent()).toContain(`${count} accounts`);
    const all = page.getByTestId('request-field-visits-all');
    expect(await all.textContent()).toContain(`all ${count} matching`);
    page.once('dialog', (dialog) => void dialog.accept());
    await all.click();
    await expect.poll(() => page.getByText(`${count} field visits requested`).count()).toBe(1);
    const leads = await (await apiAs('supervisor.east@example.com'))('GET', `/field/leads?q=${token}`);
    expect(leads.body.total).toBe(count);
    await page.close();
  });

  test('collectors have no dispatch and cannot open it', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, 'collector1@example.com');
    await page.getByTestId('nav').waitFor();
    expect(await page.getByTestId('nav').getByText('Field routes').count()).toBe(0);
    const supervisorOnly = await (await apiAs('collector1@example.com'))('GET', '/field/leads');
    expect(supervisorOnly.status).toBe(403);
    await page.close();
  });
});
