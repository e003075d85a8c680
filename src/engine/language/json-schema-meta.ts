/**
 * The check of a JSON Schema (a step's output schema) against JSON Schema 2020-12's meta-schema,
 * compiled on first use. Its own module so that a bundle can swap it: scripts/build-cli.mjs
 * replaces it with the same validator generated ahead of time (ajv standalone code), so the
 * command line does not compile the meta-schema (~0.2 s) at every start.
 */
import { createAjv, type ValidateFunction } from './json-schema.js';

export const META_SCHEMA_ID = 'https://json-schema.org/draft/2020-12/schema';

let compiled: ValidateFunction | undefined;

export function metaSchemaValidator(): ValidateFunction {
  compiled ??= createAjv({ logger: false }).getSchema(META_SCHEMA_ID)!;
  return compiled;
}
