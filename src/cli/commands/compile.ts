import { compileSop, toMermaid, type SopDefinition } from '../../engine/index.js';
import type { CliOutput } from '../output.js';
import { loadDefinition } from '../load-definition.js';

/** `alur compile <file>`: the XState machine config as JSON. */
export async function compileCommand(file: string, io: CliOutput): Promise<number> {
  return withDefinition(file, io, (definition) => io.out(JSON.stringify(compileSop(definition).config, null, 2)));
}

/** `alur graph <file>`: a Mermaid flowchart with one swimlane per role. */
export async function graphCommand(file: string, io: CliOutput): Promise<number> {
  return withDefinition(file, io, (definition) => io.out(toMermaid(definition)));
}

async function withDefinition(file: string, io: CliOutput, run: (definition: SopDefinition) => void): Promise<number> {
  const definition = await loadDefinition(file, io);
  if (!definition) return 1;
  run(definition);
  return 0;
}
