import { requireRole } from '../../app/access-policy.js';
import type { Alur } from '../../app/alur.js';
import { verifyCase, verifyCases } from '../../app/audit.js';
import { caseTimingsForOrganization, findVisibleCase, timingForOrganization } from '../../app/case-queries.js';
import type { TimingGroup } from '../../app/case-queries.js';
import type { AlurConfig } from '../../config.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, caseTimingQuery, timingQuery, uuid } from '../schemas.js';
import { toCsv } from '../csv.js';

export function registerOversightRoutes(routes: RouteRegistry, alur: Alur, config: AlurConfig): void {

  routes.add<Record<string, string>, { sop?: string; by?: TimingGroup; from?: string; to?: string; format?: 'json' | 'csv' }>({
    method: 'get', path: '/stats/timing', tag: 'audit', access: 'user',
    summary: 'Every step\'s actual time against its mutu baku, in SOP order: count, median, p90, max (available → completed), share within the waktu, waiting and work apart; per case the total against the jumlah waktu (JSON or CSV of the steps)',
    query: timingQuery,
    responses: { 200: { description: 'Rows per SOP revision and step (and actor/day/shift)', schema: anyObject, contentType: 'application/json, text/csv' } },
    handler: async ({ user, query, res }) => {
      requireRole(user, 'auditor', 'process-owner');
      const timing = await timingForOrganization(alur, user.organizationId, {
        defaultTimeZone: config.timeZone, shiftStartHours: config.shiftStartHours, groupBy: query.by ?? 'step', ...(query.sop ? { sopId: query.sop } : {}),
        ...(query.from ? { fromDay: query.from } : {}), ...(query.to ? { toDay: query.to } : {}),
      });
      if (query.format === 'csv') {
        res.type('text/csv').setHeader('Content-Disposition', 'attachment; filename="alur-timing.csv"').send(toCsv(timing.steps.map(({ versionId: _versionId, ...row }) => row)));
        return undefined;
      }
      return { groupBy: query.by ?? 'step', rows: timing.steps, cases: timing.cases };
    },
  });

  routes.add<Record<string, string>, { sop?: string; revision?: number; step?: string; limit?: number; by?: Exclude<TimingGroup, 'step'>; group?: string; from?: string; to?: string }>({
    method: 'get', path: '/stats/timing/cases', tag: 'audit', access: 'user',
    summary: 'Per case, newest first: its total time against the jumlah waktu of its own revision; with step, only the cases behind that step\'s row of the timing table (with by and group, that group\'s row; with from and to, that period), with the step\'s time in each',
    query: caseTimingQuery,
    responses: { 200: { description: 'Cases with their totals', schema: anyObject } },
    handler: async ({ user, query }) => {
      requireRole(user, 'auditor', 'process-owner');
      return {
        cases: await caseTimingsForOrganization(alur, user.organizationId, {
          limit: query.limit ?? 200, defaultTimeZone: config.timeZone, shiftStartHours: config.shiftStartHours,
          ...(query.sop ? { sopId: query.sop } : {}), ...(query.revision !== undefined ? { revision: query.revision } : {}), ...(query.step ? { stepId: query.step } : {}),
          ...(query.by && query.group ? { group: { by: query.by, value: query.group } } : {}), ...(query.from ? { fromDay: query.from } : {}), ...(query.to ? { toDay: query.to } : {}),
        }),
      };
    },
  });

  routes.add<{ caseId: string }>({
    method: 'get', path: '/audit/cases/:caseId', tag: 'audit', access: 'user', summary: 'Verify one case\'s hash chain and replay',
    params: { type: 'object', properties: { caseId: uuid }, required: ['caseId'] },
    responses: { 200: { description: 'The verification', schema: anyObject }, 404: { description: 'No such case in your organisation' } },
    handler: async ({ user, params }) => {
      requireRole(user, 'auditor');
      await findVisibleCase(alur, user, params.caseId);
      return verifyCase(alur, params.caseId);
    },
  });

  routes.add({
    method: 'get', path: '/audit/cases', tag: 'audit', access: 'user', summary: 'Verify every case of your organisation against its heads: status ok, tampered or unverifiable (no audit key), cases expected and found, missing cases',
    responses: { 200: { description: 'One verification per case', schema: anyObject } },
    handler: async ({ user }) => {
      requireRole(user, 'auditor');
      // status: ok | tampered | unverifiable (the audit key is not configured here); missing: cases whose heads remain but rows are gone.
      return verifyCases(alur, user.organizationId);
    },
  });
}
