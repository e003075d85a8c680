/**
 * rjsf's validator slot, filled without compiling schemas in the browser: Alur's CSP forbids
 * `eval` (which ajv's code generation needs), and the server checks every output against the
 * step's schema anyway. Its refusals come back as problem+json and are shown per field as
 * `extraErrors`; here only the type checks rjsf uses to pick schema branches are done.
 */
import type { RJSFSchema, ValidationData, ValidatorType } from '@rjsf/utils';

function matchesType(schema: RJSFSchema, value: unknown): boolean {
  const type = schema.type;
  if (type === undefined) return true;
  const types = Array.isArray(type) ? type : [type];
  return types.some((t) => {
    switch (t) {
      case 'null': return value === null;
      case 'array': return Array.isArray(value);
      case 'object': return typeof value === 'object' && value !== null && !Array.isArray(value);
      case 'integer': return Number.isInteger(value);
      default: return typeof value === t;
    }
  });
}

export const serverValidator: ValidatorType = {
  validateFormData(): ValidationData<unknown> {
    return { errors: [], errorSchema: {} };
  },
  isValid(schema: RJSFSchema, formData: unknown): boolean {
    if (typeof schema !== 'object' || schema === null) return true;
    if (formData !== undefined && !matchesType(schema, formData)) return false;
    if ('const' in schema && formData !== schema.const) return false;
    if (Array.isArray(schema.enum) && !schema.enum.includes(formData as never)) return false;
    const required = Array.isArray(schema.required) ? schema.required : [];
    return required.every((key) => typeof formData === 'object' && formData !== null && key in formData);
  },
  rawValidation() {
    return { errors: [] };
  },
};
