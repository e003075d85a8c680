/**
 * Keyset pagination for lists: a page ends with an opaque cursor naming its last row (its sort
 * time and id); the next page starts after it, so a page costs one indexed query at any depth and
 * rows inserted meanwhile neither repeat nor vanish.
 */
import { HttpProblem } from './problem.js';

export interface PageKey { at: Date; id: string }

export function encodeCursor(key: PageKey): string {
  return Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');
}

/** The key in `cursor`, or a 400 naming the query parameter it came in. */
export function decodeCursor(cursor: string, parameter: string): PageKey {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    const date = new Date(at);
    if (typeof id !== 'string' || Number.isNaN(date.getTime())) throw new Error('bad cursor');
    return { at: date, id };
  } catch {
    throw new HttpProblem(400, 'invalid-request', `${parameter} must be the "next" value of the previous page`, [{ field: `/query/${parameter}`, message: 'is not a page cursor' }]);
  }
}
