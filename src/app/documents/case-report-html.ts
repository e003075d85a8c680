/**
 * The report of one case for its evidence export: what the case is, the step timeline against the
 * mutu baku, the event log and the camera evidence, with the case id and the hash of its last event
 * in the footer of every page, so a printed copy can be matched to the export and its chain.
 * Pure: the case's data comes in, markup goes out.
 */
import { formatDuration, type ChainedEvent, type SopDefinition } from '../../engine/index.js';
import { localTimestamp } from './local-time.js';
import { escapeXml as esc, FONT_FAMILY } from './markup.js';

export interface CaseReportTimelineEntry {
  stepId: string;
  visit: number;
  availableAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  budgetMs: number | null;
  overdue: boolean;
  actors: string[];
  outcome: string | null;
}

export interface CaseReportEvidence {
  id: string;
  cameraId: string;
  step: string | null;
  kind: string;
  probedAt: Date;
  ok: boolean;
  error: string | null;
  /** Path of the snapshot inside the export, when there is one. */
  snapshotPath: string | null;
}

export interface CaseReport {
  caseId: string;
  title: string | null;
  status: string;
  startedAt: Date;
  startedBy: string;
  endedAt: Date | null;
  revision: number;
  definition: SopDefinition;
  timeline: readonly CaseReportTimelineEntry[];
  events: readonly ChainedEvent[];
  evidence: readonly CaseReportEvidence[];
  /** What `alur audit verify` found when the export was made. */
  auditStatus: string;
  auditFinding: string | null;
  exportedAt: Date;
  /** The organisation's IANA time zone: the report's times are its local times (WIB, WITA, WIT). */
  timeZone: string;
}

/** The report as a printable page (A4 portrait). */
export function caseReportHtml(report: CaseReport, options: { fontCss?: string } = {}): string {
  const { definition } = report;
  const time = (at: Date | null) => (at ? localTimestamp(at, report.timeZone) : '—');
  const last = report.events.at(-1);
  const footer = `Kasus ${report.caseId} · peristiwa terakhir #${last?.seq ?? 0} hash ${last?.hash ?? '—'}`;
  const activity = new Map(definition.steps.map((s) => [s.id, s.activity.replace(/\s+/g, ' ')]));
  const timeline = report.timeline.map((e) => `<tr data-step="${esc(e.stepId)}">
<td>${esc(activity.get(e.stepId) ?? e.stepId)}${e.visit > 1 ? ` (ke-${e.visit})` : ''}</td><td>${time(e.availableAt)}</td><td>${time(e.startedAt)}</td><td>${time(e.completedAt)}</td>
<td>${e.completedAt ? formatDuration(e.completedAt.getTime() - e.availableAt.getTime()) : '—'}</td><td>${e.budgetMs === null ? '—' : formatDuration(e.budgetMs)}${e.overdue ? ' (lewat)' : ''}</td>
<td>${esc(e.actors.join(', ') || '—')}</td><td>${esc(e.outcome ?? 'terbuka')}</td></tr>`).join('\n');
  const events = report.events.map((e) => `<tr data-seq="${e.seq}"><td>${e.seq}</td><td>${esc(e.type)}</td><td>${esc(e.actorId)}</td><td>${time(e.at)}</td><td class="hash">${e.hash}</td></tr>`).join('\n');
  const evidence = report.evidence.map((e) => `<tr><td>${esc(e.cameraId)}</td><td>${esc(e.step ?? '—')}</td><td>${esc(e.kind)}</td><td>${time(e.probedAt)}</td>
<td>${e.ok ? 'baik' : esc(`gagal: ${e.error ?? ''}`)}</td><td>${esc(e.snapshotPath ?? '—')}</td></tr>`).join('\n');
  return `<!DOCTYPE html>
<html lang="id">
<head>
<meta charset="utf-8">
<title>${esc(`Laporan Kasus ${report.caseId}`)}</title>
<style>
${options.fontCss ?? ''}
@page { size: A4 portrait; margin: 15mm 12mm 18mm 12mm;
  @bottom-left { content: "${footer.replace(/["\\<>]/g, '')}"; font: 6.5pt ${FONT_FAMILY}; }
  @bottom-right { content: "Halaman " counter(page) " dari " counter(pages); font: 8pt ${FONT_FAMILY}; } }
body { font-family: ${FONT_FAMILY}; font-size: 9pt; margin: 0; }
h1 { font-size: 12pt; text-align: center; margin: 0 0 4mm; } h2 { font-size: 10pt; margin: 5mm 0 2mm; }
dl { display: grid; grid-template-columns: 40mm 1fr; gap: 1mm 3mm; margin: 0 0 4mm; }
dt { font-weight: bold; } dd { margin: 0; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 1px solid #000; padding: 2px 4px; vertical-align: top; text-align: left; }
th { background: #f2f2f2; }
td.hash { font-size: 6.5pt; word-break: break-all; }
footer { margin-top: 6mm; font-size: 7pt; word-break: break-all; }
</style>
</head>
<body>
<h1>LAPORAN KASUS</h1>
<dl>
<dt>Nama SOP</dt><dd>${esc(definition.identity.title)}</dd>
<dt>Nomor SOP</dt><dd>${esc(definition.identity.number ?? '')}</dd>
<dt>Unit</dt><dd>${esc(definition.identity.organization)}</dd>
<dt>Terbitan</dt><dd>${report.revision}</dd>
<dt>Kasus</dt><dd data-field="case">${esc(report.caseId)}${report.title ? ` — ${esc(report.title)}` : ''}</dd>
<dt>Status</dt><dd>${esc(report.status)}</dd>
<dt>Dimulai</dt><dd>${time(report.startedAt)} oleh ${esc(report.startedBy)}</dd>
<dt>Selesai</dt><dd>${time(report.endedAt)}</dd>
<dt>Pemeriksaan rantai</dt><dd data-field="audit">${esc(report.auditStatus)}${report.auditFinding ? `: ${esc(report.auditFinding)}` : ''}</dd>
<dt>Diekspor</dt><dd>${time(report.exportedAt)}</dd>
</dl>
<h2>Lini waktu langkah</h2>
<table data-part="timeline"><tr><th>Kegiatan</th><th>Tersedia</th><th>Dimulai</th><th>Selesai</th><th>Durasi</th><th>Waktu (mutu baku)</th><th>Pelaksana</th><th>Hasil</th></tr>
${timeline}
</table>
<h2>Catatan peristiwa</h2>
<table data-part="events"><tr><th>#</th><th>Peristiwa</th><th>Oleh</th><th>Waktu</th><th>Hash</th></tr>
${events}
</table>
${report.evidence.length > 0 ? `<h2>Bukti kamera</h2>
<table data-part="evidence"><tr><th>Kamera</th><th>Langkah</th><th>Jenis</th><th>Waktu</th><th>Hasil</th><th>Berkas</th></tr>
${evidence}
</table>` : ''}
<footer data-field="footer">${esc(footer)}</footer>
</body>
</html>
`;
}
