import { readFile, writeFile } from 'node:fs/promises';
import { exportCase } from '../../app/case-export/export-case.js';
import { verifyExport } from '../../app/case-export/verify-export.js';
import { createDocumentRenderer, type CaseReportFormat } from '../../app/documents/render-sop-document.js';
import { caseStepDocument } from '../../app/case-documents.js';
import { findCase } from '../../app/case-queries.js';
import { loadConfig } from '../../config.js';
import { auditKeyFrom } from '../../engine/index.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { AUDIT_EXIT } from './cases.js';

/** `alur case export <id> [-o file] [--report html|pdf]`: the case's evidence export (zip). */
export async function caseExportCommand(caseId: string, options: { output?: string; report: CaseReportFormat }, io: CliOutput): Promise<number> {
  const config = loadConfig();
  const renderer = createDocumentRenderer(config.chromiumPath ? { chromiumPath: config.chromiumPath } : {});
  return withAlur(async (alur) => {
    if (!(await findCase(alur, caseId))) {
      io.err(`alur: case "${caseId}" does not exist; \`alur case list\` shows the cases`);
      return 1;
    }
    const exported = await exportCase(alur, renderer, caseId, { report: options.report });
    const target = options.output ?? exported.fileName;
    await writeFile(target, exported.zip);
    const { manifest } = exported;
    io.out(`${target}: case ${caseId}, ${manifest.files.length} files, head #${manifest.head.seq} ${manifest.head.hash}${manifest.signature ? `, signed with audit key ${manifest.keyId}` : ''}`);
    return 0;
  });
}

/** `alur case document <id> <step> [--format html|pdf] [--visit n] [-o file]`: the berita acara the SOP names for a done step. */
export async function caseDocumentCommand(caseId: string, stepId: string, options: { format: CaseReportFormat; visit?: number; output?: string }, io: CliOutput): Promise<number> {
  if (options.output === '-' && options.format === 'pdf') {
    io.err('alur: a PDF is not printed to the terminal; name a file with --output, e.g. --output berita-acara.pdf');
    return 1;
  }
  const config = loadConfig();
  const renderer = createDocumentRenderer(config.chromiumPath ? { chromiumPath: config.chromiumPath } : {});
  return withAlur(async (alur) => {
    const data = await caseStepDocument(alur, caseId, stepId, options.visit ? { visit: options.visit } : {});
    const document = await renderer.renderBeritaAcara(data, options.format);
    if (options.output === '-') {
      io.out(document.body.toString('utf8'));
      return 0;
    }
    const target = options.output ?? document.fileName;
    await writeFile(target, document.body);
    io.out(`${target}: ${data.template} of step ${stepId} (visit ${data.visit}) of case ${caseId}, signed by ${data.signatories.map((s) => s.actorId).join(' and ')}; last event #${data.lastEvent.seq} ${data.lastEvent.hash}`);
    return 0;
  });
}

/** `alur audit verify --export x.zip`: check an export offline (no database); exit 0 verified, 1 tampered, 3 cannot verify without the key. */
export async function auditVerifyExportCommand(file: string, options: { json?: boolean }, io: CliOutput): Promise<number> {
  let zip: Buffer;
  try {
    zip = await readFile(file);
  } catch (error) {
    io.err(`alur: cannot read the export ${file}: ${(error as Error).message}`);
    return AUDIT_EXIT.tampered;
  }
  const config = loadConfig();
  const result = await verifyExport(zip, config.auditKey ? [auditKeyFrom(config.auditKey)] : []);
  if (options.json) io.out(JSON.stringify(result, null, 2));
  else {
    for (const finding of result.tampered) io.err(`${file}: TAMPERED: ${finding}`);
    for (const finding of result.unverifiable) io.err(`${file}: CANNOT VERIFY: ${finding}`);
    if (result.status === 'ok') io.out(`${file}: ok (case ${result.caseId}, ${result.events} events, head #${result.head!.seq} ${result.head!.hash})`);
  }
  return AUDIT_EXIT[result.status];
}
