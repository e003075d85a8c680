/**
 * The SOP file's schema (`sops/sop.schema.json`) compiled by ajv, its own module so that a bundle
 * can swap it: scripts/build-cli.mjs replaces it with the same validator generated ahead of time
 * (ajv standalone code), so the command line does not compile the schema (~0.3 s) at every start.
 */
import sopSchema from '../../../sops/sop.schema.json' with { type: 'json' };
import { createAjv, type ValidateFunction } from './json-schema.js';

const validateSopSchema: ValidateFunction = createAjv().compile(sopSchema);
export default validateSopSchema;
