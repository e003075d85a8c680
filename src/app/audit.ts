/**
 * `alur audit verify`: recompute each case's hash chain and report the first broken link; then
 * check that the case row matches its `case.started` event, and replay the events through the
 * SOP's machine (the same `decide` that took them) to check they lead to the stored state and
 * the stored step timeline. Alur's own events that arrived late (an adapter outcome or deadline
 * for a step that had moved on) are listed: they are not tampering, but an auditor should see
 * them. Auditing never throws for one bad case: it reports it and goes on.
 */
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import {
  coerceError, commandFromEvent, decide, decideStart, findChainBreak, NotFoundError, type ChainBreak, type ChainedEvent,
  type AuditKey, type CaseState, type CaseStatus, type RunnableVersion,
} from '../engine/index.js';
import { getCaseRow, listCases, type CaseRow } from '../adapters/store/cases-table.js';
import { listEvents } from '../adapters/store/case-events-table.js';
import { caseTimeline, type StepExecutionRow } from '../adapters/store/step-executions-table.js';
import type { Alur } from './alur.js';
import type { VersionRegistry } from './version-registry.js';

export interface LateEvent {
  seq: number;
  type: string;
  step: string;
}

export interface CaseAudit {
  caseId: string;
  events: number;
  ok: boolean;
  /** The first broken link of the hash chain. */
  chainBreak?: ChainBreak;
  /** Set when the chain is intact but the case row, its state or its timeline do not follow from it. */
  replayMismatch?: string;
  /** Alur's own events recorded after their step had moved on. */
  lateEvents: LateEvent[];
}

export async function auditCase(db: Knex, versions: VersionRegistry, caseId: string, keys: readonly AuditKey[] = []): Promise<CaseAudit> {
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const events = await listEvents(db, caseId);
  try {
    const chainBreak = findChainBreak(events, row.seq, keys);
    if (chainBreak) return { caseId, events: events.length, ok: false, chainBreak, lateEvents: [] };
    const rowMismatch = checkCaseRow(row, events[0]!);
    if (rowMismatch) return { caseId, events: events.length, ok: false, replayMismatch: rowMismatch, lateEvents: [] };
    const { mismatch, lateEvents } = replayCase(await versions.get(db, row.sopVersionId), events, row, await caseTimeline(db, caseId));
    return { caseId, events: events.length, ok: mismatch === undefined, ...(mismatch ? { replayMismatch: mismatch } : {}), lateEvents };
  } catch (error) {
    return { caseId, events: events.length, ok: false, replayMismatch: `the case could not be audited: ${coerceError(error).message}`, lateEvents: [] };
  }
}

export async function auditAllCases(db: Knex, versions: VersionRegistry, organizationId?: string, keys: readonly AuditKey[] = []): Promise<CaseAudit[]> {
  const audits: CaseAudit[] = [];
  for (const c of await listCases(db, { limit: 1_000_000, ...(organizationId ? { organizationId } : {}) })) audits.push(await auditCase(db, versions, c.id, keys));
  return audits;
}

/** Verify one case with this Alur's database, compiled versions and audit keys. */
export function verifyCase(alur: Alur, caseId: string): Promise<CaseAudit> {
  return auditCase(alur.db.knex, alur.versions, caseId, alur.auditKeys);
}

/** Verify every case (of one organisation, when given). */
export function verifyCases(alur: Alur, organizationId?: string): Promise<CaseAudit[]> {
  return auditAllCases(alur.db.knex, alur.versions, organizationId, alur.auditKeys);
}

/** The columns that say what a case is must be what its first event recorded. */
function checkCaseRow(row: CaseRow, started: ChainedEvent): string | undefined {
  if (started.type !== 'case.started') return `event 1 is ${started.type}, not case.started`;
  const payload = started.payload as { sopId?: string; versionId?: number; organizationId?: string | null; title?: string | null };
  const expected: Array<[string, unknown, unknown]> = [
    ['SOP', row.sopId, payload.sopId], ['SOP version', row.sopVersionId, payload.versionId],
    ['organisation', row.organizationId, payload.organizationId ?? null], ['title', row.title, payload.title ?? null], ['starter', row.startedBy, started.actorId],
  ];
  const wrong = expected.find(([, stored, recorded]) => stored !== recorded);
  return wrong ? `the case's ${wrong[0]} (${JSON.stringify(wrong[1])}) is not what its case.started event recorded (${JSON.stringify(wrong[2])})` : undefined;
}

/** One step visit as the events say it went; compared field by field with the stored timeline. */
interface ExpectedExecution {
  stepId: string;
  visit: number;
  budgetMs: number | null;
  availableAt: number;
  dueAt: number | null;
  startedAt: number | null;
  startedBy: string | null;
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
      Object.assign(execution, { completedAt: at(event), outcome: exit.outcome, actors: exit.actors, output: exit.output, startedAt: execution.startedAt ?? execution.availableAt });
    }
    for (const entry of decision.entered) timeline.push(opened(entry, at(event)));
  }
  return { state, status, timeline, lateEvents };
}

function opened(entry: { stepId: string; visit: number; budgetMs: number | null; dueAt: Date | null }, at: number): ExpectedExecution {
  return {
    stepId: entry.stepId, visit: entry.visit, budgetMs: entry.budgetMs, availableAt: at, dueAt: entry.dueAt?.getTime() ?? null,
    startedAt: null, startedBy: null, completedAt: null, outcome: null, actors: [], output: null, overdue: false,
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
  const got = stored.map((e): ExpectedExecution => ({
    stepId: e.stepId, visit: e.visit, budgetMs: e.budgetMs, availableAt: e.availableAt.getTime(), dueAt: e.dueAt?.getTime() ?? null,
    startedAt: e.startedAt?.getTime() ?? null, startedBy: e.startedBy, completedAt: e.completedAt?.getTime() ?? null, outcome: e.outcome,
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
