// Admins edit message templates in the browser (C3): write a text, watch the preview as it would be
// sent, be told why a text cannot be saved, save it and find it in the version history. A fresh
// code is used so that the other browser tests' messages are not affected.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, launchBrowser, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('the templates page', () => {
  test('an admin writes an SMS template with a live preview, is refused an unknown placeholder, saves it and sees the version', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'admin@example.com');
    await page.getByTestId('nav').getByText('Templates').click();
    await page.getByTestId('templates-payment_reminder').waitFor();

    const code = `e2e_nudge_${Date.now()}`;
    await page.getByTestId('new-template-code').fill(code);
    await page.getByTestId('new-template').getByRole('combobox').first().selectOption('sms');
    await page.getByTestId('new-template').getByRole('button', { name: 'Write it' }).click();
    await page.waitForURL(new RegExp(`/admin/templates/${code}/sms/retail$`));

    await page.getByTestId('template-body').fill('Hi {customerName}, {amount} is due.');
    await expect.poll(() => page.getByTestId('template-problems').textContent()).toContain('unknown placeholder {amount}');
    await page.getByTestId('template-save').click();
    await expect.poll(() => page.getByTestId('template-errors').textContent()).toContain('unknown placeholder {amount}');

    await page.getByTestId('template-body').fill('Hi {customerName}, {balance} is due.');
    await expect.poll(() => page.getByTestId('template-preview').textContent()).toContain('Hi Jane Doe, $1,234.56 is due. Reply STOP to opt out.');
    await page.getByTestId('template-save').click();
    await expect.poll(() => page.getByTestId('template-history').textContent()).toContain('Version 1');

    await page.goto(`${baseUrl()}/admin/templates`);
    await expect.poll(() => page.getByTestId(`templates-${code}`).textContent()).toContain('Version 1');
    await page.close();
  });

  test('a supervisor has no Templates entry and is refused the page', async () => {
    const page = await browser.newPage();
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('nav').waitFor();
    expect(await page.getByTestId('nav').textContent()).not.toContain('Templates');
    await page.goto(`${baseUrl()}/admin/templates`);
    await expect.poll(() => page.textContent('body')).toContain('You do not have access to this.');
    await page.close();
  });
});
