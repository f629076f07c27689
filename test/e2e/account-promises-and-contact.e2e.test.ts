// The account page drives the case's newer abilities through a real browser against the running
// system: a collector records an instalment plan (C6) and follows it on the case card, a refused
// plan says why in words, the contact policy shows per channel what is allowed and why not (X1), and
// a debtor's written request to stop contact turns every channel to "blocked".
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, billingKey, launchBrowser, reportDelinquentAccount, signIn } from './browser.ts';

let browser: Browser;
let key: string;
beforeAll(async () => {
  browser = await launchBrowser();
  key = await billingKey();
});
afterAll(async () => browser?.close());

const screenshotDir = process.env.E2E_SCREENSHOT_DIR ?? path.join(os.tmpdir(), 'arrears-e2e-screenshots');
mkdirSync(screenshotDir, { recursive: true });
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A time zone where it is night now, so the policy defers contact outside 08:00–21:00 local time. */
function zoneAtNight(): string {
  const zones = ['UTC', 'Asia/Tokyo', 'America/Los_Angeles', 'Pacific/Auckland', 'Asia/Kolkata', 'America/New_York', 'Europe/Berlin', 'Asia/Dubai'];
  const hourIn = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  return zones.find((z) => hourIn(z) >= 0 && hourIn(z) <= 5) ?? zones.find((z) => hourIn(z) >= 22 || hourIn(z) <= 6)!;
}

/** How wide the page's content is: wider than the viewport means it scrolls sideways. */
const pageWidth = (page: Page) => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;

async function openAccount(page: Page, email: string, accountId: string) {
  await signIn(page, email);
  await page.getByTestId('accounts-table').waitFor();
  await page.goto(`${baseUrl()}/accounts/${accountId}`);
  await page.getByTestId('case-card').waitFor();
}

async function fillPlan(page: Page, instalments: Array<{ amount: string; date: string }>) {
  await page.getByTestId('promise-kind-plan').check();
  while ((await page.getByTestId('plan-row').count()) < instalments.length) await page.getByTestId('plan-add').click();
  for (const [k, instalment] of instalments.entries()) {
    await page.getByTestId('plan-amount').nth(k).fill(instalment.amount);
    await page.getByTestId('plan-date').nth(k).fill(instalment.date);
  }
}

describe('promises on the account page', () => {
  test('a collector records a three-instalment plan and the case card follows it, instalment by instalment, as payments arrive', async () => {
    const ref = `ACC-PLAN-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Ina Instalment', branchCode: 'EAST', timeZone: 'America/New_York', email: 'ina@example.net', dueDate: '2026-11-05', amountMinor: 9000 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openAccount(page, 'collector1@example.com', accountId);

    await fillPlan(page, [
      { amount: '30.00', date: daysFromNow(7) },
      { amount: '30.00', date: daysFromNow(21) },
      { amount: '30.00', date: daysFromNow(35) },
    ]);
    expect(await page.getByTestId('plan-total').textContent()).toContain('90.00');
    await page.getByTestId('promise-submit').click();

    // The case takes the plan through its workflow, which may be busy: allow it time under load.
    await expect.poll(() => page.getByTestId('instalment').count(), { timeout: 30_000 }).toBe(3);
    expect(await page.getByTestId('pending-promise').textContent()).toBe('$90.00 in 3 instalments');
    await expect.poll(() => page.getByTestId('promise-progress').textContent(), { timeout: 30_000 }).toContain('Paid $0.00 of $90.00');
    expect(await page.locator('[data-testid=instalment][data-status=pending]').count()).toBe(3);
    expect(await page.getByTestId('next-action').textContent()).toBe('Held while the plan is kept');
    expect(await page.getByTestId('promise-form').count()).toBe(0);

    // Billing posts the first instalment: the page (which polls) shows it kept and the progress move.
    const payment = await fetch(`${baseUrl()}/api/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ accountRef: ref, externalRef: `PAY-${ref}`, amountMinor: 3000, currency: 'USD', method: 'card' }),
    });
    expect(payment.status).toBe(201);
    await expect.poll(() => page.getByTestId('promise-progress').textContent(), { timeout: 30_000 }).toContain('Paid $30.00 of $90.00');
    await expect.poll(() => page.locator('[data-testid=instalment]').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('kept');
    await page.screenshot({ path: path.join(screenshotDir, 'account-plan-desktop.png'), fullPage: true });

    // The payment is listed as posted; charged back, it is listed as reversed with the reason.
    await page.getByRole('tab', { name: /Payments/ }).click();
    expect(await page.getByTestId('payment-status').first().textContent()).toBe('Posted');
    const reversal = await fetch(`${baseUrl()}/api/v1/payments/reversals`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ accountRef: ref, paymentRef: `PAY-${ref}`, reason: 'charge-back' }),
    });
    expect(reversal.status).toBe(201);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.getByTestId('payment-status').first().textContent(), { timeout: 15_000 }).toBe('Reversed');
    expect(await page.getByTestId('payments').textContent()).toContain('charge-back');
    await page.close();
  });

  test('a refused plan shows the case’s reasons in plain words and records nothing', async () => {
    const ref = `ACC-BADPLAN-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Rex Refused', branchCode: 'EAST', timeZone: 'America/New_York', email: 'rex@example.net', dueDate: '2026-11-05', amountMinor: 5000 });
    // On a phone: a collector on the move records plans too.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await openAccount(page, 'collector1@example.com', accountId);

    await fillPlan(page, [
      { amount: '40.00', date: daysFromNow(20) },
      { amount: '40.00', date: daysFromNow(10) },
    ]);
    await page.getByTestId('promise-submit').click();
    await page.getByTestId('promise-errors').waitFor();
    const reasons = await page.getByTestId('promise-errors').textContent();
    expect(reasons).toContain('Each instalment must fall after the one before it.');
    expect(reasons).toContain('The amount is more than the balance owed.');
    expect(reasons).not.toContain('dates_not_ascending');
    expect(await page.getByTestId('pending-promise').count()).toBe(0);
    expect(await page.getByTestId('promise-form').count()).toBe(1);
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.getByTestId('promise-form').screenshot({ path: path.join(screenshotDir, 'plan-refused-phone.png') });
    await context.close();
  });
});

describe('the contact policy on the account page', () => {
  test('at night in the debtor’s time zone contact waits, explained; a written cease-communication request blocks every channel', async () => {
    const timeZone = zoneAtNight();
    const ref = `ACC-CEASE-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Cea Stop', branchCode: 'EAST', timeZone, email: 'cea@example.net', dueDate: '2026-11-05', amountMinor: 6100 });
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await openAccount(page, 'collector1@example.com', accountId);

    const channel = (name: string) => page.locator(`[data-testid=contact-channel][data-channels~=${name}]`);
    expect(await channel('email').getAttribute('data-kind')).toBe('deferred');
    expect(await channel('email').textContent()).toMatch(/Not before \w{3}.* 08:00/);
    expect(await channel('email').textContent()).toContain('Outside contact hours');
    expect(await page.getByTestId('contact-policy').textContent()).toContain(`08:00–21:00 every day (${timeZone})`);
    // The case's first reminder waits for the contact window, and the card says why.
    await expect.poll(() => page.getByTestId('next-step-note').textContent().catch(() => ''), { timeout: 30_000 }).toContain('Outside contact hours');
    await page.screenshot({ path: path.join(screenshotDir, 'account-contact-phone.png'), fullPage: true });
    // Nothing is wider than the phone: the page does not scroll sideways.
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);

    await page.getByTestId('contact-requests').locator('summary').tap();
    await page.getByTestId('cease-communication').check();
    await page.getByTestId('contact-requests-save').tap();
    const allBlocked = page.locator('[data-testid=contact-channel][data-kind=blocked][data-channels="call email sms letter visit"]');
    await expect.poll(() => allBlocked.count(), { timeout: 15_000 }).toBe(1);
    expect(await allBlocked.textContent()).toContain('Blocked: Asked us to stop contact');
    expect(await allBlocked.textContent()).toContain('asked in writing that we stop contacting them');
    expect(await page.getByTestId('contact-restrictions').textContent()).toContain('Asked in writing to stop contact');
    expect(await page.getByTestId('history').textContent()).toContain('Cease-communication request recorded');

    await page.reload();
    await page.getByTestId('contact-panel').waitFor();
    expect(await page.getByTestId('cease-communication').isChecked()).toBe(true);
    expect(await allBlocked.count()).toBe(1);
    await page.screenshot({ path: path.join(screenshotDir, 'account-ceased-phone.png'), fullPage: true });
    await context.close();
  });

  test('a lawyer and a per-contact opt-out are recorded from the account page, and withdrawing the lawyer lifts only that block', async () => {
    const ref = `ACC-LAWYER-${Date.now()}`;
    const email = `lee-${Date.now()}@example.net`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Lee Lawyered', branchCode: 'EAST', timeZone: 'America/New_York', email, dueDate: '2026-11-05', amountMinor: 7000 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openAccount(page, 'collector1@example.com', accountId);
    const channel = (name: string) => page.locator(`[data-testid=contact-channel][data-channels~=${name}]`);
    expect(await channel('email').getAttribute('data-kind')).not.toBe('blocked');

    await page.getByTestId('contact-requests').locator('summary').click();
    await page.locator(`[data-testid=opt-out][data-contact="${email}"]`).check();
    await page.getByTestId('contact-requests-save').click();
    await expect.poll(() => channel('email').getAttribute('data-kind'), { timeout: 15_000 }).toBe('blocked');
    expect(await channel('email').textContent()).toContain('Blocked: Opted out');
    expect(await channel('call').getAttribute('data-kind')).not.toBe('blocked');
    // The contacts are always in view on the workspace, with their opt-outs.
    expect(await page.getByTestId('contacts').textContent()).toContain('Opted out');

    // Saving with nothing changed says so rather than sending an empty request.
    await page.getByTestId('contact-requests-save').click();
    expect(await page.getByTestId('contact-requests-error').textContent()).toBe('Nothing has changed.');

    await page.getByTestId('attorney-represented').check();
    await page.getByTestId('attorney-details').fill('Dana Law LLP, +1 555 0100');
    await page.getByTestId('contact-requests-save').click();
    const allBlocked = page.locator('[data-testid=contact-channel][data-kind=blocked][data-channels="call email sms letter visit"]');
    await expect.poll(() => allBlocked.count(), { timeout: 15_000 }).toBe(1);
    expect(await allBlocked.textContent()).toContain('Blocked: Represented by a lawyer');
    expect(await page.getByTestId('contact-restrictions').textContent()).toContain('Lawyer: Dana Law LLP, +1 555 0100');
    await page.screenshot({ path: path.join(screenshotDir, 'account-lawyer-desktop.png'), fullPage: true });

    await page.getByTestId('attorney-represented').uncheck();
    await page.getByTestId('contact-requests-save').click();
    await expect.poll(() => channel('call').getAttribute('data-kind'), { timeout: 15_000 }).not.toBe('blocked');
    expect(await channel('email').getAttribute('data-kind')).toBe('blocked');
    expect(await page.getByTestId('contact-restrictions').count()).toBe(0);
    await page.close();
  });
});

describe('who may record what', () => {
  test('a viewer sees the contact policy and the case, but neither the promise form nor the debtor’s-requests form', async () => {
    const ref = `ACC-VIEW-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Vic Viewed', branchCode: 'EAST', timeZone: 'America/New_York', email: 'vic@example.net', dueDate: '2026-11-05', amountMinor: 3300 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openAccount(page, 'viewer@example.com', accountId);
    await page.getByTestId('contact-panel').waitFor();
    expect(await page.getByTestId('contact-channel').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('promise-form').count()).toBe(0);
    expect(await page.getByTestId('contact-requests').count()).toBe(0);
    await page.close();
  });
});

describe('payments on the account page', () => {
  test('an over-payment shows as credit on the account and on the payment that made it', async () => {
    const ref = `ACC-CREDIT-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Otto Over', branchCode: 'EAST', timeZone: 'America/New_York', email: 'otto@example.net', dueDate: '2026-11-05', amountMinor: 4200 });
    const payment = await fetch(`${baseUrl()}/api/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ accountRef: ref, externalRef: `PAY-${ref}`, amountMinor: 5000, currency: 'USD', method: 'card' }),
    });
    expect(payment.status).toBe(201);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await openAccount(page, 'collector1@example.com', accountId);
    expect(await page.getByTestId('credit').textContent()).toBe('$8.00');
    await page.getByRole('tab', { name: /Payments/ }).tap();
    expect(await page.getByTestId('payments-credit').textContent()).toContain('$8.00 credit from over-payments');
    const row = page.getByTestId('payment-row').first();
    expect(await row.getAttribute('data-status')).toBe('posted');
    expect(await row.textContent()).toContain('$50.00');
    expect(await row.textContent()).toContain('$8.00');
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: path.join(screenshotDir, 'account-payments-phone.png'), fullPage: true });
    await context.close();
  });
});
