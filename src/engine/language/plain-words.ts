/**
 * Saying things about SOP values in the process owner's words: where a value is ("time" of
 * step "lapor"), what type it has ("a list"), nouns and plurals, and a slug for a suggested id.
 */

/** `step "lapor"`, `"time" of step "lapor"`, `"identity.created"`, `the SOP`: where, in the process owner's words. */
export function describePlace(data: unknown, path: readonly string[]): string {
  if (path.length === 0) return 'the SOP';
  let owner = '';
  let restStart = 0;
  for (let i = 1; i < path.length; i += 1) {
    if (path[i - 1] === 'steps' && /^\d+$/.test(path[i]!)) {
      const id = (valueAt(data, path.slice(0, i + 1)) as { id?: unknown } | undefined)?.id;
      owner = typeof id === 'string' && /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id) ? `step "${id}"` : `step ${Number(path[i]) + 1}`;
      restStart = i + 1;
    }
  }
  const rest = path.slice(restStart).map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');
  if (!owner) return `"${rest}"`;
  return rest ? `"${rest}" of ${owner}` : owner;
}

export function valueAt(data: unknown, path: readonly string[]): unknown {
  let node: unknown = data;
  for (const segment of path) node = (node as Record<string, unknown> | undefined)?.[segment];
  return node;
}

export function typeName(value: unknown): string {
  if (value === null || value === undefined) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${String(value)}`;
  return `${article(typeof value)} ("${String(value)}")`;
}

/** How to turn the value written into the type wanted, when that is mechanical. */
export function typeHint(expected: string, value: unknown): string {
  const wants = expected.split(',');
  if (wants.includes('array') && (typeof value === 'string' || typeof value === 'number')) return `; write it as a list, e.g. [${String(value)}]`;
  if (wants.includes('string') && (typeof value === 'number' || typeof value === 'boolean')) return `; put it in quotes, e.g. "${String(value)}"`;
  if ((wants.includes('integer') || wants.includes('number')) && typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    const number = Number(value);
    if (wants.includes('number') || Number.isInteger(number)) return `; write ${number} without quotes`;
  }
  return '';
}

export function article(type: string): string {
  const names: Record<string, string> = {
    string: 'a text', integer: 'a whole number', number: 'a number', boolean: 'true or false',
    object: 'a mapping', array: 'a list', null: 'empty',
  };
  return type.split(',').map((t) => names[t] ?? t).join(' or ');
}

export function withArticle(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

const NOUNS: Record<string, string> = { steps: 'step', branches: 'branch', parties: 'party', roles: 'role', notify: 'role', legalBasis: 'regulation' };

export function nounFor(field: string, fallback: string): string {
  return NOUNS[field] ?? fallback;
}

export function plural(noun: string, count: number): string {
  if (count === 1) return noun;
  if (/(ch|sh|s|x)$/.test(noun)) return `${noun}es`;
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`;
  return `${noun}s`;
}

export function slugify(text: string): string {
  const slug = text.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').replace(/^[^a-z]+/, '');
  return slug || 'step-id';
}
