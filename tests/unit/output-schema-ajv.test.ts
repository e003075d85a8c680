/**
 * The meta-schema check is shared by every SOP file and every compile (compiling it per file was
 * two thirds of validating a seed); the fresh ajvs that compile output schemas skip the check.
 * These pin what that must not change: a refused schema is still refused, by the validator and by
 * the compiler, and a schema with an `$id` still validates twice in one process.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSop, validateSop, type SopDefinition } from '../../src/engine/index.js';
import { loadSeed } from '../support/seeds.js';

const withSchema = (schema: Record<string, unknown>): SopDefinition => {
  const definition = structuredClone(loadSeed('pontianak'));
  const step = definition.steps.find((s) => 'output' in s && s.output?.schema)!;
  (step as { output: { schema: unknown } }).output.schema = schema;
  return definition;
};

describe('output schemas checked against one shared meta-schema', () => {
  it('the compiler still refuses a schema the meta-schema refuses, and compiles one it accepts', () => {
    expect(() => compileSop(withSchema({ type: 'objek' }))).toThrow(/schema is invalid: .*type/);
    expect(() => compileSop(withSchema({ type: 'object', required: [3] }))).toThrow(/schema is invalid/);
    expect(() => compileSop(withSchema({ type: 'object', properties: { a: { type: 'string' } } }))).not.toThrow();
  });

  it('the validator reports a refused schema every time, also after accepting others', () => {
    const broken = readFileSync('tests/fixtures/broken/invalid-output-schema.yaml', 'utf8');
    const seed = readFileSync('sops/pontianak-relay-tayangan.yaml', 'utf8');
    for (let i = 0; i < 3; i += 1) {
      expect(validateSop(seed, 'seed.yaml').definition).toBeDefined();
      expect(validateSop(broken, 'broken.yaml').diagnostics.map((d) => d.code)).toContain('invalid-output-schema');
    }
  });

  it('a schema with an $id validates and compiles twice in one process', () => {
    const source = readFileSync('tests/fixtures/broken/invalid-output-schema.yaml', 'utf8').replace(/^( +)type: objek$/m, '$1type: object\n$1$id: https://contoh.go.id/laporan');
    for (let i = 0; i < 2; i += 1) {
      const result = validateSop(source, 'dengan-id.yaml');
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      compileSop(result.definition!);
    }
  });
});
