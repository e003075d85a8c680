/**
 * The step's output as a form generated from its JSON Schema by @rjsf/core. The server is the
 * validator (see server-validator.ts); its refusals arrive as `errors` and show under their fields.
 */
import Form from '@rjsf/core';
import type { ErrorSchema, RJSFSchema } from '@rjsf/utils';
import type { ReactNode } from 'react';
import { serverValidator } from './server-validator';

export function OutputForm({ schema, value, onChange, onSubmit, errors, children, idPrefix = 'output' }: {
  schema: Record<string, unknown>;
  value: unknown;
  onChange(value: unknown): void;
  onSubmit(): void;
  errors: ErrorSchema;
  children: ReactNode;
  idPrefix?: string;
}) {
  return (
    <Form
      className="rjsf"
      schema={schema as RJSFSchema}
      formData={value}
      validator={serverValidator}
      idPrefix={idPrefix}
      noHtml5Validate
      showErrorList={false}
      extraErrors={errors}
      onChange={(event) => onChange(event.formData)}
      onSubmit={() => onSubmit()}
    >
      {children}
    </Form>
  );
}
