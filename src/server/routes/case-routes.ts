import type { Alur } from '../../app/alur.js';
import { caseRecord, commandAsViewer, findVisibleCase, listMyNotifications, listMyTasks, listVisibleCases } from '../../app/case-queries.js';
import type { AnyCaseCommand, CaseCommand } from '../../engine/index.js';
import { caseDetail, caseSummary, executionView, parseIfMatch } from '../case-views.js';
import type { RouteRegistry } from '../route-registry.js';
import { HttpProblem } from '../problem.js';
import { anyObject, caseListQuery, commandBody, idempotencyHeaders, MAX_OUTPUT_BYTES, startCaseBody, taskListQuery, uuid } from '../schemas.js';
import { decodeCursor, encodeCursor } from '../page-cursor.js';

const caseParams = { type: 'object', properties: { caseId: uuid }, required: ['caseId'] };

export function registerCaseRoutes(routes: RouteRegistry, alur: Alur): void {
  routes.add<Record<string, string>, Record<string, unknown>, { sopId: string; title?: string; revision?: number }>({
    method: 'post', path: '/cases', tag: 'cases', access: 'user', summary: 'Start a case of an SOP (latest revision unless given)',
    headers: idempotencyHeaders, body: startCaseBody, status: 201,
    responses: { 201: { description: 'Started (or, for a repeated Idempotency-Key, the case started the first time)', schema: anyObject }, 403: { description: 'You hold none of the SOP\'s roles' }, 404: { description: 'No such SOP in your organisation' } },
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

  routes.add<Record<string, string>, { sop?: string; status?: 'active' | 'completed' | 'cancelled'; limit?: number; before?: string }>({
    method: 'get', path: '/cases', tag: 'cases', access: 'user', summary: 'Cases you may see (your organisation, SOPs you hold a role in; all of them for overseers), newest first',
    query: caseListQuery,
    responses: { 200: { description: 'Cases', schema: anyObject } },
    handler: async ({ user, query }) => {
      const limit = query.limit ?? 100;
      const before = query.before === undefined ? undefined : decodeCursor(query.before, 'before');
      const rows = await listVisibleCases(alur, user, {
        ...(query.sop ? { sopId: query.sop } : {}), ...(query.status ? { status: query.status } : {}), limit, ...(before ? { before: { startedAt: before.at, id: before.id } } : {}),
      });
      const last = rows.length === limit ? rows.at(-1) : undefined;
      // `next`: pass it as ?before= for the following page; null on the last page.
      return { cases: rows.map(caseSummary), next: last ? encodeCursor({ at: last.startedAt, id: last.id }) : null };
    },
  });

  routes.add<{ caseId: string }>({
    method: 'get', path: '/cases/:caseId', tag: 'cases', access: 'user', summary: 'A case: open steps with their mutu baku, rules, timeline and event log',
    params: caseParams,
    responses: { 200: { description: 'The case', schema: anyObject }, 403: { description: 'You hold no role in the case\'s SOP' }, 404: { description: 'No such case in your organisation' } },
    handler: async ({ user, params, res }) => {
      const { row, version } = await findVisibleCase(alur, user, params.caseId);
      res.setHeader('ETag', `"${row.seq}"`);
      return caseDetail(row, version, await caseRecord(alur, row.id));
    },
  });

  routes.add<{ caseId: string }, Record<string, unknown>, CaseCommand>({
    method: 'post', path: '/cases/:caseId/commands', tag: 'cases', access: 'user',
    summary: 'Give a case a command: start-step, complete, choose, approve, refuse, acknowledge, add-note, start-procedure, retry, cancel',
    params: caseParams, headers: idempotencyHeaders, body: commandBody,
    responses: {
      200: { description: 'Applied (or, for a repeated Idempotency-Key, the first result)', schema: anyObject },
      403: { description: 'You do not hold the role this needs (the step\'s pelaksana, a party\'s role, or any role of the SOP)' }, 404: { description: 'No such case in your organisation' },
      409: { description: 'The case moved on (the step is no longer open, or it is closed)' }, 412: { description: 'If-Match does not match the case\'s sequence number' },
      413: { description: 'The output is larger than 64 KiB as JSON' },
      422: { description: 'The SOP does not allow this now: the output field at fault, kelengkapan not confirmed, a larangan not acknowledged, a party still to sign…' },
    },
    handler: async ({ user, params, body, req, res }) => {
      if ('output' in body && body.output !== undefined && Buffer.byteLength(JSON.stringify(body.output)) > MAX_OUTPUT_BYTES) {
        throw new HttpProblem(413, 'output-too-large', `a step's output may be at most ${MAX_OUTPUT_BYTES / 1024} KiB as JSON; attach evidence files instead of embedding them`, [{ field: '/body/output', message: `is larger than ${MAX_OUTPUT_BYTES / 1024} KiB` }]);
      }
      const expectedSeq = parseIfMatch(req.header('if-match'));
      const key = req.header('idempotency-key');
      const result = await commandAsViewer(alur, user, {
        caseId: params.caseId, command: body as AnyCaseCommand,
        ...(key ? { idempotencyKey: `${user.id}:${key}` } : {}), ...(expectedSeq !== undefined ? { expectedSeq } : {}),
      });
      res.setHeader('ETag', `"${result.case.seq}"`);
      return { event: { seq: result.event.seq, type: result.event.type, at: result.event.at.toISOString(), hash: result.event.hash }, case: caseSummary(result.case), duplicate: result.duplicate };
    },
  });

  routes.add<Record<string, string>, { limit?: number }>({
    method: 'get', path: '/notifications', tag: 'cases', access: 'user', summary: 'Notifications for my roles (tasks waiting, overdue steps, steps done that I am told of), newest first',
    query: { type: 'object', additionalProperties: false, properties: { limit: { type: 'integer', minimum: 1, maximum: 500 } } },
    responses: { 200: { description: 'Notifications', schema: anyObject } },
    handler: async ({ user, query }) => {
      const rows = await listMyNotifications(alur, user, query.limit ?? 100);
      return { notifications: rows.map((n) => ({ id: n.id, caseId: n.caseId, kind: n.kind, step: n.stepId, roles: n.roles, message: n.message, data: n.data, createdAt: n.createdAt.toISOString() })) };
    },
  });

  routes.add<Record<string, string>, { limit?: number; after?: string }>({
    method: 'get', path: '/tasks', tag: 'cases', access: 'user', summary: 'My tasks: open steps of active cases whose role I hold',
    query: taskListQuery,
    responses: { 200: { description: 'Open steps, oldest first', schema: anyObject } },
    handler: async ({ user, query }) => {
      const limit = query.limit ?? 500;
      const after = query.after === undefined ? undefined : decodeCursor(query.after, 'after');
      const afterId = after ? Number(after.id) : undefined;
      if (after && !Number.isSafeInteger(afterId)) throw new HttpProblem(400, 'invalid-request', 'after must be the "next" value of the previous page', [{ field: '/query/after', message: 'is not a page cursor' }]);
      const tasks = await listMyTasks(alur, user, limit, after ? { availableAt: after.at, id: afterId! } : undefined);
      const last = tasks.length === limit ? tasks.at(-1) : undefined;
      return {
        // `next`: pass it as ?after= for the following page; null on the last page.
        next: last ? encodeCursor({ at: last.availableAt, id: String(last.id) }) : null,
        tasks: tasks.map((task) => {
          const step = task.version.steps.get(task.stepId)!;
          const roleTitle = task.version.definition.roles.find((r) => r.id === task.role)?.title ?? task.role;
          return { caseId: task.caseId, caseTitle: task.caseTitle, sopId: task.sopId, sopTitle: task.version.definition.identity.title, activity: step.activity, time: step.time ?? null, ...executionView(task, task.version), roleTitle };
        }),
      };
    },
  });
}
