/** The UI's calendar days in the organisation's zone, whatever zone the test machine is in. */
import { describe, expect, it } from 'vitest';
import { nextDay, zonedDay, zonedMidnight } from '../../src/ui/i18n/zoned-date.js';

describe('days in the organisation\'s zone', () => {
  it('starts a WIB, WITA and WIT day at its own local midnight', () => {
    expect(zonedMidnight('2026-03-01', 'Asia/Jakarta').toISOString()).toBe('2026-02-28T17:00:00.000Z');
    expect(zonedMidnight('2026-03-01', 'Asia/Makassar').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(zonedMidnight('2026-03-01', 'Asia/Jayapura').toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(zonedMidnight('2026-03-01', 'UTC').toISOString()).toBe('2026-03-01T00:00:00.000Z');
  });

  it('finds midnight across a daylight-saving change', () => {
    // Europe/Berlin moves to summer time at 02:00 on 29 March 2026: midnight is still UTC+1.
    expect(zonedMidnight('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(zonedMidnight('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });

  it('names the local day of an instant, and the day after across a month end', () => {
    expect(zonedDay(new Date('2026-02-28T16:30:00.000Z'), 'Asia/Makassar')).toBe('2026-03-01');
    expect(zonedDay(new Date('2026-02-28T16:30:00.000Z'), 'Asia/Jakarta')).toBe('2026-02-28');
    expect(nextDay('2026-02-28')).toBe('2026-03-01');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });
});
