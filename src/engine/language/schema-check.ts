/**
 * Layer one of validation: the SOP file against `sops/sop.schema.json`, every error (not the
 * first), each turned into one positioned sentence a process owner can act on.
 */
import sopSchema from '../../../sops/sop.schema.json' with { type: 'json' };
import { ADAPTERS } from './adapter-catalog.js';
import type { Diagnostic } from './diagnostics.js';
import { fromPointer } from './diagnostics.js';
import type { ErrorObject } from './json-schema.js';
import validateAgainstSchema from './sop-schema-validator.js';
import { didYouMean, suggest } from './suggest.js';
import { positionOf, type SopSource } from './yaml-source.js';
import { FIELD_ALIASES, KIND_FIELDS, NEXT_EQUIVALENT, PLACE_FIELDS, ROOT_ALIASES, SINGLE_PLACES, STEP_KINDS, fieldGloss, placeOf } from './sop-vocabulary.js';
import { article, describePlace, nounFor, plural, slugify, typeHint, typeName, valueAt, withArticle } from './plain-words.js';

export { sopSchema };


export function checkAgainstSchema(source: SopSource): Diagnostic[] {
  const inherited = inheritedNameFields(source);
  if (validateAgainstSchema(source.data)) return inherited;
  const errors = (validateAgainstSchema.errors ?? []).filter((error) => isReportable(error, source.data));

  // A misspelt field is both unknown and (when required) missing; say it once, as the typo.
  const missing = new Map<string, Set<string>>();
  for (const error of errors) {
    if (error.keyword !== 'required') continue;
    const fields = missing.get(error.instancePath) ?? new Set<string>();
    fields.add(String(error.params.missingProperty));
    missing.set(error.instancePath, fields);
  }
  const explained = new Set<string>();
  const hints = new Map<ErrorObject, string>();
  for (const error of errors) {
    if (error.keyword !== 'unevaluatedProperties' && error.keyword !== 'additionalProperties') continue;
    const field = unknownFieldName(error);
    const hint = unknownFieldHint(field, fromPointer(error.instancePath), source.data, missing.get(error.instancePath) ?? new Set());
    hints.set(error, hint.text);
    if (hint.replaces !== undefined && missing.get(error.instancePath)?.has(hint.replaces)) explained.add(`${error.instancePath}|${hint.replaces}`);
  }

  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    if (error.keyword === 'required' && explained.has(`${error.instancePath}|${String(error.params.missingProperty)}`)) continue;
    const diagnostic = toDiagnostic(source, error, hints.get(error) ?? '');
    const key = `${diagnostic.path}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return [...diagnostics, ...inherited];
}

/**
 * ajv's unevaluatedProperties lets through step fields named like Object.prototype members
 * ("toString", "constructor"); report them as the unknown fields they are.
 */
function inheritedNameFields(source: SopSource): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walk = (steps: unknown, base: Array<string | number>): void => {
    if (!Array.isArray(steps)) return;
    steps.forEach((step, index) => {
      if (step === null || typeof step !== 'object') return;
      const path = [...base, index];
      for (const key of Object.keys(step)) {
        if (key in Object.prototype) {
          const at = positionOf(source, [...path, key], 'key');
          out.push({ file: source.file, ...at, severity: 'error', code: 'unknown-field', path: `/${[...path, key].join('/')}`, message: `${describePlace(source.data, path.map(String))} has unknown field "${key}"; remove it` });
        }
      }
      walk((step as { steps?: unknown }).steps, [...path, 'steps']);
    });
  };
  walk((source.data as { steps?: unknown } | null)?.steps, ['steps']);
  return out;
}

/** Drops errors that only restate another one. */
function isReportable(error: ErrorObject, data: unknown): boolean {
  // `if` only says "must match then"; the `then` errors themselves are reported.
  if (error.keyword === 'if') return false;
  // The failing name is reported by the error inside propertyNames, with the name itself.
  if (error.keyword === 'propertyNames') return false;
  if (error.keyword === 'unevaluatedProperties') {
    const path = fromPointer(error.instancePath);
    const kindFor = KIND_FIELDS[unknownFieldName(error)];
    if (placeOf(path) === 'step' && kindFor !== undefined) {
      const kind = stepKind(data, path);
      // With a misspelt kind no kind-specific field is allowed; the kind error says why.
      if (!STEP_KINDS.includes(kind)) return false;
      // The field belongs to this kind, so it is only "unevaluated" because something else in the
      // kind's rules failed (a missing role, a bad value); that error is reported instead.
      if (kindFor.includes(kind)) return false;
    }
  }
  return true;
}

function unknownFieldName(error: ErrorObject): string {
  return String(error.params.additionalProperty ?? error.params.unevaluatedProperty);
}

function stepKind(data: unknown, path: readonly string[]): string {
  const kind = (valueAt(data, path) as { kind?: unknown } | undefined)?.kind;
  return kind === undefined ? 'task' : String(kind);
}

function toDiagnostic(source: SopSource, error: ErrorObject, hint: string): Diagnostic {
  const path = fromPointer(error.instancePath);
  const where = describePlace(source.data, path);
  const value = valueAt(source.data, path);
  const base = { file: source.file, severity: 'error' as const, path: error.instancePath };

  if (error.propertyName !== undefined) return invalidName(source, error, path, base);

  switch (error.keyword) {
    case 'required': {
      const field = String(error.params.missingProperty);
      const at = positionOf(source, path, 'key');
      return { ...base, ...at, code: 'missing-field', message: `${where} is missing "${field}"${fieldGloss(placeOf(path), field)}` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const field = unknownFieldName(error);
      const at = positionOf(source, [...path, field], 'key');
      return { ...base, ...at, path: `${error.instancePath}/${field}`, code: 'unknown-field', message: `${where} has unknown field "${field}"${hint}` };
    }
    case 'type': {
      const at = positionOf(source, path);
      const expected = String(error.params.type);
      // Quoting a number turns it into text, but not into a valid id; only suggest it for free text.
      // A step's role may be a list of ids too; its schema path is relative to the shared definition.
      const isId = error.schemaPath.includes('/slug/') || path[path.length - 1] === 'role';
      if (value === null || value === undefined) {
        const roles = Object.keys(((source.data as { roles?: unknown }).roles ?? {}) as Record<string, unknown>);
        const field = path[path.length - 1];
        const wants = expected.split(',');
        const fill = isId && field === 'role' && roles.length > 0 ? `write the id of one of the roles (${roles.join(', ')})`
          : isId ? 'write an id'
            : wants.includes('object') ? 'fill in its fields'
              : wants.includes('array') ? 'add its items'
                : `write ${article(expected)}`;
        return { ...base, ...at, code: 'wrong-type', message: `${where} is empty; ${fill}` };
      }
      // A bare number where a duration goes needs its unit, not quotes: "45" is no duration either.
      const isDuration = error.schemaPath.includes('/duration/');
      const hint = isId ? '' : isDuration && typeof value === 'number' ? `; write it with its unit, e.g. "${value} menit" or "${value} jam"` : typeHint(expected, value);
      return { ...base, ...at, code: 'wrong-type', message: `${where} must be ${isId ? 'an id (lowercase letters, digits and hyphens)' : article(expected)}, not ${typeName(value)}${hint}` };
    }
    case 'pattern':
      return patternDiagnostic(source, error, path, where, value, base);
    case 'enum': {
      const at = positionOf(source, path);
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      return { ...base, ...at, code: 'invalid-value', message: `${where} is "${String(value)}", which is not one of ${allowed.join(', ')}${didYouMean(String(value), allowed)}` };
    }
    case 'minItems':
    case 'minProperties':
    case 'minLength': {
      const at = positionOf(source, path);
      const limit = Number(error.params.limit);
      if (error.keyword === 'minLength') return { ...base, ...at, code: 'too-few', message: `${where} is empty; write the text` };
      const count = Array.isArray(value) ? value.length : Object.keys(value ?? {}).length;
      const noun = nounFor(path[path.length - 1] ?? '', error.keyword === 'minItems' ? 'item' : 'entry');
      const message = count === 0
        ? `${where} is empty; add at least ${limit} ${plural(noun, limit)}`
        : `${where} has ${count} ${plural(noun, count)} but needs at least ${limit}`;
      return { ...base, ...at, code: 'too-few', message };
    }
    case 'minimum':
    case 'maximum': {
      const at = positionOf(source, path);
      return { ...base, ...at, code: 'out-of-range', message: `${where} must be ${error.keyword === 'minimum' ? 'at least' : 'at most'} ${String(error.params.limit)}, not ${String(value)}` };
    }
    default: {
      const at = positionOf(source, path);
      return { ...base, ...at, code: 'schema', message: `${where} ${error.message ?? 'is invalid'}` };
    }
  }
}

type Base = { file: string; severity: 'error'; path: string };

/** A role id or branch name (a mapping key) that is not a valid id. */
function invalidName(source: SopSource, error: ErrorObject, path: string[], base: Base): Diagnostic {
  const name = error.propertyName!;
  const at = positionOf(source, [...path, name], 'key');
  const owner = path[path.length - 1] === 'branches' ? `branch name "${name}" of ${describePlace(source.data, path.slice(0, -1))}` : path[0] === 'roles' && path.length === 1 ? `role id "${name}"` : `name "${name}" in ${describePlace(source.data, path)}`;
  return { ...base, ...at, path: `${error.instancePath}/${name}`, code: 'invalid-id', message: `${owner} is not a valid id; use lowercase letters, digits and hyphens, e.g. "${slugify(name)}"` };
}

const STEP_REFERENCES = new Set(['next', 'repeat', 'exit', 'approved', 'refused', 'acknowledgeBefore']);
const DATE_FIELDS = new Set(['created', 'revised', 'effective']);

function patternDiagnostic(source: SopSource, error: ErrorObject, path: string[], where: string, value: unknown, base: Base): Diagnostic {
  const at = positionOf(source, path);
  const text = String(value);
  const field = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  const pattern = String(error.params.pattern);

  if (path[0] === 'identity' && DATE_FIELDS.has(field)) {
    const dmy = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
    const fix = dmy ? `write ${dmy[3]}-${dmy[2]!.padStart(2, '0')}-${dmy[1]!.padStart(2, '0')}` : 'write YYYY-MM-DD (e.g. 2024-01-15), YYYY-MM or just the year';
    return { ...base, ...at, code: 'invalid-date', message: `${where} is "${text}", which is not a valid date; ${fix}` };
  }
  if (field === 'uses') {
    const adapters = Object.keys(ADAPTERS);
    const fix = didYouMean(text, adapters) || `; adapter names look like "cameras.checkAll" (known: ${adapters.join(', ')})`;
    return { ...base, ...at, code: 'unknown-adapter', message: `${where} is "${text}", which is not an adapter name${fix}` };
  }
  if (!pattern.startsWith('^[a-z][a-z0-9]*')) {
    return { ...base, ...at, code: 'pattern', message: `${where} is "${text}", which does not match the pattern ${pattern}` };
  }

  // A slug: either an id being declared, or a reference to a role or a step.
  const isRoleReference = field === 'role' || (parent === 'notify' && /^\d+$/.test(field));
  const isStepReference = STEP_REFERENCES.has(field) || parent === 'branches';
  if (isRoleReference) {
    const roles = Object.entries(((source.data as { roles?: unknown }).roles ?? {}) as Record<string, { title?: unknown }>);
    const byTitle = roles.find(([, role]) => typeof role?.title === 'string' && role.title.trim().toLowerCase() === text.trim().toLowerCase());
    const fix = byTitle
      ? `; that is the title of role "${byTitle[0]}", so write "${byTitle[0]}"`
      : `; name a role by its id under roles${didYouMean(slugify(text), roles.map(([id]) => id))}`;
    return { ...base, ...at, code: 'invalid-id', message: `${where} is "${text}", which is not a valid role id${fix}` };
  }
  if (isStepReference) {
    const fix = didYouMean(slugify(text), allStepIds(source.data)) || '; step ids use lowercase letters, digits and hyphens';
    return { ...base, ...at, code: 'invalid-id', message: `${where} is "${text}", which is not a valid step id${fix}` };
  }
  return { ...base, ...at, code: 'invalid-id', message: `${where} is "${text}", which is not a valid id; use lowercase letters, digits and hyphens, e.g. "${slugify(text)}"` };
}

function allStepIds(data: unknown): string[] {
  const ids: string[] = [];
  const walk = (list: unknown): void => {
    if (!Array.isArray(list)) return;
    for (const step of list as Array<{ id?: unknown; steps?: unknown } | null>) {
      if (typeof step?.id === 'string') ids.push(step.id);
      walk(step?.steps);
    }
  };
  walk((data as { steps?: unknown }).steps);
  return ids;
}

/** The hint after `has unknown field "x"`, and the field it stands for when it is a likely slip for one. */
function unknownFieldHint(field: string, path: string[], data: unknown, missing: Set<string>): { text: string; replaces?: string } {
  const place = placeOf(path);
  if (place === undefined) return { text: '' };
  const allowed = PLACE_FIELDS[place];

  if (place === 'step') {
    const kindFor = KIND_FIELDS[field];
    const kind = stepKind(data, path);
    if (kindFor !== undefined && !kindFor.includes(kind)) {
      const equivalent = field === 'next' ? NEXT_EQUIVALENT[kind] : undefined;
      if (equivalent) return { text: `; ${withArticle(kind)} step goes on with "${equivalent}", not "next"`, replaces: equivalent };
      return { text: `; "${field}" belongs to ${kindFor.join(' or ')} steps, and this step is ${withArticle(kind)} (set "kind: ${kindFor[0]}" or remove the field)` };
    }
  }

  const alias = (place === 'root' ? ROOT_ALIASES[field] : undefined) ?? FIELD_ALIASES[field] ?? field;
  if (alias !== field && allowed.includes(alias)) return { text: `; did you mean "${alias}"?`, replaces: alias };
  const home = SINGLE_PLACES.find(([other]) => other !== place && PLACE_FIELDS[other].includes(alias));
  if (home && (place === 'root' || place === 'identity' || place === 'approvedBy')) {
    return { text: alias === field ? `; "${field}" belongs ${home[1]}` : `; did you mean "${alias}" ${home[1]}?` };
  }
  const near = suggest(field, missing) ?? suggest(field, allowed);
  return near === undefined ? { text: '' } : { text: `; did you mean "${near}"?`, replaces: near };
}

