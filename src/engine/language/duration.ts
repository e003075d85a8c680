/**
 * Waktu (time budgets) as process owners write them: Indonesian ("15 menit", "1 jam 30 menit",
 * "2 hari"), compact ("10m", "1h30m") or ISO 8601 ("PT15M"). Parsed to milliseconds.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

const UNIT_MS: Record<string, number> = {
  s: SECOND, detik: SECOND, dtk: SECOND, sec: SECOND, second: SECOND, seconds: SECOND,
  m: MINUTE, menit: MINUTE, mnt: MINUTE, min: MINUTE, minute: MINUTE, minutes: MINUTE,
  h: HOUR, j: HOUR, jam: HOUR, hour: HOUR, hours: HOUR,
  d: DAY, hari: DAY, day: DAY, days: DAY,
  w: WEEK, minggu: WEEK, pekan: WEEK, week: WEEK, weeks: WEEK,
};

const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const PART = /(\d+(?:[.,]\d+)?)\s*([a-z]+)/gy;

/** Milliseconds for a duration string, or null when it is not one. */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const iso = ISO.exec(trimmed);
  if (iso && /\d/.test(trimmed)) {
    const [, w, d, h, m, s] = iso;
    return Number(w ?? 0) * WEEK + Number(d ?? 0) * DAY + Number(h ?? 0) * HOUR + Number(m ?? 0) * MINUTE + Number(s ?? 0) * SECOND;
  }
  const lower = trimmed.toLowerCase();
  let total = 0;
  let position = 0;
  let parts = 0;
  PART.lastIndex = 0;
  while (position < lower.length) {
    PART.lastIndex = position;
    const match = PART.exec(lower);
    if (!match) return null;
    const unit = UNIT_MS[match[2]!];
    if (unit === undefined) return null;
    total += Number(match[1]!.replace(',', '.')) * unit;
    parts += 1;
    position = PART.lastIndex;
    while (lower[position] === ' ') position += 1;
  }
  return parts > 0 ? Math.round(total) : null;
}

/** Human form in Indonesian ("1 jam 30 menit") or English ("1 h 30 min"). */
export function formatDuration(ms: number, language: 'id' | 'en' = 'id'): string {
  const names = language === 'id'
    ? { d: 'hari', h: 'jam', m: 'menit', s: 'detik' }
    : { d: 'd', h: 'h', m: 'min', s: 's' };
  if (ms === 0) return `0 ${names.m}`;
  const parts: string[] = [];
  let rest = Math.round(ms / SECOND) * SECOND;
  for (const [unit, size] of [['d', DAY], ['h', HOUR], ['m', MINUTE], ['s', SECOND]] as const) {
    const count = Math.floor(rest / size);
    if (count > 0) parts.push(`${count} ${names[unit]}`);
    rest -= count * size;
  }
  return parts.join(' ');
}
