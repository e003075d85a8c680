/**
 * Alur assembled: database (migrated), compiled-version registry, case service, scheduler.
 * The CLI and the server both start here.
 */
import { openDatabase, pingDatabase, type Database, type DatabaseOptions } from '../adapters/store/database.js';
export { DataDirectoryLockedError } from '../adapters/store/database.js';
import { migrateToLatest } from '../adapters/store/migrate.js';
import type { AdapterRunner, AuditKey, Clock } from '../engine/index.js';
import { runAdapterJobs } from './adapter-jobs.js';
import { startPgChangeRelay } from '../adapters/store/pg-change-relay.js';
import { CaseService } from './case-service.js';
import { ChangeFeed } from './change-feed.js';
import { fireDueDeadlines, fireDueTimers } from './deadlines.js';
import { startScheduler, type Scheduler } from './scheduler.js';
import { VersionRegistry } from './version-registry.js';

export interface Alur {
  db: Database;
  clock: Clock;
  versions: VersionRegistry;
  cases: CaseService;
  /** Keys that verify event chains; the first one signs new events. */
  auditKeys: AuditKey[];
  /** Every committed change and every overdue step, for live views. */
  changes: ChangeFeed;
  /** One round of background work: due deadlines, then pending adapter jobs. */
  runBackgroundWork(): Promise<void>;
  /** Apply pending migrations (opening Alur already does); returns the names applied now. */
  migrate(): Promise<string[]>;
  /** Throws unless the database answers. */
  ping(): Promise<void>;
  startScheduler(intervalMs: number, onError: (error: unknown) => void): Scheduler;
  close(): Promise<void>;
  /** Key that encrypts camera passwords at rest (ALUR_CAMERA_KEY); absent: kept apart, unencrypted. */
  cameraKey?: string;
}

export interface OpenAlurOptions {
  database: DatabaseOptions | Database;
  clock: Clock;
  /** The adapters, or a function that builds them once Alur is open (real adapters need its database). */
  adapters: AdapterRunner | ((alur: Alur) => AdapterRunner);
  migrate?: boolean;
  /** Relay changes between processes on PostgreSQL (LISTEN/NOTIFY); default true. */
  relayChanges?: boolean;
  /** How often the relay's listening connection is checked (it reconnects when the check fails). */
  relayCheckIntervalMs?: number;
  onBackgroundError?: (error: unknown) => void;
  /** Sign event chains with this key (HMAC) instead of plain SHA-256. */
  auditKey?: AuditKey;
  cameraKey?: string;
}

export async function openAlur(options: OpenAlurOptions): Promise<Alur> {
  const db = 'knex' in options.database ? options.database : await openDatabase(options.database);
  try {
    if (options.migrate !== false) await migrateToLatest(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  const versions = new VersionRegistry();
  const auditKey = options.auditKey;
  const cases = new CaseService({ db: db.knex, clock: options.clock, versions, ...(auditKey ? { auditKey } : {}) });
  const changes = new ChangeFeed();
  cases.onCommitted(({ event, case: row }) => {
    const overdue = event.type === 'step.overdue' && (event.payload as { late?: boolean }).late !== true;
    changes.publish({
      kind: overdue ? 'step.overdue' : 'case.updated', caseId: row.id, organizationId: row.organizationId, sopId: row.sopId,
      sopRoles: versions.peek(row.sopVersionId)?.definition.roles.map((r) => r.id) ?? [], seq: event.seq, eventType: event.type,
      status: row.status, activeSteps: row.activeSteps, ...(overdue ? { step: (event.payload as { step: string }).step } : {}), at: event.at.toISOString(),
    });
  });
  const deps = { db: db.knex, clock: options.clock, service: cases };
  // Set once the Alur below exists: real adapters are built from it.
  const adapters: { runner?: AdapterRunner } = {};
  const runBackgroundWork = async () => {
    await fireDueDeadlines(deps);
    await fireDueTimers(deps);
    while ((await runAdapterJobs({ ...deps, runner: adapters.runner! })) > 0) { /* drain */ }
  };
  // Several processes on one PostgreSQL: relay changes between them for live views.
  const stopRelay = db.dialect === 'postgres' && options.relayChanges !== false
    ? await startPgChangeRelay(db, changes, { onError: (error) => options.onBackgroundError?.(error), ...(options.relayCheckIntervalMs ? { checkIntervalMs: options.relayCheckIntervalMs } : {}) })
    : undefined;
  let scheduler: Scheduler | undefined;
  const alur: Alur = {
    ...(options.cameraKey ? { cameraKey: options.cameraKey } : {}),
    db, clock: options.clock, versions, cases, changes, runBackgroundWork, auditKeys: auditKey ? [auditKey] : [],
    migrate: () => migrateToLatest(db),
    ping: () => pingDatabase(db),
    startScheduler(intervalMs, onError) {
      scheduler = startScheduler(runBackgroundWork, intervalMs, onError);
      return scheduler;
    },
    async close() {
      await scheduler?.stop();
      await stopRelay?.();
      await db.close();
    },
  };
  adapters.runner = typeof options.adapters === 'function' ? options.adapters(alur) : options.adapters;
  return alur;
}
