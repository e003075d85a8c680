import type { Alur } from '../../app/alur.js';
import type { AnyCaseCommand, CaseCommand } from '../../engine/index.js';
import { listCases } from '../../adapters/store/cases-table.js';
import { listNotifications } from '../../adapters/store/notifications-table.js';
import { openTasksForRoles } from '../../adapters/store/step-executions-table.js';
import { caseDetail, caseSummary, executionView, loadVisibleCase, parseIfMatch, requireSopRole } from '../case-views.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, caseListQuery, commandBody, idempotencyHeaders, startCaseBody, uuid } from '../schemas.js';

const caseParams = { type: 'object', properties: { caseId: uuid }, required: ['caseId'] };

export function registerCaseRoutes(routes: RouteRegistry, alur: Alur): void {
  const db = alur.db.knex;

  routes.add<Record<string, string>, Record<string, unknown>, { sopId: string; title?: string; revision?: number }>({
    method: 'post', path: '/cases', tag: 'cases', access: 'user', summary: 'Start a case of an SOP (latest revision unless given)',
    headers: idempotencyHeaders, body: startCaseBody, status: 201,
    responses: { 201: { description: 'Started (or, for a repeated Idempotency-Key, the case started the first time)', schema: anyObject }, 404: { description: 'No such SOP in your organisation' } },
    handler: async ({ user, body, req, res }) => {
      const key = req.header('idempotency-key');
      const result = await alur.cases.startCase({
        sopId: body.sopId, actor: { id: user.username, roles: user.roles }, organizationId: user.organizationId,
        ...(body.title ? { title: body.title } : {}), ...(body.revision ? { revision: body.revision } : {}), ...(key ? { idempotencyKey: `${user.id}:${key}` } : {}),
      });
      res.setHeader('ETag', `"${result.case.seq}"`).setHeader('Location', `/api/v1/cases/${result.case.id}`);
      return { case: caseSummary(result.case), duplicate: result.duplicate };
    },
  });

  routes.add<Record<string, string>, { sop?: string; status?: 'active' | 'completed' | 'cancelled'; limit?: number }>({
    method: 'get', path: '/cases', tag: 'cases', access: 'user', summary: 'Cases of your organisation, newest first',
    query: caseListQuery,
    responses: { 200: { description: 'Cases', schema: anyObject } },
    handler: async ({ user, query }) => {
      const rows = await listCases(db, { organizationId: user.organizationId, ...(query.sop ? { sopId: query.sop } : {}), ...(query.status ? { status: query.status } : {}), limit: query.limit ?? 100 });
      return { cases: rows.map(caseSummary) };
    },
  });

  routes.add<{ caseId: string }>({
    method: 'get', path: '/cases/:caseId', tag: 'cases', access: 'user', summary: 'A case: open steps with their mutu baku, rules, timeline and event log',
    params: caseParams,
    responses: { 200: { description: 'The case', schema: anyObject }, 404: { description: 'No such case in your organisation' } },
    handler: async ({ user, params, res }) => {
      const { row, version } = await loadVisibleCase(alur, user, params.caseId);
      res.setHeader('ETag', `"${row.seq}"`);
      return caseDetail(alur, row, version);
    },
  });

  routes.add<{ caseId: string }, Record<string, unknown>, CaseCommand>({
    method: 'post', path: '/cases/:caseId/commands', tag: 'cases', access: 'user',
    summary: 'Give a case a command: start-step, complete, choose, approve, refuse, acknowledge, add-note, start-procedure, retry, cancel',
    params: caseParams, headers: idempotencyHeaders, body: commandBody,
    responses: {
      200: { description: 'Applied (or, for a repeated Idempotency-Key, the first result)', schema: anyObject },
      403: { description: 'You do not hold the role this needs' }, 404: { description: 'No such case in your organisation' },
      409: { description: 'The case moved on (the step is no longer open, or it is closed)' }, 412: { description: 'If-Match does not match the case\'s sequence number' },
      422: { description: 'The SOP does not allow this now: output invalid, kelengkapan not confirmed, a rule not acknowledged…' },
    },
    handler: async ({ user, params, body, req, res }) => {
      const { version } = await loadVisibleCase(alur, user, params.caseId);
      requireSopRole(user, version);
      const expectedSeq = parseIfMatch(req.header('if-match'));
      const key = req.header('idempotency-key');
      const result = await alur.cases.execute({
        caseId: params.caseId, command: body as AnyCaseCommand, actor: { id: user.username, roles: user.roles }, organizationId: user.organizationId,
        ...(key ? { idempotencyKey: `${user.id}:${key}` } : {}), ...(expectedSeq !== undefined ? { expectedSeq } : {}),
      });
      res.setHeader('ETag', `"${result.case.seq}"`);
      return { event: { seq: result.event.seq, type: result.event.type, at: result.event.at.toISOString(), hash: result.event.hash }, case: caseSummary(result.case), duplicate: result.duplicate };
    },
  });

  routes.add<Record<string, string>, { limit?: number }>({
    method: 'get', path: '/notifications', tag: 'cases', access: 'user', summary: 'Notifications for my roles (overdue steps, steps done that I am told of), newest first',
    query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500 } } },
    responses: { 200: { description: 'Notifications', schema: anyObject } },
    handler: async ({ user, query }) => {
      const rows = await listNotifications(db, { organizationId: user.organizationId, roles: user.roles, limit: query.limit ?? 100 });
      return { notifications: rows.map((n) => ({ id: n.id, caseId: n.caseId, kind: n.kind, step: n.stepId, roles: n.roles, message: n.message, createdAt: n.createdAt.toISOString() })) };
    },
  });

  routes.add({
    method: 'get', path: '/tasks', tag: 'cases', access: 'user', summary: 'My tasks: open steps of active cases whose role I hold',
    responses: { 200: { description: 'Open steps, oldest first', schema: anyObject } },
    handler: async ({ user }) => {
      const tasks = await openTasksForRoles(db, user.roles);
      const mine = [];
      for (const task of tasks) {
        const { row, version } = await loadVisibleCase(alur, user, task.caseId).catch(() => ({ row: undefined, version: undefined }));
        if (!row || !version) continue;
        const step = version.steps.get(task.stepId)!;
        mine.push({ caseId: row.id, caseTitle: row.title, sopId: row.sopId, sopTitle: version.definition.identity.title, activity: step.activity, time: step.time ?? null, ...executionView(task) });
      }
      return { tasks: mine };
    },
  });
}
