import { formatDuration, type CaseActor } from '../../engine/index.js';
import { readFileSync } from 'node:fs';
import { adoptAuditKey, exportHeads, summarize, verifyCase, verifyCases } from '../../app/audit.js';
import { HeadsFileError, parseHeadsFile, type HeadsFile } from '../../app/audit-heads-file.js';
import { caseRecord, findCase, listAllCases } from '../../app/case-queries.js';
import { repairCase, repairPoisonedCases } from '../../app/case-repair.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

export async function caseStartCommand(sopId: string, options: { actor: string; role: string[]; title?: string; revision?: number; org?: string }, io: CliOutput): Promise<number> {
  const actor: CaseActor = { id: options.actor, roles: options.role };
  return withAlur(async (alur) => {
    const { case: c } = await alur.cases.startCase({
      sopId, actor, ...(options.title ? { title: options.title } : {}), ...(options.revision ? { revision: options.revision } : {}), ...(options.org ? { organizationId: options.org } : {}),
    });
    io.out(`started case ${c.id} (${c.sopId}), open: ${c.activeSteps.join(', ')}`);
    return 0;
  });
}

export async function caseListCommand(options: { sop?: string; status?: 'active' | 'completed' | 'cancelled'; json?: boolean }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const rows = await listAllCases(alur, { ...(options.sop ? { sopId: options.sop } : {}), ...(options.status ? { status: options.status } : {}) });
    if (options.json) {
      io.out(JSON.stringify(rows.map(({ snapshot: _snapshot, ...row }) => row), null, 2));
      return 0;
    }
    io.out(table(['case', 'sop', 'status', 'started', 'by', 'open steps'], rows.map((r) => [r.id, r.sopId, r.status, r.startedAt.toISOString(), r.startedBy, r.activeSteps.join(', ')])));
    return 0;
  });
}

export async function caseShowCommand(caseId: string, options: { json?: boolean }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const found = await findCase(alur, caseId);
    if (!found) {
      io.err(`case "${caseId}" does not exist`);
      return 1;
    }
    const { row } = found;
    const { timeline, events } = await caseRecord(alur, caseId);
    if (options.json) {
      const { snapshot: _snapshot, ...rest } = row;
      io.out(JSON.stringify({ case: rest, timeline, events }, null, 2));
      return 0;
    }
    io.out(`case ${row.id}: ${row.sopId} revision ${found.revision}, ${row.status}, started ${row.startedAt.toISOString()} by ${row.startedBy}`);
    io.out(`open: ${row.activeSteps.join(', ') || '—'}`);
    io.out('');
    io.out(table(['step', 'visit', 'available', 'started', 'completed', 'work', 'total', 'waktu', 'by', 'outcome'], timeline.map((e) => [
      e.stepId, String(e.visit), e.availableAt.toISOString(), e.startedAt?.toISOString() ?? '—', e.completedAt?.toISOString() ?? '—',
      e.startedAt && e.completedAt ? formatDuration(e.completedAt.getTime() - e.startedAt.getTime()) : '—',
      e.completedAt ? formatDuration(e.completedAt.getTime() - e.availableAt.getTime()) : '—',
      e.budgetMs === null ? '—' : `${formatDuration(e.budgetMs)}${e.overdue ? ' (lewat)' : ''}`,
      e.actors.join(', ') || '—', e.outcome ?? 'open',
    ])));
    io.out('');
    io.out(table(['#', 'event', 'by', 'at', 'hash'], events.map((e) => [String(e.seq), e.type, e.actorId, e.at.toISOString(), e.hash.slice(0, 12)])));
    return 0;
  });
}

/** Exit codes of `alur audit verify`: verified, tampered (or missing), cannot verify without the audit key. */
export const AUDIT_EXIT = { ok: 0, tampered: 1, unverifiable: 3 } as const;

/** `alur audit verify [id] [--heads file]`: exit 0 verified, 1 tampered or missing, 3 cannot verify (the audit key is not set). */
export async function auditVerifyCommand(caseId: string | undefined, options: { json?: boolean; heads?: string }, io: CliOutput): Promise<number> {
  const exported = options.heads === undefined ? undefined : readHeadsFile(options.heads);
  return withAlur(async (alur) => {
    const single = caseId ? await verifyCase(alur, caseId) : undefined;
    const report = single ? summarize([single], 1, 1, []) : await verifyCases(alur, undefined, exported);
    if (options.json) io.out(JSON.stringify(single ?? report, null, 2));
    else {
      for (const a of report.audits) {
        const late = a.lateEvents.length > 0 ? `; ${a.lateEvents.length} late: ${a.lateEvents.map((e) => `#${e.seq} ${e.type} (${e.step})`).join(', ')}` : '';
        if (a.ok) io.out(`${a.caseId}: ok (${a.events} events${late})`);
        else if (a.chainBreak) io.err(`${a.caseId}: BROKEN at event ${a.chainBreak.seq}: ${a.chainBreak.reason}`);
        else if (a.cannotVerify) io.err(`${a.caseId}: CANNOT VERIFY at event ${a.cannotVerify.seq}: ${a.cannotVerify.reason}`);
        else io.err(`${a.caseId}: ${a.missing ? 'MISSING: ' : ''}${a.replayMismatch}`);
      }
      for (const problem of report.problems) io.err(`heads file: ${problem}`);
      io.out(single ? `1 case(s) checked, ${report.broken} broken${report.unverifiable ? `, ${report.unverifiable} cannot be verified` : ''}` : report.summary);
    }
    return AUDIT_EXIT[report.status];
  });
}

function readHeadsFile(path: string): HeadsFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new HeadsFileError(`cannot read the heads file ${path}: ${(error as Error).message}`);
  }
  return parseHeadsFile(text, path);
}

/** `alur audit export-heads`: every case's latest head as JSON (signed with the audit key), to keep outside the database. */
export async function auditExportHeadsCommand(options: { org?: string }, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    io.out(JSON.stringify(await exportHeads(alur, options.org), null, 2));
    return 0;
  });
}

/** `alur audit adopt-key`: vouch, with the newly configured key, for the cases chained before it existed. */
export async function auditAdoptKeyCommand(io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const adopted = await adoptAuditKey(alur);
    io.out(`${adopted} case(s) with plain-chained events vouched for with audit key ${alur.auditKeys[0]!.id}; from now on a plain link is reported as tampering`);
    return 0;
  });
}

/** `alur case repair [id]`: rebuild one case's stored state from its log, or every case stored in an error state. */
export async function caseRepairCommand(caseId: string | undefined, io: CliOutput): Promise<number> {
  return withAlur(async (alur) => {
    const results = caseId ? [await repairCase(alur, caseId)] : await repairPoisonedCases(alur);
    for (const r of results) io.out(`${r.caseId}: ${r.changed ? 'repaired from its event log' : 'already consistent with its event log'}`);
    if (!caseId) io.out(`${results.length} case(s) repaired`);
    return 0;
  });
}
