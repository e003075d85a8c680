/** The organisation's SOPs with their published revisions, and which running cases are on which revision. */
import { useSession } from '../api/session';
import type { CaseSummary, SopListItem } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { useI18n } from '../i18n/i18n';
import { href } from '../router';

function documentUrl(sopId: string, revision: number, format: 'html' | 'pdf'): string {
  return `/api/v1/sops/${encodeURIComponent(sopId)}/document?format=${format}&revision=${revision}`;
}

export function SopsPage() {
  const { t, dateTime } = useI18n();
  const { hasRole } = useSession();
  const sops = useFetch<{ sops: SopListItem[] }>('/sops');
  const cases = useFetch<{ cases: CaseSummary[] }>('/cases?status=active&limit=500');
  const owner = hasRole('process-owner');
  const running = (sopId: string) => (cases.data?.cases ?? []).filter((c) => c.sopId === sopId).length;
  const list = sops.data?.sops ?? [];
  return (
    <>
      <h1>{t('sops.title')}</h1>
      {owner && <p><a className="button" href={href('/sops/new')}>{t('sops.new')}</a></p>}
      <ErrorNote error={sops.error} />
      {!sops.loading && list.length === 0 && <p>{t('sops.empty')}</p>}
      {list.map((sop) => (
        <section key={sop.sopId} className="card" aria-labelledby={`sop-${sop.sopId}`} data-sop={sop.sopId}>
          <h2 id={`sop-${sop.sopId}`}>{sop.title}</h2>
          <p className="muted small"><code>{sop.sopId}</code> · {t('sops.cases')}: {running(sop.sopId)}</p>
          <h3>{t('sops.revisions')}</h3>
          <ul>
            {sop.revisions.map((r) => {
              // A case runs on the revision it started on, whatever was published since.
              const onIt = (cases.data?.cases ?? []).filter((c) => c.sopVersionId === r.versionId);
              return (
                <li key={r.revision} data-revision={r.revision}>
                  {t('sops.revision', { n: r.revision })} (v{r.declaredVersion}) — {t('sops.publishedBy', { at: dateTime(r.publishedAt), who: r.publishedBy ?? '–' })}
                  {' · '}<span data-testid="revision-cases" data-count={onIt.length}>{t('sops.casesOnRevision', { n: onIt.length })}</span>
                  {/* The official document of exactly this revision, from the same YAML that runs its cases. */}
                  {' · '}<a href={documentUrl(sop.sopId, r.revision, 'html')} target="_blank" rel="noopener" data-testid="document-html">{t('sops.documentView')}</a>
                  {' · '}<a href={documentUrl(sop.sopId, r.revision, 'pdf')} target="_blank" rel="noopener" data-testid="document-pdf">{t('sops.documentPdf')}</a>
                  {onIt.length > 0 && (
                    <details>
                      <summary>{t('sops.showCases')}</summary>
                      <ul className="small">
                        {onIt.map((c) => <li key={c.id}><a href={href(`/cases/${c.id}`)} data-case={c.id}>{c.title}</a> · {dateTime(c.startedAt)}</li>)}
                      </ul>
                    </details>
                  )}
                </li>
              );
            })}
          </ul>
          {owner && <a className="button" href={href(`/sops/${sop.sopId}`)}>{t('sops.edit')}</a>}
        </section>
      ))}
    </>
  );
}
