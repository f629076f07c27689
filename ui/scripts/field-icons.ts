// Draws the field app's home-screen icons (ui/static/icons/field-*.png) from one SVG: the Arrears
// "A" on the brand colour with a location pin, full-bleed so that it also works as a maskable icon
// (the mark stays inside the central 80% safe zone). Rendered by the Chromium the e2e tests use.
// Run: node --experimental-strip-types ui/scripts/field-icons.ts   (or: npx tsx ui/scripts/field-icons.ts)
import { chromium } from 'playwright-core';
import path from 'node:path';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">
  <rect width="100" height="100" fill="#0f3d56"/>
  <path d="M30 70 50 26l20 44M38 56h24" stroke="#7fd1c7" stroke-width="8" fill="none" stroke-linecap="round" stroke-linejoin="round"/>
  <circle cx="70" cy="30" r="9" fill="#f4b942"/><circle cx="70" cy="30" r="3.5" fill="#0f3d56"/>
</svg>`;

const out = path.join(import.meta.dirname, '..', 'static', 'icons');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  for (const size of [192, 512]) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(`<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
    await page.screenshot({ path: path.join(out, `field-${size}.png`), omitBackground: false });
    await page.close();
  }
} finally {
  await browser.close();
}
