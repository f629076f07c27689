// The collector's workspace through a real browser against the whole running system (W6-W8): a
// collector adds and corrects the debtor's number, records "no answer" and then a promise by
// keyboard shortcut and sees both in the timeline with the contact edit; marks the account for
// trace; a second collector opening the same account is warned who is working it and must confirm
// before a contact (W7); "Save and next" moves on to the next account the queues serve.
import { mkdirSync } from 'node:fs';
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

const screenshots = path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
mkdirSync(screenshots, { recursive: true });
const daysFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** A time zone where it is daytime now, so that the contact policy allows a call whatever hour the test runs. */
function zoneAtDay(): string {
  const zones = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Pacific/Honolulu', 'Pacific/Auckland', 'Asia/Tokyo', 'Asia/Kolkata', 'Asia/Dubai', 'Europe/Berlin', 'Europe/London', 'Atlantic/Azores'];
  const hourIn = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
  return zones.find((z) => hourIn(z) >= 10 && hourIn(z) <= 18)!;
}

async function openAccount(page: Page, email: string, accountId: string) {
  await signIn(page, email);
  await page.getByTestId('accounts-table').waitFor();
  await page.goto(`${baseUrl()}/accounts/${accountId}`);
  await page.getByTestId('action-bar').waitFor();
  await page.getByTestId('history').waitFor();
}

/** Presses a workspace shortcut with the focus outside any field. */
async function shortcut(page: Page, key: string) {
  await page.locator('h1').click();
  await page.keyboard.press(key);
}

const timelineText = (page: Page) => page.getByTestId('history').textContent();

describe('the collector’s workspace', () => {
  test('a collector corrects the debtor’s number, records "no answer" and a promise by keyboard, sees them in the timeline, and marks the account for trace', async () => {
    const ref = `ACC-WS-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Wendy Workspace', branchCode: 'EAST', timeZone: zoneAtDay(), email: 'wendy@example.net', dueDate: '2026-10-20', amountMinor: 18_000 });
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    await openAccount(page, 'collector1@example.com', accountId);

    // Contacts are edited in place; the number is checked and stored in E.164.
    await page.getByTestId('contact-add').click();
    await page.getByTestId('contact-new-value').fill('617 555 01');
    await page.getByTestId('contact-new-save').click();
    await expect.poll(() => page.getByTestId('contact-error').textContent()).toContain('not a valid phone number');
    await page.getByTestId('contact-new-value').fill('(617) 555-0142');
    await page.getByTestId('contact-new-save').click();
    const added = page.getByTestId('contact-row').filter({ hasText: '+16175550142' });
    await added.waitFor();
    // While edited, the row shows its value in a field, not as text: follow it by its id.
    const mobile = page.locator(`[data-contact-id="${await added.getAttribute('data-contact-id')}"]`);
    await mobile.getByTestId('contact-edit').click();
    await mobile.getByTestId('contact-label').fill('Home');
    await mobile.getByTestId('contact-save').click();
    await expect.poll(() => mobile.textContent()).toContain('Mobile · Home');

    // "No answer" with N: the form opens on the primary number; Enter in the note saves.
    await shortcut(page, 'n');
    await page.locator('[data-testid="action-panel"][data-action="no_answer"]').waitFor();
    expect(await page.getByTestId('outcome-contact').inputValue()).not.toBe('');
    await page.getByTestId('outcome-note').fill('rang out');
    await page.keyboard.press('Enter');
    await expect.poll(() => timelineText(page)).toContain('Call to +16175550142: No answer — rang out');

    // Shortcuts never fire while typing: a "p" typed in a note stays in the note.
    await shortcut(page, 'm');
    await page.getByTestId('note-text').pressSequentially('pay by card');
    expect(await page.locator('[data-testid="action-panel"]').getAttribute('data-action')).toBe('note');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('action-panel').count()).toBe(0);

    // A promise with P, which the case accepts; it appears in the timeline and in the header.
    const promiseDate = daysFromNow(7);
    await shortcut(page, 'p');
    await page.locator('[data-testid="action-panel"][data-action="promise"]').waitFor();
    await page.getByTestId('outcome-promise-amount').fill('60.00');
    await page.getByTestId('outcome-promise-date').fill(promiseDate);
    await page.getByTestId('outcome-note').fill('will pay on Friday');
    await page.getByTestId('action-save').click();
    await expect.poll(() => timelineText(page), { timeout: 15_000 }).toContain(`Promise to pay $60.00 by ${promiseDate}`);
    expect(await timelineText(page)).toContain('Call to +16175550142: Promise to pay — will pay on Friday');
    await expect.poll(() => page.getByTestId('header-promise').textContent()).toContain('$60.00');

    // The contact edit is on the timeline from the audit trail, with what it was before.
    await page.getByTestId('timeline-filter-contact_change').click();
    await expect.poll(() => page.getByTestId('timeline-entry').first().textContent()).toContain('Contact changed: +16175550142 (label "Home")');
    expect(await timelineText(page)).toContain('Contact added: +16175550142');
    expect(await timelineText(page)).not.toContain('No answer');
    await page.getByTestId('timeline-filter-all').click();
    await expect.poll(() => timelineText(page)).toContain('No answer');

    // The shortcut list.
    await shortcut(page, '?');
    expect(await page.getByTestId('shortcuts-help').textContent()).toContain('Save and next');
    await page.getByTestId('shortcuts-toggle').click();
    // Toasts go by themselves after a few seconds; dismiss them so the screenshot shows the page.
    const toast = page.getByRole('button', { name: 'Dismiss' });
    while ((await toast.count()) > 0) await toast.first().click({ timeout: 1000 }).catch(() => undefined);
    await page.screenshot({ path: path.join(screenshots, 'account-workspace.png'), fullPage: true });

    // A second call within 7 days of the conversation is refused by the contact policy, in words.
    await shortcut(page, 'r');
    await page.getByTestId('action-save').click();
    await expect.poll(() => page.getByTestId('action-errors').textContent()).toContain('Recent conversation');
    await page.keyboard.press('Escape');

    // W8: trace with T.
    await shortcut(page, 't');
    await page.getByTestId('trace-reason').fill('number disconnected, letters returned');
    await page.getByTestId('action-save').click();
    await expect.poll(() => page.getByTestId('account-status').textContent()).toBe('Trace');
    await expect.poll(() => timelineText(page)).toContain('Marked for trace: number disconnected, letters returned');
    await page.close();
  });

  test('W7: a second collector sees who is working the account and confirms before contacting; "Save and next" moves on', async () => {
    const ref = `ACC-WS2-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Walter Twice', branchCode: 'EAST', timeZone: zoneAtDay(), email: 'walter@example.net', dueDate: '2026-10-20', amountMinor: 9_000 });
    const first = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await openAccount(first, 'collector1@example.com', accountId);

    const second = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openAccount(second, 'collector2@example.com', accountId);
    await expect.poll(() => second.getByTestId('work-banner').textContent()).toMatch(/Being worked by Carla Collins since \d\d:\d\d/);
    expect(await second.getByTestId('work-banner').getAttribute('data-tone')).toBe('warning');
    await shortcut(second, 'm');
    await second.getByTestId('note-text').fill('checked the file');
    // A note is not a contact: no confirmation needed.
    expect(await second.getByTestId('contact-confirm').count()).toBe(0);
    await second.keyboard.press('Escape');
    await shortcut(second, 's');
    await second.getByTestId('contact-confirm').waitFor();
    expect(await second.getByTestId('action-save').isDisabled()).toBe(true);
    await second.getByTestId('contact-anyway').click();
    expect(await second.getByTestId('action-save').isDisabled()).toBe(false);
    await expect.poll(() => second.getByTestId('message-template').locator('option').count()).toBeGreaterThan(1);
    await second.getByTestId('message-template').selectOption('email/payment_reminder');
    await second.screenshot({ path: path.join(screenshots, 'account-workspace-being-worked.png') });
    await second.close();

    // The first collector saves a note and moves on: the queues serve another account, or say they are empty.
    await shortcut(first, 'm');
    await first.getByTestId('note-text').fill('left a message with the neighbour');
    await first.keyboard.press('Control+Enter');
    await expect
      .poll(async () => (new URL(first.url()).pathname !== `/accounts/${accountId}` ? 'moved' : (await first.getByTestId('queues-empty').count()) > 0 ? 'empty' : 'waiting'), { timeout: 15_000 })
      .not.toBe('waiting');
    if (new URL(first.url()).pathname === `/accounts/${accountId}`) expect(await first.getByTestId('queues-empty').textContent()).toMatch(/empty|Nothing can be called right now/);
    else await first.getByTestId('action-bar').waitFor();
    await first.close();
  });

  test('W3: the lease is renewed by activity, not by the clock: an untouched page asks for nothing, a touch renews it, at most once a minute', async () => {
    const ref = `ACC-LEASE-${Date.now()}`;
    const { accountId } = await reportDelinquentAccount(key, { ref, name: 'Lena Lease', branchCode: 'EAST', timeZone: zoneAtDay(), email: 'lena@example.net', dueDate: '2026-10-20', amountMinor: 18_500 });
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.clock.install();
    const renewals: number[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === `/api/v1/accounts/${accountId}/lease`) renewals.push(Date.now());
    });
    await openAccount(page, 'collector2@example.com', accountId);
    await expect.poll(() => renewals.length).toBe(1); // taken when the page opens
    // Five minutes with nobody at the keyboard: nothing renewed (it used to be every minute, so an idle tab held the account for ever).
    await page.clock.fastForward('05:00');
    await page.waitForTimeout(300);
    expect(renewals.length).toBe(1);
    // The collector moves the mouse: renewed once; more activity within the minute: not again.
    await page.mouse.move(200, 300);
    await page.mouse.move(260, 340);
    await expect.poll(() => renewals.length).toBe(2);
    await page.keyboard.press('Shift');
    await page.mouse.move(300, 300);
    await page.waitForTimeout(300);
    expect(renewals.length).toBe(2);
    await page.close();
  });
});
