// GDPR data-subject requests (X1) in the browser: a supervisor records two requests, sees the one
// received more than a month ago overdue and highlighted, filters to what is overdue, answers the
// access request and gets its export. Erasure is left to the API tests: it would change demo data.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, launchBrowser, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'arrears-e2e-screenshots');
mkdirSync(screenshotDir, { recursive: true });
// The test system's demo data has 300 accounts (CUST-100001 … CUST-100300); no other browser test uses this one.
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('the data requests page', () => {
  test('a supervisor records requests, sees the overdue one highlighted, answers the access request while changing the filter, and downloads its export', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('nav').getByText('Data requests').click();
    await page.getByTestId('new-data-request').waitFor();

    await page.getByTestId('dr-customer').fill('CUST-100287');
    await page.getByTestId('dr-kind').selectOption('access');
    await page.getByTestId('dr-received').fill(daysAgo(40));
    await page.getByTestId('dr-details').fill('Asked by letter for a copy of everything we hold');
    await page.getByTestId('dr-create').click();
    await expect.poll(() => page.locator('tr.overdue').count()).toBe(1);
    expect(await page.locator('tr.overdue').getByTestId('dr-state').textContent()).toBe('Overdue');

    await page.getByTestId('dr-customer').fill('CUST-100287');
    await page.getByTestId('dr-kind').selectOption('objection');
    await page.getByTestId('dr-create').click();
    await expect.poll(() => page.getByTestId('dr-row').count()).toBe(2);
    await page.screenshot({ path: path.join(screenshotDir, 'data-requests.png'), fullPage: true });

    await page.getByTestId('dr-filter-due').selectOption('overdue');
    await expect.poll(() => page.getByTestId('dr-row').count()).toBe(1);

    await page.locator('tr.overdue').getByTestId('dr-answer').click();
    await page.getByTestId('dr-response').fill('A copy of your data is attached.');
    // The supervisor changes the filter while the answer is being saved. The page's reload after the
    // save must neither undo that change nor leave the list as it was before the answer: hold the
    // answer until the filter's navigation has its list (read before the answer, so still open), and
    // hold that list's response until the answer is back.
    const held = () => {
      let release!: () => void;
      let arrived!: () => void;
      return { released: new Promise<void>((r) => (release = r)), seen: new Promise<void>((r) => (arrived = r)), release: () => release(), arrive: () => arrived() };
    };
    const answer = held();
    const list = held();
    await page.route('**/api/v1/data-subject-requests/*/complete', async (route) => {
      answer.arrive();
      await answer.released;
      await route.continue();
    });
    await page.route((url) => url.pathname === '/api/v1/data-subject-requests' && !url.searchParams.has('due'), async (route) => {
      const before = await route.fetch();
      list.arrive();
      await list.released;
      await route.fulfill({ response: before });
    }, { times: 1 });
    await page.getByTestId('dr-submit').click();
    await answer.seen;
    await page.getByTestId('dr-filter-due').selectOption('');
    await list.seen;
    answer.release();
    await page.getByText('Request answered.').waitFor();
    list.release();
    await expect.poll(() => page.getByTestId('dr-answer-form').count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.has('due')).toBe(false);
    expect(await page.getByTestId('dr-filter-due').inputValue()).toBe('');
    const exportLink = page.getByTestId('dr-export');
    await exportLink.waitFor();
    expect(await page.locator('tr.overdue').count()).toBe(0);
    const href = (await exportLink.getAttribute('href'))!;
    const id = href.split('/').at(-2)!;
    const exported = await (await apiAs('supervisor@example.com'))('GET', `/data-subject-requests/${id}/export`);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ customer: { externalRef: 'CUST-100287' }, accounts: [{ externalRef: 'ACC-100287' }] });
    await page.close();
  });
});
