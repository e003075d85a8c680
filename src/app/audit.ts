/**
 * `alur audit verify`: recompute each case's hash chain and report the first broken link; check it
 * against the case's head (the append-only record of how far its log went, which outlives deleted
 * rows); check that the case row matches its events, that the SOP text it ran on is unchanged, and
 * replay the events through that SOP's machine (the same `decide` that took them) to check they
 * lead to the stored state and the stored step timeline. Heads name the cases that should exist,
 * so deleted cases are reported too. Alur's own events that arrived late (an adapter outcome or
 * deadline for a step that had moved on) are listed: they are not tampering, but an auditor should
 * see them. Auditing never throws for one bad case: it reports it and goes on.
 */
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import {
  checkChain, coerceError, commandFromEvent, decide, decideStart, NotFoundError, signAdoption, signHead, type ChainBreak, type ChainedEvent,
  type AuditKey, type CaseState, type CaseStatus, type RunnableVersion, type StepEntry,
} from '../engine/index.js';
import { getCaseRow, listCases, type CaseRow } from '../adapters/store/cases-table.js';
import { lastPlainEvents, listEvents } from '../adapters/store/case-events-table.js';
import { insertKeyAdoptions, keyAdoptions, latestHead, latestHeads, type CaseHeadRow, type KeyAdoptionRow } from '../adapters/store/case-heads-table.js';
import { caseTimeline, type StepExecutionRow } from '../adapters/store/step-executions-table.js';
import type { Alur } from './alur.js';
import { checkHeadsFileSignature, createHeadsFile, type ExportedHead, type HeadsFile } from './audit-heads-file.js';
import { SopRevisionChecks } from './audit-sop-check.js';
import type { VersionRegistry } from './version-registry.js';

export interface LateEvent {
  seq: number;
  type: string;
  step: string;
}

/**
 * `ok`: everything checked and consistent. `tampered`: something proves the record was changed.
 * `unverifiable`: nothing proves tampering, but links are signed with an audit key this process
 * lacks, so a forger could have rewritten them: "cannot verify", never "ok".
 */
export type AuditStatus = 'ok' | 'tampered' | 'unverifiable';

export interface CaseAudit {
  caseId: string;
  events: number;
  ok: boolean;
  status: AuditStatus;
  /** The first broken link of the hash chain. */
  chainBreak?: ChainBreak;
  /** Set when the chain is intact but the case row, its head, its SOP, its state or its timeline do not follow from it. */
  replayMismatch?: string;
  /** Why the case cannot be verified (status `unverifiable`). */
  cannotVerify?: ChainBreak;
  /** The case is named by its head (or an exported heads file) but gone from the database. */
  missing?: true;
  /** Alur's own events recorded after their step had moved on. */
  lateEvents: LateEvent[];
}

export interface AuditReport {
  /** The worst status of any case (or of the heads file). */
  status: AuditStatus;
  /** Cases the heads (and the heads file, when given) say exist. */
  expected: number;
  /** Cases in the database. */
  found: number;
  checked: number;
  broken: number;
  unverifiable: number;
  /** Ids of cases that should exist but do not. */
  missing: string[];
  /** Findings about the whole record rather than one case (a heads file that was altered). */
  problems: string[];
  /** "N cases expected, M found, …": one line for people. */
  summary: string;
  audits: CaseAudit[];
}

export interface AuditOptions {
  /** Only this organisation's cases (and heads). */
  organizationId?: string;
  /** The configured audit key(s); given, every event and head must be signed. */
  keys?: readonly AuditKey[];
  /** Heads exported earlier (`alur audit export-heads`): the database must still hold what they record. */
  exported?: HeadsFile;
  /** Accept plain links under the key everywhere: the check `alur audit adopt-key` makes before vouching for them. */
  acceptPlain?: boolean;
}

/** What one case is checked with, besides its rows. */
interface CaseContext {
  keys: readonly AuditKey[];
  sops: SopRevisionChecks;
  head: CaseHeadRow | undefined;
  adoption: KeyAdoptionRow | undefined;
  acceptPlain?: boolean;
  exported?: ExportedAt;
}

/** A head from an exported file, with when it was exported. */
interface ExportedAt extends ExportedHead {
  exportedAt: string;
}

/** Audit one case. `_versions` is unused: the audit compiles each SOP from its stored, hash-checked source. */
export async function auditCase(db: Knex, _versions: VersionRegistry, caseId: string, keys: readonly AuditKey[] = []): Promise<CaseAudit> {
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const adoption = (await keyAdoptions(db, keys.map((k) => k.id))).get(caseId);
  return auditCaseRow(db, row, { keys, sops: new SopRevisionChecks(db), head: await latestHead(db, caseId), adoption });
}

async function auditCaseRow(db: Knex, row: CaseRow, context: CaseContext): Promise<CaseAudit> {
  const { keys, sops, head, adoption, exported } = context;
  const caseId = row.id;
  const events = await listEvents(db, caseId);
  const tampered = (finding: { chainBreak: ChainBreak } | { replayMismatch: string }, lateEvents: LateEvent[] = []): CaseAudit =>
    ({ caseId, events: events.length, ok: false, status: 'tampered', ...finding, lateEvents });
  try {
    const adoptionKey = adoption && keys.find((k) => k.id === adoption.keyId);
    if (adoption && adoptionKey && adoption.signature !== signAdoption(adoption, adoptionKey)) {
      return tampered({ replayMismatch: 'the record vouching for the case\'s plain-chained events (alur audit adopt-key) does not carry a valid signature: it was forged' });
    }
    const chain = checkChain(events, row.seq, keys, context.acceptPlain ? Number.MAX_SAFE_INTEGER : adoption?.seq ?? 0);
    if (chain.broken) return tampered({ chainBreak: chain.broken });
    if (adoption && events[adoption.seq - 1]?.hash !== adoption.hash) {
      return tampered({ replayMismatch: `event ${adoption.seq} is not the one vouched for when the audit key was adopted (${adoption.adoptedAt.toISOString()}): the plain-chained events were rewritten` });
    }
    const headMismatch = checkHead(head, events, keys);
    if (headMismatch) return tampered({ replayMismatch: headMismatch });
    if (exported && events[exported.seq - 1]?.hash !== exported.hash) {
      return tampered({ replayMismatch: `the log no longer holds event ${exported.seq} as it was when the heads were exported (${exported.exportedAt}): it was rolled back or rewritten` });
    }
    const rowMismatch = checkCaseRow(row, events[0]!);
    if (rowMismatch) return tampered({ replayMismatch: rowMismatch });
    const sop = await sops.get(row.sopVersionId);
    if (!sop.ok) return tampered({ replayMismatch: `${sop.problem}; this case ran on it` });
    const recorded = (events[0]!.payload as { sourceHash?: unknown }).sourceHash;
    if (recorded !== undefined && recorded !== sop.sourceHash) {
      return tampered({ replayMismatch: `the case started on ${sop.label} with source hash ${String(recorded)}, but that revision's source now hashes to ${sop.sourceHash}: it was changed after publishing` });
    }
    const { mismatch, lateEvents } = replayCase(sop.version, events, row, await caseTimeline(db, caseId));
    if (mismatch) return tampered({ replayMismatch: mismatch }, lateEvents);
    if (chain.unverifiable) return { caseId, events: events.length, ok: false, status: 'unverifiable', cannotVerify: chain.unverifiable, lateEvents };
    return { caseId, events: events.length, ok: true, status: 'ok', lateEvents };
  } catch (error) {
    return tampered({ replayMismatch: `the case could not be audited: ${coerceError(error).message}` });
  }
}

/** Audit every case (of one organisation, when given); cases gone from the database are not in this list (see auditDatabase). */
export async function auditAllCases(db: Knex, _versions: VersionRegistry, organizationId?: string, keys: readonly AuditKey[] = []): Promise<CaseAudit[]> {
  return (await auditDatabase(db, { ...(organizationId ? { organizationId } : {}), keys })).audits.filter((a) => !a.missing);
}

/** Audit every case and compare with the heads (and an exported heads file): the cases they name must all exist. */
export async function auditDatabase(db: Knex, options: AuditOptions = {}): Promise<AuditReport> {
  const keys = options.keys ?? [];
  const sops = new SopRevisionChecks(db);
  const heads = new Map((await latestHeads(db, options.organizationId)).map((h) => [h.caseId, h]));
  const file = options.exported;
  const exported = new Map((file?.heads ?? [])
    .filter((h) => options.organizationId === undefined || h.organizationId === options.organizationId)
    .map((h): [string, ExportedAt] => [h.caseId, { ...h, exportedAt: file!.exportedAt }]));
  const adoptions = await keyAdoptions(db, keys.map((k) => k.id));
  const rows = await listCases(db, { limit: 1_000_000, ...(options.organizationId ? { organizationId: options.organizationId } : {}) });
  const audits: CaseAudit[] = [];
  for (const row of rows) {
    const exportedHead = exported.get(row.id);
    audits.push(await auditCaseRow(db, row, {
      keys, sops, head: heads.get(row.id), adoption: adoptions.get(row.id), acceptPlain: options.acceptPlain ?? false, ...(exportedHead ? { exported: exportedHead } : {}),
    }));
  }
  const found = new Set(rows.map((r) => r.id));
  const expected = new Set([...heads.keys(), ...exported.keys()]);
  for (const caseId of expected) {
    if (found.has(caseId)) continue;
    const head = heads.get(caseId);
    const from = exported.get(caseId);
    audits.push({
      caseId, events: 0, ok: false, status: 'tampered', missing: true, lateEvents: [],
      replayMismatch: head
        ? `the case is missing from the database, but its head records ${head.seq} event(s) up to ${head.recordedAt.toISOString()}`
        : `the case is missing from the database (and from its heads), but the heads exported at ${from!.exportedAt} record ${from!.seq} event(s)`,
    });
  }
  const signature = file ? checkHeadsFileSignature(file, keys) : {};
  const report = summarize(audits, expected.size, rows.length, signature.tampered ? [signature.tampered] : []);
  if (signature.unverifiable && report.status === 'ok') return { ...report, status: 'unverifiable', problems: [signature.unverifiable] };
  return report;
}

/** The audit key is not configured, or the database does not verify: adopting it would vouch for what is there. */
export class AuditKeyAdoptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditKeyAdoptionError';
  }
}

/**
 * `alur audit adopt-key`: run once after configuring ALUR_AUDIT_KEY on a database whose cases were
 * chained without it. Checks every case first (plain links accepted), then signs each case's last
 * plain-chained event with the key: the plain prefix up to it is vouched for, and any plain link
 * after it (or a rewritten prefix) is tampering. Returns how many cases it vouched for.
 */
export async function adoptAuditKey(alur: Alur): Promise<number> {
  const key = alur.auditKeys[0];
  if (!key) throw new AuditKeyAdoptionError('ALUR_AUDIT_KEY is not set: set the key to adopt (32+ characters, kept outside the database), then run this again');
  const db = alur.db.knex;
  const report = await auditDatabase(db, { keys: [key], acceptPlain: true });
  if (report.status !== 'ok') {
    throw new AuditKeyAdoptionError(`the database does not verify (${report.summary}); adopting the key would vouch for it. Run \`alur audit verify\` and resolve what it reports first`);
  }
  const adopted = await keyAdoptions(db, [key.id]);
  const now = alur.clock.now();
  const rows = (await lastPlainEvents(db)).filter((e) => !adopted.has(e.caseId))
    .map((e): KeyAdoptionRow => ({ ...e, keyId: key.id, signature: signAdoption(e, key), adoptedAt: now }));
  await insertKeyAdoptions(db, rows);
  return rows.length;
}

/** Every case's latest head (of one organisation, when given), for `alur audit export-heads`. */
export async function exportHeads(alur: Alur, organizationId?: string): Promise<HeadsFile> {
  return createHeadsFile(await latestHeads(alur.db.knex, organizationId), alur.clock.now(), alur.auditKeys[0]);
}

/** Fold case audits (and record-level problems) into a report. */
export function summarize(audits: CaseAudit[], expected: number, found: number, problems: string[]): AuditReport {
  const broken = audits.filter((a) => a.status === 'tampered').length;
  const unverifiable = audits.filter((a) => a.status === 'unverifiable').length;
  const missing = audits.filter((a) => a.missing).map((a) => a.caseId);
  const status: AuditStatus = broken > 0 || problems.length > 0 || expected > found ? 'tampered' : unverifiable > 0 ? 'unverifiable' : 'ok';
  const summary = `${expected} case(s) expected, ${found} found, ${found} checked: ${broken} broken, ${unverifiable} cannot be verified${missing.length > 0 ? `, ${missing.length} missing` : ''}`;
  return { status, expected, found, checked: found, broken, unverifiable, missing, problems, summary, audits };
}

/** Verify one case with this Alur's database and audit keys. */
export function verifyCase(alur: Alur, caseId: string): Promise<CaseAudit> {
  return auditCase(alur.db.knex, alur.versions, caseId, alur.auditKeys);
}

/** Verify every case (of one organisation, when given), missing ones included. */
export function verifyCases(alur: Alur, organizationId?: string, exported?: HeadsFile): Promise<AuditReport> {
  return auditDatabase(alur.db.knex, { ...(organizationId ? { organizationId } : {}), keys: alur.auditKeys, ...(exported ? { exported } : {}) });
}

/**
 * The case's head must be its last event: same sequence number, same hash, same key. A log that
 * ends earlier lost its tail (and the case row was wound back to match); one that goes further got
 * events no command wrote. With the key, a head must carry a valid signature.
 */
function checkHead(head: CaseHeadRow | undefined, events: readonly ChainedEvent[], keys: readonly AuditKey[]): string | undefined {
  if (!head) return 'the case has no recorded head: it was written behind Alur\'s back';
  const last = events.at(-1)!;
  if (head.seq > last.seq) return `the case's head records event ${head.seq}, but its log ends at event ${last.seq}: events were removed from the end`;
  if (head.seq < last.seq) return `the case's log goes on to event ${last.seq}, but its head records event ${head.seq}: events were added behind Alur's back`;
  if (head.hash !== last.hash) return `event ${last.seq} is not the one the case's head recorded (its hash differs): the log was rewritten`;
  if (head.keyId !== last.keyId) return `event ${last.seq} is chained with ${last.keyId === null ? 'plain SHA-256' : `key ${last.keyId}`}, but its head recorded ${head.keyId === null ? 'plain SHA-256' : `key ${head.keyId}`}: the log was re-chained`;
  const key = head.keyId === null ? undefined : keys.find((k) => k.id === head.keyId);
  if (key && head.signature !== null && head.signature !== signHead(head, key)) return `the head of event ${head.seq} does not carry a valid signature: it was forged`;
  return undefined;
}

/** The columns that say what a case is must be what its events recorded. */
function checkCaseRow(row: CaseRow, started: ChainedEvent): string | undefined {
  if (started.type !== 'case.started') return `event 1 is ${started.type}, not case.started`;
  const payload = started.payload as { sopId?: string; versionId?: number; organizationId?: string | null; title?: string | null };
  const expected: Array<[string, unknown, unknown]> = [
    ['SOP', row.sopId, payload.sopId], ['SOP version', row.sopVersionId, payload.versionId],
    ['organisation', row.organizationId, payload.organizationId ?? null], ['title', row.title, payload.title ?? null], ['starter', row.startedBy, started.actorId],
    ['start key', row.startKey, started.idempotencyKey], ['start time', row.startedAt.toISOString(), started.at.toISOString()],
  ];
  const wrong = expected.find(([, stored, recorded]) => stored !== recorded);
  return wrong ? `the case's ${wrong[0]} (${JSON.stringify(wrong[1])}) is not what its case.started event recorded (${JSON.stringify(wrong[2])})` : undefined;
}

/** One step visit as the events say it went; compared field by field with the stored timeline. */
interface ExpectedExecution {
  stepId: string;
  visit: number;
  procedure: string | null;
  kind: string;
  role: string | null;
  roles: string[];
  budgetMs: number | null;
  availableAt: number;
  dueAt: number | null;
  startedAt: number | null;
  startedBy: string | null;
  startImplicit: boolean;
  completedAt: number | null;
  outcome: string | null;
  actors: string[];
  output: unknown;
  overdue: boolean;
}

export interface Replay {
  state: CaseState;
  status: CaseStatus;
  timeline: ExpectedExecution[];
  lateEvents: LateEvent[];
}

/** Replay a case's log through the SOP's machine. Throws a message naming the first event the SOP does not allow. */
export function replayEvents(version: RunnableVersion, events: readonly ChainedEvent[], title: string | null): Replay {
  const timeline: ExpectedExecution[] = [];
  const lateEvents: LateEvent[] = [];
  const open = (stepId: string) => timeline.find((e) => e.stepId === stepId && e.completedAt === null);
  const at = (event: ChainedEvent) => event.at.getTime();
  const start = decideStart(version, events[0]!.at, title);
  for (const entry of start.entered) timeline.push(opened(entry, at(events[0]!)));
  let state = start.snapshot;
  let status: CaseStatus = 'active';
  for (const event of events.slice(1)) {
    const command = commandFromEvent(event.type, event.payload);
    if (command === undefined) throw new Error(`event ${event.seq} has a type Alur does not know: ${event.type}`);
    let decision;
    try {
      decision = decide(version, { caseId: event.caseId, seq: event.seq - 1, status, snapshot: state, title }, command, { id: event.actorId, roles: event.actorRoles }, event.at);
    } catch (error) {
      throw new Error(`event ${event.seq} (${event.type}) is not allowed by the SOP when replayed: ${coerceError(error).message}`);
    }
    const recordedLate = (event.payload as { late?: unknown } | null)?.late === true;
    if (decision.late !== recordedLate) {
      throw new Error(`event ${event.seq} (${event.type}) is recorded as ${recordedLate ? 'late' : 'taken'}, but replaying says it was ${decision.late ? 'late' : 'taken'}`);
    }
    if (decision.late) lateEvents.push({ seq: event.seq, type: event.type, step: (event.payload as { step?: string }).step ?? '' });
    state = decision.snapshot;
    status = decision.status;
    if (decision.started) Object.assign(open(decision.started.stepId)!, { startedAt: at(event), startedBy: decision.started.actorId });
    if (decision.overdue) {
      const execution = timeline.find((e) => e.stepId === decision.overdue!.stepId && e.visit === decision.overdue!.visit);
      if (execution) execution.overdue = true;
    }
    for (const exit of decision.exited) {
      const execution = open(exit.stepId)!;
      // As the store closes a row: closed after its due time is overdue, fired deadline or not.
      if (execution.dueAt !== null && at(event) > execution.dueAt) execution.overdue = true;
      Object.assign(execution, {
        completedAt: at(event), outcome: exit.outcome, actors: exit.actors, output: exit.output ?? null,
        startImplicit: execution.startedAt === null, startedAt: execution.startedAt ?? execution.availableAt,
      });
    }
    for (const entry of decision.entered) timeline.push(opened(entry, at(event)));
  }
  return { state, status, timeline, lateEvents };
}

function opened(entry: StepEntry, at: number): ExpectedExecution {
  return {
    stepId: entry.stepId, visit: entry.visit, procedure: entry.procedure, kind: entry.kind, role: entry.role, roles: entry.roles,
    budgetMs: entry.budgetMs, availableAt: at, dueAt: entry.dueAt?.getTime() ?? null,
    startedAt: null, startedBy: null, startImplicit: false, completedAt: null, outcome: null, actors: [], output: null, overdue: false,
  };
}

/** Replay the log: it must be allowed by the SOP, and lead to the stored state and timeline. */
function replayCase(version: RunnableVersion, events: ChainedEvent[], row: CaseRow, stored: StepExecutionRow[]): { mismatch?: string; lateEvents: LateEvent[] } {
  let replay: Replay;
  try {
    replay = replayEvents(version, events, row.title);
  } catch (error) {
    return { mismatch: coerceError(error).message, lateEvents: [] };
  }
  const { lateEvents } = replay;
  // The stored state must be exactly what the log gives: nothing missing, nothing added (such as an error status).
  if (canonicalize({ value: replay.state.value, context: replay.state.context }) !== canonicalize(row.snapshot)) {
    return { mismatch: 'replaying the events does not give the stored case state', lateEvents };
  }
  if (replay.status !== row.status) return { mismatch: `the case is stored as ${row.status}, but its events leave it ${replay.status}`, lateEvents };
  if (canonicalize([...row.activeSteps].sort()) !== canonicalize(activeOf(replay).sort())) return { mismatch: `the case's open steps (${row.activeSteps.join(', ')}) are not what its events leave open`, lateEvents };
  // The case row's times: the last event moved it last; a case that ended ended then.
  const last = events.at(-1)!.at.getTime();
  const times: Array<[string, number | null, number | null]> = [
    ['last change', row.updatedAt.getTime(), last], ['end time', row.endedAt?.getTime() ?? null, replay.status === 'active' ? null : last],
  ];
  const wrongTime = times.find(([, stored, want]) => stored !== want);
  if (wrongTime) {
    const show = (ms: number | null) => (ms === null ? 'none' : new Date(ms).toISOString());
    return { mismatch: `the case's ${wrongTime[0]} (${show(wrongTime[1])}) is not what its events say (${show(wrongTime[2])})`, lateEvents };
  }
  const got = stored.map((e): ExpectedExecution => ({
    stepId: e.stepId, visit: e.visit, procedure: e.procedure, kind: e.kind, role: e.role, roles: e.roles,
    budgetMs: e.budgetMs, availableAt: e.availableAt.getTime(), dueAt: e.dueAt?.getTime() ?? null,
    startedAt: e.startedAt?.getTime() ?? null, startedBy: e.startedBy, startImplicit: e.startImplicit, completedAt: e.completedAt?.getTime() ?? null, outcome: e.outcome,
    actors: e.actors, output: e.output ?? null, overdue: e.overdue,
  }));
  const key = (e: ExpectedExecution) => `${e.stepId}#${e.visit}`;
  for (const want of replay.timeline) {
    const have = got.find((e) => key(e) === key(want));
    if (!have) return { mismatch: `the timeline lacks step "${want.stepId}" (visit ${want.visit}), which the events open`, lateEvents };
    const field = (Object.keys(want) as Array<keyof ExpectedExecution>).find((k) => canonicalize(have[k]) !== canonicalize(want[k]));
    if (field) return { mismatch: `the timeline of step "${want.stepId}" (visit ${want.visit}) says ${field} ${JSON.stringify(have[field])}, but the events say ${JSON.stringify(want[field])}`, lateEvents };
  }
  const extra = got.find((e) => !replay.timeline.some((w) => key(w) === key(e)));
  return extra ? { mismatch: `the timeline has step "${extra.stepId}" (visit ${extra.visit}), which no event opened`, lateEvents } : { lateEvents };
}

function activeOf(replay: Replay): string[] {
  return replay.timeline.filter((e) => e.completedAt === null).map((e) => e.stepId);
}
