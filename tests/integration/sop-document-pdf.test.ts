/**
 * The official document printed for real: headless Chromium turns the HTML into a PDF, and the PDF's
 * own text (read back with pdf.js through `unpdf`) holds every kegiatan, every waktu and the jumlah
 * waktu, on numbered A4-landscape pages set in the bundled font. The test also saves a screenshot of
 * every sheet under test-results/documents/ for a person to review the layout against the paper.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { launchChromium } from '../../src/adapters/browser/launch-chromium.js';
import { createPdfPrinter, PrinterBusyError } from '../../src/adapters/documents/print-pdf.js';
import { layoutFlowchart } from '../../src/app/documents/flowchart-layout.js';
import { createDocumentRenderer } from '../../src/app/documents/render-sop-document.js';
import { loadSeed } from '../support/seeds.js';

const bare = (text: string) => text.replace(/\s+/g, '');
const REVIEW_DIR = new URL('../../test-results/documents/', import.meta.url).pathname;
// A4 in PDF points (1/72 inch): 297 × 210 mm.
const A4_LONG = 841.89, A4_SHORT = 595.28;

describe('the SOP document printed by headless Chromium', () => {
  const renderer = createDocumentRenderer();
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
    mkdirSync(REVIEW_DIR, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('prints Tarakan on numbered A4-landscape pages holding every kegiatan, waktu and the jumlah waktu', async () => {
    const definition = loadSeed('tarakan');
    const { body, contentType } = await renderer.render(definition, 'pdf');
    expect(contentType).toBe('application/pdf');
    expect(body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The bundled font is embedded (subset), not a system substitute.
    expect(body.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+Arimo-Regular/);

    const pdf = await getDocumentProxy(new Uint8Array(body));
    const flowPages = layoutFlowchart(definition).pages.length;
    // The identity page (Tarakan's long Dasar Hukum included) and then the flowchart pages, none lost or added.
    expect(pdf.numPages).toBe(flowPages + 1);
    for (let i = 1; i <= pdf.numPages; i++) {
      const [, , width, height] = (await pdf.getPage(i)).view as [number, number, number, number];
      expect(Math.abs(width - A4_LONG)).toBeLessThan(1);
      expect(Math.abs(height - A4_SHORT)).toBeLessThan(1);
    }
    const { text } = await extractText(pdf, { mergePages: false });
    const pages = text as string[];
    pages.forEach((page, i) => expect(page).toContain(`Halaman ${i + 1} dari ${pdf.numPages}`));
    const all = bare(pages.join('\n'));
    for (const step of definition.steps) {
      expect(all, step.id).toContain(bare(step.activity));
      if (step.time) expect(all).toContain(bare(step.time));
    }
    expect(all).toContain(bare('Jumlah Waktu 1 jam 35 menit'));
    expect(all).toContain(bare('067/07/Opr.CCTV/2021'));
    expect(all).toContain(bare('Hendra Arfandi, A.P., M.Si'));
  });

  it('saves a screenshot of every sheet of both seeds for review', async () => {
    // One page for both: the bundled Chromium runs as a single process, and closing its last page ends it.
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    for (const name of ['tarakan', 'pontianak'] as const) {
      const { body } = await renderer.render(loadSeed(name), 'html');
      await page.setContent(body.toString('utf8'), { waitUntil: 'load' });
      await page.waitForFunction('document.fonts.status === "loaded"');
      const sheets = page.locator('section.sheet');
      const count = await sheets.count();
      expect(count).toBe(1 + layoutFlowchart(loadSeed(name)).pages.length);
      for (let i = 0; i < count; i++) await sheets.nth(i).screenshot({ path: `${REVIEW_DIR}${name}-${i + 1}.png` });
      // The drawing is shown at the width of the sheet, not cut off.
      const overflow = await page.evaluate('[...document.querySelectorAll("section.flow svg")].every((svg) => svg.getBoundingClientRect().right <= svg.parentElement.getBoundingClientRect().right + 1)');
      expect(overflow).toBe(true);
    }
  });

  it('prints one document at a time and turns away prints beyond the queue instead of starting more browsers', async () => {
    const printer = createPdfPrinter({ maxWaiting: 0 });
    const first = printer.print('<html lang="id"><body><p>Satu</p></body></html>');
    await expect(printer.print('<html><body>Dua</body></html>')).rejects.toBeInstanceOf(PrinterBusyError);
    expect((await first).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // The queue drains: the next print is accepted again.
    expect((await printer.print('<html><body>Tiga</body></html>')).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
