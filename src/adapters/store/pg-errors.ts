/**
 * PostgreSQL error codes Alur branches on, named once (PGlite raises the same codes). See
 * https://www.postgresql.org/docs/current/errcodes-appendix.html.
 */
export const PG_ERROR = {
  uniqueViolation: '23505',
  deadlockDetected: '40P01',
  serializationFailure: '40001',
  /** Raised by Alur's append-only trigger on case_events. */
  raiseException: 'P0001',
} as const;

/** Class 22: a value that cannot be stored (out of range, bad encoding, invalid text). */
const DATA_EXCEPTION_CLASS = '22';

export function pgErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return pgErrorCode(error) === PG_ERROR.uniqueViolation;
}

/** A transaction that lost a race (duplicate key on a concurrent insert, deadlock, serialization): running it again is safe. */
export function isRetryableConflict(error: unknown): boolean {
  const code = pgErrorCode(error);
  return code === PG_ERROR.uniqueViolation || code === PG_ERROR.deadlockDetected || code === PG_ERROR.serializationFailure;
}

/** What a database error means to the caller that sent the data, if it is the data's fault. */
export function databaseErrorKind(error: unknown): 'invalid-value' | 'duplicate' | undefined {
  const code = pgErrorCode(error);
  if (code === undefined) return undefined;
  if (code.startsWith(DATA_EXCEPTION_CLASS)) return 'invalid-value';
  if (code === PG_ERROR.uniqueViolation) return 'duplicate';
  return undefined;
}
