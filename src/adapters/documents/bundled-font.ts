/**
 * The font every SOP document is set in: Arimo (metric-compatible with Arial, SIL Open Font
 * License), shipped by the `@fontsource/arimo` package and embedded in the document as data URLs,
 * so a document looks the same on a LAN with no internet, in any browser, and in the printed PDF.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
/** Regular, bold and italic (branch labels); of each, Latin and Latin Extended: Indonesian needs no more. */
const WEIGHTS = ['400.css', '700.css', '400-italic.css'];
const SUBSET = /^\/\* arimo-latin(-ext)?-\d+-(normal|italic) \*\//;

let cached: Promise<string> | undefined;

/** `@font-face` rules for Arimo with the woff2 files inlined; read once per process. */
export function bundledFontCss(): Promise<string> {
  cached ??= loadFontCss();
  return cached;
}

async function loadFontCss(): Promise<string> {
  const root = dirname(require.resolve('@fontsource/arimo/package.json'));
  const rules: string[] = [];
  for (const file of WEIGHTS) {
    const css = await readFile(join(root, file), 'utf8');
    // One block per subset, each with its unicode-range, so the browser picks the right file per character.
    for (const block of css.split(/(?=\/\* arimo-)/).filter((b) => SUBSET.test(b))) {
      const woff2 = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
      if (!woff2) throw new Error(`@fontsource/arimo/${file} names no woff2 file; the package layout changed`);
      const data = (await readFile(join(root, 'files', woff2))).toString('base64');
      rules.push(block.trim().replace(/src:[^;]+;/, `src: url(data:font/woff2;base64,${data}) format('woff2');`).replace(/font-display:[^;]+;/, 'font-display: block;'));
    }
  }
  if (rules.length !== WEIGHTS.length * 2) throw new Error(`@fontsource/arimo: expected ${WEIGHTS.length * 2} Latin faces, found ${rules.length}; the package layout changed`);
  return rules.join('\n');
}
