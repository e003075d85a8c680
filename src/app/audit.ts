/**
 * `alur audit verify`: recompute each case's hash chain and report the first broken link, then
 * replay the events through the SOP's machine and check they lead to the stored state.
 */
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import {
  decide, decideStart, EVENT_TYPE, findChainBreak, NotFoundError, type AnyCaseCommand, type ChainBreak, type ChainedEvent, type StoredCase,
} from '../engine/index.js';
import { getCaseRow, listCases } from '../adapters/store/cases-table.js';
import { listEvents } from '../adapters/store/case-events-table.js';
import type { VersionRegistry } from './version-registry.js';

export interface CaseAudit {
  caseId: string;
  events: number;
  ok: boolean;
  /** The first broken link of the hash chain. */
  chainBreak?: ChainBreak;
  /** Set when the chain is intact but replaying it does not give the stored state. */
  replayMismatch?: string;
}

const COMMAND_OF_EVENT = Object.fromEntries(Object.entries(EVENT_TYPE).map(([command, event]) => [event, command])) as Record<string, AnyCaseCommand['type']>;

export async function auditCase(db: Knex, versions: VersionRegistry, caseId: string): Promise<CaseAudit> {
  const row = await getCaseRow(db, caseId);
  if (!row) throw new NotFoundError('case', caseId);
  const events = await listEvents(db, caseId);
  const chainBreak = findChainBreak(events, row.seq);
  if (chainBreak) return { caseId, events: events.length, ok: false, chainBreak };
  const version = await versions.get(db, row.sopVersionId);
  const replayMismatch = replay(version, events, row.snapshot);
  return { caseId, events: events.length, ok: replayMismatch === undefined, ...(replayMismatch ? { replayMismatch } : {}) };
}

export async function auditAllCases(db: Knex, versions: VersionRegistry): Promise<CaseAudit[]> {
  const audits: CaseAudit[] = [];
  for (const c of await listCases(db, { limit: 1_000_000 })) audits.push(await auditCase(db, versions, c.id));
  return audits;
}

function replay(version: Parameters<typeof decide>[0], events: ChainedEvent[], storedSnapshot: unknown): string | undefined {
  let state: StoredCase = { caseId: events[0]?.caseId ?? '', seq: 1, status: 'active', snapshot: decideStart(version).snapshot, openExecutions: [] };
  for (const event of events.slice(1)) {
    const commandType = COMMAND_OF_EVENT[event.type];
    if (commandType === undefined || commandType === 'start-step') continue;
    try {
      const decision = decide(version, state, { type: commandType, ...(event.payload as object) } as AnyCaseCommand, { id: event.actorId, roles: event.actorRoles }, event.at);
      state = { ...state, seq: event.seq, status: decision.status, snapshot: decision.snapshot };
    } catch (error) {
      return `event ${event.seq} (${event.type}) is not allowed by the SOP when replayed: ${(error as Error).message}`;
    }
  }
  return canonicalize(state.snapshot) === canonicalize(storedSnapshot) ? undefined : 'replaying the events does not give the stored case state';
}
