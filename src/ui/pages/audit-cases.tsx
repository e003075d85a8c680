/**
 * The auditor's per-case views: every case's total against the jumlah waktu of its own revision,
 * and the cases behind one step row of the timing table with the step's time in each.
 */
import { useLiveChanges } from '../api/live';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { href } from '../router';

export interface CaseTimingView {
  caseId: string;
  title: string;
  status: string;
  sopId: string;
  revision: number;
  startedAt: string;
  endedAt: string | null;
  totalMs: number | null;
  declaredMs: number | null;
  withinDeclared: boolean | null;
  step?: { visits: number; maxMs: number; budgetMs: number | null; overdue: boolean };
}

export interface StepDrill {
  sopId: string;
  revision: number;
  stepId: string;
  activity: string;
  /** The row's group when the table is grouped (an actor, a day, a shift). */
  group?: { by: 'actor' | 'day' | 'shift'; value: string };
  /** The period of local days the table shows. */
  from?: string;
  to?: string;
}

/** Every case (newest first) against the jumlah waktu. */
export function CaseTotalsTable({ sopId }: { sopId: string }) {
  const { t, dateTime, duration } = useI18n();
  const cases = useFetch<{ cases: CaseTimingView[] }>(`/stats/timing/cases${sopId ? `?sop=${encodeURIComponent(sopId)}` : ''}`);
  useLiveChanges((change) => {
    if (change.status !== 'active') void cases.reload();
  });
  const list = cases.data?.cases ?? [];
  return (
    <section className="card" aria-labelledby="per-case-heading">
      <h2 id="per-case-heading">{t('audit.perCase')}</h2>
      <ErrorNote error={cases.error} />
      {!cases.loading && list.length === 0 && <p>{t('audit.empty')}</p>}
      {list.length > 0 && (
        <div className="table-scroll">
          <table data-testid="per-case">
            <thead>
              <tr>
                <th scope="col">{t('audit.col.case')}</th><th scope="col">{t('audit.col.started')}</th><th scope="col">{t('audit.col.status')}</th>
                <th scope="col" className="num">{t('audit.col.total')}</th><th scope="col" className="num">{t('audit.declared')}</th><th scope="col">{t('audit.col.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.caseId} data-case={c.caseId} data-within={c.withinDeclared === null ? '' : String(c.withinDeclared)} className={c.withinDeclared === false ? 'overdue' : undefined}>
                  <td><a href={href(`/cases/${c.caseId}`)}>{c.title}</a><div className="muted small">{c.sopId} · {t('sops.revision', { n: c.revision })}</div></td>
                  <td>{dateTime(c.startedAt)}</td>
                  <td>{t(`case.status.${c.status}` as MessageKey)}</td>
                  <td className="num">{c.totalMs != null ? duration(c.totalMs) : '–'}</td>
                  <td className="num">{c.declaredMs != null ? duration(c.declaredMs) : '–'}</td>
                  <td>{c.withinDeclared === null ? <span className="muted">–</span> : <span className={`badge ${c.withinDeclared ? 'done' : 'late'}`}>{c.withinDeclared ? t('audit.within') : t('audit.over', { duration: duration((c.totalMs ?? 0) - (c.declaredMs ?? 0)) })}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The cases behind one step row, with that step's time in each. */
export function StepCases({ drill, onClose }: { drill: StepDrill; onClose(): void }) {
  const { t, dateTime, duration } = useI18n();
  const query = `sop=${encodeURIComponent(drill.sopId)}&revision=${drill.revision}&step=${encodeURIComponent(drill.stepId)}`
    + `${drill.group ? `&by=${drill.group.by}&group=${encodeURIComponent(drill.group.value)}` : ''}${drill.from ? `&from=${drill.from}` : ''}${drill.to ? `&to=${drill.to}` : ''}`;
  const cases = useFetch<{ cases: CaseTimingView[] }>(`/stats/timing/cases?${query}`);
  const list = cases.data?.cases ?? [];
  return (
    <section className="card" aria-labelledby="drill-heading" data-testid="step-cases" data-step={drill.stepId} data-group={drill.group?.value ?? ''}>
      <h2 id="drill-heading">{t('audit.drillTitle', { activity: drill.activity, n: drill.revision })}{drill.group ? ` · ${t(`audit.by.${drill.group.by}` as MessageKey)}: ${drill.group.value}` : ''}</h2>
      <button type="button" className="secondary" onClick={onClose}>{t('audit.drillClose')}</button>
      <ErrorNote error={cases.error} />
      {list.length > 0 && (
        <div className="table-scroll">
          <table>
            <thead>
              <tr><th scope="col">{t('audit.col.case')}</th><th scope="col">{t('audit.col.started')}</th><th scope="col" className="num">{t('audit.col.visits')}</th><th scope="col" className="num">{t('audit.col.budget')}</th><th scope="col" className="num">{t('audit.col.stepTime')}</th></tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.caseId} data-case={c.caseId} data-overdue={String(c.step?.overdue ?? false)} className={c.step?.overdue ? 'overdue' : undefined}>
                  <td><a href={href(`/cases/${c.caseId}`)}>{c.title}</a></td>
                  <td>{dateTime(c.startedAt)}</td>
                  <td className="num">{c.step?.visits ?? 0}</td>
                  <td className="num">{c.step?.budgetMs != null ? duration(c.step.budgetMs) : '–'}</td>
                  <td className="num">{c.step ? duration(c.step.maxMs) : '–'}{c.step?.overdue ? <> <span className="badge late">{t('audit.overdueBadge')}</span></> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
