/**
 * Headless Chromium for the faces that need a real browser: PDF printing of SOP documents and the
 * end-to-end tests of the web UI. A system Chromium (ALUR_CHROMIUM, or Debian's /usr/bin/chromium)
 * is preferred; otherwise the one shipped inside the `@sparticuz/chromium` package is unpacked
 * (into /tmp, once per boot), so `npm install` alone is enough.
 */
import { access, constants } from 'node:fs/promises';
import { chromium as playwright, type Browser, type LaunchOptions } from 'playwright-core';

const SYSTEM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface ChromiumBinary {
  executablePath: string;
  args: string[];
  source: 'configured' | 'system' | 'bundled';
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds a Chromium to drive: `configured` (an explicit path) wins, then a system one, then the bundled one. */
export async function findChromium(configured?: string): Promise<ChromiumBinary> {
  if (configured) {
    if (!(await isExecutable(configured))) throw new Error(`ALUR_CHROMIUM is set to ${configured}, which is not an executable file`);
    return { executablePath: configured, args: [], source: 'configured' };
  }
  for (const candidate of SYSTEM_CANDIDATES) {
    if (await isExecutable(candidate)) return { executablePath: candidate, args: [], source: 'system' };
  }
  const { default: bundled } = await import('@sparticuz/chromium');
  // No WebGL needed for documents or forms; skipping it also skips unpacking SwiftShader.
  bundled.setGraphicsMode = false;
  return { executablePath: await bundled.executablePath(), args: bundled.args, source: 'bundled' };
}

/** Launches headless Chromium; the caller closes the browser. */
export async function launchChromium(options: { configured?: string } & LaunchOptions = {}): Promise<Browser> {
  const { configured, ...launch } = options;
  const binary = await findChromium(configured);
  return playwright.launch({ headless: true, ...launch, executablePath: binary.executablePath, args: [...binary.args, ...(launch.args ?? [])] });
}
