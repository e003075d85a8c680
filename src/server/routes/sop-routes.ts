import type { Response } from 'express';
import type { Alur } from '../../app/alur.js';
import { publishSop } from '../../app/publish-sop.js';
import { findSopRevision, listSops } from '../../app/sop-queries.js';
import { isRefusedForSize, ValidatorBusyError, type SopValidator } from '../../app/validate-in-worker.js';
import { hasErrors, type Diagnostic, type ValidationResult } from '../../engine/index.js';
import { requireRole } from '../auth/authenticate.js';
import { HttpProblem } from '../problem.js';
import type { RouteRegistry } from '../route-registry.js';
import { anyObject, slug, sopSourceBody } from '../schemas.js';

/**
 * SOP files sent over HTTP are validated by `validator` (worker threads with a time limit), never
 * on the event loop. A file over a limit (size, nesting, aliases, steps, time, memory) is answered
 * 413 with the diagnostic that names the limit: the file is refused for what it costs, not judged,
 * so neither 200 with `valid: false` nor 422 (kept for an SOP that is wrong) fits.
 */
export function registerSopRoutes(routes: RouteRegistry, alur: Alur, validator: SopValidator): void {
  const db = alur.db.knex;
  const validate = async (source: string, file: string, res: Response): Promise<ValidationResult> => {
    try {
      const result = await validator.validate(source, file);
      if (isRefusedForSize(result.diagnostics)) throw tooLarge(result.diagnostics);
      return result;
    } catch (error) {
      if (!(error instanceof ValidatorBusyError)) throw error;
      res.setHeader('Retry-After', '5');
      throw new HttpProblem(503, 'validation-busy', error.message);
    }
  };

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
    responses: {
      200: { description: 'Diagnostics (valid is false when any is an error); a valid file also returns its compiled definition (for previews)', schema: anyObject },
      413: { description: 'The file is over a limit (size, nesting, aliases, steps, or the time or memory one check may take); the diagnostic says which' },
      503: { description: 'Too many files are being checked at once; retry after the Retry-After seconds' },
    },
    handler: async ({ user, body, res }) => {
      requireRole(user, 'process-owner');
      const result = await validate(body.source, body.file ?? 'sop.yaml', res);
      return { valid: !hasErrors(result.diagnostics), diagnostics: result.diagnostics, ...(result.definition ? { definition: result.definition } : {}) };
    },
  });

  routes.add<Record<string, string>, Record<string, unknown>, { source: string; file?: string }>({
    method: 'post', path: '/sops', tag: 'sops', access: 'user', summary: 'Publish an SOP file as its next revision (an unchanged file creates none)',
    body: sopSourceBody,
    responses: {
      201: { description: 'Published', schema: anyObject }, 200: { description: 'Unchanged: already published', schema: anyObject }, 422: { description: 'The SOP is not valid' },
      413: { description: 'The file is over a limit; the diagnostic says which' }, 503: { description: 'Too many files are being checked at once' },
    },
    handler: async ({ user, body, res }) => {
      requireRole(user, 'process-owner');
      const result = await publishSop(db, {
        source: body.source, file: body.file ?? 'sop.yaml', by: user.username, at: alur.clock.now(), organizationId: user.organizationId,
        validate: (source, file) => validate(source, file, res),
      });
      res.status(result.created ? 201 : 200).json({ created: result.created, version: versionView(result.version), warnings: result.warnings });
      return undefined;
    },
  });
}

/** The 413 answer: like an invalid SOP's 422, with every diagnostic, but saying the file is over a limit. */
function tooLarge(diagnostics: Diagnostic[]): HttpProblem {
  const limits = diagnostics.filter((d) => d.severity === 'error');
  const detail = `the SOP file is over a limit Alur sets, so it was not checked further: ${limits.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`;
  return new HttpProblem(413, 'sop-over-limit', detail, limits.map((d) => ({ field: `/body/source${d.path}`, message: `${d.line}:${d.column} ${d.message}` })), { diagnostics });
}

function versionView(v: { id: number; sopId: string; revision: number; declaredVersion: number; title: string; file: string; contentHash: string; publishedAt: Date; publishedBy: string | null }) {
  // versionId is what a case names (sopVersionId): it tells which revision a case runs on.
  return { versionId: v.id, sopId: v.sopId, revision: v.revision, declaredVersion: v.declaredVersion, title: v.title, file: v.file, contentHash: v.contentHash, publishedAt: v.publishedAt.toISOString(), publishedBy: v.publishedBy };
}
