// The supervisor console through a real browser against the whole running system: the East
// supervisor has the live board open; a collector starts working an account and records a promise
// through the API (the serving service leases it, the case workflow accepts the promise) and the
// board shows both without a reload. A freshly reported account is on
// the never-worked list; a saved view of the bucket round-trips. Screenshots for the docs.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiAs, baseUrl, billingKey, launchBrowser, reportDelinquentAccount, signIn } from './browser.ts';
import { createDb, type Db } from '../../platform/db/client.ts';

const screenshots = path.join(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(screenshots, { recursive: true });

let browser: Browser;
let key: string;
let db: Db;
beforeAll(async () => {
  browser = await launchBrowser();
  key = await billingKey();
  db = createDb(process.env.DATABASE_URL!);
});
afterAll(async () => {
  await browser?.close();
  await db?.$disconnect();
});

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/**
 * Earlier today's work for the team, written straight into the work log and leases so that the
 * board has a known, full day to show (the serving service writes the same rows as collectors work).
 */
async function eastTeamWorkedToday(accountIds: string[]) {
  const user = (email: string) => db.user.findUniqueOrThrow({ where: { email } });
  const [carla, omar, priya] = await Promise.all([user('collector1@example.com'), user('collector2@example.com'), user('collector3@example.com')]);
  const now = Date.now();
  const minutesAgo = (m: number) => new Date(now - m * 60_000);
  const stretches = [
    { userId: carla.id, accountId: accountIds[0]!, startedAt: minutesAgo(40), finishedAt: minutesAgo(34) },
    { userId: carla.id, accountId: accountIds[1]!, startedAt: minutesAgo(33), finishedAt: minutesAgo(25) },
    { userId: carla.id, accountId: accountIds[2]!, startedAt: minutesAgo(15), finishedAt: null },
    { userId: omar.id, accountId: accountIds[3]!, startedAt: minutesAgo(30), finishedAt: minutesAgo(22) },
    { userId: omar.id, accountId: accountIds[4]!, startedAt: minutesAgo(21), finishedAt: minutesAgo(12) },
    { userId: priya.id, accountId: accountIds[5]!, startedAt: minutesAgo(50), finishedAt: minutesAgo(41) },
    { userId: priya.id, accountId: accountIds[6]!, startedAt: minutesAgo(30), finishedAt: minutesAgo(24) },
    { userId: priya.id, accountId: accountIds[7]!, startedAt: minutesAgo(6), finishedAt: null },
  ];
  await db.workLogEntry.createMany({ data: stretches.map((s) => ({ ...s, ending: s.finishedAt ? 'finished' : null })) });
  await db.activity.createMany({
    data: [
      { accountId: accountIds[0]!, userId: carla.id, kind: 'call', outcome: 'no_answer', summary: 'No answer', occurredAt: minutesAgo(38) },
      { accountId: accountIds[1]!, userId: carla.id, kind: 'call', outcome: 'reached', summary: 'Spoke to the debtor', occurredAt: minutesAgo(30) },
      { accountId: accountIds[3]!, userId: omar.id, kind: 'call', outcome: 'reached', summary: 'Spoke to the debtor', occurredAt: minutesAgo(28) },
      { accountId: accountIds[4]!, userId: omar.id, kind: 'sms', outcome: null, summary: 'Texted the payment link', occurredAt: minutesAgo(14) },
    ],
  });
  // Omar finished his last account 12 minutes ago: whatever earlier test files left him holding is over.
  await db.accountLease.deleteMany({ where: { userId: omar.id } });
  for (const [accountId, userId, since] of [[accountIds[2]!, carla.id, 15], [accountIds[7]!, priya.id, 6]] as const) {
    // A collector works one account at a time: whatever earlier tests left them holding is finished.
    await db.accountLease.deleteMany({ where: { userId, accountId: { not: accountId } } });
    await db.accountLease.upsert({
      where: { accountId },
      create: { accountId, userId, leasedAt: minutesAgo(since), renewedAt: minutesAgo(1), expiresAt: new Date(now + 15 * 60_000) },
      update: { userId, leasedAt: minutesAgo(since), renewedAt: minutesAgo(1), expiresAt: new Date(now + 15 * 60_000) },
    });
  }
}

describe('the supervisor console', () => {
  test('the board shows a promise a collector records, without a reload', async () => {
    const stamp = Date.now();
    const accounts = await Promise.all(
      ['Nora North', 'Ben Baker', 'Cleo Carter', 'Dev Dawson', 'Eli Evans', 'Cy Central', 'Dana Drake', 'Gus Grant', 'Hana Hall'].map((name, i) =>
        reportDelinquentAccount(key, { ref: `ACC-TEAM-${stamp}-${i}`, name, branchCode: i < 5 || i === 8 ? 'EAST' : 'CENT', timeZone: i < 5 || i === 8 ? 'America/New_York' : 'America/Chicago', email: `team${i}.${stamp}@example.net`, dueDate: '2026-10-20', amountMinor: 25_000 + i * 1000 }),
      ),
    );
    expect(accounts.every((a) => a.status === 201)).toBe(true);
    await eastTeamWorkedToday(accounts.map((a) => a.accountId));
    // The collectors are signed in (as they would be, working): the board knows they are online.
    const [carla] = await Promise.all([apiAs('collector1@example.com'), apiAs('collector2@example.com'), apiAs('collector3@example.com')]);
    // ... since the start of their shift, an hour ago.
    await db.session.updateMany({ where: { user: { email: { in: ['collector1@example.com', 'collector2@example.com', 'collector3@example.com'] } } }, data: { createdAt: new Date(Date.now() - 3_600_000) } });

    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await signIn(page, 'supervisor.east@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.getByTestId('nav').getByText('Team').click();
    await page.getByTestId('team-board').waitFor();
    await expect.poll(() => page.getByTestId('board-connection').textContent()).toContain('Live');
    const carlaRow = page.locator('[data-testid=board-row]', { hasText: 'Carla Collins' });
    expect(await carlaRow.getByTestId('board-status').textContent()).toContain('Working');
    expect(await carlaRow.getByTestId('board-now').textContent()).toBe(`ACC-TEAM-${stamp}-2`);
    expect(Number(await carlaRow.getByTestId('board-worked').textContent())).toBeGreaterThanOrEqual(3);
    // The East supervisor sees East's collectors only.
    const names = await page.locator('[data-testid=board-row] td[data-label=Collector] strong').allTextContents();
    expect(names).toContain('Omar Okafor');
    expect(names).not.toContain('Priya Patel');
    const workedBefore = Number(await carlaRow.getByTestId('board-worked').textContent());
    const promisesBefore = Number(await carlaRow.locator('[data-testid=board-promises] .count').textContent());
    // Other test files may have left Carla promises today: the board must add this one to them.
    const dollars = (text: string | null) => Number(/\$([\d,]+\.\d\d)/.exec(text ?? '')?.[1]?.replace(/,/g, '') ?? 0);
    const carlaAmountBefore = dollars(await carlaRow.getByTestId('board-promises').textContent());
    const teamAmountBefore = dollars(await page.getByTestId('totals-promises').textContent());
    await page.evaluate(() => ((globalThis as unknown as { stillTheSamePage: boolean }).stillTheSamePage = true));

    // Carla opens another account: the serving service leases it to her and logs the stretch.
    const hana = accounts[8]!;
    expect((await carla('POST', `/accounts/${hana.accountId}/lease`)).status).toBe(200);
    await expect.poll(() => carlaRow.getByTestId('board-now').textContent(), { timeout: 20_000 }).toBe(`ACC-TEAM-${stamp}-8`);
    expect(Number(await carlaRow.getByTestId('board-worked').textContent())).toBe(workedBefore + 1);

    // ... and records the customer's promise to pay; the case workflow accepts it.
    const promised = await carla('POST', `/accounts/${hana.accountId}/promises`, { amountMinor: 12_345, dueDate: inDays(5) });
    expect(promised.status).toBe(201);

    await expect.poll(async () => Number(await carlaRow.locator('[data-testid=board-promises] .count').textContent()), { timeout: 20_000 }).toBe(promisesBefore + 1);
    expect(dollars(await carlaRow.getByTestId('board-promises').textContent()) - carlaAmountBefore).toBeCloseTo(123.45, 2);
    expect(dollars(await page.getByTestId('totals-promises').textContent()) - teamAmountBefore).toBeCloseTo(123.45, 2);
    expect(await page.evaluate(() => (globalThis as unknown as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
    // Omar finished his last account 12 minutes ago: idle, highlighted.
    const omarRow = page.locator('[data-testid=board-row]', { hasText: 'Omar Okafor' });
    expect(await omarRow.getByTestId('board-status').textContent()).toContain('Idle since');
    expect(await omarRow.getAttribute('class')).toContain('idle');

    // The head-office supervisor's board, all branches, for the docs.
    const all = await browser.newPage({ viewport: { width: 1360, height: 760 } });
    await signIn(all, 'supervisor@example.com');
    await all.getByTestId('accounts-table').waitFor();
    await all.goto(`${baseUrl()}/team`);
    await expect.poll(() => all.getByTestId('board-connection').textContent()).toContain('Live');
    expect(await all.locator('[data-testid=board-row] td[data-label=Collector] strong').allTextContents()).toContain('Priya Patel');
    await all.screenshot({ path: path.join(screenshots, 'supervisor-console.png'), fullPage: true });
    await all.close();

    // R1: another day is a snapshot, with no live status.
    await page.getByTestId('board-date').fill('2026-11-02');
    await page.getByTestId('board-date').dispatchEvent('change');
    await expect.poll(() => page.getByTestId('board-connection').textContent()).toBe('History');
    expect(new URL(page.url()).searchParams.get('date')).toBe('2026-11-02');
    expect(await page.getByTestId('board-status').count()).toBe(0);
    await page.close();
  });

  test('a freshly reported account is on the never-worked list, and not in another branch’s', async () => {
    const ref = `ACC-FRESH-${Date.now()}`;
    expect((await reportDelinquentAccount(key, { ref, name: 'Fay Fresh', branchCode: 'EAST', timeZone: 'America/New_York', email: 'fay@example.net', dueDate: '2026-11-01', amountMinor: 6400 })).status).toBe(201);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await signIn(page, 'supervisor.east@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.goto(`${baseUrl()}/team/never-worked`);
    await page.getByTestId('accounts-search').fill(ref);
    await expect.poll(() => page.locator(`[data-testid=account-row][data-account-ref="${ref}"]`).count()).toBe(1);
    await page.close();

    const headOffice = await apiAs('supervisor@example.com');
    const cent = ((await headOffice('GET', '/branches')).body as { items: Array<{ id: string; code: string }> }).items.find((b) => b.code === 'CENT')!;
    expect((await headOffice('GET', `/accounts/never-worked?q=${ref}&branchId=${cent.id}`)).body.total).toBe(0);
    expect((await headOffice('GET', `/accounts/never-worked?q=${ref}`)).body.total).toBe(1);
  });

  test('a saved view of the bucket round-trips: save the filters, pick the view, delete it', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.getByTestId('bucket-summary').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'bucket.png'), fullPage: false });
    // Filter from the summary: the 90+ band.
    await page.locator('[data-testid=summary-group][data-section=byAgeingBucket][data-key="90+"]').click();
    await page.waitForURL(/age=90%2B/);
    const total90 = await page.getByTestId('bucket-total').textContent();
    expect(await page.locator('[data-testid=summary-group][data-section=byAgeingBucket]').count()).toBe(1);

    const name = `Oldest debts ${Date.now()}`;
    await page.getByTestId('save-view').click();
    await page.getByTestId('saved-view-name').fill(name);
    await page.getByTestId('saved-view-shared').check();
    await page.getByTestId('saved-view-submit').click();
    await page.waitForURL(/view=/);

    await page.goto(`${baseUrl()}/accounts`);
    await page.getByTestId('accounts-table').waitFor();
    expect(new URL(page.url()).searchParams.get('age')).toBeNull();
    const option = page.getByTestId('saved-view-select').locator('option', { hasText: name });
    await page.getByTestId('saved-view-select').selectOption(await option.getAttribute('value'));
    await page.waitForURL(/age=90%2B/);
    await expect.poll(() => page.getByTestId('bucket-total').textContent()).toBe(total90);

    // The same name again is refused with the reason.
    await page.getByTestId('save-view').click();
    await page.getByTestId('saved-view-name').fill(name);
    await page.getByTestId('saved-view-submit').click();
    expect(await page.getByTestId('saved-view-error').textContent()).toContain('already have a view with this name');
    await page.getByRole('button', { name: 'Cancel' }).click();

    await page.getByTestId('saved-view-delete').click();
    await expect.poll(() => page.getByTestId('saved-view-select').locator('option', { hasText: name }).count()).toBe(0);
    await page.close();
  });
});
