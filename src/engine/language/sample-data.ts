/**
 * A plausible value for a JSON Schema: the schema's own `examples`, `default`, `const` or first
 * `enum` value, else the simplest value of its type. Used by `alur simulate` and tests to fill
 * outputs; SOP authors steer it by giving `examples`.
 */
type Schema = Record<string, unknown>;

export function sampleFromSchema(schema: Schema | undefined): unknown {
  if (!schema || typeof schema !== 'object') return undefined;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return structuredClone(schema.examples[0]);
  if ('default' in schema) return structuredClone(schema.default);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required ?? []) as string[];
      const value: Record<string, unknown> = {};
      for (const key of required) {
        const sample = sampleFromSchema(properties[key]);
        value[key] = sample === undefined ? 'contoh' : sample;
      }
      return value;
    }
    case 'array': {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      return Array.from({ length: min }, () => {
        const sample = sampleFromSchema(schema.items as Schema);
        return sample === undefined ? 'contoh' : sample;
      });
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 0;
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return undefined;
  }
}

function sampleString(schema: Schema): string {
  switch (schema.format) {
    case 'date': return '2026-01-01';
    case 'date-time': return '2026-01-01T08:00:00+08:00';
    case 'uri': return 'rtsp://127.0.0.1/contoh';
    case 'email': return 'contoh@example.org';
    default: {
      const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
      return 'contoh'.padEnd(Math.max(min, 6), 'x');
    }
  }
}
