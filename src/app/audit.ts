/**
 * `alur audit verify`: recompute each case's hash chain and report the first broken link; then
 * check that the case row matches its `case.started` event, and replay the events through the
 * SOP's machine to check they lead to the stored state and the stored step timeline.
 */
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import {
  decide, decideStart, EVENT_TYPE, findChainBreak, NotFoundError, type AnyCaseCommand, type ChainBreak, type ChainedEvent,
  type AuditKey, type RunnableVersion, type StoredCase,
} from '../engine/index.js';
import { getCaseRow, listCases, type CaseRow } from '../adapters/store/cases-table.js';
import { listEvents } from '../adapters/store/case-events-table.js';
import { caseTimeline, type StepExecutionRow } from '../adapters/store/step-executions-table.js';
import type { VersionRegistry } from './version-registry.js';

export interface CaseAudit {
  caseId: string;
  events: number;
  ok: boolean;
  /** The first broken link of the hash chain. */
  chainBreak?: ChainBreak;
  /** Set when the chain is intact but the case row, its state or its timeline do not follow from it. */
  replayMismatch?: string;
}

const COMMAND_OF_EVENT = Object.fromEntries(Object.entries(EVENT_TYPE).map(([command, event]) => [event, command])) as Record<string, AnyCaseCommand['type']>;

export async function auditCase(db: Knex, versions: VersionRegistry, caseId: string, keys: readonly AuditKey[] = []): Promise<CaseAudit> {
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const events = await listEvents(db, caseId);
  const chainBreak = findChainBreak(events, row.seq, keys);
  if (chainBreak) return { caseId, events: events.length, ok: false, chainBreak };
  const mismatch = checkCaseRow(row, events[0]!) ?? (await replay(await versions.get(db, row.sopVersionId), events, row, await caseTimeline(db, caseId)));
  return { caseId, events: events.length, ok: mismatch === undefined, ...(mismatch ? { replayMismatch: mismatch } : {}) };
}

export async function auditAllCases(db: Knex, versions: VersionRegistry, organizationId?: string, keys: readonly AuditKey[] = []): Promise<CaseAudit[]> {
  const audits: CaseAudit[] = [];
  for (const c of await listCases(db, { limit: 1_000_000, ...(organizationId ? { organizationId } : {}) })) audits.push(await auditCase(db, versions, c.id, keys));
  return audits;
}

/** The columns that say what a case is must be what its first event recorded. */
function checkCaseRow(row: CaseRow, started: ChainedEvent): string | undefined {
  const payload = started.payload as { sopId?: string; versionId?: number; organizationId?: string | null; title?: string | null };
  const expected: Array<[string, unknown, unknown]> = [
    ['SOP', row.sopId, payload.sopId], ['SOP version', row.sopVersionId, payload.versionId],
    ['organisation', row.organizationId, payload.organizationId ?? null], ['title', row.title, payload.title ?? null], ['starter', row.startedBy, started.actorId],
  ];
  const wrong = expected.find(([, stored, recorded]) => stored !== recorded);
  return wrong ? `the case's ${wrong[0]} (${JSON.stringify(wrong[1])}) is not what its case.started event recorded (${JSON.stringify(wrong[2])})` : undefined;
}

interface ExpectedExecution {
  stepId: string;
  visit: number;
  availableAt: number;
  startedAt: number | null;
  completedAt: number | null;
  outcome: string | null;
  actors: string[];
  overdue: boolean;
}

/** Replay the log: it must be allowed by the SOP, and lead to the stored snapshot and timeline. */
async function replay(version: RunnableVersion, events: ChainedEvent[], row: CaseRow, timeline: StepExecutionRow[]): Promise<string | undefined> {
  const expected: ExpectedExecution[] = [];
  const open = (stepId: string) => expected.find((e) => e.stepId === stepId && e.completedAt === null);
  const enter = (stepIds: string[], at: Date) => {
    for (const stepId of stepIds) expected.push({ stepId, visit: expected.filter((e) => e.stepId === stepId).length + 1, availableAt: at.getTime(), startedAt: null, completedAt: null, outcome: null, actors: [], overdue: false });
  };
  const start = decideStart(version);
  enter(start.entered.map((e) => e.stepId), events[0]!.at);
  let state: StoredCase = { caseId: row.id, seq: 1, status: 'active', snapshot: start.snapshot, openExecutions: [] };
  for (const event of events.slice(1)) {
    if (event.type === 'step.overdue') {
      const execution = open((event.payload as { step: string }).step);
      if (execution) execution.overdue = true;
      continue;
    }
    const commandType = COMMAND_OF_EVENT[event.type];
    if (commandType === undefined) return `event ${event.seq} has a type Alur does not know: ${event.type}`;
    let decision;
    try {
      state = { ...state, openExecutions: expected.filter((e) => e.completedAt === null).map((e, i) => ({ id: i, stepId: e.stepId, startedAt: e.startedAt === null ? null : new Date(e.startedAt) })) };
      decision = decide(version, state, { type: commandType, ...(event.payload as object) } as AnyCaseCommand, { id: event.actorId, roles: event.actorRoles }, event.at);
    } catch (error) {
      return `event ${event.seq} (${event.type}) is not allowed by the SOP when replayed: ${(error as Error).message}`;
    }
    state = { ...state, seq: event.seq, status: decision.status, snapshot: decision.snapshot };
    if (decision.started) open(decision.started.stepId)!.startedAt = event.at.getTime();
    for (const exit of decision.exited) {
      const execution = open(exit.stepId)!;
      Object.assign(execution, { completedAt: event.at.getTime(), outcome: exit.outcome, actors: exit.actors, startedAt: execution.startedAt ?? execution.availableAt });
    }
    enter(decision.entered.map((e) => e.stepId), event.at);
  }
  if (canonicalize(state.snapshot) !== canonicalize(row.snapshot)) return 'replaying the events does not give the stored case state';
  if (state.status !== row.status) return `the case is stored as ${row.status}, but its events leave it ${state.status}`;
  const stored = timeline.map((e): ExpectedExecution => ({
    stepId: e.stepId, visit: e.visit, availableAt: e.availableAt.getTime(), startedAt: e.startedAt?.getTime() ?? null,
    completedAt: e.completedAt?.getTime() ?? null, outcome: e.outcome, actors: e.actors, overdue: e.overdue,
  }));
  const key = (e: ExpectedExecution) => `${e.stepId}#${e.visit}`;
  for (const want of expected) {
    const got = stored.find((e) => key(e) === key(want));
    if (!got) return `the timeline lacks step "${want.stepId}" (visit ${want.visit}), which the events open`;
    if (canonicalize(got) !== canonicalize(want)) {
      const field = (Object.keys(want) as Array<keyof ExpectedExecution>).find((k) => canonicalize(got[k]) !== canonicalize(want[k]))!;
      return `the timeline of step "${want.stepId}" (visit ${want.visit}) says ${field} ${JSON.stringify(got[field])}, but the events say ${JSON.stringify(want[field])}`;
    }
  }
  const extra = stored.find((e) => !expected.some((w) => key(w) === key(e)));
  return extra ? `the timeline has step "${extra.stepId}" (visit ${extra.visit}), which no event opened` : undefined;
}
