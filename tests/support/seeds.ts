import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateSop, type SopDefinition } from '../../src/engine/index.js';

export const SEED_FILES = {
  pontianak: fileURLToPath(new URL('../../sops/pontianak-relay-tayangan.yaml', import.meta.url)),
  tarakan: fileURLToPath(new URL('../../sops/tarakan-pemantau-cctv.yaml', import.meta.url)),
} as const;

export function seedText(name: keyof typeof SEED_FILES): string {
  return readFileSync(SEED_FILES[name], 'utf8');
}

/** A seed SOP's definition; throws with the diagnostics if the seed stopped validating. */
export function loadSeed(name: keyof typeof SEED_FILES): SopDefinition {
  const result = validateSop(seedText(name), `sops/${name}.yaml`);
  if (!result.definition) throw new Error(`seed ${name} is invalid: ${JSON.stringify(result.diagnostics, null, 2)}`);
  return result.definition;
}
