/**
 * Successful authentications (session cookie, API token) remembered for a few seconds, so a busy
 * client costs no credential lookups per request. Revocation stays correct:
 * - in this process at once: every change that can end a credential (logout, token revoked,
 *   password set, account disabled, roles changed) calls `credentialsChanged()` after its commit,
 *   which drops every entry, and a lookup that was in flight across such a change is not kept;
 * - in other processes (another Alur on the same PostgreSQL, the `alur` command) within
 *   CREDENTIAL_CACHE_MS, after which the entry is looked up again;
 * - an entry never outlives the session's or token's own expiry (on Alur's clock).
 * Failures are never cached.
 */
import { performance } from 'node:perf_hooks';
import type { Knex } from 'knex';
import type { Authentication } from './accounts.js';

export const CREDENTIAL_CACHE_MS = 5_000;
const MAX_ENTRIES = 10_000;

interface Entry {
  result: Authentication;
  epoch: number;
  /** Wall-clock bound (performance.now()). */
  until: number;
  /** Bound on Alur's clock: the cache period, or the credential's expiry when sooner. */
  clockUntil: number;
}

let epoch = 0;
const caches = new WeakMap<Knex, Map<string, Entry>>();

/** A credential may have ended or changed: forget every cached authentication. */
export function credentialsChanged(): void {
  epoch += 1;
}

/**
 * The cached result for `key` on `db`, else `lookup()`'s, remembered when it succeeded for at
 * most CREDENTIAL_CACHE_MS, both of wall time and on Alur's clock (`now`; so `last_used_at`, kept
 * to the minute on Alur's clock, stays so), and never past `expiresAt`.
 */
export async function cachedAuthentication(db: Knex, key: string, now: Date, lookup: () => Promise<{ result: Authentication; expiresAt?: Date }>): Promise<Authentication> {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  const wall = performance.now();
  const hit = cache.get(key);
  if (hit && hit.epoch === epoch && hit.until > wall && hit.clockUntil > now.getTime()) return hit.result;
  const started = epoch;
  const { result, expiresAt } = await lookup();
  if (result.ok && started === epoch) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    const clockUntil = Math.min(now.getTime() + CREDENTIAL_CACHE_MS, expiresAt?.getTime() ?? Infinity);
    cache.set(key, { result, epoch: started, until: wall + CREDENTIAL_CACHE_MS, clockUntil });
  } else {
    cache.delete(key);
  }
  return result;
}
