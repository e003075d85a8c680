import { writeFile } from 'node:fs/promises';
import { createDocumentRenderer, type DocumentFormat } from '../../app/documents/render-sop-document.js';
import { loadConfig } from '../../config.js';
import type { CliOutput } from '../output.js';
import { loadDefinition } from '../load-definition.js';

export interface RenderFlags {
  format: DocumentFormat;
  /** A file to write; `-` prints to standard output (svg and html only). Default: `<sop-id>-v<version>.<format>`. */
  output?: string;
}

/** `alur render <file> --format html|pdf|svg`: the official Permenpan RB 35/2012 document of an SOP. */
export async function renderCommand(file: string, flags: RenderFlags, io: CliOutput): Promise<number> {
  if (flags.output === '-' && flags.format === 'pdf') {
    io.err('alur: a PDF is not printed to the terminal; name a file with --output, e.g. --output sop.pdf');
    return 1;
  }
  const definition = await loadDefinition(file, io);
  if (!definition) return 1;
  const config = loadConfig();
  const renderer = createDocumentRenderer(config.chromiumPath ? { chromiumPath: config.chromiumPath } : {});
  const document = await renderer.render(definition, flags.format);
  if (flags.output === '-') {
    io.out(document.body.toString('utf8'));
    return 0;
  }
  const target = flags.output ?? document.fileName;
  await writeFile(target, document.body);
  io.out(`${target}: ${flags.format.toUpperCase()} of "${definition.identity.title}" v${definition.version} (${document.body.length} bytes)`);
  return 0;
}
