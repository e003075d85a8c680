/** One configured ajv (JSON Schema 2020-12, formats) for SOP files and for step outputs alike. */
import { Ajv2020, type ErrorObject, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsPlugin from 'ajv-formats';

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((formatsPlugin as unknown as { default?: unknown }).default ?? formatsPlugin) as unknown as (ajv: Ajv2020) => void;

export type { ErrorObject, ValidateFunction };

export function createAjv(options: Options = {}): Ajv2020 {
  const process = options.code?.process;
  const ajv = new Ajv2020({
    allErrors: true, strict: false, allowUnionTypes: true, ...options,
    code: { ...options.code, process: (code, schema) => (process ? process(appendErrorsInPlace(code), schema) : appendErrorsInPlace(code)) },
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Checks schemas against the JSON Schema meta-schema for every caller. An ajv compiles the
 * meta-schema the first time it checks a schema, which cost two thirds of validating a seed SOP
 * when each file's fresh ajv did it again; checking a schema adds nothing to this one, so the
 * fresh ajvs that compile output schemas are made with `validateSchema: false` and ask it first.
 */
export const metaSchemaAjv = createAjv({ logger: false });

/** `/nomorSurat must be string` — ajv's messages, with the field they are about. */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) => {
    const field = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath || '(root)';
    const message = e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid';
    return `${field} ${message}`;
  });
}

/**
 * ajv collects the errors of a schema it calls by reference with `vErrors = vErrors.concat(…)`,
 * which copies every error found so far at each call: a file with thousands of errors (one per
 * step, say) takes seconds. The generated code is rewritten to append in place, which is what ajv
 * does everywhere else (it pushes, and truncates `vErrors.length` when a branch is dropped).
 */
function appendErrorsInPlace(code: string): string {
  return code.replace(
    /\bvErrors = vErrors === null \? ([\w$.]+) : vErrors\.concat\(\1\);/g,
    (_match, errors: string) => `if (vErrors === null) { vErrors = ${errors}; } else { for (const e$ of ${errors}) vErrors.push(e$); }`,
  );
}
