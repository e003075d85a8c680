import { closest, distance } from 'fastest-levenshtein';

/**
 * Names searched for a likely typo, at most. Real SOPs have tens of steps and a handful of roles;
 * past this many (a file made to be slow) one search per mistake would cost more than it helps.
 */
const MAX_CANDIDATES = 5_000;

/** The closest candidate to a mistyped name, when it is close enough to be a likely typo. */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length === 0 || list.length > MAX_CANDIDATES) return undefined;
  const best = closest(input, list);
  const limit = Math.max(2, Math.floor(Math.max(input.length, best.length) / 3));
  if (distance(input, best) <= limit) return best;
  // A prefix or suffix match catches "lapor" for "lapor-pimpinan".
  return list.find((c) => c.startsWith(input) || c.endsWith(input) || input.startsWith(c));
}

/** `; did you mean "x"?` or nothing. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const hit = suggest(input, candidates);
  return hit === undefined ? '' : `; did you mean "${hit}"?`;
}
