/**
 * The identity page (identitas) of an SOP laid out as the regulation's table: the body's name on the
 * left; Nomor SOP, the three dates, Disahkan oleh (with room for signature and stamp) and Nama SOP on
 * the right; then Dasar Hukum | Kualifikasi Pelaksana, Keterkaitan | Peralatan/Perlengkapan,
 * Peringatan | Pencatatan dan Pendataan. A field the paper leaves blank stays blank.
 */
import type { SopIdentity } from '../../engine/index.js';
import { escapeXml as esc } from './markup.js';

const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

/** `2021-09-06` → "6 September 2021", `2020-04` → "April 2020", `2020` → "2020", blank stays blank. */
export function indonesianDate(value: string | null): string {
  if (value === null) return '';
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(String(value));
  if (!match) return String(value);
  const [, year, month, day] = match;
  const monthName = month ? MONTHS[Number(month) - 1] : undefined;
  return [day ? String(Number(day)) : '', monthName ?? '', year].filter((p) => p).join(' ');
}

function list(items: string[]): string {
  return items.length === 0 ? '' : `<ol>${items.map((item) => `<li>${esc(item)}</li>`).join('')}</ol>`;
}

export function identityHtml(identity: SopIdentity): string {
  const approver = identity.approvedBy;
  const body = [identity.government, identity.organization, ...identity.units].filter((line): line is string => Boolean(line));
  const headerLines = body.map((line, i) => `<div class="${i < 2 ? 'body-name' : 'unit-name'}">${esc(i < 2 ? line.toUpperCase() : line)}</div>`).join('');
  return `<table class="identity" data-part="identity">
<colgroup><col style="width:46%"><col style="width:17%"><col style="width:37%"></colgroup>
<tr><td class="issuer" rowspan="6"><div class="emblem" aria-hidden="true"></div>${headerLines}</td><th>Nomor SOP</th><td data-field="number">${esc(identity.number ?? '')}</td></tr>
<tr><th>Tanggal Pembuatan</th><td data-field="created">${esc(indonesianDate(identity.created))}</td></tr>
<tr><th>Tanggal Revisi</th><td data-field="revised">${esc(indonesianDate(identity.revised))}</td></tr>
<tr><th>Tanggal Efektif</th><td data-field="effective">${esc(indonesianDate(identity.effective))}</td></tr>
<tr><th>Disahkan oleh</th><td data-field="approvedBy" class="approval">
<div class="position">${esc(approver.position ?? '')}</div>
<div class="signature" title="tanda tangan dan cap"></div>
<div class="name">${esc(approver.name ?? '')}</div>${approver.rank ? `<div class="rank">${esc(approver.rank)}</div>` : ''}${approver.nip ? `<div class="nip">NIP. ${esc(approver.nip)}</div>` : ''}
</td></tr>
<tr><th>Nama SOP</th><td data-field="title" class="sop-title">${esc(identity.title)}</td></tr>
</table>
<table class="identity-lists" data-part="identity-lists">
<colgroup><col style="width:50%"><col style="width:50%"></colgroup>
<tr><th>Dasar Hukum</th><th>Kualifikasi Pelaksana</th></tr>
<tr><td data-field="legalBasis">${list(identity.legalBasis)}</td><td data-field="qualifications">${identity.qualificationsIntro ? `<p>${esc(identity.qualificationsIntro)}</p>` : ''}${list(identity.qualifications)}</td></tr>
<tr><th>Keterkaitan</th><th>Peralatan/Perlengkapan</th></tr>
<tr><td data-field="relatedSops">${list(identity.relatedSops)}</td><td data-field="equipment">${list(identity.equipment)}</td></tr>
<tr><th>Peringatan</th><th>Pencatatan dan Pendataan</th></tr>
<tr><td data-field="warning">${identity.warning ? `<p>${esc(identity.warning)}</p>` : ''}</td><td data-field="records">${list(identity.records)}</td></tr>
</table>`;
}
