/**
 * The monitoring form (Permenpan's "Monitoring Pelaksanaan SOP AP") for an auditor: choose an SOP
 * and a period of days in the organisation's zone; each step's row comes pre-filled from the
 * measured times (the assessment the data suggests, share within the waktu, median against it,
 * overdue, refusals); the auditor may override the assessment and write Catatan and Tindakan per
 * row, save them (each save a new revision on the server), sign the form off, and download it as
 * HTML, PDF or CSV. Process owners read it.
 */
import { useEffect, useMemo, useState } from 'react';
import { api } from '../api/client';
import { useSession } from '../api/session';
import type { AuditorRowView, MonitoringAssessment, MonitoringView, SopListItem } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { nextDay, zonedDay, zonedMidnight } from '../i18n/zoned-date';
import { href } from '../router';

type Choice = '' | 'berjalan' | 'tidak-berjalan';
interface Draft { assessment: Choice; note: string; action: string }

const ASSESSMENT_KEYS: Record<MonitoringAssessment, MessageKey> = {
  berjalan: 'monitoring.assessment.berjalan',
  'tidak-berjalan': 'monitoring.assessment.tidak-berjalan',
  'belum-dilaksanakan': 'monitoring.assessment.belum-dilaksanakan',
};

const draftOf = (r: AuditorRowView): Draft => ({ assessment: r.assessment ?? '', note: r.note, action: r.action });
const sameDraft = (a: Draft, b: Draft) => a.assessment === b.assessment && a.note === b.note && a.action === b.action;

export function MonitoringPage() {
  const { t, dateTime, duration, percent } = useI18n();
  const { organization, hasRole } = useSession();
  const timeZone = organization?.timeZone ?? 'Asia/Jakarta';
  const auditor = hasRole('auditor');
  const sops = useFetch<{ sops: SopListItem[] }>('/sops');
  const today = zonedDay(new Date(), timeZone);
  const [sopId, setSopId] = useState('');
  const [fromDay, setFromDay] = useState(`${today.slice(0, 8)}01`);
  const [toDay, setToDay] = useState(today);
  const chosen = sopId || sops.data?.sops[0]?.sopId || '';
  // A form is one revision: the latest unless the auditor picks an earlier one (cases keep the revision they started on).
  const revisions = sops.data?.sops.find((s) => s.sopId === chosen)?.revisions ?? [];
  const [revision, setRevision] = useState<number | null>(null);
  const pickedRevision = revisions.some((r) => r.revision === revision) ? revision : null;
  const validPeriod = /^\d{4}-\d{2}-\d{2}$/.test(fromDay) && /^\d{4}-\d{2}-\d{2}$/.test(toDay) && fromDay <= toDay;
  const period = useMemo(() => (validPeriod
    ? { from: zonedMidnight(fromDay, timeZone).toISOString(), to: zonedMidnight(nextDay(toDay), timeZone).toISOString(), ...(pickedRevision ? { revision: pickedRevision } : {}) }
    : null), [validPeriod, fromDay, toDay, timeZone, pickedRevision]);
  const base = chosen ? `/sops/${encodeURIComponent(chosen)}/monitoring` : null;
  const query = period ? `from=${encodeURIComponent(period.from)}&to=${encodeURIComponent(period.to)}${pickedRevision ? `&revision=${pickedRevision}` : ''}` : '';
  const loaded = useFetch<MonitoringView>(base && period ? `${base}?${query}` : null);
  const [view, setView] = useState<MonitoringView>();
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [status, setStatus] = useState('');

  const show = (next: MonitoringView) => {
    setView(next);
    setDrafts(Object.fromEntries(next.review.map((r) => [r.stepId, draftOf(r)])));
  };
  useEffect(() => {
    if (loaded.data) show(loaded.data);
  }, [loaded.data]);

  const review = new Map((view?.review ?? []).map((r) => [r.stepId, r]));
  const changed = (view?.review ?? []).filter((r) => drafts[r.stepId] && !sameDraft(drafts[r.stepId]!, draftOf(r)));
  const edit = (stepId: string, patch: Partial<Draft>) => {
    setStatus('');
    setDrafts((all) => ({ ...all, [stepId]: { ...all[stepId]!, ...patch } }));
  };

  const send = async (run: () => Promise<MonitoringView>, done: string) => {
    setBusy(true);
    setError(undefined);
    try {
      show(await run());
      setStatus(done);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };
  const save = () => send(() => api<MonitoringView>('PUT', `${base}/review`, {
    ...period,
    steps: changed.map((r) => {
      const d = drafts[r.stepId]!;
      return { stepId: r.stepId, ...(d.assessment ? { assessment: d.assessment } : {}), note: d.note, action: d.action };
    }),
  }), t('monitoring.saved'));
  const signOff = () => send(() => api<MonitoringView>('POST', `${base}/sign-off`, period), t('monitoring.signedNow'));

  const download = (format: 'html' | 'pdf' | 'csv') => `/api/v1${base}?format=${format}&${query}`;
  const form = view?.form;
  const signed = form?.signedOff;

  return (
    <>
      <p className="small"><a href={href('/audit')}>{t('monitoring.back')}</a></p>
      <h1>{t('monitoring.title')}</h1>
      <form className="card inline-form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="monitoring-sop">{t('audit.sop')}</label>
        <select id="monitoring-sop" value={chosen} onChange={(e) => { setSopId(e.target.value); setRevision(null); }}>
          {(sops.data?.sops ?? []).map((sop) => <option key={sop.sopId} value={sop.sopId}>{sop.title}</option>)}
        </select>
        <label htmlFor="monitoring-revision">{t('monitoring.revisionPick')}</label>
        <select id="monitoring-revision" value={pickedRevision ?? ''} onChange={(e) => setRevision(e.target.value ? Number(e.target.value) : null)}>
          <option value="">{t('monitoring.latestRevision')}</option>
          {revisions.map((r) => <option key={r.revision} value={r.revision}>{t('monitoring.revision', { n: r.revision })}</option>)}
        </select>
        <label htmlFor="monitoring-from">{t('monitoring.from')}</label>
        <input id="monitoring-from" type="date" value={fromDay} onChange={(e) => setFromDay(e.target.value)} />
        <label htmlFor="monitoring-to">{t('monitoring.to')}</label>
        <input id="monitoring-to" type="date" value={toDay} onChange={(e) => setToDay(e.target.value)} />
        <span className="muted small">{t('monitoring.zone', { zone: timeZone })}</span>
      </form>
      {!validPeriod && <p className="error" role="alert">{t('monitoring.badPeriod')}</p>}
      {!sops.loading && (sops.data?.sops.length ?? 0) === 0 && <p>{t('sops.empty')}</p>}
      <ErrorNote error={loaded.error ?? sops.error} />
      {form && period && (
        <section className="card" aria-labelledby="monitoring-heading" data-testid="monitoring" data-sop={form.sopId} data-revision={form.revision}>
          <h2 id="monitoring-heading"><span data-sop-content>{form.title}</span> · {t('monitoring.revision', { n: form.revision })}</h2>
          <p className="small muted">{t('monitoring.threshold', { share: percent(form.threshold) })}</p>
          <div className="table-scroll">
            <table className="monitoring" data-testid="monitoring-rows">
              <colgroup>
                {['3.5rem', '16%', '14%', '6%', '7%', '10%', '7%', '6%', '20%', '14%'].map((width, i) => <col key={i} style={{ width }} />)}
              </colgroup>
              <thead>
                <tr>
                  <th scope="col">{t('case.col.row')}</th><th scope="col">{t('monitoring.col.procedure')}</th><th scope="col">{t('monitoring.col.assessment')}</th>
                  <th scope="col" className="num">{t('audit.col.count')}</th><th scope="col" className="num">{t('audit.col.within')}</th>
                  <th scope="col" className="num">{t('monitoring.col.median')}</th><th scope="col" className="num">{t('audit.col.overdue')}</th>
                  <th scope="col" className="num">{t('monitoring.col.refused')}</th>
                  <th scope="col">{t('monitoring.col.note')}</th><th scope="col">{t('monitoring.col.action')}</th>
                </tr>
              </thead>
              <tbody>
                {form.rows.map((r) => {
                  const mine = review.get(r.stepId);
                  const draft = drafts[r.stepId] ?? { assessment: '', note: '', action: '' };
                  return (
                    <tr key={r.stepId} className={r.overdue > 0 ? 'overdue' : undefined} data-step={r.stepId} data-assessment={r.assessment}
                      data-count={r.count} data-within={r.withinBudget ?? ''} data-median-ms={r.medianMs ?? ''} data-budget-ms={r.budgetMs ?? ''}
                      data-overdue={r.overdue} data-refused={r.refused}>
                      <td className="row-no">{r.number}</td>
                      <td data-sop-content>{r.procedure}</td>
                      <td>
                        <span className={`badge ${r.assessment === 'berjalan' ? 'done' : r.assessment === 'tidak-berjalan' ? 'late' : 'open'}`} data-testid="assessment">{t(ASSESSMENT_KEYS[r.assessment])}</span>
                        {mine?.assessment && <div className="small muted">{t('monitoring.measured', { assessment: t(ASSESSMENT_KEYS[mine.measured]) })}</div>}
                        {auditor && (
                          <select aria-label={t('monitoring.assessmentLabel', { no: r.number })} value={draft.assessment} onChange={(e) => edit(r.stepId, { assessment: e.target.value as Choice })}>
                            <option value="">{t('monitoring.followData')}</option>
                            <option value="berjalan">{t('monitoring.assessment.berjalan')}</option>
                            <option value="tidak-berjalan">{t('monitoring.assessment.tidak-berjalan')}</option>
                          </select>
                        )}
                      </td>
                      <td className="num">{r.count}</td>
                      <td className="num">{r.withinBudget != null ? percent(r.withinBudget) : '–'}</td>
                      <td className="num">{r.medianMs != null ? duration(r.medianMs) : '–'} / {r.budgetMs != null ? duration(r.budgetMs) : '–'}</td>
                      <td className="num">{r.overdue > 0 ? <span className="badge late">{r.overdue}</span> : 0}</td>
                      <td className="num">{r.refused}</td>
                      <td>
                        <div className="small" data-sop-content>{mine?.measuredNote ?? r.note}</div>
                        {auditor
                          ? <textarea aria-label={t('monitoring.noteLabel', { no: r.number })} rows={2} value={draft.note} onChange={(e) => edit(r.stepId, { note: e.target.value })} maxLength={4000} />
                          : mine?.note && <div data-testid="note">{mine.note}</div>}
                        {mine?.writtenBy && <div className="small muted">{t('monitoring.writtenBy', { who: mine.writtenBy, at: dateTime(mine.writtenAt) })}</div>}
                      </td>
                      <td>
                        {auditor
                          ? <textarea aria-label={t('monitoring.actionLabel', { no: r.number })} rows={2} value={draft.action} onChange={(e) => edit(r.stepId, { action: e.target.value })} maxLength={4000} />
                          : <span data-testid="action">{r.action}</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p data-testid="sign-off" data-signed={signed ? (signed.current ? 'current' : 'outdated') : 'no'} className={signed?.current ? 'success' : undefined}>
            {signed
              ? t(signed.current ? 'monitoring.signedBy' : 'monitoring.signedOutdated', { who: signed.by, at: dateTime(signed.at) })
              : t('monitoring.notSigned')}
          </p>
          {auditor ? (
            <div className="inline-form">
              <button type="button" disabled={busy || changed.length === 0} onClick={() => void save()}>{t('monitoring.save')}</button>
              <button type="button" className="secondary" disabled={busy || changed.length > 0} onClick={() => void signOff()}>{t('monitoring.signOff')}</button>
              {changed.length > 0 && <span className="small">{t('monitoring.unsaved', { n: changed.length })}</span>}
              <span role="status" className="small" data-testid="monitoring-status">{status}</span>
            </div>
          ) : <p className="small muted">{t('monitoring.readOnly')}</p>}
          <ErrorNote error={error} />
          <p className="inline-form">
            <a className="button secondary" href={download('html')} target="_blank" rel="noopener" data-testid="monitoring-html">{t('monitoring.html')}</a>
            <a className="button secondary" href={download('pdf')} download data-testid="monitoring-pdf">{t('monitoring.pdf')}</a>
            <a className="button secondary" href={download('csv')} download data-testid="monitoring-csv">{t('monitoring.csv')}</a>
          </p>
        </section>
      )}
    </>
  );
}
