/**
 * How big an SOP file Alur agrees to read, and the cheap checks that enforce it before any
 * expensive work: the byte size and the nesting depth are measured on the raw text in one linear
 * pass, before the YAML parser; the nesting again, exactly, on the parser's tokens before they are
 * composed into a document (the step that recurses once per level, and overflows the stack in the
 * thousands); the alias expansion and the number of steps right after, before the schema and the
 * flow checks.
 *
 * Real SOPs are far inside every limit: the Permenpan table of an SOP has tens of rows and fits on
 * a few pages, its YAML is a few dozen KB and nested about ten levels (a step's output schema is
 * the deepest part). The limits are generous by two orders of magnitude; they exist so that a file
 * made to hurt (sent to the server by anyone with the process-owner role) is refused with a clear
 * message instead of freezing validation.
 */
import type { CST } from 'yaml';
import type { Diagnostic } from './diagnostics.js';

export interface SourceLimits {
  /** Size of the file in UTF-8 bytes. */
  maxSourceBytes: number;
  /** Levels of nesting (block mappings and sequences, flow collections). */
  maxDepth: number;
  /** Values added by aliases (`*name`): each alias counts the values of what it repeats. */
  maxAliasValues: number;
  /** Steps, including the steps of procedures. */
  maxSteps: number;
}

/** The limits `validateSop` applies unless told otherwise. */
export const SOURCE_LIMITS: Readonly<SourceLimits> = Object.freeze({
  // 1 MiB: the largest real SOP in the corpus is ~25 KB; 2,000 fully described steps fit in ~600 KB.
  maxSourceBytes: 1_048_576,
  // A step's output schema with objects in arrays in objects reaches ~15; yaml overflows its stack
  // in the thousands.
  maxDepth: 64,
  // Sharing a kelengkapan list between a few dozen steps takes a few hundred.
  maxAliasValues: 10_000,
  // A Permenpan SOP is a table of tens of rows (the two seeds: 6 and 16); 2,000 rows is a book
  // no one could run, yet still validates in about a second (a few with an output schema on every
  // row: ajv compiles each in 1–4 ms).
  maxSteps: 2_000,
});

/**
 * Diagnostics reported for one file, at most: enough for any real file, and a file with 100,000
 * mistakes (every line a wrong value) is answered with a page, not 20 MB.
 */
export const MAX_DIAGNOSTICS = 1_000;

/** The first MAX_DIAGNOSTICS − 1 of sorted `diagnostics`, then one saying how many more there are. */
export function capDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS) return diagnostics;
  const kept = diagnostics.slice(0, MAX_DIAGNOSTICS - 1);
  const rest = diagnostics.slice(MAX_DIAGNOSTICS - 1);
  const first = rest[0]!;
  return [...kept, {
    file: first.file, line: first.line, column: first.column, path: first.path, code: 'too-many-problems',
    severity: rest.some((d) => d.severity === 'error') ? 'error' : 'warning',
    message: `${format(rest.length)} more problems from here on are not listed (Alur lists at most ${format(MAX_DIAGNOSTICS)}); fix the ones above and check the file again`,
  }];
}

/** Codes of the diagnostics that say a file is over a limit (rather than wrong). */
export const LIMIT_CODES: ReadonlySet<string> = new Set(['source-too-large', 'too-deep', 'too-many-aliases', 'too-many-steps']);

export function isOverLimit(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => LIMIT_CODES.has(d.code));
}

export function resolveLimits(overrides: Partial<SourceLimits> | undefined): Readonly<SourceLimits> {
  return overrides ? { ...SOURCE_LIMITS, ...overrides } : SOURCE_LIMITS;
}

/** Size and nesting of the raw text; at most one diagnostic, since either stops validation. */
export function checkSourceText(text: string, file: string, limits: Readonly<SourceLimits>): Diagnostic[] {
  const bytes = utf8Length(text);
  if (bytes > limits.maxSourceBytes) {
    const at = positionOfOffset(text, offsetOfByte(text, limits.maxSourceBytes));
    return [{
      file, ...at, severity: 'error', code: 'source-too-large', path: '',
      message: `the file is ${formatBytes(bytes)}, more than the ${formatBytes(limits.maxSourceBytes)} Alur reads (it passes the limit here); a real SOP is a few dozen KB, so split it into several SOPs or remove what does not belong in it`,
    }];
  }
  const deep = findTooDeep(text, limits.maxDepth);
  if (deep !== undefined) {
    return [{ file, ...positionOfOffset(text, deep), severity: 'error', code: 'too-deep', path: '', message: tooDeepMessage(limits.maxDepth) }];
  }
  return [];
}

export function tooDeepMessage(limit: number): string {
  return `this value is nested more than ${limit} levels deep, the most Alur reads; an SOP needs about ten (a step's output schema is the deepest part), so close the brackets that were not meant to be opened or flatten the structure`;
}

export function tooManyStepsMessage(count: number, limit: number): string {
  return `this is step ${format(limit + 1)} of ${format(count)}, and Alur reads at most ${format(limit)} steps in one SOP; a real SOP has tens of rows, so split this one into several SOPs (a procedure that stands on its own can become its own SOP)`;
}

export function tooManyAliasesMessage(limit: number): string {
  return `the aliases up to here repeat more than ${format(limit)} values, the most Alur expands; aliases that repeat aliases multiply (a "billion laughs"), so write the repeated values out or share fewer of them`;
}

function format(n: number): string {
  return n.toLocaleString('en-US');
}

function formatBytes(bytes: number): string {
  const size = bytes >= 1_048_576 ? `${(bytes / 1_048_576).toFixed(1).replace(/\.0$/, '')} MiB` : `${Math.ceil(bytes / 1024)} KiB`;
  return `${size} (${format(bytes)} bytes)`;
}

/** Bytes of `text` in UTF-8, counted without encoding it (the engine also runs where Buffer does not). */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x80) continue;
    if (code < 0x800) {
      bytes += 1;
      continue;
    }
    // From U+0800 a unit is 3 bytes; a surrogate pair (2 units) is 4, a lone surrogate 3 (U+FFFD).
    bytes += 2;
    const next = text.charCodeAt(i + 1);
    if (code >= 0xd800 && code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i += 1;
  }
  return bytes;
}

/** Offset of the UTF-16 unit that holds byte number `byte` (0-based) of the UTF-8 encoding. */
function offsetOfByte(text: string, byte: number): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > byte) return i;
    bytes += size;
    if (size === 4) i += 1;
  }
  return text.length;
}

/** 1-based line and column (in UTF-16 units, as the yaml parser counts them) of an offset. */
export function positionOfOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Offset of the first collection nested deeper than `maxDepth` in the yaml parser's tokens (its
 * concrete syntax tree), found with an explicit stack. The parser builds these tokens without
 * recursing; composing them into a document recurses once per level, so this exact check stands
 * between the two. It catches what the text scan below may miss on odd layouts (text the scan took
 * for a quoted or block scalar while the parser did not).
 */
export function findTooDeepToken(tokens: readonly CST.Token[], maxDepth: number): number | undefined {
  let first: number | undefined;
  const stack: Array<{ token: CST.Token; depth: number }> = tokens.map((token) => ({ token, depth: 0 }));
  while (stack.length > 0) {
    const { token, depth } = stack.pop()!;
    if (token.type === 'document') {
      if (token.value) stack.push({ token: token.value, depth });
    } else if (token.type === 'block-map' || token.type === 'block-seq' || token.type === 'flow-collection') {
      if (depth + 1 > maxDepth) {
        first = first === undefined ? token.offset : Math.min(first, token.offset);
        continue;
      }
      for (const item of token.items) {
        if ('key' in item && item.key) stack.push({ token: item.key, depth: depth + 1 });
        if (item.value) stack.push({ token: item.value, depth: depth + 1 });
      }
    }
  }
  return first;
}

interface BlockLevel {
  column: number;
  kind: 'seq' | 'map';
}

/**
 * Offset of the first place nested deeper than `maxDepth`, found in one pass without parsing.
 *
 * A small YAML lexer: it follows block structure by indentation (a `- ` item or a `key:` at a
 * column opens a level; a line at a smaller column closes the deeper ones), counts flow brackets
 * where a value can start, and skips comments, quoted text, block scalars (`|`, `>`) and plain
 * text going on over several lines, so that brackets and dashes inside text do not count. On the
 * files people write it counts what the parser will (both seeds: exactly); on broken text the
 * parser's error recovery may read structure where this scan saw text, which findTooDeepToken
 * catches. Its job is to stop the common attacks (999,000 "[" on one line) before the parser,
 * which takes seconds on them.
 */
export function findTooDeep(text: string, maxDepth: number): number | undefined {
  const blocks: BlockLevel[] = [];
  const n = text.length;
  let flow = 0;
  let quote: '"' | "'" | null = null;
  /** While set, lines indented deeper than this column are the text of a block scalar. */
  let blockScalarParent: number | null = null;
  /** While set, lines indented deeper than this column continue the plain text of the line above. */
  let plainParent: number | null = null;
  let content = false;
  let tokenStart = true;
  let i = 0;

  const openBlock = (column: number, kind: BlockLevel['kind']): boolean => {
    while (blocks.length > 0 && blocks[blocks.length - 1]!.column > column) blocks.pop();
    const top = blocks[blocks.length - 1];
    if (top && top.column === column) {
      if (top.kind === kind) return false;
      // "key:" then "- item" at the key's own column: the sequence is the key's value.
      if (!(kind === 'seq' && top.kind === 'map')) {
        blocks.pop();
        const below = blocks[blocks.length - 1];
        if (below && below.column === column && below.kind === kind) return false;
      }
    }
    blocks.push({ column, kind });
    return blocks.length + flow > maxDepth;
  };

  while (i < n) {
    const lineStart = i;
    while (i < n && text[i] === ' ') i += 1;
    const indent = i - lineStart;
    const first = text[i];
    if (i >= n) break;
    if (first === '\n' || (first === '\r' && text[i + 1] === '\n')) {
      i = text.indexOf('\n', i) + 1;
      continue;
    }
    if (blockScalarParent !== null) {
      const marker = indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i));
      if (indent > blockScalarParent && !marker) {
        i = endOfLine(text, i);
        continue;
      }
      blockScalarParent = null;
    }
    const block = quote === null && flow === 0;
    const continues = block && plainParent !== null && indent > plainParent && first !== '#';
    // Inside a flow collection a line break ends nothing: plain text goes on, as does a pending value.
    if (block) tokenStart = !continues;
    let plain = continues;
    let key = false;
    let nodeColumn = indent;
    let lastIndicator = -1;
    if (block && !continues) {
      plainParent = null;
      // A directive ("%YAML 1.2") only comes before the document's content.
      if (first === '#' || (indent === 0 && first === '%' && !content)) {
        i = endOfLine(text, i);
        continue;
      }
      content = true;
      if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && isBreakOrSpace(text[i + 3])) {
        blocks.length = 0;
        i += 3;
        nodeColumn = -1;
      } else {
        // Lines further left end the deeper levels, whatever they hold.
        while (blocks.length > 0 && blocks[blocks.length - 1]!.column > indent) blocks.pop();
        while ((text[i] === '-' || text[i] === '?') && isBreakOrSpace(text[i + 1])) {
          if (openBlock(i - lineStart, 'seq')) return i;
          lastIndicator = i - lineStart;
          i += 1;
          while (text[i] === ' ' || text[i] === '\t') i += 1;
        }
        nodeColumn = i - lineStart;
      }
    }

    for (; i < n; i += 1) {
      const ch = text[i]!;
      if (ch === '\n') {
        i += 1;
        break;
      }
      if (quote !== null) {
        if (ch === '\\' && quote === '"') i += 1;
        else if (ch === quote) {
          if (quote === "'" && text[i + 1] === "'") i += 1;
          else {
            quote = null;
            tokenStart = false;
          }
        }
        continue;
      }
      // Spaces end nothing: in a flow collection a value starts after "[", "{", "," or ":".
      if (ch === ' ' || ch === '\t' || ch === '\r') continue;
      if (ch === '#' && (i === lineStart || /[ \t]/.test(text[i - 1]!))) {
        // A comment also ends plain text: the next line cannot continue it.
        plain = false;
        i = newlineAt(text, i) - 1;
        continue;
      }
      if (flow > 0) {
        if (ch === '[' || ch === '{') {
          flow += 1;
          if (blocks.length + flow > maxDepth) return i;
          tokenStart = true;
        } else if (ch === ']' || ch === '}') {
          flow -= 1;
          tokenStart = false;
        } else if (ch === ',' || ch === ':' || ch === '?') {
          tokenStart = true;
        } else if ((ch === '"' || ch === "'") && tokenStart) {
          quote = ch;
        } else if (tokenStart && (ch === '&' || ch === '!' || ch === '*')) {
          i = endOfToken(text, i) - 1;
        } else {
          tokenStart = false;
        }
        continue;
      }
      // Block context: a value starts only at the line's content, after "- " or after "key: ".
      if (ch === ':' && isBreakOrSpace(text[i + 1])) {
        if (!key && nodeColumn >= 0) {
          key = true;
          if (openBlock(nodeColumn, 'map')) return lineStart + nodeColumn;
        }
        tokenStart = true;
        plain = false;
        continue;
      }
      if (!tokenStart) continue;
      plain = false;
      if (ch === '[' || ch === '{') {
        flow = 1;
        if (blocks.length + flow > maxDepth) return i;
        tokenStart = true;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (ch === '&' || ch === '!' || ch === '*') {
        i = endOfToken(text, i) - 1;
      } else if (ch === ']' || ch === '}' || ch === ',' || ch === '@' || ch === '`' || ch === '%' || ((ch === '-' || ch === '?') && isBreakOrSpace(text[i + 1]))) {
        // Not a value here (the parser reports it, or reads an indicator after a tab): what follows may start one.
      } else if (ch === '|' || ch === '>') {
        // Its text is every following line indented deeper than the node that holds it.
        blockScalarParent = key ? nodeColumn : lastIndicator >= 0 ? lastIndicator : blocks[blocks.length - 1]?.column ?? -1;
        i = newlineAt(text, i) - 1;
      } else {
        tokenStart = false;
        plain = true;
      }
    }
    // Plain text may go on over the next lines that are indented deeper than the node holding it.
    if (quote !== null || flow > 0 || !plain) plainParent = null;
    else if (!continues) plainParent = key ? nodeColumn : lastIndicator >= 0 ? lastIndicator : blocks[blocks.length - 1]?.column ?? -1;
  }
  return undefined;
}

function isBreakOrSpace(ch: string | undefined): boolean {
  return ch === undefined || ch === ' ' || ch === '\n' || ch === '\r' || ch === '\t';
}

/** Offset of the "\n" that ends the line holding `i`, or the end of the text. */
function newlineAt(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end;
}

/** Offset just after the line holding `i` (after its "\n"), or the end of the text. */
function endOfLine(text: string, i: number): number {
  const end = text.indexOf('\n', i);
  return end === -1 ? text.length : end + 1;
}

/** End of an anchor, tag or alias at `i`: the first space, line break or flow indicator after its first character. */
function endOfToken(text: string, i: number): number {
  let j = i + 1;
  while (j < text.length && !isBreakOrSpace(text[j]) && !'[]{},'.includes(text[j]!)) j += 1;
  return j;
}
