/**
 * Login throttling that slows an attacker down without locking the account's owner out.
 *
 * - **Per address** (express `req.ip`, which follows `ALUR_TRUST_PROXY`; IPv6 by /56): the first
 *   {@link LoginThrottlePolicy.addressFreeFailures} failed password checks are free; after that the
 *   address is refused (429 with Retry-After) for a back-off that doubles with each further failure,
 *   up to {@link LoginThrottlePolicy.addressMaxBackoffMs}. A check in flight counts as a failure
 *   until it succeeds, so a burst of parallel guesses is cut off as well. Success does not clear
 *   an address (an attacker with one account of their own must not reset their count).
 * - **Per account** (the username as typed, whether or not it exists, so the slow-down names no
 *   username): after {@link LoginThrottlePolicy.accountFreeFailures} failures every attempt on it
 *   first waits a delay that doubles per failure, up to {@link LoginThrottlePolicy.accountMaxDelayMs}.
 *   It is never a refusal: the owner, from an address that is not itself refused, gets in with the
 *   right password after at most that delay. A successful login clears the account's count.
 * - Counts lapse after {@link LoginThrottlePolicy.windowMs} without a failure, and both tables are
 *   LRU maps of at most {@link LoginThrottlePolicy.maxEntries} entries, so spraying usernames or
 *   addresses cannot grow memory without bound.
 */
import { ipKeyGenerator } from 'express-rate-limit';
import type { Clock } from '../../engine/index.js';

export interface LoginThrottlePolicy {
  /** A count lapses after this long without a failure. */
  windowMs: number;
  addressFreeFailures: number;
  addressFirstBackoffMs: number;
  addressMaxBackoffMs: number;
  accountFreeFailures: number;
  accountFirstDelayMs: number;
  accountMaxDelayMs: number;
  /** Entries kept per table; the least recently used goes first. */
  maxEntries: number;
}

export const DEFAULT_LOGIN_THROTTLE: Readonly<LoginThrottlePolicy> = Object.freeze({
  windowMs: 15 * 60_000,
  addressFreeFailures: 20,
  addressFirstBackoffMs: 1_000,
  addressMaxBackoffMs: 15 * 60_000,
  accountFreeFailures: 5,
  accountFirstDelayMs: 250,
  accountMaxDelayMs: 8_000,
  maxEntries: 10_000,
});

/** The address may not try again yet. */
export class LoginRefusedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`too many failed logins from this address; try again in ${retryAfterSeconds} s`);
    this.name = 'LoginRefusedError';
  }
}

/** How a password check ended: only `failure` counts against the address and the account. */
export type LoginOutcome = 'success' | 'failure' | 'aborted';

interface Count {
  failures: number;
  lastAt: number;
}

export class LoginThrottle {
  readonly policy: Readonly<LoginThrottlePolicy>;
  private readonly addresses: BoundedMap<Count>;
  private readonly accounts: BoundedMap<Count>;
  private readonly clock: Clock;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: { clock: Clock; sleep?: (ms: number) => Promise<void>; policy?: Partial<LoginThrottlePolicy> }) {
    this.policy = Object.freeze({ ...DEFAULT_LOGIN_THROTTLE, ...options.policy });
    this.clock = options.clock;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.addresses = new BoundedMap(this.policy.maxEntries);
    this.accounts = new BoundedMap(this.policy.maxEntries);
  }

  /**
   * Before a password check: throws {@link LoginRefusedError} when the address must wait, otherwise
   * waits out the account's slow-down and returns the function that records how the check ended.
   */
  async admit(address: string, username: string): Promise<(outcome: LoginOutcome) => void> {
    const addressKey = ipKeyGenerator(address);
    const accountKey = username.toLowerCase();
    const now = this.clock.now().getTime();
    const byAddress = this.current(this.addresses, addressKey, now);
    const excess = byAddress.failures - this.policy.addressFreeFailures;
    if (excess >= 0) {
      const until = byAddress.lastAt + backoff(this.policy.addressFirstBackoffMs, excess, this.policy.addressMaxBackoffMs);
      if (now < until) throw new LoginRefusedError(Math.ceil((until - now) / 1_000));
    }
    // In flight counts as failed until it succeeds.
    this.addresses.set(addressKey, { failures: byAddress.failures + 1, lastAt: now });

    const delay = this.accountDelay(accountKey, now);
    if (delay > 0) await this.sleep(delay);

    let settled = false;
    return (outcome) => {
      if (settled) return;
      settled = true;
      const at = this.clock.now().getTime();
      if (outcome !== 'failure') {
        const entry = this.addresses.get(addressKey);
        if (entry) this.addresses.set(addressKey, { ...entry, failures: Math.max(0, entry.failures - 1) });
      }
      if (outcome === 'success') this.accounts.delete(accountKey);
      if (outcome === 'failure') {
        const entry = this.current(this.accounts, accountKey, at);
        this.accounts.set(accountKey, { failures: entry.failures + 1, lastAt: at });
      }
    };
  }

  /** The wait an attempt on this account gets now (ms); 0 below the free failures. */
  accountDelay(username: string, now = this.clock.now().getTime()): number {
    const excess = this.current(this.accounts, username.toLowerCase(), now).failures - this.policy.accountFreeFailures;
    return excess < 0 ? 0 : backoff(this.policy.accountFirstDelayMs, excess, this.policy.accountMaxDelayMs);
  }

  /** Entries held (addresses, accounts): for tests and monitoring. */
  get size(): { addresses: number; accounts: number } {
    return { addresses: this.addresses.size, accounts: this.accounts.size };
  }

  private current(map: BoundedMap<Count>, key: string, now: number): Count {
    const entry = map.get(key);
    return entry && now - entry.lastAt <= this.policy.windowMs ? entry : { failures: 0, lastAt: now };
  }
}

function backoff(first: number, excess: number, max: number): number {
  return Math.min(max, first * 2 ** Math.min(excess, 30));
}

/** A Map that keeps at most `max` entries, dropping the least recently used. */
class BoundedMap<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }

  delete(key: string): void {
    this.map.delete(key);
  }
}
