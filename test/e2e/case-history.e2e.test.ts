// The history inspector in a real browser against the whole running system (issue 4): a supervisor
// opens an S5 case's workflow history from the account page, reads its events (the start, the timer,
// the day-5 reminder's performStep) and the Temporal link, then pauses and resumes the case there
// and sees both in the timeline and in the account's audit trail.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { baseUrl, billingKey, launchBrowser, reportDelinquentAccount, signIn } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => browser?.close());

/** A time zone where it is now the middle of the day, so that the day-5 reminder goes out at once. */
function zoneInContactHours(now = new Date()): string {
  const zones = ['America/Chicago', 'America/New_York', 'America/Los_Angeles', 'Pacific/Honolulu', 'Europe/London', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Tokyo', 'Australia/Sydney', 'Pacific/Auckland'];
  const hour = (zone: string) => Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(now));
  return zones.find((zone) => hour(zone) >= 10 && hour(zone) <= 18)!;
}

const entries = (page: Page, kind: string, name?: string) => page.locator(`[data-testid=timeline-entry][data-kind=${kind}]${name ? `[data-name=${name}]` : ''}`);

describe('the workflow history inspector', () => {
  test("a supervisor reads an S5 case's events and the Temporal link, then pauses and resumes it from the page", async () => {
    const key = await billingKey();
    const ref = `ACC-HIST-${Date.now()}`;
    const dueDate = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);
    const report = await reportDelinquentAccount(key, { ref, name: 'Harper History', branchCode: 'CENT', timeZone: zoneInContactHours(), email: 'harper@example.net', dueDate, amountMinor: 26_400 }); // above $200: the high-risk retail segment, whose strategy is S5
    expect(report.status).toBe(201);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, 'supervisor@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.goto(`${baseUrl()}/accounts/${report.accountId}`);
    await page.getByTestId('workflow-history-link').click();
    await page.waitForURL(/\/cases\/[0-9a-f-]+\/history$/);
    await page.getByTestId('history-header').waitFor();

    // The case starts, loads, runs the day-5 reminder (10 days past due) and sets a timer for the day-15 call.
    await expect.poll(async () => { await page.reload(); return entries(page, 'activity_completed', 'performStep').count(); }, { timeout: 30_000 }).toBeGreaterThan(0);
    expect(await entries(page, 'started').count()).toBe(1);
    expect(await entries(page, 'started').textContent()).toContain('from e2e billing');
    expect(await entries(page, 'activity_scheduled', 'performStep').first().textContent()).toContain('Step reminder_email started: Email payment reminder');
    expect(await entries(page, 'timer_started').count()).toBeGreaterThan(0);
    expect(await entries(page, 'timer_started').last().textContent()).toMatch(/Timer \d+ set to fire at/);
    expect(await page.getByTestId('pending-timers').textContent()).toMatch(/Timer \d+ fires/);
    expect(await page.getByTestId('next-step').textContent()).toContain('Call task');
    const workflowId = (await page.getByTestId('workflow-id').textContent())!;
    expect(await page.getByTestId('temporal-link').getAttribute('href')).toContain(`/namespaces/default/workflows/${encodeURIComponent(workflowId)}`);
    expect(await page.getByTestId('run-select').locator('option').count()).toBe(1);

    // Expanding an entry shows its raw event details.
    const reminder = entries(page, 'activity_scheduled', 'performStep').first();
    await reminder.locator('summary').click();
    expect(await reminder.locator('pre').textContent()).toContain('"stepId": "reminder_email"');

    if (process.env.E2E_SCREENSHOTS) await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/case-history.png`, fullPage: true });

    // Pause, with a reason; the page says who paused it and why, and offers to resume.
    await page.getByTestId('pause-reason').fill('customer complaint under review');
    await page.getByTestId('pause-case').click();
    await expect.poll(() => page.getByTestId('paused-banner').textContent(), { timeout: 20_000 }).toContain('by Sofia Supervisor: customer complaint under review');
    expect(await page.getByTestId('paused-badge').isVisible()).toBe(true);
    expect(await page.getByTestId('next-step').textContent()).toContain('Paused by Sofia Supervisor');
    await page.getByTestId('resume-case').click();
    await expect.poll(() => page.getByTestId('case-control').textContent(), { timeout: 20_000 }).toContain('Pause this case');

    // Both are in the timeline, with who sent them …
    const control = entries(page, 'update_accepted');
    await expect.poll(() => control.count()).toBe(2);
    expect(await control.nth(0).textContent()).toContain('Pause the case: customer complaint under review — sent by Sofia Supervisor');
    expect(await control.nth(1).textContent()).toContain('Resume the case — sent by Sofia Supervisor');

    // … and in the account's activity log and audit trail.
    await page.goto(`${baseUrl()}/accounts/${report.accountId}`);
    await expect.poll(() => page.getByTestId('history').textContent(), { timeout: 20_000 }).toContain('Case paused by Sofia Supervisor: customer complaint under review');
    expect(await page.getByTestId('history').textContent()).toContain('Case resumed by Sofia Supervisor');
    await page.getByRole('tab', { name: 'Audit' }).click();
    await page.getByTestId('audit').waitFor();
    expect(await page.getByTestId('audit').textContent()).toContain('case.paused');
    expect(await page.getByTestId('audit').textContent()).toContain('case.resumed');
    await page.close();
  });

  test('a collector has no history link and cannot open the page', async () => {
    const page = await browser.newPage();
    await signIn(page, 'collector3@example.com');
    await page.getByTestId('accounts-table').waitFor();
    await page.getByTestId('account-row').first().click();
    await page.getByTestId('case-card').waitFor();
    expect(await page.getByTestId('workflow-history-link').count()).toBe(0);
    const caseId = await page.evaluate(async () => ((await (await fetch('/api/v1/cases?pageSize=1')).json()) as { items: Array<{ id: string }> }).items[0]!.id);
    await page.goto(`${baseUrl()}/cases/${caseId}/history`);
    await expect.poll(() => page.locator('h1').textContent()).toBe('No access');
    await page.close();
  });
});
