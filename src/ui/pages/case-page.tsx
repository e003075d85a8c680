/**
 * A case: its open steps (each a link to the guided step page), on-demand procedures to start,
 * the flowchart with the current steps highlighted, the timeline against the budgets and the
 * event log; all updated live.
 */
import { useState } from 'react';
import { api, newIdempotencyKey } from '../api/client';
import { useLiveChanges } from '../api/live';
import { useSession } from '../api/session';
import type { CaseDetail, DefinitionStep, SopDefinition, SopRevision } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { Countdown } from '../components/countdown';
import { ErrorNote } from '../components/error-note';
import { Swimlane } from '../components/swimlane';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { href } from '../router';
import { LivePlayer } from '../media/live-player';
import { NoteForm } from './note-form';

export function CasePage({ caseId }: { caseId: string }) {
  const { t, dateTime, duration } = useI18n();
  const { user } = useSession();
  const detail = useFetch<CaseDetail>(`/cases/${caseId}`);
  const sopId = detail.data?.case.sopId;
  // The flowchart is the case's own revision: a case keeps running on the revision it started on.
  const revisions = useFetch<{ revisions: SopRevision[] }>(sopId ? `/sops/${sopId}` : null);
  const versionId = detail.data?.case.sopVersionId;
  const revision = revisions.data?.revisions.find((r) => r.versionId === versionId)?.revision;
  const sop = useFetch<{ revision: number; definition: SopDefinition }>(sopId && revision ? `/sops/${sopId}/revisions/${revision}` : null);
  const [error, setError] = useState<Error>();
  useLiveChanges((change) => {
    if (change.caseId === caseId) void detail.reload();
  });
  if (!detail.data) return detail.error ? <ErrorNote error={detail.error} /> : <p>{t('common.loading')}</p>;
  const { case: summary, openSteps, procedures, timeline, events } = detail.data;
  const roleTitle = (id: string | null | undefined) => detail.data?.sop.roles.find((r) => r.id === id)?.title ?? id ?? '';
  const relayUrl = summary.status === 'active' ? relayPlayUrl(events) : undefined;
  const activityOf = new Map((sop.data?.definition.steps ?? []).map((s) => [s.id, s.activity]));

  const startProcedure = async (procedure: string) => {
    setError(undefined);
    try {
      await api('POST', `/cases/${caseId}/commands`, { type: 'start-procedure', procedure }, { 'idempotency-key': newIdempotencyKey() });
      await detail.reload();
    } catch (e) {
      setError(e as Error);
    }
  };

  return (
    <>
      <h1>{summary.title} <span className={`badge ${summary.status === 'active' ? 'open' : 'done'}`}>{t(`case.status.${summary.status}` as MessageKey)}</span></h1>
      <p className="muted">{detail.data.sop.title} · {t('case.startedBy', { who: summary.startedBy, at: dateTime(summary.startedAt) })}</p>
      <ErrorNote error={error} />
      <div className="grid-2">
        <section className="card" aria-labelledby="open-heading">
          <h2 id="open-heading">{t('case.openSteps')}</h2>
          {openSteps.length === 0 ? <p>{t('case.noOpenSteps')}</p> : (
            <ul className="stack" data-testid="open-steps">
              {openSteps.map((step) => (
                <li key={`${step.step}:${step.visit}`} data-step={step.step}>
                  <a href={href(`/cases/${caseId}/steps/${step.step}`)}>{step.activity}</a>
                  <div className="small">{step.roles.map(roleTitle).join(', ')} · <Countdown dueAt={step.dueAt} budgetMs={step.budgetMs} overdue={step.overdue} /></div>
                </li>
              ))}
            </ul>
          )}
          {procedures.length > 0 && (
            <>
              <h3>{t('case.procedures')}</h3>
              <div className="stack">
                {procedures.map((p) => (
                  <button key={p.id} type="button" className="secondary" disabled={!p.role || !user?.roles.includes(p.role)} onClick={() => void startProcedure(p.id)}>
                    {t('case.startProcedure', { activity: p.activity })}
                  </button>
                ))}
              </div>
            </>
          )}
        </section>
        <NoteForm caseId={caseId} />
      </div>
      {relayUrl && (
        <section className="card" aria-labelledby="relay-heading">
          <h2 id="relay-heading">{t('case.relayLive')}</h2>
          <LivePlayer url={relayUrl} title={t('case.relayLive')} />
        </section>
      )}
      {sop.data && (
        <section className="card" aria-labelledby="flow-heading">
          <h2 id="flow-heading" data-testid="flow-revision" data-revision={sop.data.revision}>{t('case.flowRevision', { n: sop.data.revision })}</h2>
          <Swimlane definition={sop.data.definition} activeSteps={summary.activeSteps} timeline={timeline} />
        </section>
      )}
      <section className="card" aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{t('case.timeline')}</h2>
        {/* On a tablet the table scrolls inside its card, not the whole page. */}
        <div className="table-scroll">
        <table data-testid="timeline">
          <thead>
            <tr>
              <th scope="col">{t('case.col.row')}</th><th scope="col">{t('case.col.step')}</th><th scope="col">{t('case.col.role')}</th>
              <th scope="col" className="num">{t('case.col.budget')}</th><th scope="col" className="num">{t('case.col.actual')}</th>
              <th scope="col">{t('case.col.actors')}</th><th scope="col">{t('case.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {timeline.map((e) => (
              <tr key={`${e.step}:${e.visit}`} className={e.overdue ? 'overdue' : undefined} data-step={e.step}>
                <td className="row-no">{e.row ?? ''}</td>
                <td>{activityOf.get(e.step) ?? e.step}</td>
                <td>{roleTitle(e.role)}</td>
                <td className="num">{e.budgetMs != null ? duration(e.budgetMs) : '–'}</td>
                <td className="num">{e.elapsedMs != null ? duration(e.elapsedMs) : '–'}</td>
                <td>{e.actors.join(', ')}</td>
                <td>
                  {e.completedAt
                    ? <span className={`badge ${e.overdue ? 'late' : 'done'}`}>{e.overdue ? t('time.overdue', { duration: duration((e.elapsedMs ?? 0) - (e.budgetMs ?? 0)) }) : t('case.stepDone')}</span>
                    : <Countdown dueAt={e.dueAt} budgetMs={e.budgetMs} overdue={e.overdue} />}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </section>
      <CaseDocuments caseId={caseId} definition={sop.data?.definition} timeline={timeline} />
      <section className="card" aria-labelledby="events-heading">
        <h2 id="events-heading">{t('case.events')}</h2>
        <ol className="small" data-testid="events">
          {events.map((e) => (
            <li key={e.seq}>{dateTime(e.at)} · <strong>{e.type}</strong> · {e.actor.id}{describePayload(e.payload)}</li>
          ))}
        </ol>
      </section>
    </>
  );
}

function describePayload(payload: Record<string, unknown>): string {
  const parts = ['step', 'branch', 'rule', 'procedure', 'party', 'text', 'reason'].filter((k) => typeof payload[k] === 'string').map((k) => String(payload[k]));
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}

/** The play URL of the case's latest relay (media.startRelay reports `output.playUrl`). */
function relayPlayUrl(events: CaseDetail['events']): string | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.type !== 'adapter.succeeded') continue;
    const output = (e.payload.result as { output?: { playUrl?: unknown } } | undefined)?.output;
    if (typeof output?.playUrl === 'string') return output.playUrl;
  }
  return undefined;
}

const TEMPLATE_KEYS: Record<NonNullable<DefinitionStep['document']>, MessageKey> = {
  'berita-acara-serah-terima': 'case.template.berita-acara-serah-terima',
  'berita-acara-tindak-lanjut': 'case.template.berita-acara-tindak-lanjut',
};

/**
 * The berita acara the SOP names for the case's done steps (each visit its own), to read or print,
 * and the case's evidence export; the server applies the same access rule as to the case itself.
 */
function CaseDocuments({ caseId, definition, timeline }: { caseId: string; definition: SopDefinition | undefined; timeline: CaseDetail['timeline'] }) {
  const { t, dateTime } = useI18n();
  const named = new Map((definition?.steps ?? []).filter((s) => s.kind === 'task' && s.document).map((s) => [s.id, s]));
  const done = timeline.filter((e) => e.completedAt && named.has(e.step));
  const url = (step: string, visit: number, format: 'html' | 'pdf') => `/api/v1/cases/${caseId}/documents/${encodeURIComponent(step)}?visit=${visit}&format=${format}`;
  return (
    <section className="card" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{t('case.documents')}</h2>
      {definition && done.length === 0 && <p className="muted">{t('case.documentsNone')}</p>}
      {done.length > 0 && (
        <ul className="stack" data-testid="case-documents">
          {done.map((e) => {
            const step = named.get(e.step)!;
            const activity = e.visit > 1 ? t('case.documentVisit', { activity: step.activity, n: e.visit }) : step.activity;
            return (
              <li key={`${e.step}:${e.visit}`} data-step={e.step} data-visit={e.visit}>
                <strong>{t(TEMPLATE_KEYS[step.document!])}</strong> · <span data-sop-content>{activity}</span> · <span className="small">{dateTime(e.completedAt)}</span>
                {' · '}<a href={url(e.step, e.visit, 'html')} target="_blank" rel="noopener" data-testid="document-html" aria-label={t('case.documentLabel', { format: t('case.documentHtml'), activity })}>{t('case.documentHtml')}</a>
                {' · '}<a href={url(e.step, e.visit, 'pdf')} download data-testid="document-pdf" aria-label={t('case.documentLabel', { format: t('case.documentPdf'), activity })}>{t('case.documentPdf')}</a>
              </li>
            );
          })}
        </ul>
      )}
      <p><a className="button secondary" href={`/api/v1/cases/${caseId}/export`} download={`case-${caseId}.zip`} data-testid="export-zip">{t('case.exportZip')}</a></p>
      <p className="small muted">{t('case.exportHint')}</p>
    </section>
  );
}
