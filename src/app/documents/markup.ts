/** Escaping text for XML and HTML, and the number formatting the drawings share. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Coordinates with at most one decimal, so the same layout always prints the same text. */
export function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** The font stack of every document: the bundled Arimo first, then fonts with Arial's metrics. */
export const FONT_FAMILY = "Arimo, Arial, 'Liberation Sans', Helvetica, sans-serif";
