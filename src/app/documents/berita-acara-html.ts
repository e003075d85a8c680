/**
 * Berita acara made from a case: the templates an SOP names with `document:` on a task step.
 * `berita-acara-serah-terima`: the handover of a shift, with the inventory handed over (the SOP's
 * peralatan) and both parties' signatures; `berita-acara-tindak-lanjut`: the follow-up of what the
 * case reported before it. Each prints what the step recorded (its output fields by their titles),
 * who did it and when, and in every page's footer the case id and the hash of the case's last
 * event, so the paper can be matched to the log. Pure: the case's data comes in, markup goes out.
 */
import type { DocumentTemplateName, SopDefinition } from '../../engine/index.js';
import { localDateTime, localDateTimeShort } from './local-time.js';
import { escapeXml as esc, FONT_FAMILY } from './markup.js';

export interface BeritaAcaraField {
  title: string;
  value: string;
}

export interface BeritaAcaraSignatory {
  /** The party's title (Petugas shift ini…), or the pelaksana's role title. */
  as: string;
  actorId: string;
  signedAt: Date;
}

export interface BeritaAcara {
  template: DocumentTemplateName;
  definition: SopDefinition;
  revision: number;
  caseId: string;
  caseTitle: string | null;
  stepId: string;
  activity: string;
  visit: number;
  completedAt: Date;
  /** The organisation's IANA time zone: every time on the paper is its local time (WIB, WITA, WIT). */
  timeZone: string;
  /** The step's output, field by field, titled as the SOP titles them. */
  fields: BeritaAcaraField[];
  signatories: BeritaAcaraSignatory[];
  /** For a follow-up: what the case recorded before (the step done just before, with its fields). */
  basis: { activity: string; fields: BeritaAcaraField[] } | null;
  lastEvent: { seq: number; hash: string };
}

const TITLES: Record<DocumentTemplateName, string> = {
  'berita-acara-serah-terima': 'BERITA ACARA SERAH TERIMA',
  'berita-acara-tindak-lanjut': 'BERITA ACARA TINDAK LANJUT',
};

function fieldRows(fields: readonly BeritaAcaraField[]): string {
  return fields.map((f) => `<tr><th>${esc(f.title)}</th><td data-field="output">${esc(f.value)}</td></tr>`).join('\n');
}

export function beritaAcaraHtml(doc: BeritaAcara, options: { fontCss?: string } = {}): string {
  const { identity } = doc.definition;
  const footer = `Kasus ${doc.caseId} · peristiwa terakhir #${doc.lastEvent.seq} hash ${doc.lastEvent.hash}`;
  const when = localDateTime(doc.completedAt, doc.timeZone);
  const serahTerima = doc.template === 'berita-acara-serah-terima';
  const intro = serahTerima
    ? `Pada hari ini, ${when}, telah dilaksanakan serah terima tugas dan tanggung jawab berikut barang-barang inventaris, dengan keterangan sebagai berikut:`
    : `Pada hari ini, ${when}, telah dilaksanakan tindak lanjut atas kejadian yang tercatat, dengan keterangan sebagai berikut:`;
  const inventory = serahTerima && identity.equipment.length > 0
    ? `<h2>Barang inventaris yang diserahterimakan</h2><ol data-part="inventory">${identity.equipment.map((e) => `<li>${esc(e)}</li>`).join('')}</ol>`
    : '';
  const basis = doc.basis
    ? `<h2>Dasar: ${esc(doc.basis.activity)}</h2><table data-part="basis">${fieldRows(doc.basis.fields)}</table>`
    : '';
  const signatures = doc.signatories.map((s) => `<div class="signatory" data-actor="${esc(s.actorId)}"><div>${esc(s.as)},</div><div class="space"></div>
<div class="name">${esc(s.actorId)}</div><div class="when">ditandatangani ${esc(localDateTimeShort(s.signedAt, doc.timeZone))}</div></div>`).join('\n');
  return `<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>${esc(`${TITLES[doc.template]} — ${doc.caseId}`)}</title>
<style>
${options.fontCss ?? ''}
@page { size: A4 portrait; margin: 20mm 18mm 20mm 18mm;
  @bottom-left { content: "${footer.replace(/["\\<>]/g, '')}"; font: 6.5pt ${FONT_FAMILY}; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 8pt ${FONT_FAMILY}; } }
body { font-family: ${FONT_FAMILY}; font-size: 10.5pt; margin: 0; line-height: 1.35; }
header { text-align: center; border-bottom: 2px solid #000; padding-bottom: 2mm; margin-bottom: 5mm; }
header div { font-weight: bold; }
h1 { font-size: 12pt; text-align: center; text-decoration: underline; margin: 0; }
.nomor { text-align: center; margin: 1mm 0 5mm; }
h2 { font-size: 10.5pt; margin: 5mm 0 2mm; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 2px 5px; vertical-align: top; text-align: left; }
th { width: 35%; background: #f2f2f2; font-weight: normal; }
.signatures { display: flex; justify-content: space-around; margin-top: 10mm; text-align: center; }
.signatory .space { height: 20mm; }
.signatory .name { font-weight: bold; text-decoration: underline; }
.signatory .when { font-size: 8pt; }
footer { margin-top: 8mm; font-size: 7pt; word-break: break-all; }
</style>
</head>
<body>
<header>${identity.government ? `<div>${esc(identity.government.toUpperCase())}</div>` : ''}<div>${esc(identity.organization.toUpperCase())}</div>${identity.units.map((u) => `<div>${esc(u)}</div>`).join('')}</header>
<h1>${TITLES[doc.template]}</h1>
<div class="nomor">Kasus ${esc(doc.caseId)}${doc.caseTitle ? ` — ${esc(doc.caseTitle)}` : ''}</div>
<p>${esc(intro)}</p>
<table data-part="step">
<tr><th>SOP</th><td>${esc(identity.title)}${identity.number ? ` (${esc(identity.number)})` : ''}, terbitan ${doc.revision}</td></tr>
<tr><th>Kegiatan</th><td>${esc(doc.activity)}${doc.visit > 1 ? ` (ke-${doc.visit})` : ''}</td></tr>
${fieldRows(doc.fields)}
</table>
${basis}
${inventory}
<p>Demikian berita acara ini dibuat dengan sebenarnya untuk dapat dipergunakan sebagaimana mestinya.</p>
<div class="signatures">${signatures}</div>
<footer data-field="footer">${esc(footer)}</footer>
</body>
</html>
`;
}
