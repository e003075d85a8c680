/**
 * Stands in for `@rjsf/validator-ajv8`, which @rjsf/core imports only for its test helper
 * (getTestRegistry): the build aliases that package here, so no ajv is bundled (see server-validator.ts).
 */
export { serverValidator as default } from './server-validator';
