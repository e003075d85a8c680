/** The cases the user may see, newest first, updated live. */
import { useLiveChanges } from '../api/live';
import { useFetch } from '../api/use-fetch';
import type { CaseSummary } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { href } from '../router';

export function CaseListPage() {
  const { t, dateTime } = useI18n();
  const cases = useFetch<{ cases: CaseSummary[] }>('/cases');
  useLiveChanges(() => void cases.reload());
  const list = cases.data?.cases ?? [];
  return (
    <>
      <h1>{t('case.list')}</h1>
      <ErrorNote error={cases.error} />
      {!cases.loading && list.length === 0 && <p>{t('case.listEmpty')}</p>}
      {list.length > 0 && (
        <table className="card">
          <thead><tr><th scope="col">{t('case.title')}</th><th scope="col">{t('start.sop')}</th><th scope="col">{t('case.col.status')}</th><th scope="col">{t('case.col.at')}</th></tr></thead>
          <tbody>
            {list.map((c) => (
              <tr key={c.id}>
                <td><a href={href(`/cases/${c.id}`)}>{c.title}</a></td>
                <td>{c.sopId}</td>
                <td>{t(`case.status.${c.status}` as MessageKey)}</td>
                <td>{dateTime(c.startedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
