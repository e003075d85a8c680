/**
 * Parsing an SOP file while keeping every value's place in the source, so that any problem
 * found later (schema or semantic) can be reported at its exact line and column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { explainYamlError, reportable } from './yaml-errors.js';

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
  for (const error of [...reportable(document.errors), ...document.warnings]) {
    const { offset, message } = explainYamlError(error, text, document, lineCounter);
    const at = lineCounter.linePos(offset);
    diagnostics.push({
      file,
      line: at.line,
      column: at.col,
      severity: document.errors.includes(error as never) ? 'error' : 'warning',
      code: 'yaml-syntax',
      message,
      path: '',
    });
  }
  let data: unknown = undefined;
  const cycle = document.errors.length === 0 ? selfContainingAlias(document) : undefined;
  if (cycle) {
    const at = lineCounter.linePos(rangeStart(cycle) ?? 0);
    diagnostics.push({ file, line: at.line, column: at.col, severity: 'error', code: 'yaml-syntax', message: `YAML syntax: "*${cycle.source}" is inside the value anchored as "&${cycle.source}", so that value would contain itself; copy the part you need instead`, path: '' });
  } else if (document.errors.length === 0) {
    try {
      data = document.toJS({ maxAliasCount: 100 });
    } catch (error) {
      // toJS throws on an alias with no anchor ("*kepala") and on alias bombs; both are the file's fault.
      const alias = unresolvedAlias(document);
      const at = lineCounter.linePos(alias ? rangeStart(alias) ?? 0 : 0);
      const message = alias
        ? `YAML syntax: "*${alias.source}" refers to an anchor "&${alias.source}" that is not defined; a value that starts with "*" must be put in quotes`
        : `YAML syntax: ${error instanceof Error ? error.message : String(error)}`;
      diagnostics.push({ file, line: at.line, column: at.col, severity: 'error', code: 'yaml-syntax', message, path: '' });
    }
  }
  return { source: { file, text, document, lineCounter, data }, diagnostics };
}

/** An alias inside the very node it refers to: converting it would never end. */
function selfContainingAlias(document: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_key, alias, path) {
      const target = alias.resolve(document);
      if (target !== undefined && path.includes(target as never)) {
        found = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function unresolvedAlias(document: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_key, alias) {
      if (alias.resolve(document) === undefined) {
        found = alias;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
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
  // An empty value ("role:" with nothing after it) has no text of its own; its key stands in.
  const chosen = (target === 'key' || isEmptyNode(node)) && keyNode ? keyNode : node;
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

export function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return undefined;
}

function isEmptyNode(node: unknown): boolean {
  const range = (node as Node | undefined)?.range;
  return isScalar(node) && node.value === null && range !== undefined && range !== null && range[0] === range[1];
}

export function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
