// Segments and the segments the system proposes from the data (C2), in the browser. Nothing is
// adopted here: a new segment would change where the other browser tests' accounts go.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, signIn } from './browser.ts';

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
    expect(await proposals.getByRole('button', { name: 'Adopt' }).count()).toBe(0);
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
