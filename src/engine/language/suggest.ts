import { closest, distance } from 'fastest-levenshtein';

/** The closest candidate to a mistyped name, when it is close enough to be a likely typo. */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  if (list.length === 0) return undefined;
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
