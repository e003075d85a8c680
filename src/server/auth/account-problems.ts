/** Account refusals and a full password-check queue, as problem+json. */
import type { Response } from 'express';
import { AccountError } from '../../app/accounts.js';
import { PasswordChecksBusyError } from '../../adapters/passwords.js';
import { HttpProblem } from '../problem.js';
import { LoginRefusedError } from './login-throttle.js';

const STATUS: Record<AccountError['code'], number> = { 'unknown-role': 422, 'username-taken': 409, 'wrong-password': 422, 'own-account': 422, invalid: 422 };

/** Await `work`; an account refusal becomes the matching HttpProblem (fields under /body), with Retry-After where there is one. */
export async function asProblem<T>(res: Response, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof AccountError) {
      throw new HttpProblem(STATUS[error.code], error.code, error.message, error.fields.map((f) => ({ field: `/body${f.field}`, message: f.message })));
    }
    if (error instanceof LoginRefusedError) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      throw new HttpProblem(429, 'too-many-logins', error.message, undefined, { retryAfter: error.retryAfterSeconds });
    }
    if (error instanceof PasswordChecksBusyError) {
      res.setHeader('Retry-After', '2');
      throw new HttpProblem(503, 'busy', error.message);
    }
    throw error;
  }
}
