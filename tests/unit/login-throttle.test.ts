/** The login throttle on its own: bounded memory, lapsing counts, and ALUR_TRUST_PROXY parsing. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/adapters/clock.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { LoginRefusedError, LoginThrottle } from '../../src/server/auth/login-throttle.js';

describe('the login throttle', () => {
  const throttle = (maxEntries = 100) => {
    const clock = new ManualClock('2026-03-02T00:00:00Z');
    const delays: number[] = [];
    return { clock, delays, throttle: new LoginThrottle({ clock, sleep: async (ms) => { delays.push(ms); }, policy: { maxEntries } }) };
  };

  it('keeps at most maxEntries addresses and usernames however many are sprayed', async () => {
    const { throttle: t } = throttle(100);
    for (let i = 0; i < 5_000; i += 1) (await t.admit(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, `nobody-${i}`))('failure');
    expect(t.size).toEqual({ addresses: 100, accounts: 100 });
  });

  it('forgets counts after the window without a failure', async () => {
    const { throttle: t, clock } = throttle();
    for (let i = 0; i < 20; i += 1) (await t.admit('192.0.2.1', 'ani'))('failure');
    await expect(t.admit('192.0.2.1', 'ani')).rejects.toBeInstanceOf(LoginRefusedError);
    expect(t.accountDelay('ani')).toBe(8_000);
    clock.advance(t.policy.windowMs + 1);
    expect(t.accountDelay('ani')).toBe(0);
    (await t.admit('192.0.2.1', 'ani'))('success');
  });

  it('counts a check in flight against its address until it succeeds', async () => {
    const { throttle: t } = throttle();
    const inFlight = await Promise.all(Array.from({ length: 20 }, (_, i) => t.admit('192.0.2.2', `user-${i}`)));
    await expect(t.admit('192.0.2.2', 'one-more')).rejects.toBeInstanceOf(LoginRefusedError);
    for (const settle of inFlight) settle('success');
    (await t.admit('192.0.2.2', 'one-more'))('aborted');
  });

  it('groups IPv6 addresses by /56, so one host cannot dodge the count by changing its interface id', async () => {
    const { throttle: t } = throttle();
    for (let i = 0; i < 20; i += 1) (await t.admit(`2001:db8:0:1::${i + 1}`, 'budi'))('failure');
    await expect(t.admit('2001:db8:0:2::99', 'budi')).rejects.toBeInstanceOf(LoginRefusedError);
    (await t.admit('2001:db8:1::1', 'budi'))('success');
  });
});

describe('ALUR_TRUST_PROXY', () => {
  const trust = (value?: string) => loadConfig(value === undefined ? {} : { ALUR_TRUST_PROXY: value }).trustProxy;

  it('trusts no proxy unless told', () => {
    expect(trust()).toBe(false);
    expect(trust('')).toBe(false);
    expect(trust('false')).toBe(false);
  });

  it('takes a hop count, true, or a list of addresses, ranges and named ranges', () => {
    expect(trust('1')).toBe(1);
    expect(trust('true')).toBe(true);
    expect(trust('loopback, 10.0.0.0/8,fd00::/8 , 192.0.2.7')).toEqual(['loopback', '10.0.0.0/8', 'fd00::/8', '192.0.2.7']);
  });

  it('refuses what is not an address or range, saying what would do', () => {
    expect(() => trust('proxy.local')).toThrow(ConfigError);
    expect(() => trust('10.0.0.0/33')).toThrow('ALUR_TRUST_PROXY: "10.0.0.0/33" is not an address, a CIDR range or one of loopback, linklocal, uniquelocal');
  });
});
