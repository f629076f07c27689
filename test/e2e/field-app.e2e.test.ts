// The field app on a phone (F4-F9, F11), in Chromium with a phone's screen and touch, against the
// whole running system: a rep loads the day, loses the connection, records three visits with the
// customer's signature — cash, a card through the processor's sandbox, equipment returned — sees them
// wait in the outbox and survive an offline reload, comes back online and watches them sync; the
// server holds each visit once, each payment reached its account once, the card was approved and the
// receipt PDF carries the signature. Then the same outbox is synced a second time and nothing doubles.
// Screenshots of the phone's screens go to docs/screenshots/field-*.png.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeBarcodeVideo } from '../support/barcode-video.ts';
import { pdfImages } from '../support/pdf.ts';
import { apiAs, baseUrl, billingKey, daytimeZone, launchBrowser, signIn } from './browser.ts';
import { localDate } from '../../domain/ageing.ts';

type Api = Awaited<ReturnType<typeof apiAs>>;
interface StoredVisit {
  clientVisitId: string;
  status: string;
  context: { accountRef: string };
  visit: { signature: { pngBase64: string } | null };
  result: { visitId: string; repeat: boolean; card: { status: string } | null; conflicts: unknown[] } | null;
  receiptRequests: Array<{ status: string; sentTo: string | null }>;
}

const screenshots = 'docs/screenshots';
// A rep in Boston carries a phone on Boston's clock.
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, timezoneId: 'America/New_York', locale: 'en-US' };
const stamp = Date.now();
const serial = `SN-${stamp}`;
const customers = [
  { key: 'cash', ref: `ACC-FLD-${stamp}-1`, name: 'Carmen Cash', amountMinor: 12_000, at: [42.3467, -71.0972] },
  { key: 'card', ref: `ACC-FLD-${stamp}-2`, name: 'Carl Card', amountMinor: 9_000, at: [42.3601, -71.0589] },
  { key: 'equipment', ref: `ACC-FLD-${stamp}-3`, name: 'Erin Equipment', amountMinor: 15_000, at: [42.3398, -71.0892] },
  { key: 'fix', ref: `ACC-FLD-${stamp}-4`, name: 'Fiona Fix', amountMinor: 6_000, at: [42.3751, -71.0395] },
] as const;
type Key = (typeof customers)[number]['key'];

let browser: Browser;
let supervisor: Api;
const accountIds = {} as Record<Key, string>;

beforeAll(async () => {
  // The phone's camera shows the modem's serial-number label (step 3 scans it).
  const camera = path.join(mkdtempSync(path.join(tmpdir(), 'arrears-camera-')), 'serial-label.y4m');
  await writeBarcodeVideo(camera, serial);
  browser = await launchBrowser({ fakeCamera: camera });
  mkdirSync(screenshots, { recursive: true });
  // Billing reports the three accounts (in a zone where it is day now: no visit falls outside contact hours).
  const key = await billingKey();
  const timeZone = daytimeZone();
  for (const c of customers) {
    const res = await fetch(`${baseUrl()}/api/v1/delinquencies`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify({
        customer: { externalRef: `CUST-${c.ref}`, name: c.name, type: 'retail', timeZone, branchCode: 'EAST', contacts: [{ kind: 'email', value: `${c.key}.${stamp}@example.net` }] },
        account: { externalRef: c.ref, currency: 'USD', serviceLocation: { address: `${customers.indexOf(c) + 12} Tremont St, Boston`, postalCode: '02118', latitude: c.at[0], longitude: c.at[1] } },
        invoices: [{ externalRef: `INV-${c.ref}`, issuedAt: '2026-09-01', dueDate: '2026-10-01', amountMinor: c.amountMinor, openMinor: c.amountMinor }],
      }),
    });
    expect(res.status).toBe(201);
    accountIds[c.key] = ((await res.json()) as { accountId: string }).accountId;
  }
  // The supervisor asks for visits to them and puts them on field1's route for today, in this order.
  supervisor = await apiAs('supervisor.east@example.com');
  const leads = await supervisor('POST', '/field/leads', { accountIds: customers.map((c) => accountIds[c.key]), title: 'Field visit: collect the arrears' });
  expect(leads.body.created).toHaveLength(customers.length);
  const taskOf = (accountId: string) => (leads.body.created as Array<{ taskId: string; accountId: string }>).find((l) => l.accountId === accountId)!.taskId;
  const rep = ((await supervisor('GET', '/field/reps')).body.items as Array<{ id: string; email: string }>).find((r) => r.email === 'field1@example.com')!;
  const route = await supervisor('POST', '/field/routes', {
    serviceDate: localDate(new Date(), 'America/New_York'),
    routes: [{ name: `Tremont St ${stamp}`, repId: rep.id, taskIds: customers.map((c) => taskOf(accountIds[c.key])), optimise: false }],
  });
  expect(route.status).toBe(201);
});
afterAll(async () => browser?.close());

/**
 * Waits until the service worker controls the page (the app shell is cached). Polled from the test with
 * page.evaluate (a function call, which the page's CSP allows; a string predicate would need eval).
 */
async function serviceWorkerInControl(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { navigator: { serviceWorker?: { controller: unknown } } }).navigator.serviceWorker?.controller != null), { timeout: 30_000 }).toBe(true);
}

describe('the field app, offline (F5-F9)', () => {
  test('three visits recorded with no connection — cash, card, equipment — sync once; the receipts carry the signature; a second sync of the same outbox changes nothing', async () => {
    const context = await browser.newContext({ ...phone, geolocation: { latitude: 42.3467, longitude: -71.0972, accuracy: 12 }, permissions: ['geolocation'] });
    const page = await context.newPage();

    // Sign in: a field rep lands on today's route, which the phone keeps.
    await signIn(page, 'field1@example.com');
    await page.waitForURL(/\/field$/);
    for (const c of customers) await stopOf(page, c.ref).waitFor();
    // The app shell is in the service worker's cache before the connection goes.
    await serviceWorkerInControl(page);
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-online')).toBe('true');
    await phoneShot(page, 'field-route');

    await context.setOffline(true);
    await expect.poll(() => page.getByTestId('connection').textContent()).toContain('Offline');

    // 1. Cash, with the customer's signature.
    await stopOf(page, customers[0].ref).click();
    await page.getByTestId('stop-header').waitFor();
    expect(await page.getByTestId('stop-balance').textContent()).toContain('120.00');
    expect(await page.getByTestId('refresh-account').isDisabled()).toBe(true);
    await phoneShot(page, 'field-stop');
    await page.getByTestId('record-visit').click();
    await fillVisit(page, { amount: '50.00', method: 'cash' });
    await save(page);
    // The customer wants the receipt by email: queued with the visit until it syncs.
    await page.getByTestId('receipt-send-open').click();
    await page.getByTestId('receipt-send').click();
    await expect.poll(() => page.getByTestId('receipt-request').getAttribute('data-status')).toBe('waiting');

    // 2. A card through the merchant's processor: encrypted on the phone at once, charged at sync.
    await page.getByTestId('tab-route').click();
    await stopOf(page, customers[1].ref).click();
    await page.getByTestId('record-visit').click();
    await fillVisit(page, { amount: '90.00', method: 'card' });
    await page.getByTestId('card-number').fill('4242 4242 4242 4242');
    await page.getByTestId('card-expiry').fill(`12/${String(new Date().getFullYear() + 3).slice(-2)}`);
    await page.getByTestId('card-cvc').fill('123');
    await page.getByTestId('card-holder').fill('Carl Card');
    await page.getByTestId('card-use').click();
    expect(await page.getByTestId('card-taken').textContent()).toContain('Visa •••• 4242');
    await phoneShot(page, 'field-visit-form', { whole: true });
    await save(page);

    // 3. Equipment returned (no payment), with a retention offer declined.
    await page.getByTestId('tab-route').click();
    await stopOf(page, customers[2].ref).click();
    await page.getByTestId('record-visit').click();
    await page.getByTestId('contact-result-spoke_with_customer').check();
    await page.getByTestId('takes-equipment').check();
    await page.getByTestId('equipment-type').fill('Modem');
    // The serial read off its label with the camera, still offline (the reader's WebAssembly is in the app shell).
    await page.getByTestId('equipment-scan').click();
    await expect.poll(() => page.getByTestId('equipment-serial').inputValue(), { timeout: 20_000 }).toBe(serial);
    expect(await page.getByTestId('barcode-scanner').count()).toBe(0); // the camera is closed once read
    await page.getByTestId('makes-offer').check();
    await page.getByTestId('retention-offer').fill('3 months at half price');
    await page.getByTestId('retention-outcome-declined').check();
    await sign(page, 'Erin Equipment');
    await save(page);
    await phoneShot(page, 'field-receipt', { whole: true });
    expect(await page.getByTestId('receipt').textContent()).toContain(`Modem — serial SN-${stamp}`);
    expect(await page.getByTestId('receipt-signature').count()).toBe(1);

    // The outbox holds the three, waiting; the route shows them visited already.
    await page.getByTestId('tab-visits').click();
    await expect.poll(() => page.getByTestId('outbox-entry').count()).toBe(3);
    expect(await page.getByTestId('outbox-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['waiting', 'waiting', 'waiting']);
    expect(await page.getByTestId('waiting-count').textContent()).toContain('3 waiting');
    await phoneShot(page, 'field-sync-status');

    // Reloading with no connection: still signed in, still three waiting, the route still there.
    await page.reload();
    await expect.poll(() => page.getByTestId('outbox-entry').count()).toBe(3);
    expect(await page.getByTestId('field-rep').textContent()).toBe('Frank Fielding');
    expect(await page.getByTestId('connection').textContent()).toContain('Offline');
    await page.getByTestId('tab-route').click();
    for (const c of customers.slice(0, 3)) await expect.poll(() => stopOf(page, c.ref).getAttribute('data-state')).toBe('visited-waiting');

    // Back online: the app syncs by itself.
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-unsent'), { timeout: 60_000 }).toBe('0');
    const first = await outbox(page);
    expect(first).toHaveLength(3);
    expect(first.map((e) => e.status)).toEqual(['synced', 'synced', 'synced']);
    const byRef = (entries: StoredVisit[], key: Key) => entries.find((e) => e.context.accountRef === customers.find((c) => c.key === key)!.ref)!;
    expect(byRef(first, 'card').result!.card).toMatchObject({ status: 'approved' });
    expect(first.map((e) => e.result!.repeat)).toEqual([false, false, false]);
    await page.getByTestId('tab-visits').click();
    await expect.poll(() => page.getByTestId('outbox-entry').evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['synced', 'synced', 'synced']);
    await phoneShot(page, 'field-synced');
    // The receipt asked for offline went out once the visit synced.
    await expect.poll(async () => byRef(await outbox(page), 'cash').receiptRequests[0]?.status, { timeout: 30_000 }).toBe('sent');

    // The server: one visit per account, each payment once, the card approved, the signature on the receipt.
    const serverState = await serverView();
    expect(serverState.visits).toEqual({ cash: 1, card: 1, equipment: 1, fix: 0 });
    expect(serverState.fieldPayments).toEqual({ cash: [5_000], card: [9_000], equipment: [], fix: [] });
    const cardReceipt = await supervisor('GET', `/field/visits/${byRef(first, 'card').result!.visitId}/receipt`);
    expect(cardReceipt.body.lines).toContainEqual(expect.objectContaining({ label: 'Card payment', value: expect.stringMatching(/^Approved/) }));
    for (const key of ['cash', 'card', 'equipment'] as const) {
      const entry = byRef(first, key);
      const images = await pdfImages(await receiptPdf(entry.result!.visitId));
      expect(images).toContainEqual(pngSize(entry.visit.signature!.pngBase64));
    }

    // The same outbox once more, as if the phone had never seen the answers: nothing doubles.
    await page.getByTestId('tab-visits').click();
    await page.evaluate(resetOutboxToWaiting);
    await page.getByTestId('sync-now').click();
    await expect.poll(async () => (await outbox(page)).every((e) => e.status === 'synced' && e.result?.repeat), { timeout: 60_000 }).toBe(true);
    const second = await outbox(page);
    expect(second.map((e) => e.result!.visitId).sort()).toEqual(first.map((e) => e.result!.visitId).sort());
    expect(await serverView()).toEqual(serverState);
    await page.goto(`${baseUrl()}/field/visits/${byRef(second, 'card').clientVisitId}`);
    await page.getByTestId('visit-status').waitFor();
    expect(await page.getByTestId('visit-status').textContent()).toContain('nothing was recorded twice');
    expect(await page.getByTestId('card-outcome').getAttribute('data-card-status')).toBe('approved');
    expect(await page.getByTestId('receipt').textContent()).toContain('Approved');
    await phoneShot(page, 'field-receipt-synced', { whole: true });
    await context.close();
  });

  test('a visit the server refuses comes back to the phone with the reasons; the rep fixes it and it syncs, never dropped', async () => {
    const context = await browser.newContext(phone);
    const page = await context.newPage();
    await signIn(page, 'field1@example.com');
    await page.waitForURL(/\/field$/);
    const fix = customers[3];
    await stopOf(page, fix.ref).waitFor();
    // Offline, the stop's page comes from the service worker's cache: it must be in control first.
    await serviceWorkerInControl(page);
    await context.setOffline(true);
    await stopOf(page, fix.ref).click();
    await page.getByTestId('record-visit').click();
    await page.getByTestId('visit-form').waitFor();
    await page.getByTestId('contact-result-spoke_with_customer').check();
    await page.getByTestId('takes-payment').check();
    await page.getByTestId('payment-amount').fill('60');
    // The phone refuses what the server would: a payment with no signature.
    await page.getByTestId('save-visit').click();
    expect(await page.getByTestId('visit-problems').textContent()).toContain('The customer signs for a payment or returned equipment.');
    await sign(page, 'Fiona Fix');
    await save(page);
    // Something the phone could not know: here, the visit reaches the server without its signature.
    await page.evaluate(dropSignatures);
    await context.setOffline(false);
    await expect.poll(() => page.getByTestId('visit-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('needs_fix');
    expect(await page.getByTestId('sync-problems').textContent()).toContain('The customer signs for a payment or returned equipment.');
    expect(await page.getByTestId('waiting-count').textContent()).toContain('1 to fix');
    expect(await page.getByTestId('visit-saved').count()).toBe(0);
    await phoneShot(page, 'field-needs-fix');

    await page.getByTestId('fix-visit').click();
    await page.getByTestId('visit-form').waitFor();
    expect(await page.getByTestId('signature-problems').textContent()).toContain('signs');
    await sign(page, 'Fiona Fix');
    await page.getByTestId('save-visit').click();
    await expect.poll(() => page.getByTestId('visit-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('synced');
    const server = await serverView();
    expect(server.visits.fix).toBe(1);
    expect(server.fieldPayments.fix).toEqual([6_000]);
    await context.close();
  });
});

/** The phone's screen for the docs; `whole`: the page from top to bottom (the viewport made as tall as the page). */
async function phoneShot(page: Page, name: string, options: { whole?: boolean } = {}) {
  await expect.poll(() => page.getByTestId('sync-status').getAttribute('data-syncing')).toBe('false');
  await page.evaluate('window.scrollTo(0, 0)');
  if (options.whole) {
    const height = (await page.evaluate('document.documentElement.scrollHeight')) as number;
    await page.setViewportSize({ width: phone.viewport.width, height: Math.min(height, 3000) });
  }
  await page.screenshot({ path: `${screenshots}/${name}.png` });
  if (options.whole) await page.setViewportSize(phone.viewport);
}

function stopOf(page: Page, ref: string) {
  return page.locator(`[data-testid=stop][data-account-ref="${ref}"]`);
}

async function fillVisit(page: Page, payment: { amount: string; method: 'cash' | 'card' }) {
  await page.getByTestId('visit-form').waitFor();
  await page.getByTestId('contact-result-spoke_with_customer').check();
  await page.getByTestId('takes-payment').check();
  await page.getByTestId('payment-amount').fill(payment.amount);
  await page.getByTestId(`payment-method-${payment.method}`).check();
  await sign(page, payment.method === 'card' ? 'Carl Card' : 'Carmen Cash');
}

/** The customer signs with a finger: a stroke across the pad. */
async function sign(page: Page, name: string) {
  const pad = page.getByTestId('signature-pad');
  await pad.scrollIntoViewIfNeeded();
  const box = (await pad.boundingBox())!;
  await page.mouse.move(box.x + 24, box.y + box.height * 0.6);
  await page.mouse.down();
  for (let i = 1; i <= 24; i++) await page.mouse.move(box.x + 24 + (i * (box.width - 48)) / 24, box.y + box.height * (0.55 + 0.25 * Math.sin(i / 2.5)), { steps: 3 });
  await page.mouse.up();
  await page.getByTestId('signed-by').fill(name);
}

async function save(page: Page) {
  await page.getByTestId('save-visit').click();
  await page.getByTestId('visit-saved').waitFor();
  expect(await page.getByTestId('visit-status').getAttribute('data-status')).toBe('waiting');
}

// The phone's IndexedDB, from inside the page (the test's own TypeScript has no DOM).
const readOutbox = `new Promise((resolve, reject) => {
  const open = indexedDB.open('arrears-field');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const request = open.result.transaction('outbox').objectStore('outbox').getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  };
})`;

/** Every visit back to waiting with the server's answers forgotten, as a phone restored from a backup would be. */
const resetOutboxToWaiting = `new Promise((resolve, reject) => {
  const open = indexedDB.open('arrears-field');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    const all = store.getAll();
    all.onsuccess = () => { for (const entry of all.result) store.put({ ...entry, status: 'waiting', result: null }); };
    tx.oncomplete = () => resolve(null);
    tx.onerror = () => reject(tx.error);
  };
})`;

/** Takes the signature off every waiting visit (the server then refuses the payments). */
const dropSignatures = `new Promise((resolve, reject) => {
  const open = indexedDB.open('arrears-field');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const tx = open.result.transaction('outbox', 'readwrite');
    const store = tx.objectStore('outbox');
    const all = store.getAll();
    all.onsuccess = () => { for (const entry of all.result) if (entry.status === 'waiting') store.put({ ...entry, visit: { ...entry.visit, signature: null } }); };
    tx.oncomplete = () => resolve(null);
    tx.onerror = () => reject(tx.error);
  };
})`;

/** The phone's outbox, ordered by account. */
async function outbox(page: Page): Promise<StoredVisit[]> {
  const entries = (await page.evaluate(readOutbox)) as StoredVisit[];
  return entries.sort((a, b) => a.context.accountRef.localeCompare(b.context.accountRef));
}

/** What the server holds for the three accounts: visits in their contact log, field payments posted. */
async function serverView() {
  const visits = {} as Record<Key, number>;
  const fieldPayments = {} as Record<Key, number[]>;
  for (const c of customers) {
    const account = await supervisor('GET', `/accounts/${accountIds[c.key]}`);
    expect(account.status).toBe(200);
    visits[c.key] = (account.body.activities as Array<{ kind: string }>).filter((a) => a.kind === 'visit').length;
    fieldPayments[c.key] = (account.body.payments as Array<{ source: string; amount: { amountMinor: number } }>).filter((p) => p.source === 'field').map((p) => p.amount.amountMinor);
  }
  return { visits, fieldPayments };
}

async function receiptPdf(visitId: string): Promise<Uint8Array> {
  const login = await fetch(`${baseUrl()}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'supervisor.east@example.com', password: 'demo-password' }) });
  const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${baseUrl()}/api/v1/field/visits/${visitId}/receipt.pdf`, { headers: { cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('application/pdf');
  return new Uint8Array(await res.arrayBuffer());
}

/** A PNG's size, from its header (IHDR). */
function pngSize(base64: string): { width: number; height: number } {
  const bytes = Buffer.from(base64, 'base64');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
