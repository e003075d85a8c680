/**
 * The monitoring form of Permenpan RB 35/2012 ("Monitoring Pelaksanaan SOP AP": No | Prosedur |
 * Penilaian — berjalan / tidak berjalan dengan baik | Catatan hasil penilaian | Tindakan yang harus
 * diambil), pre-filled from measured step times. The assessment is a suggestion from the data for the
 * auditor to confirm: a step runs well when at least `threshold` of its executions in the period
 * finished within its waktu and none went overdue. Catatan states the figures it rests on; Tindakan
 * is left for the auditor. Pure: the figures come in, text and markup go out.
 */
import { formatDuration, type SopDefinition, type SopStep } from '../../engine/index.js';
import { localDateTimeShort } from './local-time.js';
import { escapeXml as esc, FONT_FAMILY } from './markup.js';

/** The measured figures of one step in the period (what the timing statistics give). */
export interface StepFigures {
  stepId: string;
  count: number;
  budgetMs: number | null;
  medianMs: number;
  maxMs: number;
  /** Share (0–1) done within the waktu; null without a waktu. */
  withinBudget: number | null;
  overdue: number;
  /** Executions that ended refused (an approval turned down); 0 when not given. */
  refused?: number;
}

export type Assessment = 'berjalan' | 'tidak-berjalan' | 'belum-dilaksanakan';

export interface MonitoringRow {
  /** The No as the flowchart prints it: "5", or "9.2" for the second step of the procedure in row 9. */
  number: string;
  stepId: string;
  procedure: string;
  assessment: Assessment;
  count: number;
  /** Share within the waktu (0–1), null when the step has no waktu or did not run. */
  withinBudget: number | null;
  medianMs: number | null;
  budgetMs: number | null;
  overdue: number;
  /** Executions that ended refused (an approval turned down): counted, not held against the step. */
  refused: number;
  note: string;
  action: string;
}

export interface MonitoringForm {
  sopId: string;
  title: string;
  number: string | null;
  organization: string;
  revision: number;
  from: string | null;
  to: string | null;
  /** The organisation's IANA time zone, in which the period and the sign-off are printed. */
  timeZone: string;
  threshold: number;
  rows: MonitoringRow[];
  /** How many step entries the auditor has saved for this form (its revisions), when read with them. */
  revisions?: number;
  /** The auditor's sign-off; `current` is false when the form changed after it was signed. */
  signedOff?: { by: string; at: string; current: boolean };
}

const ASSESSMENT_TEXT: Record<Assessment, string> = {
  berjalan: 'Berjalan dengan baik',
  'tidak-berjalan': 'Tidak berjalan dengan baik',
  'belum-dilaksanakan': 'Belum dilaksanakan dalam periode ini',
};

/** A check mark drawn, not typed: the bundled font's Latin subset has no ✓. */
const CHECK = '<svg class="check" width="12" height="12" viewBox="0 0 12 12" role="img" aria-label="ya"><path d="M1.5 6.5 L4.5 9.5 L10.5 2.5" fill="none" stroke="#000" stroke-width="1.8"/></svg>';

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}

export function monitoringForm(
  definition: SopDefinition, figures: StepFigures[],
  context: { revision: number; from: string | null; to: string | null; threshold?: number; timeZone?: string },
): MonitoringForm {
  const threshold = context.threshold ?? 0.9;
  const byStep = new Map(figures.map((f) => [f.stepId, f]));
  const numberOf = (step: SopStep): string => {
    if (step.procedure === undefined) return String(step.row);
    const procedure = definition.steps.find((s) => s.id === step.procedure);
    return procedure?.kind === 'procedure' ? `${step.row}.${procedure.steps.indexOf(step.id) + 1}` : String(step.row);
  };
  const rows = definition.steps
    .filter((s) => s.kind === 'task' || s.kind === 'decision' || s.kind === 'loop' || s.kind === 'approval' || s.kind === 'duty')
    .map((step): MonitoringRow => {
      const f = byStep.get(step.id);
      const budgetMs = step.budgetMs ?? null;
      if (!f || f.count === 0) {
        return { number: numberOf(step), stepId: step.id, procedure: step.activity.replace(/\s+/g, ' '), assessment: 'belum-dilaksanakan', count: 0, withinBudget: null, medianMs: null, budgetMs, overdue: 0, refused: 0, note: 'Tidak ada pelaksanaan yang selesai dalam periode ini.', action: '' };
      }
      const good = f.overdue === 0 && (f.withinBudget === null || f.withinBudget >= threshold);
      const parts = [`${f.count} kali dilaksanakan`];
      if (f.withinBudget !== null && budgetMs !== null) {
        parts.push(`${percent(f.withinBudget)} selesai dalam waktu ${formatDuration(budgetMs)}`);
        parts.push(`median ${formatDuration(Math.round(f.medianMs / 1000) * 1000)}, terlama ${formatDuration(Math.round(f.maxMs / 1000) * 1000)}`);
      } else {
        parts.push(`median ${formatDuration(Math.round(f.medianMs / 1000) * 1000)} (tanpa baku waktu)`);
      }
      if (f.overdue > 0) parts.push(`${f.overdue} kali melewati batas waktu`);
      const refused = f.refused ?? 0;
      if (refused > 0) parts.push(`${refused} kali ditolak`);
      return {
        number: numberOf(step), stepId: step.id, procedure: step.activity.replace(/\s+/g, ' '), assessment: good ? 'berjalan' : 'tidak-berjalan',
        count: f.count, withinBudget: f.withinBudget, medianMs: f.medianMs, budgetMs, overdue: f.overdue, refused, note: `${parts.join('; ')}.`, action: '',
      };
    });
  return {
    sopId: definition.id, title: definition.identity.title, number: definition.identity.number, organization: definition.identity.organization,
    revision: context.revision, from: context.from, to: context.to, timeZone: context.timeZone ?? 'UTC', threshold, rows,
  };
}

/** The form as CSV (one row per step; the figures as numbers, for a spreadsheet). */
export function monitoringCsv(form: MonitoringForm): string {
  const header = ['no', 'stepId', 'prosedur', 'penilaian', 'jumlah', 'dalamWaktu', 'medianMs', 'bakuWaktuMs', 'terlambat', 'ditolak', 'catatan', 'tindakan'];
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? '' : String(value);
    // A leading =, +, - or @ would be a formula in a spreadsheet.
    const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
    return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  const lines = form.rows.map((r) => [r.number, r.stepId, r.procedure, ASSESSMENT_TEXT[r.assessment], r.count, r.withinBudget, r.medianMs, r.budgetMs, r.overdue, r.refused, r.note, r.action].map(cell).join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

/** The form as a printable page (A4 portrait), laid out as the regulation's table. */
export function monitoringHtml(form: MonitoringForm, options: { fontCss?: string } = {}): string {
  const day = (iso: string) => localDateTimeShort(new Date(iso), form.timeZone);
  const period = [form.from ? `dari ${day(form.from)}` : '', form.to ? `sampai sebelum ${day(form.to)}` : ''].filter(Boolean).join(' ') || 'seluruh data yang tercatat';
  const rows = form.rows.map((r) => `<tr data-step="${esc(r.stepId)}" data-assessment="${r.assessment}">
<td class="no">${r.number}</td><td>${esc(r.procedure)}</td>
<td class="mark">${r.assessment === 'berjalan' ? CHECK : ''}</td><td class="mark">${r.assessment === 'tidak-berjalan' ? CHECK : ''}</td>
<td>${esc(r.note)}</td><td>${esc(r.action)}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>${esc(`Monitoring Pelaksanaan SOP AP: ${form.title}`)}</title>
<style>
${options.fontCss ?? ''}
@page { size: A4 portrait; margin: 15mm 12mm 15mm 12mm; @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 8pt ${FONT_FAMILY}; } }
body { font-family: ${FONT_FAMILY}; font-size: 10pt; margin: 0; }
h1 { font-size: 12pt; text-align: center; margin: 0 0 4mm; }
dl { display: grid; grid-template-columns: 40mm 1fr; gap: 1mm 3mm; margin: 0 0 4mm; }
dt { font-weight: bold; } dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; text-align: center; }
td.no, td.mark { text-align: center; }
.signature { margin-top: 10mm; margin-left: auto; width: 70mm; text-align: center; }
.signature .space { height: 20mm; }
</style>
</head>
<body>
<h1>MONITORING PELAKSANAAN SOP AP</h1>
<dl>
<dt>Nama SOP</dt><dd data-field="title">${esc(form.title)}</dd>
<dt>Nomor SOP</dt><dd data-field="number">${esc(form.number ?? '')}</dd>
<dt>Unit</dt><dd>${esc(form.organization)}</dd>
<dt>Terbitan</dt><dd>${form.revision}</dd>
<dt>Periode</dt><dd data-field="period">${esc(period)}</dd>
</dl>
<table data-part="monitoring">
<colgroup><col style="width:6%"><col style="width:30%"><col style="width:9%"><col style="width:9%"><col style="width:28%"><col style="width:18%"></colgroup>
<tr><th rowspan="2">No</th><th rowspan="2">Prosedur</th><th colspan="2">Penilaian</th><th rowspan="2">Catatan Hasil Penilaian</th><th rowspan="2">Tindakan yang Harus Diambil</th></tr>
<tr><th>Berjalan dengan baik</th><th>Tidak berjalan dengan baik</th></tr>
${rows}
</table>
<p>Penilaian diisi dari waktu pelaksanaan yang tercatat: berjalan dengan baik bila sedikitnya ${percent(form.threshold)} pelaksanaan selesai dalam waktu mutu baku dan tidak ada yang melewati batas waktu.</p>
<div class="signature" data-field="sign-off"><div>Yang melakukan monitoring,</div>${form.signedOff
    ? `<div class="space"></div><div>${esc(form.signedOff.by)}</div><div>disahkan ${esc(day(form.signedOff.at))}${form.signedOff.current ? '' : ' (formulir diubah sesudahnya)'}</div>`
    : '<div class="space"></div><div>(........................................)</div>'}</div>
</body>
</html>
`;
}
