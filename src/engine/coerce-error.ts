/** Any thrown value as an Error, so callers can read `.message` without guessing what was thrown. */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  return new Error(typeof thrown === 'string' ? thrown : `non-error thrown: ${JSON.stringify(thrown) ?? String(thrown)}`);
}
