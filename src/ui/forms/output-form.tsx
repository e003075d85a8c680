/**
 * The step's output as a form generated from its JSON Schema by @rjsf/core. The server is the
 * validator (see server-validator.ts); its refusals arrive as `errors` and show under their fields.
 */
import Form from '@rjsf/core';
import { englishStringTranslator, TranslatableString, type ErrorSchema, type RJSFSchema } from '@rjsf/utils';
import type { ReactNode } from 'react';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { buttonTemplates } from './form-buttons';
import { serverValidator } from './server-validator';

/** rjsf's own words (buttons of array fields, yes/no…) from Alur's catalogue; the rest in English. */
const RJSF_STRINGS: Partial<Record<TranslatableString, MessageKey>> = {
  [TranslatableString.AddItemButton]: 'form.addItem',
  [TranslatableString.AddButton]: 'form.addItem',
  [TranslatableString.RemoveButton]: 'form.remove',
  [TranslatableString.MoveUpButton]: 'form.moveUp',
  [TranslatableString.MoveDownButton]: 'form.moveDown',
  [TranslatableString.CopyButton]: 'form.copy',
  [TranslatableString.YesLabel]: 'form.yes',
  [TranslatableString.NoLabel]: 'form.no',
  [TranslatableString.EmptyArray]: 'form.emptyArray',
  [TranslatableString.ArrayItemTitle]: 'form.item',
  [TranslatableString.NowLabel]: 'form.now',
  [TranslatableString.ClearLabel]: 'form.clear',
  [TranslatableString.ClearButton]: 'form.clear',
  [TranslatableString.AriaDateLabel]: 'form.selectDate',
  [TranslatableString.ErrorsLabel]: 'form.errors',
};

export function OutputForm({ schema, value, onChange, onSubmit, errors, children, idPrefix = 'output' }: {
  schema: Record<string, unknown>;
  value: unknown;
  onChange(value: unknown): void;
  onSubmit(): void;
  errors: ErrorSchema;
  children: ReactNode;
  idPrefix?: string;
}) {
  const { t } = useI18n();
  // Definitions are stored as jsonb, which reorders object keys (by length); the `required` list
  // is an array and keeps the SOP's order, so it leads, and the optional fields follow.
  const required = Array.isArray(schema.required) ? (schema.required as string[]) : [];
  const properties = typeof schema.properties === 'object' && schema.properties !== null ? Object.keys(schema.properties) : [];
  const uiSchema = { 'ui:order': [...required.filter((key) => properties.includes(key)), '*'] };
  const translateString = (key: TranslatableString, params?: string[]) => {
    const own = RJSF_STRINGS[key];
    return own ? t(own) : englishStringTranslator(key, params);
  };
  return (
    <Form
      className="rjsf"
      schema={schema as RJSFSchema}
      uiSchema={uiSchema}
      formData={value}
      validator={serverValidator}
      idPrefix={idPrefix}
      noHtml5Validate
      showErrorList={false}
      translateString={translateString}
      templates={{ ButtonTemplates: buttonTemplates }}
      extraErrors={errors}
      onChange={(event) => onChange(event.formData)}
      onSubmit={() => onSubmit()}
    >
      {children}
    </Form>
  );
}
