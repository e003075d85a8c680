/**
 * Text measuring and line wrapping for the SOP document, with the widths of the bundled font, so
 * the layout is a pure function and the lines break where the printed page breaks them.
 */
import { ARIMO_BOLD, ARIMO_REGULAR } from './arimo-widths.js';

export interface TextStyle {
  size: number;
  bold?: boolean;
}

/** A character outside the table (another script) is taken as wide as "M": wrapping early is safe, overflowing is not. */
const FALLBACK = 833;

export function textWidth(text: string, style: TextStyle): number {
  const table = style.bold ? ARIMO_BOLD : ARIMO_REGULAR;
  let total = 0;
  for (const c of text) total += table[c] ?? FALLBACK;
  return (total * style.size) / 1000;
}

/**
 * Breaks `text` into lines no wider than `width`: at spaces, and inside a word only when the word
 * alone is wider than the line. Runs of white space (YAML folded text) count as one space.
 */
export function wrapText(text: string, width: number, style: TextStyle): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate, style) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = '';
    let rest = word;
    while (textWidth(rest, style) > width) {
      let cut = 1;
      while (cut < rest.length && textWidth(rest.slice(0, cut + 1), style) <= width) cut += 1;
      // Prefer to break after a slash or hyphen ("perintah/ Disposisi") to breaking inside a word.
      const soft = Math.max(rest.lastIndexOf('/', cut - 1), rest.lastIndexOf('-', cut - 1));
      if (soft > 0) cut = soft + 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line !== '') lines.push(line);
  return lines;
}
