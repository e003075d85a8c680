/**
 * Parsing an SOP file while keeping every value's place in the source, so that any problem
 * found later (schema or semantic) can be reported at its exact line and column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export interface SopSource {
  file: string;
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** Plain JavaScript value of the document (undefined when it did not parse). */
  data: unknown;
}

export interface Position {
  line: number;
  column: number;
}

/** Parse YAML text; syntax errors come back as diagnostics, never as exceptions. */
export function parseSopSource(text: string, file: string): { source: SopSource; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const diagnostics: Diagnostic[] = [];
  for (const error of [...document.errors, ...document.warnings]) {
    const at = lineCounter.linePos(error.pos[0]);
    diagnostics.push({
      file,
      line: at.line,
      column: at.col,
      severity: document.errors.includes(error as never) ? 'error' : 'warning',
      code: 'yaml-syntax',
      message: yamlMessage(error.code, error.message),
      path: '',
    });
  }
  const data = document.errors.length === 0 ? document.toJS({ maxAliasCount: 100 }) : undefined;
  return { source: { file, text, document, lineCounter, data }, diagnostics };
}

const YAML_HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'this key appears twice in the same mapping; keep one',
  BAD_INDENT: 'the indentation is inconsistent; align this line with its siblings',
  TAB_AS_INDENT: 'tabs cannot indent YAML; use spaces',
  MISSING_CHAR: 'a closing character is missing',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines; a value probably needs quotes or a missing ":"',
};

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
  const hint = YAML_HINTS[code];
  return `YAML syntax: ${first}${hint ? ` (${hint})` : ''}`;
}

/** Position of the node at `path`; when the path does not exist, the deepest ancestor that does. */
export function positionOf(source: SopSource, path: ReadonlyArray<string | number>, target: 'value' | 'key' = 'value'): Position {
  let node: unknown = source.document.contents;
  let keyNode: unknown = undefined;
  for (const segment of path) {
    const child = childOf(node, segment);
    if (!child) break;
    node = child.value;
    keyNode = child.key;
  }
  const chosen = target === 'key' && keyNode ? keyNode : node;
  const offset = rangeStart(chosen) ?? rangeStart(keyNode) ?? 0;
  const at = source.lineCounter.linePos(offset);
  return { line: at.line, column: at.col };
}

function childOf(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      if (isPair(pair) && keyText(pair.key) === String(segment)) {
        return { key: pair.key, value: pair.value ?? pair.key };
      }
    }
    return undefined;
  }
  if (isSeq(node)) {
    const item = node.items[Number(segment)];
    return item === undefined ? undefined : { key: undefined, value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
