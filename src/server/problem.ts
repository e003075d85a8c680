/**
 * Errors as RFC 9457 problem details (`application/problem+json`), each naming the field at
 * fault where there is one. Domain errors map to one status each.
 */
import { ConflictError, IdempotencyKeyReusedError, InvalidSopError, NotFoundError, RefusedError, StaleSequenceError } from '../engine/index.js';
import { ForbiddenError } from '../app/access-policy.js';
import { AmbiguousSopError } from '../app/case-service.js';
import { OrganizationError } from '../app/organizations.js';
import { CameraError } from '../app/cameras.js';

export interface ProblemField {
  /** JSON pointer into the request: `/body/command/step`, `/query/limit`, `/headers/if-match`. */
  field: string;
  message: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: ProblemField[];
  [extension: string]: unknown;
}

export class HttpProblem extends Error {
  constructor(readonly status: number, readonly code: string, detail: string, readonly errors?: ProblemField[], readonly extensions: Record<string, unknown> = {}) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  412: 'Precondition Failed', 413: 'Content Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export const PROBLEM_TYPE_BASE = 'urn:alur:problem:';

export function problemBody(status: number, code: string, detail: string, errors?: ProblemField[], extensions: Record<string, unknown> = {}): ProblemBody {
  return { type: `${PROBLEM_TYPE_BASE}${code}`, title: TITLES[status] ?? 'Error', status, detail, ...(errors && errors.length > 0 ? { errors } : {}), ...extensions };
}

/** A refusal's field as a pointer into the request: command fields are in the body; `/actor/…` is the caller. */
function refusalField(field: string | undefined): string {
  if (field === undefined) return '/body';
  return field.startsWith('/actor/') ? field : `/body${field}`;
}

/** The problem for any thrown value; unknown errors become a 500 that reveals nothing. */
export function toProblem(error: unknown): ProblemBody {
  if (error instanceof HttpProblem) return problemBody(error.status, error.code, error.message, error.errors, error.extensions);
  if (error instanceof NotFoundError) return problemBody(404, 'not-found', error.message);
  if (error instanceof StaleSequenceError) return problemBody(412, 'precondition-failed', error.message, [{ field: '/headers/if-match', message: error.message }], { seq: error.seq });
  if (error instanceof ConflictError) return problemBody(409, 'conflict', error.message, undefined, { currentSteps: error.currentSteps, ...(error.seq >= 0 ? { seq: error.seq } : {}) });
  if (error instanceof ForbiddenError) return problemBody(403, 'forbidden', error.message);
  if (error instanceof OrganizationError) return problemBody(error.code === 'taken' ? 409 : 422, error.code === 'taken' ? 'already-exists' : 'invalid-organization', error.message, error.fields.map((f) => ({ field: `/body${f.field}`, message: f.message })));
  if (error instanceof CameraError) return problemBody(error.code === 'taken' ? 409 : 422, error.code === 'taken' ? 'already-exists' : 'invalid-camera', error.message, error.fields.map((f) => ({ field: `/body${f.field}`, message: f.message })));
  if (error instanceof AmbiguousSopError) return problemBody(422, 'ambiguous-sop', error.message);
  if (error instanceof RefusedError) {
    // Not holding the role comes first: nothing else about the command matters to someone who may not give it.
    const forbidden = error.refusals.some((r) => r.code === 'wrong-role');
    return problemBody(forbidden ? 403 : 422, forbidden ? 'wrong-role' : 'refused', error.message, error.refusals.map((r) => ({ field: refusalField(r.field), message: r.message })), { refusals: error.refusals });
  }
  if (error instanceof InvalidSopError) {
    return problemBody(422, 'invalid-sop', error.message, error.diagnostics.map((d) => ({ field: `/body/source${d.path}`, message: `${d.line}:${d.column} ${d.message}` })), { diagnostics: error.diagnostics });
  }
  if (error instanceof IdempotencyKeyReusedError) return problemBody(422, 'idempotency-key-reused', error.message, [{ field: '/headers/idempotency-key', message: error.message }]);
  const pgCode = (error as { code?: unknown }).code;
  if (typeof pgCode === 'string' && /^[0-9A-Z]{5}$/.test(pgCode)) {
    // PostgreSQL refused a value (class 22: out of range, bad encoding…) or a duplicate (23505).
    if (pgCode.startsWith('22')) return problemBody(400, 'invalid-value', 'a value in the request cannot be stored (out of range or not valid text)');
    if (pgCode === '23505') return problemBody(409, 'already-exists', 'something with this name or key already exists');
  }
  const status = (error as { status?: number; statusCode?: number }).status ?? (error as { statusCode?: number }).statusCode;
  // body-parser's own errors: malformed JSON, too large, wrong charset.
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const type = (error as { type?: string }).type;
    const detail = type === 'entity.parse.failed' ? 'the request body is not valid JSON' : type === 'entity.too.large' ? 'the request body is too large' : (error as Error).message;
    return problemBody(status, type === 'entity.parse.failed' ? 'invalid-json' : 'bad-request', detail, type === 'entity.parse.failed' ? [{ field: '/body', message: detail }] : undefined);
  }
  return problemBody(500, 'internal', 'Alur could not complete this request; the error is in the server log with this request id');
}
