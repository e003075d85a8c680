/**
 * The SOP text a case ran on, checked for the audit: the stored source must still hash to what was
 * recorded when it was published (and, for cases started since, to what the case's chained
 * `case.started` event recorded), and the stored definition the engine runs must be exactly what
 * that source compiles to. The audit replays with the definition compiled from the source, never
 * with a cached or stored one.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { Knex } from 'knex';
import { createRunnableVersion, hasErrors, validateSop, type RunnableVersion } from '../engine/index.js';
import { getSopVersion } from '../adapters/store/sop-versions-table.js';

export type SopCheck =
  | { ok: true; label: string; sourceHash: string; version: RunnableVersion }
  | { ok: false; label: string; problem: string };

/** Check each revision once per audit run. */
export class SopRevisionChecks {
  private readonly checked = new Map<number, Promise<SopCheck>>();

  constructor(private readonly db: Knex) {}

  get(versionId: number): Promise<SopCheck> {
    let check = this.checked.get(versionId);
    if (!check) {
      check = checkSopRevision(this.db, versionId);
      this.checked.set(versionId, check);
    }
    return check;
  }
}

async function checkSopRevision(db: Knex, versionId: number): Promise<SopCheck> {
  const row = await getSopVersion(db, versionId);
  if (!row) return { ok: false, label: `SOP version ${versionId}`, problem: `SOP version ${versionId} does not exist` };
  const label = `SOP "${row.sopId}" revision ${row.revision}`;
  const sourceHash = createHash('sha256').update(row.source).digest('hex');
  if (sourceHash !== row.contentHash) return { ok: false, label, problem: `the source of ${label} no longer has the hash recorded when it was published` };
  const result = validateSop(row.source, row.file);
  if (!result.definition || hasErrors(result.diagnostics)) return { ok: false, label, problem: `the source of ${label} no longer validates` };
  const fromSource = JSON.parse(JSON.stringify(result.definition)) as typeof result.definition;
  if (canonicalize(fromSource) !== canonicalize(row.definition)) {
    return { ok: false, label, problem: `the stored definition of ${label} (the steps, roles and waktu the engine runs) is not what its source compiles to` };
  }
  return { ok: true, label, sourceHash, version: createRunnableVersion(versionId, fromSource) };
}
