/**
 * Language of the UI: Bahasa Indonesia by default, English on request (remembered in this browser).
 * Every visible string comes from the catalogues through `t`; dates and durations are formatted in
 * the chosen locale and in the organisation's time zone.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './messages-en';
import { id, type MessageKey } from './messages-id';

export type Lang = 'id' | 'en';
export type { MessageKey };
type Vars = Record<string, string | number>;

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { id, en };
const LOCALES: Record<Lang, string> = { id: 'id-ID', en: 'en-GB' };
const STORAGE_KEY = 'alur.lang';

export interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t(key: MessageKey, vars?: Vars): string;
  /** A date-time in the organisation's time zone. */
  dateTime(iso: string | null | undefined): string;
  /** A duration in whole units, e.g. "1 jam 5 menit". */
  duration(ms: number): string;
  percent(share: number): string;
  setTimeZone(zone: string): void;
}

/** Fills `{name}` placeholders. */
export function format(template: string, vars: Vars = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

export function translate(lang: Lang, key: MessageKey, vars?: Vars): string {
  return format(CATALOGUES[lang][key] ?? key, vars);
}

export function formatDuration(lang: Lang, ms: number): string {
  let rest = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  const units: Array<[MessageKey, number]> = [['unit.day', 86_400], ['unit.hour', 3_600], ['unit.minute', 60], ['unit.second', 1]];
  for (const [key, size] of units) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    // Seconds only matter for short durations: "1 jam 5 menit", not "1 jam 5 menit 3 detik".
    if (n > 0 && !(key === 'unit.second' && parts.length >= 2)) parts.push(translate(lang, key, { n }));
  }
  return parts.length > 0 ? parts.slice(0, 2).join(' ') : translate(lang, 'unit.second', { n: 0 });
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const [timeZone, setTimeZone] = useState<string | undefined>(undefined);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // A browser that refuses storage keeps the choice for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const dateFormat = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) });
    const percentFormat = new Intl.NumberFormat(LOCALES[lang], { style: 'percent', maximumFractionDigits: 0 });
    return {
      lang, setLang, setTimeZone,
      t: (key, vars) => translate(lang, key, vars),
      dateTime: (iso) => (iso ? dateFormat.format(new Date(iso)) : '–'),
      duration: (ms) => formatDuration(lang, ms),
      percent: (share) => percentFormat.format(share),
    };
  }, [lang, setLang, timeZone]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside <I18nProvider>');
  return value;
}
