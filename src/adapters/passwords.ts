/**
 * Password hashing with scrypt from node:crypto (no native addon). Stored as
 * `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking old hashes.
 *
 * scrypt runs in libuv's thread pool and takes a core for ~50 ms. Unbounded, a burst of logins
 * (or an attacker spraying usernames) fills every core and the event loop, which serves every
 * other request, waits its turn. So at most {@link PASSWORD_CHECKS_AT_ONCE} run at once, the rest
 * wait in line, and past {@link MAX_WAITING} waiting a check is refused with
 * {@link PasswordChecksBusyError} (the server answers 503 with Retry-After).
 */
import { availableParallelism } from 'node:os';
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const COST = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;
const MAX_MEM = 64 * 1024 * 1024;

/** One core is left to the event loop; more than two at once only lengthens everyone's wait. */
export const PASSWORD_CHECKS_AT_ONCE = Math.max(1, Math.min(2, availableParallelism() - 1));
export const MAX_WAITING = 200;

export class PasswordChecksBusyError extends Error {
  constructor() {
    super('too many password checks are waiting; try again in a few seconds');
    this.name = 'PasswordChecksBusyError';
  }
}

let running = 0;
const waiting: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running >= PASSWORD_CHECKS_AT_ONCE) {
    if (waiting.length >= MAX_WAITING) throw new PasswordChecksBusyError();
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else {
    running += 1;
  }
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next(); // the turn passes on; `running` stays
    else running -= 1;
  }
}

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  inTurn(() => new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)))));

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { ...COST, maxmem: MAX_MEM });
  return ['scrypt', COST.N, COST.r, COST.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of a random password at today's cost, checked instead when the user does not exist. */
let nobody: Promise<string> | undefined;

/** Make the throwaway hash now (a server calls this at start), so even the first unknown username costs one scrypt, not two. */
export function nobodysHash(): Promise<string> {
  nobody ??= hashPassword(randomBytes(16).toString('hex')).catch((error: unknown) => {
    nobody = undefined;
    throw error;
  });
  return nobody;
}

/**
 * Whether `password` matches `stored`. With `stored` undefined (no such user) the same scrypt work
 * is done against a throwaway hash and the answer is false, so timing does not reveal which
 * usernames exist.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const hash = stored ?? (await nobodysHash());
  const [scheme, n, r, p, salt, expectedText] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !expectedText) return false;
  const expected = Buffer.from(expectedText, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: MAX_MEM });
  return timingSafeEqual(key, expected) && stored !== undefined;
}

/** A password people can type: 4 groups of 4 letters and digits, ~80 bits. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]);
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join('')).join('-');
}
