/**
 * Prints an HTML document to PDF with headless Chromium (src/adapters/browser/launch-chromium.ts).
 * The page size, margins and page numbers come from the document's own CSS (`@page`), so what the
 * browser shows is what is printed. Chromium is heavy (a process of ~100 MB for a second or so):
 * prints run one at a time, and when too many wait the caller is told to come back later instead of
 * starting browsers without bound.
 */
import { launchChromium } from '../browser/launch-chromium.js';

export class PrinterBusyError extends Error {
  constructor(waiting: number) {
    super(`${waiting} documents are already waiting to be printed; try again in a few seconds`);
    this.name = 'PrinterBusyError';
  }
}

export interface PdfPrinter {
  /** The PDF of `html`, which must be self-contained: the page may load nothing from the network. */
  print(html: string): Promise<Buffer>;
}

export interface PdfPrinterOptions {
  /** A Chromium executable (ALUR_CHROMIUM); otherwise a system one or the bundled one. */
  chromiumPath?: string;
  /** Prints that may wait while one runs; more are refused with PrinterBusyError. */
  maxWaiting?: number;
}

export function createPdfPrinter(options: PdfPrinterOptions = {}): PdfPrinter {
  const maxWaiting = options.maxWaiting ?? 4;
  let queue: Promise<unknown> = Promise.resolve();
  let waiting = 0;
  return {
    print(html) {
      if (waiting > maxWaiting) return Promise.reject(new PrinterBusyError(waiting));
      waiting += 1;
      const run = queue.then(() => printOnce(html, options.chromiumPath)).finally(() => { waiting -= 1; });
      queue = run.catch(() => undefined);
      return run;
    },
  };
}

async function printOnce(html: string, chromiumPath: string | undefined): Promise<Buffer> {
  const browser = await launchChromium(chromiumPath ? { configured: chromiumPath } : {});
  try {
    // The document is Alur's own markup with every SOP text escaped; scripts and network are off all the same.
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.route(/^(?!data:)/, (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    // Waits for the inlined fonts; the function runs in the page, where `document` exists.
    await page.waitForFunction('document.fonts.status === "loaded"');
    return await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}
