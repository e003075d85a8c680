import type { Diagnostic } from '../language/diagnostics.js';
import type { Refusal } from './command-checks.js';

/** Errors callers branch on: each maps to one HTTP status and one CLI message. */
export class NotFoundError extends Error {
  constructor(readonly what: string, readonly id: string) {
    super(`${what} "${id}" does not exist`);
    this.name = 'NotFoundError';
  }
}

/** The case moved on: another command won the race, or the step is no longer open. */
export class ConflictError extends Error {
  constructor(message: string, readonly currentSteps: string[], readonly seq: number) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** The case is completed or cancelled: it takes no more commands. */
export class CaseClosedError extends ConflictError {
  constructor(status: string, seq: number) {
    super(`the case is ${status === 'completed' ? 'already completed' : 'cancelled'}; no further commands are accepted`, [], seq);
    this.name = 'CaseClosedError';
  }
}

/** The caller said which sequence number it expected (If-Match), and the case is elsewhere. */
export class StaleSequenceError extends ConflictError {
  constructor(expected: number, currentSteps: string[], seq: number) {
    super(`the case is at event ${seq}, not ${expected}; reload it and try again`, currentSteps, seq);
    this.name = 'StaleSequenceError';
  }
}

/** An idempotency key sent again with a different request: the first request's result stands. */
export class IdempotencyKeyReusedError extends Error {
  constructor(readonly key: string) {
    super(`the idempotency key "${key}" was already used for a different request; use a new key for a new request`);
    this.name = 'IdempotencyKeyReusedError';
  }
}

/** The command is well-formed but the SOP does not allow it now, for these reasons. */
export class RefusedError extends Error {
  constructor(readonly refusals: Refusal[]) {
    super(refusals.map((r) => r.message).join('; '));
    this.name = 'RefusedError';
  }
}

/**
 * The engine itself failed (a bug, not a refusal): the command is not applied and nothing is
 * stored; the caller answers this one request with a 5xx and goes on.
 */
export class EngineError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EngineError';
  }
}

/** The SOP file is not valid; nothing was published. */
export class InvalidSopError extends Error {
  constructor(readonly diagnostics: Diagnostic[], message?: string) {
    super(message ?? `the SOP has ${diagnostics.filter((d) => d.severity === 'error').length} error(s); nothing was published`);
    this.name = 'InvalidSopError';
  }
}
