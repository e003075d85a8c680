/**
 * Repairing a case's derived state from its event log. The log is the truth; the case row's
 * machine state, status and open steps are a cache of it. Versions of Alur before the engine
 * took every command through XState's pure `transition()` could store an XState error state
 * (a late adapter outcome made the machine fail), after which every command on the case failed.
 * Replaying the log with today's engine gives the state the case should have; nothing in the
 * log changes, so the hash chain and its audit are untouched.
 */
import canonicalize from 'canonicalize';
import { listEvents } from '../adapters/store/case-events-table.js';
import { getCaseRow, listCaseIdsNeedingRepair, rewriteCaseState } from '../adapters/store/cases-table.js';
import { activeStepsOf, NotFoundError } from '../engine/index.js';
import type { Alur } from './alur.js';
import { replayEvents } from './audit.js';

export interface RepairResult {
  caseId: string;
  /** False when the stored state already was what the log gives. */
  changed: boolean;
}

export async function repairCase(alur: Alur, caseId: string): Promise<RepairResult> {
  return alur.db.knex.transaction(async (trx) => {
    const row = await getCaseRow(trx, caseId, { forUpdate: true });
    if (!row) throw new NotFoundError('case', caseId);
    const version = await alur.versions.get(trx, row.sopVersionId);
    const replay = replayEvents(version, await listEvents(trx, caseId), row.title);
    const state = { value: replay.state.value, context: replay.state.context };
    const activeSteps = activeStepsOf(state.value);
    const stored = row.snapshot as { value?: unknown; context?: unknown; status?: unknown } | null;
    const same = canonicalize({ value: stored?.value, context: stored?.context }) === canonicalize(state) && stored?.status !== 'error' && row.status === replay.status;
    if (same) return { caseId, changed: false };
    await rewriteCaseState(trx, caseId, { snapshot: state, activeSteps, status: replay.status });
    return { caseId, changed: true };
  });
}

/** Repair every case an older Alur stored (an error state, or a context without visit counts); returns those changed. */
export async function repairPoisonedCases(alur: Alur): Promise<RepairResult[]> {
  const results: RepairResult[] = [];
  for (const caseId of await listCaseIdsNeedingRepair(alur.db.knex)) results.push(await repairCase(alur, caseId));
  return results.filter((r) => r.changed);
}
