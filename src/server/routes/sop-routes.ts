import type { Alur } from '../../app/alur.js';
import { publishSop } from '../../app/publish-sop.js';
import { findSopRevision, listSops } from '../../app/sop-queries.js';
import { hasErrors, validateSop } from '../../engine/index.js';
import { requireRole } from '../auth/authenticate.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, slug, sopSourceBody } from '../schemas.js';

export function registerSopRoutes(routes: RouteRegistry, alur: Alur): void {
  const db = alur.db.knex;

  routes.add({
    method: 'get', path: '/sops', tag: 'sops', access: 'user', summary: 'SOPs of your organisation with their revisions',
    responses: { 200: { description: 'SOPs', schema: anyObject } },
    handler: async ({ user }) => {
      const sops = await listSops(alur, user.organizationId);
      return { sops: sops.map((sop) => ({ ...sop, revisions: sop.revisions.map(versionView) })) };
    },
  });

  routes.add<{ sopId: string }>({
    method: 'get', path: '/sops/:sopId', tag: 'sops', access: 'user', summary: 'One SOP: its revisions and the latest definition',
    params: { type: 'object', properties: { sopId: slug }, required: ['sopId'] },
    responses: { 200: { description: 'The SOP', schema: anyObject }, 404: { description: 'No such SOP in your organisation' } },
    handler: async ({ user, params }) => {
      const { revision: latest, revisions } = await findSopRevision(alur, user.organizationId, params.sopId);
      return { sopId: params.sopId, revisions: revisions.map(versionView), latest: { ...versionView(latest), definition: latest.definition, source: latest.source } };
    },
  });

  routes.add<{ sopId: string; revision: number }>({
    method: 'get', path: '/sops/:sopId/revisions/:revision', tag: 'sops', access: 'user', summary: 'One published revision of an SOP, with its source',
    params: { type: 'object', properties: { sopId: slug, revision: { type: 'integer', minimum: 1, maximum: 2147483647 } }, required: ['sopId', 'revision'] },
    responses: { 200: { description: 'The revision', schema: anyObject }, 404: { description: 'No such revision in your organisation' } },
    handler: async ({ user, params }) => {
      const { revision: row } = await findSopRevision(alur, user.organizationId, params.sopId, params.revision);
      return { ...versionView(row), definition: row.definition, source: row.source };
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { source: string; file?: string }>({
    method: 'post', path: '/sops/validate', tag: 'sops', access: 'user', summary: 'Validate SOP YAML; every problem with line and column',
    body: sopSourceBody,
    responses: { 200: { description: 'Diagnostics (valid is false when any is an error)', schema: anyObject } },
    handler: async ({ user, body }) => {
      requireRole(user, 'process-owner');
      const result = validateSop(body.source, body.file ?? 'sop.yaml');
      return { valid: !hasErrors(result.diagnostics), diagnostics: result.diagnostics };
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { source: string; file?: string }>({
    method: 'post', path: '/sops', tag: 'sops', access: 'user', summary: 'Publish an SOP file as its next revision (an unchanged file creates none)',
    body: sopSourceBody,
    responses: { 201: { description: 'Published', schema: anyObject }, 200: { description: 'Unchanged: already published', schema: anyObject }, 422: { description: 'The SOP is not valid' } },
    handler: async ({ user, body, res }) => {
      requireRole(user, 'process-owner');
      const result = await publishSop(db, { source: body.source, file: body.file ?? 'sop.yaml', by: user.username, at: alur.clock.now(), organizationId: user.organizationId });
      res.status(result.created ? 201 : 200).json({ created: result.created, version: versionView(result.version), warnings: result.warnings });
      return undefined;
    },
  });
}

function versionView(v: { sopId: string; revision: number; declaredVersion: number; title: string; file: string; contentHash: string; publishedAt: Date; publishedBy: string | null }) {
  return { sopId: v.sopId, revision: v.revision, declaredVersion: v.declaredVersion, title: v.title, file: v.file, contentHash: v.contentHash, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy };
}
