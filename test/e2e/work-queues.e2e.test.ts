// Served queues in the browser (W2, W3, W4): a supervisor builds a queue and sees what it holds;
// two collectors press "Next account" at the same moment and get different accounts; a postponed
// account comes back to its collector at its time; a collector cannot open another branch's account.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { apiAs, baseUrl, billingKey, daytimeZone, launchBrowser, reportDelinquentAccount, signIn } from './browser.ts';
import { createDb } from '../../platform/db/client.ts';

let browser: Browser;
let key: string;
// Balances no demo account has, so that the test's queue holds only the test's accounts.
const bigBalance = 987_654_300;
const accountIds: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  key = await billingKey();
  const timeZone = daytimeZone();
  for (let k = 0; k < 4; k++) {
    const ref = `ACC-Q-${Date.now()}-${k}`;
    const report = await reportDelinquentAccount(key, { ref, name: `Quinn Queue ${k}`, branchCode: 'EAST', timeZone, email: `q${k}@example.net`, dueDate: '2026-10-01', amountMinor: bigBalance + k });
    expect(report.status).toBe(201);
    accountIds.push(report.accountId);
  }
});
afterAll(async () => browser?.close());

async function collectorPage(email: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await signIn(page, email);
  await page.getByTestId('nav').waitFor();
  return page;
}

describe('work queues', () => {
  test('a supervisor builds a queue in the browser and sees what it holds before saving', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 1000 } });
    await signIn(page, 'supervisor.east@example.com');
    await page.getByTestId('nav').waitFor();
    await page.goto(`${baseUrl()}/work/queues`);
    await page.getByTestId('new-queue').click();
    await page.getByTestId('queue-name').fill('E2E big debts');
    await page.locator('label', { hasText: 'Balance from' }).locator('input').fill(String(bigBalance / 100));
    await expect.poll(() => page.getByTestId('queue-preview-count').textContent()).toBe('4');
    await page.locator('label.chip', { hasText: 'Carla Collins' }).locator('input').check();
    await page.locator('label.chip', { hasText: 'Omar Okafor' }).locator('input').check();
    await page.locator('label', { hasText: 'Rank' }).locator('input').fill('0');
    mkdirSync('docs/screenshots', { recursive: true });
    await page.screenshot({ path: 'docs/screenshots/work-queue-editor.png', fullPage: true });
    await page.getByTestId('queue-save').click();
    await expect.poll(() => page.getByTestId('queue-row').filter({ hasText: 'E2E big debts' }).count()).toBe(1);
    await page.close();
  });

  test('two collectors pressing "Next account" at the same moment get different accounts', async () => {
    const [carla, omar] = await Promise.all([collectorPage('collector1@example.com'), collectorPage('collector2@example.com')]);
    await Promise.all([carla.goto(`${baseUrl()}/work`), omar.goto(`${baseUrl()}/work`)]);
    await Promise.all([carla.getByTestId('next-account').waitFor(), omar.getByTestId('next-account').waitFor()]);
    expect(Number((await carla.getByTestId('waiting-count').textContent())!.replace(/,/g, ''))).toBeGreaterThanOrEqual(4);
    await carla.screenshot({ path: 'docs/screenshots/my-work.png' });
    await Promise.all([carla.getByTestId('next-account').click(), omar.getByTestId('next-account').click()]);
    await Promise.all([carla.waitForURL(/\/accounts\/[0-9a-f-]{36}/), omar.waitForURL(/\/accounts\/[0-9a-f-]{36}/)]);
    const served = [carla, omar].map((p) => new URL(p.url()).pathname.split('/')[2]!);
    expect(served[0]).not.toBe(served[1]);
    for (const id of served) expect(accountIds).toContain(id);
    // Each sees the other at work on their account (W7).
    const carlaApi = await apiAs('collector1@example.com');
    const seen = await carlaApi('GET', `/accounts/${served[1]}`);
    expect(seen.body.work.leasedBy.name).toBe('Omar Okafor');
    await Promise.all([carla.close(), omar.close()]);
  });

  test('a postponed account comes back to its collector at its time', async () => {
    const omarApi = await apiAs('collector2@example.com');
    const first = await omarApi('POST', '/work/next');
    expect(first.status).toBe(200);
    const accountId = first.body.account.id as string;
    expect(accountIds).toContain(accountId);
    const until = new Date(Date.now() + 6_000);
    const postponed = await omarApi('POST', `/accounts/${accountId}/postpone`, { until: until.toISOString(), reason: 'call back after lunch' });
    expect(postponed.status).toBe(200);
    // Gone from the queues meanwhile: Omar is served something else.
    const meanwhile = await omarApi('POST', '/work/next');
    expect(meanwhile.body.account?.id).not.toBe(accountId);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until.getTime() - Date.now()) + 500));
    const page = await collectorPage('collector2@example.com');
    await page.getByTestId('topbar-next').click();
    await page.waitForURL(new RegExp(`/accounts/${accountId}`));
    expect(decodeURIComponent(new URL(page.url()).searchParams.get('served') ?? '')).toBe('You postponed this account to now');
    await page.close();
    expect((await omarApi('DELETE', `/accounts/${accountId}/lease`)).status).toBe(204); // done with it
  });

  test("a collector cannot open another branch's account", async () => {
    const priyaApi = await apiAs('collector3@example.com'); // Central
    const other = await priyaApi('GET', `/accounts/${accountIds[3]}`);
    expect(other.status).toBe(404);
    const lease = await priyaApi('POST', `/accounts/${accountIds[3]}/lease`);
    expect(lease.status).toBe(404);
    const page = await collectorPage('collector3@example.com');
    await page.goto(`${baseUrl()}/accounts/${accountIds[3]}`);
    await expect.poll(() => page.locator('body').textContent()).toMatch(/not found|No such account/i);
    await page.close();
  });

  test('a reminder a strategy set shows on My work on its day; the collector marks it done and it leaves the list', async () => {
    const ref = `ACC-REM-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Rita Reminder', branchCode: 'EAST', timeZone: daytimeZone(), email: 'rita@example.net', dueDate: '2026-10-20', amountMinor: 25_500 });
    // What a strategy's reminder step leaves (services/case-steps.ts): a review task, due now.
    const db = createDb(process.env.DATABASE_URL!);
    try {
      const account = await db.account.findUniqueOrThrow({ where: { id: accountId }, select: { branchId: true, cases: { select: { id: true }, take: 1 } } });
      await db.task.create({ data: { accountId, caseId: account.cases[0]?.id ?? null, branchId: account.branchId, kind: 'review', title: `Check Rita's cheque has cleared ${ref}`, dueAt: new Date(Date.now() - 60_000) } });
    } finally {
      await db.$disconnect();
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'collector1@example.com');
    await page.getByTestId('nav').waitFor();
    await page.goto(`${baseUrl()}/work`);
    const row = page.getByTestId('reminder').filter({ hasText: ref });
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain(ref);
    await row.getByTestId('reminder-done').click();
    await expect.poll(() => page.getByText(`Reminder done: Check Rita's cheque has cleared ${ref}`).count()).toBeGreaterThan(0);
    await expect.poll(() => row.count()).toBe(0);
    // Another branch's collector never saw it.
    const west = await browser.newPage();
    await signIn(west, 'collector4@example.com');
    await west.getByTestId('nav').waitFor();
    await west.goto(`${baseUrl()}/work`);
    await west.getByTestId('reminders').waitFor();
    expect(await west.getByTestId('reminder').filter({ hasText: ref }).count()).toBe(0);
    await west.close();
    await page.close();
  });
});
