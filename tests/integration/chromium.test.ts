import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { findChromium, launchChromium } from '../../src/adapters/browser/launch-chromium.js';

describe('headless Chromium (documents and UI tests)', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders a page and prints it as a PDF', async () => {
    const page = await browser.newPage();
    await page.setContent('<html lang="id"><body><h1>Prosedur Pemantauan</h1></body></html>');
    expect(await page.textContent('h1')).toBe('Prosedur Pemantauan');
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.close();
  });

  it('refuses a configured path that is not an executable, naming it', async () => {
    await expect(findChromium('/nonexistent/chromium')).rejects.toThrow(/ALUR_CHROMIUM.*\/nonexistent\/chromium/);
  });
});
