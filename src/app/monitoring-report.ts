/**
 * The monitoring form of one SOP revision for a period, filled from the step times recorded in its
 * organisation's cases (steps completed within the period). For auditors and process owners.
 */
import { organizationsWithSop } from '../adapters/store/sop-versions-table.js';
import { refusalCounts, timingStats } from '../adapters/store/timing-stats.js';
import { NotFoundError } from '../engine/index.js';
import { AmbiguousSopError } from './case-service.js';
import { requireRole, type Viewer } from './access-policy.js';
import type { Alur } from './alur.js';
import { zonedMidnight } from './documents/local-time.js';
import { monitoringForm, type MonitoringForm } from './documents/monitoring-form.js';
import { organizationTimeZone } from './organizations.js';
import { findSopRevision } from './sop-queries.js';

export interface MonitoringQuery {
  /** Steps completed at or after this instant … */
  from?: Date;
  /** … and before this one. */
  to?: Date;
  /** Instead of `from`: from the start of this day (`YYYY-MM-DD`) in the organisation's zone. */
  fromDay?: string;
  /** Instead of `to`: before the start of this day in the organisation's zone. */
  toDay?: string;
  /** A published revision; the latest by default. */
  revision?: number;
  /** Share of executions within the waktu for "berjalan dengan baik" (default 0.9). */
  threshold?: number;
}

export async function monitoringReport(alur: Alur, viewer: Viewer, sopId: string, query: MonitoringQuery = {}): Promise<MonitoringForm> {
  requireRole(viewer, 'auditor', 'process-owner');
  const { revision: row } = await findSopRevision(alur, viewer.organizationId, sopId, query.revision);
  const timeZone = await organizationTimeZone(alur, viewer.organizationId);
  const from = query.from ?? (query.fromDay ? zonedMidnight(query.fromDay, timeZone) : undefined);
  const to = query.to ?? (query.toDay ? zonedMidnight(query.toDay, timeZone) : undefined);
  const period = { ...(from ? { from } : {}), ...(to ? { to } : {}) };
  const rows = await timingStats(alur.db.knex, { organizationId: viewer.organizationId, sopId, groupBy: 'step', timeZone, shiftStartHours: [0], ...period });
  const refused = new Map((await refusalCounts(alur.db.knex, { organizationId: viewer.organizationId, sopId, ...period }))
    .filter((r) => r.revision === row.revision).map((r) => [r.stepId, r.refused]));
  const figures = rows.filter((r) => r.revision === row.revision).map((r) => ({ ...r, refused: refused.get(r.stepId) ?? 0 }));
  return monitoringForm(row.definition, figures, {
    revision: row.revision, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null, timeZone,
    ...(query.threshold !== undefined ? { threshold: query.threshold } : {}),
  });
}

/**
 * For whoever runs the installation (the `alur` command): the organisation is the one named, or the
 * only one that publishes the SOP.
 */
export async function monitoringReportAsOperator(
  alur: Alur, sopId: string, organizationId: string | undefined, query: MonitoringQuery = {},
  read: (alur: Alur, viewer: Viewer, sopId: string, query: MonitoringQuery) => Promise<MonitoringForm> = monitoringReport,
): Promise<MonitoringForm> {
  let organization = organizationId;
  if (organization === undefined) {
    const owners = await organizationsWithSop(alur.db.knex, sopId);
    if (owners.length > 1) throw new AmbiguousSopError(sopId, owners);
    organization = owners[0] ?? undefined;
    if (organization === undefined) throw new NotFoundError('SOP', sopId);
  }
  return read(alur, { username: 'alur-cli', organizationId: organization, roles: ['auditor'] }, sopId, query);
}
