// Launches Debian's Chromium through playwright-core (no browser download), with the flags that
// work on these machines, and signs a user in through the real login page.
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';

export const demoPassword = 'demo-password';

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url) throw new Error('E2E_BASE_URL is not set: run the suite with ./arrears test, which starts the system');
  return url;
}

/** `fakeCamera`: a Y4M file the browser's camera shows (test/support/barcode-video.ts), allowed without asking. */
export async function launchBrowser(options: { fakeCamera?: string } = {}): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
  if (!executablePath) throw new Error('Chromium is not installed (apt-get install chromium) and CHROMIUM_PATH is not set');
  const camera = options.fakeCamera ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${options.fakeCamera}`] : [];
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...camera],
  });
}

export async function signIn(page: Page, email: string, password = demoPassword): Promise<void> {
  await page.goto(`${baseUrl()}/login`);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Signs the admin in through the API and creates a billing system's API key (delinquencies, payments). */
export async function billingKey(): Promise<string> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@example.com', password: demoPassword }) });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const created = await fetch(`${baseUrl()}/api/v1/api-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ name: `e2e billing ${Date.now()}`, scopes: ['delinquencies:report', 'payments:write'] }),
  });
  if (created.status !== 201) throw new Error(`creating a billing API key answered ${created.status}`);
  return ((await created.json()) as { key: string }).key;
}

/** A billing system reports a delinquent account with one invoice; returns the API's answer. */
export async function reportDelinquentAccount(apiKey: string, account: { ref: string; name: string; branchCode: string; timeZone: string; email: string; dueDate: string; amountMinor: number }): Promise<{ status: number; accountId: string }> {
  const res = await fetch(`${baseUrl()}/api/v1/delinquencies`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({
      customer: { externalRef: `CUST-${account.ref}`, name: account.name, type: 'retail', timeZone: account.timeZone, branchCode: account.branchCode, contacts: [{ kind: 'email', value: account.email }] },
      account: { externalRef: account.ref, currency: 'USD' },
      invoices: [{ externalRef: `INV-${account.ref}`, issuedAt: '2026-09-01', dueDate: account.dueDate, amountMinor: account.amountMinor, openMinor: account.amountMinor }],
    }),
  });
  return { status: res.status, accountId: ((await res.json()) as { accountId: string }).accountId };
}

/** Signs a user in through the API (no browser) and returns a caller that sends their cookie and CSRF token. */
export async function apiAs(email: string): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: demoPassword }) });
  if (login.status !== 200) throw new Error(`signing ${email} in answered ${login.status}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  return async (method, path, body) => {
    const res = await fetch(`${baseUrl()}/api/v1${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: res.status === 204 ? null : await res.json().catch(() => null) };
  };
}

/** An IANA zone where it is mid-day now, so that contact hours allow a call whenever the test runs. */
export { daytimeZone } from '../support/time-zones.ts';
