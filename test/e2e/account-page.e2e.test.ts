// Through a real browser against the whole running system (API, worker, Temporal, PostgreSQL,
// Redis, built UI): sign in, find an account, see its case, and watch a payment posted by the
// billing API close that case on the open page.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { baseUrl, billingKey, demoPassword, launchBrowser, reportDelinquentAccount, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

describe('signing in', () => {
  test('a wrong password shows a clear message and stays on the sign-in page', async () => {
    const page = await browser.newPage();
    await signIn(page, 'supervisor@example.com', 'not-the-password');
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('Email or password is wrong');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.close();
  });

  test('an unauthenticated visit to an account page goes to sign-in and comes back after', async () => {
    const page = await browser.newPage();
    await page.goto(`${baseUrl()}/accounts?age=90%2B`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByTestId('login-email').fill('supervisor@example.com');
    await page.getByTestId('login-password').fill(demoPassword);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(/\/accounts\?age=90%2B/);
    await page.close();
  });
});

describe('the account page', () => {
  test('the supervisor finds a delinquent account, sees its open case, and sees it close when billing posts the payment', async () => {
    const key = await billingKey();
    const ref = `ACC-E2E-${Date.now()}`;
    const report = await reportDelinquentAccount(key, { ref, name: 'Erin Tester', branchCode: 'CENT', timeZone: 'America/Chicago', email: 'erin@example.net', dueDate: '2026-09-25', amountMinor: 4200 });
    expect(report.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('accounts-table').waitFor();
    expect(await page.getByTestId('account-row').count()).toBeGreaterThan(5);
    await page.getByTestId('accounts-search').fill(ref);
    await page.locator(`[data-testid=account-row][data-account-ref="${ref}"]`).click();
    await page.getByTestId('account-header').waitFor();
    expect(await page.getByTestId('account-header').textContent()).toContain('Erin Tester');
    expect(await page.getByTestId('balance').textContent()).toContain('42.00');
    expect(await page.getByTestId('case-status').textContent()).toBe('Open');

    const payment = await fetch(`${baseUrl()}/api/v1/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({ accountRef: ref, externalRef: `PAY-${ref}`, amountMinor: 4200, currency: 'USD', method: 'card' }),
    });
    expect(payment.status).toBe(201);
    // The page polls: the workflow closes the case and the page shows it without a reload.
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 }).toBe('Closed');
    expect(await page.getByTestId('case-close-reason').textContent()).toBe('Paid in full');
    expect(await page.getByTestId('balance').textContent()).toContain('0.00');
    expect(await page.getByTestId('history').textContent()).toContain('Case closed: paid in full');

    // The case's confirmation email is in the outbox, readable in the UI (queued until contact hours
    // in the debtor's time zone if the case closed at night, sent otherwise).
    await page.getByTestId('nav').getByText('Outbox').click();
    await page.getByTestId('outbox').waitFor();
    const notice = page.getByTestId('outbox').locator('li', { hasText: `Account ${ref}: thank you, your balance is settled` });
    await expect.poll(async () => { await page.reload(); return notice.count(); }, { timeout: 20_000 }).toBe(1);
    await notice.getByRole('button').click();
    expect(await notice.textContent()).toContain('Dear Erin Tester');
    expect(await notice.textContent()).toMatch(/Sent|Queued/);
    await page.close();
  });

  test('a collector records a promise to pay; the case refuses a bad one with the reasons and holds reminders for a good one', async () => {
    const key = await billingKey();
    const ref = `ACC-PTP-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Pat Promise', branchCode: 'EAST', timeZone: 'America/New_York', email: 'pat@example.net', dueDate: '2026-11-10', amountMinor: 8000 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'collector1@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.goto(`${baseUrl()}/accounts/${accountId}`);
    await page.getByTestId('promise-form').waitFor();
    // Retail, $80: the low-risk segment's automated strategy, which takes no legal action (C6 says so rather than count).
    expect(await page.getByTestId('stages-before-legal').textContent()).toBe('No legal action in this strategy');

    await page.getByTestId('promise-amount').fill('500.00');
    await page.getByTestId('promise-date').fill('2026-01-01');
    await page.getByTestId('promise-submit').click();
    await page.getByTestId('promise-errors').waitFor();
    const reasons = await page.getByTestId('promise-errors').textContent();
    expect(reasons).toContain('more than the balance');
    expect(reasons).toContain('in the past');

    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    await page.getByTestId('promise-amount').fill('80.00');
    await page.getByTestId('promise-date').fill(inAWeek);
    await page.getByTestId('promise-submit').click();
    await expect.poll(() => page.getByTestId('pending-promise').textContent().catch(() => ''), { timeout: 15_000 }).toContain('$80.00');
    await page.getByTestId('next-action').waitFor();
    expect(await page.getByTestId('next-action').textContent()).toBe('Held until the promised date');
    expect(await page.getByTestId('promise-form').count()).toBe(0);
    await page.close();
  });

  test('a collector sees only their branch and no supervisor links', async () => {
    const page = await browser.newPage();
    await signIn(page, 'collector1@example.com');
    await page.getByTestId('accounts-table').waitFor();
    const branches = await page.locator('[data-testid=account-row] td[data-label=Branch]').allTextContents();
    expect(branches.length).toBeGreaterThan(0);
    expect(new Set(branches)).toEqual(new Set(['EAST']));
    expect(await page.getByTestId('nav').textContent()).not.toContain('Outbox');
    await page.close();
  });

  test('on a phone the navigation collapses into a menu and the list is still usable', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await signIn(page, 'field1@example.com');
    // Field reps land on their phone app (/field); the back office is a page away.
    await page.waitForURL(/\/field$/);
    await page.goto(`${baseUrl()}/accounts`);
    await page.getByTestId('accounts-table').waitFor();
    expect(await page.getByTestId('nav').isVisible()).toBe(false);
    await page.getByTestId('menu-toggle').tap();
    expect(await page.getByTestId('nav').isVisible()).toBe(true);
    await page.getByTestId('account-row').first().tap();
    await page.getByTestId('case-card').waitFor();
    await context.close();
  });
});
