/**
 * Layer one of validation: the SOP file against `sops/sop.schema.json`, every error (not the
 * first), each turned into one positioned sentence a process owner can act on.
 */
import sopSchema from '../../sops/sop.schema.json' with { type: 'json' };
import type { Diagnostic } from './diagnostics.js';
import { fromPointer } from './diagnostics.js';
import { createAjv, type ErrorObject } from './json-schema.js';
import { didYouMean } from './suggest.js';
import { positionOf, type SopSource } from './yaml-source.js';

const validateAgainstSchema = createAjv().compile(sopSchema);

export { sopSchema };

/** Indonesian column names and common slips, mapped to the field that holds them. */
const FIELD_ALIASES: Record<string, string> = {
  kegiatan: 'activity',
  pelaksana: 'role',
  kelengkapan: 'requirements',
  waktu: 'time',
  output: 'output',
  hasil: 'output',
  keterangan: 'note',
  cabang: 'branches',
  larangan: 'enforces',
  peran: 'roles',
  langkah: 'steps',
  judul: 'title',
  nomor: 'number',
  'dasar-hukum': 'legalBasis',
  dasarHukum: 'legalBasis',
  peralatan: 'equipment',
  peringatan: 'warning',
  kualifikasi: 'qualifications',
  budget: 'time',
  duration: 'time',
  branch: 'branches',
};

/** Fields that belong to one step kind only, for "add kind: decision" hints. */
const KIND_FIELDS: Record<string, string> = {
  branches: 'decision',
  repeat: 'loop',
  exit: 'loop',
  every: 'loop',
  approved: 'approval',
  refused: 'approval',
  enforces: 'rule',
  acknowledgeBefore: 'rule',
  steps: 'procedure',
  next: 'task',
  uses: 'task',
  input: 'task',
  parties: 'task',
};

const STEP_FIELDS = ['id', 'kind', 'activity', 'role', 'requirements', 'time', 'output', 'note', 'notify', ...Object.keys(KIND_FIELDS)];

export function checkAgainstSchema(source: SopSource): Diagnostic[] {
  if (validateAgainstSchema(source.data)) return [];
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of validateAgainstSchema.errors ?? []) {
    const diagnostic = toDiagnostic(source, error);
    if (!diagnostic) continue;
    const key = `${diagnostic.path}|${diagnostic.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    diagnostics.push(diagnostic);
  }
  return diagnostics;
}

function toDiagnostic(source: SopSource, error: ErrorObject): Diagnostic | undefined {
  // `if` only says "must match then"; the `then` errors themselves are reported.
  if (error.keyword === 'if') return undefined;
  const path = fromPointer(error.instancePath);
  const where = describePlace(source.data, path);
  const value = valueAt(source.data, path);
  const base = { file: source.file, severity: 'error' as const, path: error.instancePath };

  switch (error.keyword) {
    case 'required': {
      const field = String(error.params.missingProperty);
      const at = positionOf(source, path, 'key');
      return { ...base, ...at, code: 'missing-field', message: `${where} is missing "${field}"${fieldGloss(field)}` };
    }
    case 'additionalProperties':
    case 'unevaluatedProperties': {
      const field = String(error.params.additionalProperty ?? error.params.unevaluatedProperty);
      const at = positionOf(source, [...path, field], 'key');
      return { ...base, ...at, path: `${error.instancePath}/${field}`, code: 'unknown-field', message: `${where} has unknown field "${field}"${unknownFieldHint(field, path, source.data)}` };
    }
    case 'type': {
      const at = positionOf(source, path);
      return { ...base, ...at, code: 'wrong-type', message: `${where} must be ${article(String(error.params.type))}, not ${typeName(value)}` };
    }
    case 'pattern': {
      const at = positionOf(source, path);
      const isId = String(error.params.pattern).startsWith('^[a-z][a-z0-9]*');
      const message = isId
        ? `${where} "${String(value)}" is not a valid id; use lowercase letters, digits and hyphens, e.g. "${slugify(String(value))}"`
        : `${where} "${String(value)}" does not match the pattern ${String(error.params.pattern)}`;
      return { ...base, ...at, code: isId ? 'invalid-id' : 'pattern', message };
    }
    case 'enum': {
      const at = positionOf(source, path);
      const allowed = (error.params.allowedValues as unknown[]).map(String);
      return { ...base, ...at, code: 'invalid-value', message: `${where} "${String(value)}" is not one of ${allowed.join(', ')}${didYouMean(String(value), allowed)}` };
    }
    case 'minItems':
    case 'minProperties':
    case 'minLength': {
      const at = positionOf(source, path);
      const limit = Number(error.params.limit);
      const noun = error.keyword === 'minLength' ? 'character' : error.keyword === 'minItems' ? 'item' : 'entry';
      return { ...base, ...at, code: 'too-few', message: `${where} needs at least ${limit} ${noun}${limit === 1 ? '' : 's'}` };
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

function unknownFieldHint(field: string, path: string[], data: unknown): string {
  const alias = FIELD_ALIASES[field];
  if (alias && alias !== field) return `; did you mean "${alias}"?`;
  const kind = KIND_FIELDS[field];
  const isStep = path.includes('steps') && /^\d+$/.test(path[path.length - 1] ?? '');
  if (kind && isStep) {
    const current = (valueAt(data, path) as { kind?: string } | undefined)?.kind ?? 'task';
    return `; "${field}" belongs to ${kind} steps, and this step is a ${current} (set "kind: ${kind}" or remove the field)`;
  }
  return isStep ? didYouMean(field, STEP_FIELDS) : '';
}

const GLOSSES: Record<string, string> = {
  role: ' (pelaksana: the role that performs this row)',
  activity: ' (kegiatan: the activity text as printed)',
  branches: ' (the named branches, e.g. ya/tidak, and the step each goes to)',
  repeat: ' (the first step of the next round)',
  exit: ' (where the flow continues when the loop ends)',
  steps: ' (the activity table)',
};

function fieldGloss(field: string): string {
  return GLOSSES[field] ?? '';
}

/** `step "lapor"`, `"time" of step "lapor"`, `"identity.created"`, `the SOP`: where, in the process owner's words. */
export function describePlace(data: unknown, path: readonly string[]): string {
  if (path.length === 0) return 'the SOP';
  let owner = '';
  let restStart = 0;
  for (let i = 1; i < path.length; i += 1) {
    if (path[i - 1] === 'steps' && /^\d+$/.test(path[i]!)) {
      const id = (valueAt(data, path.slice(0, i + 1)) as { id?: unknown } | undefined)?.id;
      owner = typeof id === 'string' && /^[a-z][a-z0-9-]*$/.test(id) ? `step "${id}"` : `step ${Number(path[i]) + 1}`;
      restStart = i + 1;
    }
  }
  const rest = path.slice(restStart).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
  if (!owner) return `"${rest}"`;
  return rest ? `"${rest}" of ${owner}` : owner;
}

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let node: unknown = data;
  for (const segment of path) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

function typeName(value: unknown): string {
  if (value === null) return 'empty (null)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? `the number ${value}` : `the number ${value}`;
  return `${article(typeof value)} ("${String(value)}")`;
}

function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a text', integer: 'a whole number', number: 'a number', boolean: 'true or false',
    object: 'a mapping', array: 'a list', null: 'empty',
  };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

function slugify(text: string): string {
  const slug = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^[^a-z]+/, '');
  return slug || 'step-id';
}
