/**
 * The web UI in real headless Chromium against a real Alur (port 0, fresh PGlite, demo seed); the
 * bundle is built by the global setup (tests/support/ui-build.ts). Logs demo users in through the login page,
 * keeps each page's clock on the server's manual clock, and saves screenshots under test-output/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { findChromium } from '../../src/adapters/browser/launch-chromium.js';
import { startApi, type ApiHarness, type ApiOptions } from './api-harness.js';
import { dialects } from './databases.js';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-output/screenshots', import.meta.url));

export interface BrowserHarness {
  readonly api: ApiHarness;
  readonly browser: Browser;
  /** A fresh browser context (its own cookies) at 1366×768, logged in as a demo account. */
  loginAs(username: string, options?: { lang?: 'id' | 'en' }): Promise<{ context: BrowserContext; page: Page }>;
  /** A fresh context on the login page. */
  visit(): Promise<{ context: BrowserContext; page: Page }>;
  screenshot(page: Page, name: string): Promise<void>;
  /** Uncaught errors and console errors of every page so far (a test expects none). */
  readonly pageErrors: string[];
}

/** One Alur and one browser for the enclosing describe; `options` is read when the server starts (after the file's own beforeAll). */
export function useBrowser(options: () => ApiOptions = () => ({})): BrowserHarness {
  let api: ApiHarness | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[] = [];
  beforeAll(async () => {
    const db = await dialects[0]!.open();
    api = await startApi(db, options());
    browser = await launchIsolatedChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => {});
    await browser?.close();
    await api?.close();
  });

  const visit = async () => {
    const context = await browser!.newContext({ viewport: { width: 1366, height: 768 }, locale: 'id-ID' });
    contexts.push(context);
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A refused command is a 4xx the page handles; Chromium still logs it as a failed load.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(`console: ${message.text()}`);
    });
    // The server runs on a manual clock; the page's clock starts there and then runs on, so countdowns agree.
    await page.clock.install({ time: api!.clock.now() });
    await page.goto(api!.url);
    return { context, page };
  };

  return {
    get api() { return api!; },
    get browser() { return browser!; },
    pageErrors,
    visit,
    async loginAs(username, options = {}) {
      const account = api!.accounts.get(username);
      if (!account) throw new Error(`no demo account ${username}`);
      const { context, page } = await visit();
      if (options.lang === 'en') await page.getByTestId('lang-toggle').click();
      await page.locator('#username').fill(username);
      await page.locator('#password').fill(account.password);
      await page.locator('form button[type=submit]').click();
      await page.locator('header.app-header').waitFor();
      return { context, page };
    },
    async screenshot(page, name) {
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png` });
    },
  };
}

/**
 * The bundled Chromium's Lambda flags, less the ones that would make this unlike a user's browser:
 * `--single-process` lets browser contexts share one cookie jar (two users in two contexts became
 * one), and `--disable-web-security` would hide same-origin and CSP mistakes.
 */
async function launchIsolatedChromium(): Promise<Browser> {
  const binary = await findChromium();
  const dropped = new Set(['--single-process', '--no-zygote', '--disable-web-security']);
  return chromium.launch({ headless: true, executablePath: binary.executablePath, args: binary.args.filter((arg) => !dropped.has(arg)) });
}

/** Moves the server's manual clock and every given page's clock forward together. */
export async function advanceClocks(api: ApiHarness, pages: Page[], ms: number): Promise<void> {
  api.clock.advance(ms);
  for (const page of pages) await page.clock.fastForward(ms);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

/**
 * Runs axe-core (WCAG 2 A and AA rules) on the page as it is and returns the serious and critical
 * violations. Injected through the DevTools protocol, so the page's CSP stays as strict as served.
 */
export async function seriousA11yViolations(page: Page): Promise<Array<{ id: string; help: string; targets: string[] }>> {
  const { readFileSync } = await import('node:fs');
  const { createRequire } = await import('node:module');
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(source);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
}

/**
 * Indonesian UI strings still on the page after switching to English: every catalogue text that
 * differs between the languages (its longest fixed part, for templates) looked for in the page's
 * visible text, less the SOP's own words (marked data-sop-content, and the output form's labels,
 * which come from the SOP's schema), which stay as the SOP is written.
 */
export async function indonesianLeftOn(page: Page): Promise<string[]> {
  const { id } = await import('../../src/ui/i18n/messages-id.js');
  const { en } = await import('../../src/ui/i18n/messages-en.js');
  const text = await page.evaluate(() => {
    const doc = (globalThis as any).document;
    const copy = doc.body.cloneNode(true);
    for (const el of copy.querySelectorAll('[data-sop-content], .rjsf label, .rjsf legend, .rjsf .field-description, svg, script')) el.remove();
    doc.body.appendChild(copy);
    copy.style.position = 'absolute';
    const visible: string = copy.innerText;
    copy.remove();
    return visible;
  });
  const fragments = (Object.keys(id) as Array<keyof typeof id>)
    .filter((key) => id[key] !== en[key])
    .map((key) => id[key].split(/\{\w+\}/).map((part) => part.trim()).sort((a, b) => b.length - a.length)[0]!)
    .filter((fragment) => fragment.length >= 5);
  return [...new Set(fragments.filter((fragment) => text.includes(fragment)))];
}
