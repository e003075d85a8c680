/**
 * Parsing an SOP file while keeping every value's place in the source, so that any problem
 * found later (schema or semantic) can be reported at its exact line and column.
 */
import {
  Composer, isAlias, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, Parser, visit, YAMLParseError,
  type Alias, type CST, type Document, type Node, type Pair, type YAMLMap,
} from 'yaml';
import { hasErrors, type Diagnostic } from './diagnostics.js';
import { findTooDeepToken, SOURCE_LIMITS, tooDeepMessage, tooManyAliasesMessage, type SourceLimits } from './source-limits.js';
import { duplicateKeyMessage, explainYamlError, firstStructuralError } from './yaml-errors.js';

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

/**
 * Parse YAML text; syntax errors come back as diagnostics, never as exceptions. Call it on text
 * that passed `checkSourceText` (size and nesting): the parser recurses once per level.
 */
export function parseSopSource(text: string, file: string, limits: Readonly<SourceLimits> = SOURCE_LIMITS): { source: SopSource; diagnostics: Diagnostic[] } {
  const lineCounter = new LineCounter();
  const diagnostics: Diagnostic[] = [];
  const report = (offset: number, message: string, severity: Diagnostic['severity'] = 'error', code = 'yaml-syntax'): void => {
    const at = lineCounter.linePos(offset);
    diagnostics.push({ file, line: at.line, column: at.col, severity, code, message, path: '' });
  };
  // What parseDocument does, in two steps, to check the nesting in between (see findTooDeepToken).
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const deep = findTooDeepToken(tokens, limits.maxDepth);
  if (deep !== undefined) {
    report(deep, tooDeepMessage(limits.maxDepth), 'error', 'too-deep');
    return { source: { file, text, document: parseDocument(''), lineCounter, data: undefined }, diagnostics };
  }
  // yaml's own duplicate-key check compares each key with every earlier one (quadratic in a
  // mapping's size); duplicateKeys below does the same job with a hash map.
  const document = composeFirst(tokens, text.length);
  const structural = firstStructuralError(document.errors);
  if (structural) {
    const { offset, message } = explainYamlError(structural, text);
    report(offset, message);
  }
  for (const warning of document.warnings) {
    const { offset, message } = explainYamlError(warning, text);
    report(offset, message, 'warning');
  }
  for (const duplicate of duplicateKeys(document)) {
    report(duplicate.offset, duplicateKeyMessage(duplicate.key, lineCounter.linePos(duplicate.firstOffset).line));
  }
  let data: unknown = undefined;
  if (!hasErrors(diagnostics)) {
    const problem = checkAliases(document, limits.maxAliasValues);
    if (problem) {
      const offset = rangeStart(problem.alias) ?? 0;
      const name = problem.alias.source;
      if (problem.kind === 'self-containing') report(offset, `YAML syntax: "*${name}" is inside the value anchored as "&${name}", so that value would contain itself; copy the part you need instead`);
      else if (problem.kind === 'unresolved') report(offset, `YAML syntax: "*${name}" refers to an anchor "&${name}" that is not defined; a value that starts with "*" must be put in quotes`);
      else report(offset, tooManyAliasesMessage(limits.maxAliasValues), 'error', 'too-many-aliases');
    } else {
      try {
        data = document.toJS({ maxAliasCount: limits.maxAliasValues });
      } catch (error) {
        // checkAliases is stricter than yaml's own count, so this is a backstop; both are the file's fault.
        const excessive = error instanceof Error && /alias count/i.test(error.message);
        const firstAlias = findFirstAlias(document);
        report(firstAlias ? rangeStart(firstAlias) ?? 0 : 0, excessive ? tooManyAliasesMessage(limits.maxAliasValues) : `YAML syntax: ${error instanceof Error ? error.message : String(error)}`, 'error', excessive ? 'too-many-aliases' : 'yaml-syntax');
      }
    }
  }
  return { source: { file, text, document, lineCounter, data }, diagnostics };
}

function composeFirst(tokens: readonly CST.Token[], length: number): Document.Parsed {
  let document: Document.Parsed | undefined;
  for (const next of new Composer({ prettyErrors: false, uniqueKeys: false, strict: true }).compose(tokens, true, length)) {
    if (!document) {
      document = next;
    } else {
      document.errors.push(new YAMLParseError([next.range[0], next.range[1]], 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
      break;
    }
  }
  // compose(…, forceDoc = true) always yields a document.
  return document!;
}

/** Each key that repeats an earlier key of the same mapping (scalar keys equal by value, as yaml compares them). */
function duplicateKeys(document: Document.Parsed): Array<{ key: string; offset: number; firstOffset: number }> {
  const out: Array<{ key: string; offset: number; firstOffset: number }> = [];
  const walk = (node: unknown): void => {
    if (isMap(node)) {
      const seen = new Map<unknown, number>();
      for (const pair of node.items) {
        const start = rangeStart(pair.key);
        if (isScalar(pair.key) && start !== undefined) {
          const earlier = seen.get(pair.key.value);
          if (earlier === undefined) seen.set(pair.key.value, start);
          else out.push({ key: String(pair.key.value), offset: start, firstOffset: earlier });
        }
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(document.contents);
  return out;
}

type AliasProblem = { kind: 'self-containing' | 'unresolved' | 'too-many'; alias: Alias };

/**
 * The first alias that cannot be expanded: one with no anchor before it, one inside the very value
 * it repeats (expanding it would never end), or the one at which all aliases so far add more than
 * `maxValues` values (an alias of a value holding aliases counts all of them: a "billion laughs"
 * is caught after a few lines, not after expanding it). One pass; each value's size is counted once.
 */
function checkAliases(document: Document.Parsed, maxValues: number): AliasProblem | undefined {
  const anchors = new Map<string, Node>();
  const targets = new Map<Alias, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let total = 0;
  const sizeOf = (node: unknown): number => {
    if (isAlias(node)) {
      const target = targets.get(node);
      return target === undefined ? 1 : sizeOf(target);
    }
    if (!isMap(node) && !isSeq(node)) return 1;
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let size = 1;
    for (const item of node.items as unknown[]) size += isPair(item) ? sizeOf(item.key) + sizeOf(item.value) : sizeOf(item);
    sizes.set(node, size);
    return size;
  };
  const walk = (node: unknown): AliasProblem | undefined => {
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target === undefined) return { kind: 'unresolved', alias: node };
      if (open.has(target)) return { kind: 'self-containing', alias: node };
      targets.set(node, target);
      total += sizeOf(target);
      return total > maxValues ? { kind: 'too-many', alias: node } : undefined;
    }
    if (isPair(node)) return walk(node.key) ?? walk(node.value);
    if (!isNode(node)) return undefined;
    // An anchor counts from where it is written, so an alias inside the anchored value sees it.
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isMap(node) && !isSeq(node)) return undefined;
    open.add(node);
    for (const item of node.items as unknown[]) {
      const problem = walk(item);
      if (problem) return problem;
    }
    open.delete(node);
    return undefined;
  };
  return walk(document.contents);
}

function findFirstAlias(document: Document.Parsed): Alias | undefined {
  let found: Alias | undefined;
  visit(document, {
    Alias(_key, alias) {
      found = alias;
      return visit.BREAK;
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

/** Per mapping, its pairs by key text (the first of duplicates), built on first lookup. */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

function childOf(node: unknown, segment: string | number): { key: unknown; value: unknown } | undefined {
  if (isMap(node)) {
    let index = pairIndex.get(node);
    if (index === undefined) {
      index = new Map();
      for (const pair of node.items) {
        const text = isPair(pair) ? keyText(pair.key) : undefined;
        if (text !== undefined && !index.has(text)) index.set(text, pair);
      }
      pairIndex.set(node, index);
    }
    const pair = index.get(String(segment));
    return pair === undefined ? undefined : { key: pair.key, value: pair.value ?? pair.key };
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
