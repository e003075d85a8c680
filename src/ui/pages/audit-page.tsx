/**
 * The auditor's timing dashboard: for a chosen SOP, every step in SOP order with its mutu baku
 * against the actual time (median, p90, max, share within the waktu, overdue), per step, operator,
 * day or shift, within a period of days; a chart of the same rows (ECharts, a chunk of its own)
 * whose bars open the cases behind them; the rows as a table and CSV; per case the total against
 * the jumlah waktu; and the audit verification of every case.
 */
import { lazy, Suspense, useState } from 'react';
import { api } from '../api/client';
import { useLiveChanges } from '../api/live';
import { useSession } from '../api/session';
import type { SopListItem } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { href } from '../router';
import { CaseTotalsTable, StepCases, type StepDrill } from './audit-cases';

const TimingChart = lazy(() => import('../charts/timing-chart').then((m) => ({ default: m.TimingChart })));

type GroupBy = 'step' | 'actor' | 'day' | 'shift';

export interface TimingRowView {
  sopId: string;
  revision: number;
  stepId: string;
  row: number;
  activity: string;
  group: string | null;
  count: number;
  budgetMs: number | null;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  withinBudget: number | null;
  overdue: number;
  medianWorkMs: number;
  medianWaitMs: number;
  maxWaitMs: number;
}

interface CaseTotalView {
  sopId: string;
  revision: number;
  count: number;
  medianMs: number;
  p90Ms: number;
  maxMs: number;
  declaredMs: number | null;
  medianWithinDeclared: boolean | null;
}

interface AuditSummary {
  checked: number;
  broken: number;
  audits: Array<{ caseId: string; ok: boolean; replayMismatch?: string; chainBreak?: unknown }>;
}

export function AuditPage() {
  const { t, duration, percent } = useI18n();
  const { hasRole } = useSession();
  const sops = useFetch<{ sops: SopListItem[] }>('/sops');
  const [sopId, setSopId] = useState('');
  const [groupBy, setGroupBy] = useState<GroupBy>('step');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [drill, setDrill] = useState<StepDrill | null>(null);
  const period = `${from ? `&from=${from}` : ''}${to ? `&to=${to}` : ''}`;
  const query = `by=${groupBy}${sopId ? `&sop=${encodeURIComponent(sopId)}` : ''}${period}`;
  const timing = useFetch<{ rows: TimingRowView[]; cases: CaseTotalView[] }>(`/stats/timing?${query}`);
  useLiveChanges((change) => {
    if (change.status !== 'active' || change.eventType === 'step.completed' || change.kind === 'step.overdue') void timing.reload();
  });
  const rows = timing.data?.rows ?? [];
  const grouped = groupBy !== 'step';
  const drillInto = (r: TimingRowView) => setDrill({
    sopId: r.sopId, revision: r.revision, stepId: r.stepId, activity: r.activity,
    ...(groupBy !== 'step' && r.group !== null ? { group: { by: groupBy, value: r.group } } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}),
  });

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <form className="card inline-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="audit-sop">{t('audit.sop')}</label>
        <select id="audit-sop" value={sopId} onChange={(e) => setSopId(e.target.value)}>
          <option value="">{t('audit.allSops')}</option>
          {(sops.data?.sops ?? []).map((sop) => <option key={sop.sopId} value={sop.sopId}>{sop.title}</option>)}
        </select>
        <label htmlFor="audit-group">{t('audit.groupBy')}</label>
        <select id="audit-group" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
          {(['step', 'actor', 'day', 'shift'] as const).map((g) => <option key={g} value={g}>{t(`audit.by.${g}` as MessageKey)}</option>)}
        </select>
        <label htmlFor="audit-from">{t('audit.from')}</label>
        <input id="audit-from" type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} />
        <label htmlFor="audit-to">{t('audit.to')}</label>
        <input id="audit-to" type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} />
        <a className="button" href={`/api/v1/stats/timing?${query}&format=csv`} download="alur-timing.csv" data-testid="csv-link">{t('audit.csv')}</a>
        <a className="button secondary" href={href('/audit/monitoring')} data-testid="monitoring-link">{t('monitoring.link')}</a>
      </form>
      <ErrorNote error={timing.error} />
      <section className="card" aria-labelledby="timing-heading">
        <h2 id="timing-heading">{t('audit.chart')}</h2>
        {!timing.loading && rows.length === 0 && <p>{t('audit.empty')}</p>}
        {rows.length > 0 && (
          <Suspense fallback={<p>{t('common.loading')}</p>}>
            <TimingChart rows={rows} grouped={grouped} onSelect={drillInto} />
          </Suspense>
        )}
        {rows.length > 0 && (
          <div className="table-scroll">
          <table data-testid="timing">
            <thead>
              <tr>
                <th scope="col">{t('case.col.row')}</th><th scope="col">{t('audit.col.step')}</th>
                {grouped && <th scope="col">{t('audit.col.group')}</th>}
                <th scope="col" className="num">{t('audit.col.budget')}</th><th scope="col" className="num">{t('audit.col.count')}</th>
                <th scope="col" className="num">{t('audit.col.median')}</th><th scope="col" className="num">{t('audit.col.p90')}</th>
                <th scope="col" className="num">{t('audit.col.max')}</th><th scope="col" className="num">{t('audit.col.within')}</th>
                <th scope="col" className="num">{t('audit.col.overdue')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.sopId}:${r.revision}:${r.stepId}:${r.group ?? ''}`} className={r.overdue > 0 ? 'overdue' : undefined}
                  data-step={r.stepId} data-group={r.group ?? ''} data-count={r.count} data-median-ms={r.medianMs} data-overdue={r.overdue}>
                  <td className="row-no">{r.row}</td>
                  <td>
                    {r.activity}<div className="muted small">{r.sopId} · {t('sops.revision', { n: r.revision })}</div>
                    <button type="button" className="link-button small" data-testid="drill" aria-label={t('audit.drillLabel', { activity: r.activity })}
                      onClick={() => drillInto(r)}>{t('audit.drill')}</button>
                  </td>
                  {grouped && <td>{r.group}</td>}
                  <td className="num">{r.budgetMs != null ? duration(r.budgetMs) : '–'}</td>
                  <td className="num">{r.count}</td>
                  <td className="num">{duration(r.medianMs)}</td>
                  <td className="num">{duration(r.p90Ms)}</td>
                  <td className="num">{duration(r.maxMs)}</td>
                  <td className="num">{r.withinBudget != null ? percent(r.withinBudget) : '–'}</td>
                  <td className="num">{r.overdue > 0 ? <span className="badge late" data-testid="overdue-badge">{r.overdue}</span> : 0}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        )}
      </section>
      {drill && <StepCases drill={drill} onClose={() => setDrill(null)} />}
      {(timing.data?.cases.length ?? 0) > 0 && (
        <section className="card" aria-labelledby="totals-heading">
          <h2 id="totals-heading">{t('audit.totals')}</h2>
          <table>
            <thead><tr><th scope="col">{t('audit.sop')}</th><th scope="col" className="num">{t('audit.col.count')}</th><th scope="col" className="num">{t('audit.col.median')}</th><th scope="col" className="num">{t('audit.col.max')}</th><th scope="col" className="num">{t('audit.declared')}</th></tr></thead>
            <tbody>
              {timing.data!.cases.map((c) => (
                <tr key={`${c.sopId}:${c.revision}`} className={c.medianWithinDeclared === false ? 'overdue' : undefined}>
                  <td>{c.sopId} · {t('sops.revision', { n: c.revision })}</td>
                  <td className="num">{c.count}</td><td className="num">{duration(c.medianMs)}</td><td className="num">{duration(c.maxMs)}</td>
                  <td className="num">{c.declaredMs != null ? duration(c.declaredMs) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      <CaseTotalsTable sopId={sopId} />
      {hasRole('auditor') && <AuditVerification />}
    </>
  );
}

function AuditVerification() {
  const { t } = useI18n();
  const [result, setResult] = useState<AuditSummary | null>(null);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api<AuditSummary>('GET', '/audit/cases'));
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" aria-labelledby="verify-heading">
      <h2 id="verify-heading">{t('audit.verify')}</h2>
      <button type="button" disabled={busy} onClick={() => void verify()}>{t('audit.verifyRun')}</button>
      <ErrorNote error={error} />
      {result && (
        <div role="status" data-testid="verify-result">
          <p className={result.broken === 0 ? 'success' : 'error'}>{t('audit.verifyResult', { checked: result.checked, broken: result.broken })}{result.broken === 0 ? ` — ${t('audit.verifyOk')}` : ''}</p>
          <ul>
            {result.audits.filter((a) => !a.ok).map((a) => (
              <li key={a.caseId}>{a.caseId}: {t('audit.verifyBroken', { detail: a.replayMismatch ?? JSON.stringify(a.chainBreak) })}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
