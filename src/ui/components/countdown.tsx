/**
 * Time left against a step's waktu, ticking every second: normal, then amber in the last quarter
 * of the budget, then red once overdue. The colour is never the only signal: the text says it too.
 */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** The current time, re-read every `intervalMs`. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

export type Urgency = 'ok' | 'soon' | 'overdue' | 'none';

export function urgencyOf(dueAt: string | null, budgetMs: number | null | undefined, now: number, overdue = false): Urgency {
  if (!dueAt) return 'none';
  const left = Date.parse(dueAt) - now;
  if (overdue || left <= 0) return 'overdue';
  if (budgetMs && left <= budgetMs / 4) return 'soon';
  return 'ok';
}

export function Countdown({ dueAt, budgetMs, overdue }: { dueAt: string | null; budgetMs: number | null | undefined; overdue?: boolean }) {
  const { t, duration } = useI18n();
  const now = useNow();
  const urgency = urgencyOf(dueAt, budgetMs, now, overdue);
  if (urgency === 'none' || !dueAt) return <span className="countdown none">{t('time.noBudget')}</span>;
  const left = Date.parse(dueAt) - now;
  const text = left <= 0 ? t('time.overdue', { duration: duration(-left) }) : t('time.left', { duration: duration(left) });
  return <span className={`countdown ${urgency}`} data-urgency={urgency}>{text}</span>;
}
