/**
 * Times on paper in the organisation's zone: the Indonesian labels by zone name, the date moving
 * with the zone across midnight, and other zones by their own short name.
 */
import { describe, expect, it } from 'vitest';
import { localDateTime, localDateTimeShort, localTime, localTimestamp, zonedMidnight } from '../../src/app/documents/local-time.js';

// 17:30 UTC on Sunday 1 March 2026 is already Monday 2 March east of UTC+6:30.
const AT = new Date('2026-03-01T17:30:00.000Z');

describe('local time on documents', () => {
  it('prints WIB, WITA and WIT with the local date and hour', () => {
    expect(localTime(AT, 'Asia/Jakarta')).toEqual({ date: '2026-03-02', time: '00.30', seconds: '00', weekday: 'Senin', zone: 'WIB' });
    expect(localTime(AT, 'Asia/Pontianak')).toMatchObject({ time: '00.30', zone: 'WIB' });
    expect(localDateTime(AT, 'Asia/Makassar')).toBe('Senin, 2 Maret 2026 pukul 01.30 WITA');
    expect(localDateTimeShort(AT, 'Asia/Jayapura')).toBe('2 Maret 2026 02.30 WIT');
    expect(localTimestamp(new Date('2026-03-01T17:30:05.900Z'), 'Asia/Makassar')).toBe('2026-03-02 01.30.05 WITA');
  });

  it('labels a zone outside Indonesia by its short name, not by a WITA of the same offset', () => {
    expect(localDateTime(AT, 'UTC')).toBe('Minggu, 1 Maret 2026 pukul 17.30 UTC');
    expect(localTime(AT, 'Asia/Singapore')).toMatchObject({ date: '2026-03-02', time: '01.30', zone: 'GMT+8' });
  });

  it('refuses a zone that does not exist', () => {
    expect(() => localTime(AT, 'Asia/Tarakan')).toThrow(RangeError);
  });

  it('starts a day at the zone\'s own midnight', () => {
    expect(zonedMidnight('2026-03-01', 'Asia/Makassar').toISOString()).toBe('2026-02-28T16:00:00.000Z');
    expect(zonedMidnight('2026-03-01', 'Asia/Jayapura').toISOString()).toBe('2026-02-28T15:00:00.000Z');
    expect(zonedMidnight('2026-03-30', 'Europe/Berlin').toISOString()).toBe('2026-03-29T22:00:00.000Z');
  });
});
