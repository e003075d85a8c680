/**
 * An output's JSON Schema must be one ajv can compile, with formats it knows. Each problem is
 * reported at the schema keyword at fault. A fresh ajv per SOP file compiles the schemas: schemas
 * with an `$id` would otherwise clash with the same file validated a second time. Checking a schema
 * against the JSON Schema meta-schema registers nothing, so one ajv does that for every file (each
 * fresh ajv would compile the meta-schema again, ~0.1 s).
 */
import type { Severity } from './diagnostics.js';
import { fromPointer } from './diagnostics.js';
import { createAjv, type ErrorObject } from './json-schema.js';
import { META_SCHEMA_ID, metaSchemaValidator } from './json-schema-meta.js';
import type { SourcePath } from './normalize-sop.js';
import type { SopStep } from './sop-types.js';
import { didYouMean } from './suggest.js';

type Report = (path: SourcePath, code: string, message: string, severity?: Severity, target?: 'value' | 'key') => void;

/** Compiles the output schemas of one SOP file. */
export function createOutputSchemaChecker(): (step: SopStep, path: SourcePath, report: Report) => void {
  // Checked against the meta-schema by metaSchemaErrors() first, so compiling needs no second check.
  const outputAjv = createAjv({ logger: false, validateSchema: false });
  return (step, path, report) => checkOutputSchema(outputAjv, step, path, report);
}

let sharedMetaAjv: ReturnType<typeof createAjv> | undefined;
/**
 * The meta-schema's errors for `schema`, null when it is a valid JSON Schema: JSON Schema 2020-12's
 * (json-schema-meta.ts), or the one its `$schema` names, as ajv's validateSchema picks it.
 */
export function metaSchemaErrors(schema: unknown): ErrorObject[] | null {
  const named = (schema as { $schema?: unknown } | null)?.$schema;
  if (named === undefined || named === META_SCHEMA_ID) {
    const validate = metaSchemaValidator();
    return validate(schema) ? null : validate.errors ?? [];
  }
  sharedMetaAjv ??= createAjv({ logger: false });
  return sharedMetaAjv.validateSchema(schema as Parameters<typeof sharedMetaAjv.validateSchema>[0]) ? null : sharedMetaAjv.errors ?? [];
}

const KNOWN_FORMATS = Object.keys(createAjv({ logger: false }).formats);


/** Format names process owners reach for, in Indonesian or loosely, and the JSON Schema format meant. */
const FORMAT_ALIASES: Record<string, string> = {
  tanggal: 'date',
  tgl: 'date',
  'tanggal-waktu': 'date-time',
  datetime: 'date-time',
  timestamp: 'date-time',
  waktu: 'time',
  jam: 'time',
  surel: 'email',
  'e-mail': 'email',
  link: 'uri',
  tautan: 'uri',
};

/**
 * The output schema must be a JSON Schema ajv can compile. Each problem is reported at the
 * schema keyword at fault, not at the top of the schema.
 */
function checkOutputSchema(outputAjv: ReturnType<typeof createAjv>, step: SopStep, path: SourcePath, report: Report): void {
  const schema = step.output!.schema!;
  const schemaPath: SourcePath = [...path, 'output', 'schema'];
  const intro = `the output schema of step "${step.id}"`;
  const errors = metaSchemaErrors(schema);
  if (errors) {
    const error = mostSpecific(errors);
    if (error) {
      const segments = fromPointer(error.instancePath);
      const keyword = segments.length > 0 ? segments.join('.') : 'the schema';
      const value = segments.reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], schema);
      let problem: string;
      if (error.keyword === 'enum') {
        const allowed = (error.params.allowedValues as unknown[]).map(String);
        problem = `"${keyword}" is ${JSON.stringify(value)}, which is not one of ${allowed.join(', ')}${didYouMean(String(value), allowed)}`;
      } else {
        problem = `"${keyword}" ${error.message ?? 'is invalid'}`;
      }
      report([...schemaPath, ...segments], 'invalid-output-schema', `${intro} is not a valid JSON Schema: ${problem}`);
      return;
    }
  }
  // ajv accepts unknown formats with a console warning and then ignores them; here they are mistakes.
  const unknownFormats = findUnknownFormats(schema);
  for (const { path: at, format } of unknownFormats) {
    const known = KNOWN_FORMATS;
    const meant = FORMAT_ALIASES[format.toLowerCase()];
    const hint = meant !== undefined ? `; did you mean "${meant}"?` : didYouMean(format, known) || '; use e.g. date, date-time, email or uri';
    report([...schemaPath, ...at], 'invalid-output-schema', `${intro} uses format "${format}", which is not a known format${hint}`);
  }
  if (unknownFormats.length > 0) return;
  try {
    outputAjv.compile(schema);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    report(schemaPath, 'invalid-output-schema', `${intro} is not a valid JSON Schema: ${reason}`);
  }
}

/** Of a meta-schema validation's errors, the one deepest in the schema; an enum error says most. */
function mostSpecific(errors: readonly ErrorObject[]): ErrorObject | undefined {
  const depth = (e: ErrorObject): number => fromPointer(e.instancePath).length;
  const deepest = Math.max(...errors.map(depth));
  const candidates = errors.filter((e) => depth(e) === deepest && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  return candidates.find((e) => e.keyword === 'enum') ?? candidates[0] ?? errors[0];
}

function findUnknownFormats(schema: unknown, path: string[] = []): Array<{ path: string[]; format: string }> {
  if (schema === null || typeof schema !== 'object') return [];
  if (Array.isArray(schema)) return schema.flatMap((item, i) => findUnknownFormats(item, [...path, String(i)]));
  const out: Array<{ path: string[]; format: string }> = [];
  for (const [key, value] of Object.entries(schema)) {
    // Under "properties" every key is a field name, so a field called "format" is not the keyword.
    const isKeyword = path[path.length - 1] !== 'properties';
    if (isKeyword && key === 'format' && typeof value === 'string' && !KNOWN_FORMATS.includes(value)) out.push({ path: [...path, key], format: value });
    else out.push(...findUnknownFormats(value, [...path, key]));
  }
  return out;
}

/** Unreachable steps and steps from which no end can be reached, per flow. */
