/**
 * YAML syntax errors in plain words, at the place a person would look: the first error only
 * (later ones are usually knock-on), unclosed quotes and brackets at where they open,
 * indentation at the line's first character, duplicate keys with the line of the first one.
 */
import { CST, Parser, type Document } from 'yaml';

type YamlProblem = Document.Parsed['errors'][number] | Document.Parsed['warnings'][number];

/**
 * Once the parser has lost track of the structure (a tab, an unclosed quote or bracket, a
 * misaligned line), every later line tends to produce a follow-on error that disappears with the
 * first fix; only the first is reported. (Duplicate keys do not depend on that; yaml-source finds
 * them all itself.)
 */
export function firstStructuralError(problems: readonly YamlProblem[]): YamlProblem | undefined {
  let first: YamlProblem | undefined;
  for (const problem of problems) {
    if (first === undefined || problem.pos[0] < first.pos[0]) first = problem;
  }
  if (!first) return undefined;
  // Several errors often start at the same place; the multi-line one says the most.
  return problems.find((p) => p.pos[0] === first.pos[0] && p.code === 'MULTILINE_IMPLICIT_KEY') ?? first;
}

export function duplicateKeyMessage(key: string, firstLine: number): string {
  return `YAML syntax: the key "${key}" appears twice in the same mapping (first on line ${firstLine}); keep one`;
}

/** Where a YAML error really is, and one sentence on how to fix it. */
export function explainYamlError(error: YamlProblem, text: string): { offset: number; message: string } {
  const offset = error.pos[0];
  const first = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '').trim();
  switch (error.code) {
    case 'TAG_RESOLVE_FAILED': {
      const tag = /Unresolved tag: (\S+)/.exec(first)?.[1] ?? 'this tag';
      return { offset, message: `YAML syntax: ${tag} is not a tag YAML knows, so it is ignored; remove it, or quote the value if the "!" is part of the text` };
    }
    case 'TAB_AS_INDENT':
      return { offset, message: 'YAML syntax: this line is indented with a tab, and YAML allows only spaces for indentation; replace the tab with spaces' };
    case 'MULTILINE_IMPLICIT_KEY': {
      if (offset === lineContentStart(text, offset)) {
        return { offset, message: 'YAML syntax: this line has no ":" after its key, so YAML reads it together with the line below; write it as "key: value"' };
      }
      // The key starts mid-line: it is the value above, continued by a line indented too deep.
      const next = nextContentLine(text, offset);
      if (next !== undefined) {
        return { offset: next, message: "YAML syntax: this line is indented deeper than the key above it, so YAML reads it as part of that key's value; align it with its sibling keys" };
      }
      break;
    }
    case 'BLOCK_AS_IMPLICIT_KEY':
      if (first.startsWith('Nested mappings')) {
        return { offset, message: 'YAML syntax: this value contains ": ", which YAML reads as the start of another key; put the whole value in quotes' };
      }
      if (first.startsWith('A block sequence may not be used as an implicit map key')) {
        // The error starts in the whitespace before the "-" (sometimes on the line before).
        let dash = offset;
        while (dash < text.length && /\s/.test(text[dash]!)) dash += 1;
        return { offset: text[dash] === '-' ? dash : offset, message: 'YAML syntax: this list item sits among the keys of a mapping, where YAML expects "key: value"; put it under the key it belongs to, with its "-" aligned with the other items of that list' };
      }
      break;
    case 'MISSING_CHAR':
    case 'BAD_INDENT': {
      if (/closing .?quote/i.test(first)) {
        const opening = findUnclosed(text, offset, 'quote');
        const quote = opening === undefined ? '"' : text[opening]!;
        return { offset: opening ?? offset, message: `YAML syntax: the quoted text that starts here is never closed; add the closing ${quote} at its end` };
      }
      if (/^Flow (sequence|map)/.test(first)) {
        const opening = findUnclosed(text, offset, 'flow');
        const list = opening === undefined ? first.startsWith('Flow sequence') : text[opening] === '[';
        return {
          offset: opening ?? offset,
          message: list
            ? 'YAML syntax: the list opened with "[" here is never closed; add the missing "]"'
            : 'YAML syntax: the mapping opened with "{" here is never closed; add the missing "}"',
        };
      }
      if (first.startsWith('Implicit map keys need to be followed by map values')) {
        return { offset, message: 'YAML syntax: this key has no ":" after it; write it as "key: value"' };
      }
      if (first.startsWith('Sequence item without - indicator')) {
        return { offset: firstNonSpace(text, offset), message: 'YAML syntax: this line is indented like a list item but has no "-"; align it with its sibling keys, or start it with "- " if it is a new item' };
      }
      if (first.startsWith('All mapping items must start at the same column')) {
        return { offset: firstNonSpace(text, offset), message: 'YAML syntax: this key is not aligned with the keys above it; indent it by the same number of spaces as its siblings' };
      }
      if (first.startsWith('All sequence items must start at the same column')) {
        return { offset: firstNonSpace(text, offset), message: 'YAML syntax: this list item is not aligned with the items above it; put its "-" in the same column as theirs' };
      }
      break;
    }
  }
  const hint = YAML_HINTS[error.code];
  return { offset, message: `YAML syntax: ${first}${hint ? ` (${hint})` : ''}` };
}

const YAML_HINTS: Record<string, string> = {
  BAD_INDENT: 'the indentation is inconsistent; align this line with its siblings',
  MULTILINE_IMPLICIT_KEY: 'a key spans several lines; a value probably needs quotes or a missing ":"',
};

/** Offset of the first character after the indentation of the line holding `offset`. */
function lineContentStart(text: string, offset: number): number {
  let i = text.lastIndexOf('\n', offset - 1) + 1;
  while (text[i] === ' ' || text[i] === '\t') i += 1;
  return i;
}

/** When `offset` is in a line's leading spaces, the line's first character; otherwise `offset`. */
function firstNonSpace(text: string, offset: number): number {
  return Math.max(offset, lineContentStart(text, offset));
}

/** First character of the next line after `offset` that holds something other than a comment. */
function nextContentLine(text: string, offset: number): number | undefined {
  let lineEnd = text.indexOf('\n', offset);
  while (lineEnd !== -1) {
    const start = lineEnd + 1;
    const content = firstNonSpace(text, start);
    if (content < text.length && text[content] !== '\n' && text[content] !== '\r' && text[content] !== '#') return content;
    lineEnd = text.indexOf('\n', start);
  }
  return undefined;
}

/** The opening quote or bracket, before `offset`, that was never closed (the nearest one). */
function findUnclosed(text: string, offset: number, what: 'quote' | 'flow'): number | undefined {
  let found: number | undefined;
  for (const token of new Parser().parse(text)) {
    if (token.type !== 'document') continue;
    CST.visit(token, (item) => {
      const value = item.value;
      if (!value || value.offset > offset || (found !== undefined && value.offset < found)) return;
      if (what === 'flow' && value.type === 'flow-collection') {
        const close = value.start.source === '[' ? ']' : '}';
        if (!value.end.some((t) => t.source === close)) found = value.offset;
      }
      if (what === 'quote' && (value.type === 'double-quoted-scalar' || value.type === 'single-quoted-scalar')) {
        if (!isClosedQuote(value.source)) found = value.offset;
      }
    });
  }
  return found;
}

/** Whether a quoted scalar's source ends with its closing quote (not an escaped one). */
function isClosedQuote(source: string): boolean {
  const quote = source[0]!;
  const rest = source.slice(1);
  if (!rest.endsWith(quote)) return false;
  if (quote === "'") {
    // Inside single quotes a quote is escaped by doubling it: an odd run at the end closes.
    const run = rest.length - rest.replace(/'+$/, '').length;
    return run % 2 === 1;
  }
  let backslashes = 0;
  for (let i = rest.length - 2; i >= 0 && rest[i] === '\\'; i -= 1) backslashes += 1;
  return backslashes % 2 === 0;
}
