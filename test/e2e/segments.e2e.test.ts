// Segments and the segments the system proposes from the data (C2), in the browser. Nothing is
// adopted here: a new segment would change where the other browser tests' accounts go.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, baseUrl, launchBrowser, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('the segments page', () => {
  test('a supervisor sees the segments with their criteria and the proposals from the data, without adopting', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('nav').getByText('Segments').click();
    await expect.poll(() => page.getByTestId('segments').textContent()).toContain('RETAIL_HIGH');
    expect(await page.getByTestId('segments').textContent()).toContain('Retail · balance ≥ $200.01');
    const proposals = page.getByTestId('segment-proposals');
    expect(await proposals.locator('tbody tr').count()).toBeGreaterThan(3);
    expect(await proposals.textContent()).toContain('Corporate');
    // Proposals name their balance bands in money, as the criteria column does.
    expect(await proposals.locator('tbody tr').first().locator('td').first().textContent()).toMatch(/balance ≤ \$[\d,]+\.\d\d/);
    expect(await proposals.getByRole('button', { name: 'Adopt' }).count()).toBe(0);

    // S6: how the high-risk segment's strategy (S5 in the demo) has done with its cases.
    await page.getByTestId('segments').locator('tr', { hasText: 'RETAIL_HIGH' }).getByTestId('segment-performance').click();
    await page.getByTestId('strategy-performance').waitFor();
    const arm = page.getByTestId('strategy-arm').first();
    expect(await arm.textContent()).toContain('Champion');
    expect(Number(await arm.locator('td').nth(2).textContent())).toBeGreaterThan(0);
    expect(await arm.getByTestId('paid-share').textContent()).toMatch(/\d+\.\d %/);
    await page.screenshot({ path: 'docs/screenshots/strategy-performance.png' });
    await page.close();
  });

  test('a collector is refused the strategy performance page', async () => {
    const segments = (await (await apiAs('collector1@example.com'))('GET', '/segments')).body.items as Array<{ id: string; code: string }>;
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'collector1@example.com');
    await page.getByTestId('nav').waitFor();
    await page.goto(`${baseUrl()}/admin/segments/${segments.find((s) => s.code === 'RETAIL_HIGH')!.id}`);
    await expect.poll(() => page.textContent('body')).toContain('You do not have access to this.');
    expect(await page.getByTestId('strategy-performance').count()).toBe(0);
    await page.close();
  });

  test('an admin may adopt a proposal', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@example.com');
    await page.getByTestId('nav').getByText('Segments').click();
    await expect.poll(() => page.getByTestId('segment-proposals').getByRole('button', { name: 'Adopt' }).count()).toBeGreaterThan(3);
    await page.close();
  });
});
