/**
 * Routes are declared once with the JSON Schemas of their parameters, query, headers and body.
 * The same declaration validates requests (ajv, every error, each naming its field) and produces
 * the OpenAPI 3.1 document, so the description cannot drift from what the server accepts.
 */
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { createAjv, type ErrorObject, type ValidateFunction } from '../engine/language/json-schema.js';
import type { AuthenticatedUser } from './auth/authenticate.js';
import { HttpProblem, type ProblemField } from './problem.js';

export type JsonSchema = Record<string, unknown>;

export interface RouteContext<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** Present on every route that is not public. */
  user: AuthenticatedUser;
}

export interface RouteSpec<P = Record<string, string>, Q = Record<string, unknown>, B = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Express path, e.g. `/cases/:caseId`. */
  path: string;
  summary: string;
  tag: string;
  /** `public` routes need no login; all others need a session or token. */
  access: 'public' | 'user';
  params?: JsonSchema;
  query?: JsonSchema;
  headers?: JsonSchema;
  body?: JsonSchema;
  /** Content types of the body besides JSON (e.g. text/yaml), described in OpenAPI. */
  bodyTypes?: string[];
  responses: Record<number, { description: string; schema?: JsonSchema; contentType?: string }>;
  /** Returns the JSON body for 200/201, or handles `res` itself and returns undefined. */
  handler: (context: RouteContext<P, Q, B>) => Promise<unknown>;
  /** Status of a successful JSON response (default 200). */
  status?: number;
}

// `discriminator`: a body whose `type` picks one of several shapes is checked against that shape only.
const bodyAjv = createAjv({ discriminator: true, verbose: true });
// Query strings and headers are text; let ajv read "5" as 5 and a single value as a list.
const queryAjv = createAjv({ coerceTypes: 'array' });

export class RouteRegistry {
  readonly routes: RouteSpec[] = [];

  add<P = Record<string, string>, Q = Record<string, unknown>, B = unknown>(spec: RouteSpec<P, Q, B>): void {
    this.routes.push(spec as unknown as RouteSpec);
  }

  mount(router: Router, authenticate: RequestHandler): void {
    for (const spec of this.routes) {
      const validators = {
        params: spec.params && queryAjv.compile(spec.params),
        query: spec.query && queryAjv.compile(spec.query),
        headers: spec.headers && queryAjv.compile(spec.headers),
        body: spec.body && bodyAjv.compile(spec.body),
      };
      const handler = async (req: Request, res: Response) => {
        if (spec.body && !req.is('application/json')) {
          throw new HttpProblem(415, 'unsupported-media-type', 'send the body as JSON (Content-Type: application/json)', [{ field: '/headers/content-type', message: 'must be application/json' }]);
        }
        const errors: ProblemField[] = [...unstorable(req.params, 'params'), ...unstorable(req.query, 'query'), ...unstorable(req.body, 'body')];
        const params = check(validators.params, { ...req.params }, 'params', errors);
        const query = check(validators.query, { ...(req.query as object) }, 'query', errors);
        check(validators.headers, { ...req.headers }, 'headers', errors);
        const body = spec.body ? check(validators.body, req.body, 'body', errors) : undefined;
        if (errors.length > 0) throw new HttpProblem(400, 'invalid-request', `the request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
        const result = await spec.handler({ req, res, params, query, body, user: res.locals.user } as RouteContext);
        if (!res.headersSent && result !== undefined) res.status(spec.status ?? 200).json(result);
      };
      const chain: RequestHandler[] = spec.access === 'public' ? [] : [authenticate];
      router[spec.method](spec.path, ...chain, (req: Request, res: Response, next: NextFunction) => handler(req, res).catch(next));
    }
  }
}

const MAX_DEPTH = 32;

/**
 * Text PostgreSQL cannot store (NUL, unpaired surrogates) and nesting deeper than any SOP output
 * needs: refused up front, with the field, instead of failing deep inside.
 */
function unstorable(value: unknown, where: string, path = '', depth = 0): ProblemField[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') || !value.isWellFormed() ? [{ field: `/${where}${path}`, message: 'contains characters that are not valid text (NUL or a broken surrogate pair)' }] : [];
  }
  if (value === null || typeof value !== 'object') return [];
  if (depth > MAX_DEPTH) return [{ field: `/${where}${path}`, message: `is nested more than ${MAX_DEPTH} levels deep` }];
  for (const [key, child] of Object.entries(value)) {
    const found = unstorable(child, where, `${path}/${key}`, depth + 1);
    if (found.length > 0) return found;
    if (!key.isWellFormed() || key.includes('\u0000')) return [{ field: `/${where}${path}`, message: 'has a field name that is not valid text' }];
  }
  return [];
}

function check(validate: ValidateFunction | undefined, value: unknown, where: string, errors: ProblemField[]): unknown {
  if (!validate) return value;
  if (validate(value)) return value;
  errors.push(...(validate.errors ?? []).filter((e) => e.keyword !== 'if').map((e) => toField(e, where)));
  return value;
}

function toField(error: ErrorObject, where: string): ProblemField {
  if (error.keyword === 'required') return { field: `/${where}${error.instancePath}/${String(error.params.missingProperty)}`, message: 'is required' };
  if (error.keyword === 'additionalProperties' || error.keyword === 'unevaluatedProperties') {
    return { field: `/${where}${error.instancePath}/${String(error.params.additionalProperty ?? error.params.unevaluatedProperty)}`, message: 'is not a known field' };
  }
  if (error.keyword === 'discriminator') {
    const tag = String(error.params.tag);
    const choices = (((error.parentSchema as { oneOf?: unknown[] } | undefined)?.oneOf ?? []) as Array<{ properties?: Record<string, { const?: unknown }> }>).map((branch) => branch.properties?.[tag]?.const).filter((c) => c !== undefined);
    return { field: `/${where}${error.instancePath}/${tag}`, message: choices.length > 0 ? `must be one of ${choices.join(', ')}` : (error.message ?? 'is invalid') };
  }
  if (error.keyword === 'enum') return { field: `/${where}${error.instancePath}`, message: `must be one of ${(error.params.allowedValues as unknown[]).join(', ')}` };
  return { field: `/${where}${error.instancePath}`, message: error.message ?? 'is invalid' };
}
