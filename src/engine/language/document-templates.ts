/**
 * The official documents a task step can produce from its case's data (`document:` on the step).
 * YAML names a template; src/app/documents binds each name to its layout, as `uses:` names an adapter.
 */
export const DOCUMENT_TEMPLATES = {
  'berita-acara-serah-terima': 'Berita acara serah terima (pergantian shift, dengan inventaris; ditandatangani kedua pihak)',
  'berita-acara-tindak-lanjut': 'Berita acara tindak lanjut (atas kejadian yang dilaporkan langkah sebelumnya)',
} as const;

export type DocumentTemplateName = keyof typeof DOCUMENT_TEMPLATES;

export function isDocumentTemplateName(name: string): name is DocumentTemplateName {
  return Object.hasOwn(DOCUMENT_TEMPLATES, name);
}
