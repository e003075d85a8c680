import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/engine/index.js';

const MINUTE = 60_000;

describe('parseDuration', () => {
  it.each([
    ['15 menit', 15 * MINUTE],
    ['5 Menit', 5 * MINUTE],
    ['1 jam', 60 * MINUTE],
    ['1 Jam', 60 * MINUTE],
    ['1 jam 30 menit', 90 * MINUTE],
    ['2 hari', 2 * 24 * 60 * MINUTE],
    ['30 detik', 30_000],
    ['10m', 10 * MINUTE],
    ['1h', 60 * MINUTE],
    ['1h30m', 90 * MINUTE],
    ['1,5 jam', 90 * MINUTE],
    ['PT15M', 15 * MINUTE],
    ['PT1H30M', 90 * MINUTE],
    ['P1D', 24 * 60 * MINUTE],
    ['  15   menit  ', 15 * MINUTE],
  ])('%s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', 'menit', 'lima menit', '15', '15 menitan', 'P', 'PT', '1 jam lagi', '10 x'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('speaks Indonesian by default and English on request', () => {
    expect(formatDuration(135 * MINUTE)).toBe('2 jam 15 menit');
    expect(formatDuration(135 * MINUTE, 'en')).toBe('2 h 15 min');
    expect(formatDuration(0)).toBe('0 menit');
    expect(formatDuration(24 * 60 * MINUTE + 30_000)).toBe('1 hari 30 detik');
  });
});
