/**
 * Instants printed on paper as the organisation reads its clock: the date, hour and minute in its
 * IANA time zone, labelled with the Indonesian zone name where one applies (WIB, WITA, WIT) and
 * with the zone's own short name elsewhere (UTC, GMT+8…). Pure: the zone is passed in.
 *
 * @example localDateTime(new Date('2026-03-02T00:15:00Z'), 'Asia/Makassar') // "Senin, 2 Maret 2026 pukul 08.15 WITA"
 */
import { indonesianDate } from './identity-html.js';

/**
 * The Indonesian zones by their IANA names (Keppres 41/1987: WIB UTC+7, WITA UTC+8, WIT UTC+9). Labels go by name, not offset: Asia/Singapore is UTC+8 but not WITA.
 */
const INDONESIAN_ZONES: Readonly<Record<string, string>> = {
  'Asia/Jakarta': 'WIB', 'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA', 'Asia/Ujung_Pandang': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const WEEKDAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];

export interface LocalTime {
  /** `YYYY-MM-DD` in the zone. */
  date: string;
  /** `HH.MM` (24 hours, the Indonesian separator). */
  time: string;
  /** `SS`. */
  seconds: string;
  /** The day of the week in Bahasa Indonesia. */
  weekday: string;
  /** WIB, WITA, WIT, or the zone's short name. */
  zone: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** The parts of `at` in `timeZone` (an IANA name; an unknown one throws a RangeError). */
export function localTime(at: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatIn(timeZone).formatToParts(at).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return {
    date, time: `${parts.hour}.${parts.minute}`, seconds: parts.second!,
    weekday: WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!,
    zone: INDONESIAN_ZONES[timeZone] ?? parts.timeZoneName ?? timeZone,
  };
}

/** "2 Maret 2026 08.15 WITA". */
export function localDateTimeShort(at: Date, timeZone: string): string {
  const local = localTime(at, timeZone);
  return `${indonesianDate(local.date)} ${local.time} ${local.zone}`;
}

/** "2026-03-02 08.11.05 WITA": to the second, for logs and evidence. */
export function localTimestamp(at: Date, timeZone: string): string {
  const local = localTime(at, timeZone);
  return `${local.date} ${local.time}.${local.seconds} ${local.zone}`;
}

/** "Senin, 2 Maret 2026 pukul 08.15 WITA", as a berita acara opens. */
export function localDateTime(at: Date, timeZone: string): string {
  const local = localTime(at, timeZone);
  return `${local.weekday}, ${indonesianDate(local.date)} pukul ${local.time} ${local.zone}`;
}

/** How far `timeZone` is ahead of UTC at `at`, in ms. */
function offsetAt(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at).map((p) => [p.type, Number(p.value)]));
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * The instant day `day` (`YYYY-MM-DD`) begins in `timeZone`: a period of days the organisation
 * names ("March") is its own midnights, not UTC's. The web UI's copy is src/ui/i18n/zoned-date.ts.
 */
export function zonedMidnight(day: string, timeZone: string): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, date);
  const first = wall - offsetAt(new Date(wall), timeZone);
  // Once more at the instant found, in case the offset there differs (a daylight-saving change).
  return new Date(wall - offsetAt(new Date(first), timeZone));
}
