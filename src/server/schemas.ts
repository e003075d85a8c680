/** JSON Schemas of request parts and response bodies, shared by validation and the OpenAPI document. */
import type { JsonSchema } from './route-registry.js';

export const slug: JsonSchema = { type: 'string', pattern: '^[a-z][a-z0-9]*(-[a-z0-9]+)*$', maxLength: 100 };
export const uuid: JsonSchema = { type: 'string', format: 'uuid' };
const text: JsonSchema = { type: 'string', minLength: 1, maxLength: 10_000 };

export const idempotencyHeaders: JsonSchema = {
  type: 'object',
  properties: {
    'idempotency-key': { type: 'string', minLength: 1, maxLength: 200, description: 'Repeating a request with the same key returns the first result.' },
    'if-match': { type: 'string', pattern: '^(W/)?"?[0-9]+"?$', description: 'The case\'s sequence number (its ETag); refused with 412 if the case moved on.' },
  },
};

export const loginBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'password'],
  properties: { username: { type: 'string', minLength: 1, maxLength: 100 }, password: { type: 'string', minLength: 1, maxLength: 200 } },
};

export const sopSourceBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: {
    source: { type: 'string', minLength: 1, maxLength: 1_000_000, description: 'The SOP file\'s YAML text.' },
    file: { type: 'string', minLength: 1, maxLength: 300, description: 'A name for positions in messages, e.g. sops/x.yaml.' },
  },
};

export const startCaseBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sopId'],
  properties: { sopId: slug, title: { type: 'string', minLength: 1, maxLength: 200 }, revision: { type: 'integer', minimum: 1, maximum: 2147483647 } },
};

const stepId = { ...slug, description: 'The step the command is about.' };
const actorChecklist = { type: 'array', items: { type: 'string', maxLength: 1000 }, maxItems: 100, description: 'The kelengkapan items confirmed, by their text.' };
const output = { description: 'Data matching the step\'s output schema (at most 64 KiB as JSON).' };

/** One command shape: its type, the fields it needs, the fields it may have, and no other. */
function command(type: string, description: string, properties: Record<string, JsonSchema>, required: string[]): JsonSchema {
  return { type: 'object', description, additionalProperties: false, required: ['type', ...required], properties: { type: { const: type }, ...properties } };
}

/** Most a step's output may weigh as JSON: a form's worth of data; evidence files go elsewhere. */
export const MAX_OUTPUT_BYTES = 64 * 1024;

/** One command; `type` picks its shape, and a field another type would take is refused, named. */
export const commandBody: JsonSchema = {
  type: 'object',
  required: ['type'],
  discriminator: { propertyName: 'type' },
  oneOf: [
    command('start-step', 'Begin the work of an open step (waiting ends, work begins).', { step: stepId }, ['step']),
    command('complete', 'Finish a task: its kelengkapan, its output, and for a two-party step the party you sign as.', { step: stepId, output, checklist: actorChecklist, party: slug }, ['step']),
    command('choose', 'Take a branch of a decision, or repeat / exit a loop.', { step: stepId, branch: { type: 'string', minLength: 1, maxLength: 100 } }, ['step', 'branch']),
    command('approve', 'Approve, with the output (e.g. the disposition number).', { step: stepId, output, checklist: actorChecklist }, ['step']),
    command('refuse', 'Refuse, with a reason.', { step: stepId, reason: text }, ['step', 'reason']),
    command('acknowledge', 'Acknowledge a larangan.', { rule: slug }, ['rule']),
    command('add-note', 'Add a note to the case (optionally about a step).', { text, step: stepId }, ['text']),
    command('start-procedure', 'Start an on-demand procedure.', { procedure: slug }, ['procedure']),
    command('retry', 'Run a step\'s adapter again.', { step: stepId }, ['step']),
    command('cancel', 'Cancel the case, with a reason.', { reason: text }, ['reason']),
  ],
};

/** A page cursor: the `next` value of the page before. */
const cursorParameter = { type: 'string', minLength: 1, maxLength: 200 };

export const caseListQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { sop: slug, status: { enum: ['active', 'completed', 'cancelled'] }, limit: { type: 'integer', minimum: 1, maximum: 500 }, before: cursorParameter },
};

export const taskListQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { limit: { type: 'integer', minimum: 1, maximum: 500 }, after: cursorParameter },
};

/** A day in the organisation's time zone, inclusive at either end of a period. */
const localDay: JsonSchema = { type: 'string', format: 'date', description: 'A local day (YYYY-MM-DD) in the organisation\'s time zone, inclusive' };

export const timingQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { sop: slug, by: { enum: ['step', 'actor', 'day', 'shift'] }, from: localDay, to: localDay, format: { enum: ['json', 'csv'] } },
};

export const caseTimingQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    sop: slug, revision: { type: 'integer', minimum: 1, maximum: 2147483647 }, step: slug, limit: { type: 'integer', minimum: 1, maximum: 1000 },
    by: { enum: ['actor', 'day', 'shift'], description: 'With step and group: the grouping of the timing table row drilled into' },
    group: { type: 'string', minLength: 1, maxLength: 200, description: 'With step and by: the row\'s group (an actor id, a local day YYYY-MM-DD, a shift start HH:00)' },
    from: localDay, to: localDay,
  },
  dependentRequired: { by: ['group', 'step'], group: ['by', 'step'], from: ['step'], to: ['step'] },
};

export const createUserBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['username', 'displayName', 'roles'],
  properties: {
    username: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]{2,63}$' },
    displayName: { type: 'string', minLength: 1, maxLength: 200 },
    password: { type: 'string', minLength: 12, maxLength: 200, description: 'Omit to have Alur generate one (returned once).' },
    roles: { type: 'array', items: slug, maxItems: 50, uniqueItems: true },
  },
};

export const rolesBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['roles'],
  properties: { roles: { type: 'array', items: slug, maxItems: 50, uniqueItems: true } },
};

export const tokenBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 100, description: 'What the token is for, e.g. "scanner gedung B".' },
    expiresInDays: { type: 'integer', minimum: 1, maximum: 3650, description: 'The token stops working this many days from now; omit for a token that lasts until revoked.' },
  },
};

export const tokenIdParams: JsonSchema = { type: 'object', properties: { tokenId: uuid }, required: ['tokenId'] };
export const userIdParams: JsonSchema = { type: 'object', properties: { userId: uuid }, required: ['userId'] };

export const tokenListQuery: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { scope: { enum: ['mine', 'organization'], description: '`organization` (admin): every token of your organisation\'s users.' } },
};

const nullableTime: JsonSchema = { type: ['string', 'null'], format: 'date-time' };

/** A token as listed: never its secret. */
export const tokenInfo: JsonSchema = {
  type: 'object',
  required: ['id', 'name', 'userId', 'username', 'createdAt', 'lastUsedAt', 'expiresAt', 'revokedAt', 'status'],
  properties: {
    id: uuid, name: { type: 'string' }, userId: uuid, username: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' }, lastUsedAt: { ...nullableTime, description: 'Recorded to the minute.' }, expiresAt: nullableTime, revokedAt: nullableTime,
    status: { enum: ['active', 'expired', 'revoked'] },
  },
};

export const tokenList: JsonSchema = { type: 'object', required: ['tokens'], properties: { tokens: { type: 'array', items: tokenInfo } } };

export const passwordChangeBody: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['currentPassword', 'newPassword'],
  properties: { currentPassword: { type: 'string', minLength: 1, maxLength: 200 }, newPassword: { type: 'string', minLength: 12, maxLength: 200 } },
};

export const problemSchema: JsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail'],
  properties: {
    type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
  },
};

export const anyObject: JsonSchema = { type: 'object' };
