/** Starting a case of an SOP (e.g. a shift); the new case opens at once. */
import { useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../api/client';
import { useFetch } from '../api/use-fetch';
import type { CaseSummary, SopListItem } from '../api/types';
import { ErrorNote } from '../components/error-note';
import { useI18n } from '../i18n/i18n';
import { navigate } from '../router';

export function StartCase() {
  const { t } = useI18n();
  const sops = useFetch<{ sops: SopListItem[] }>('/sops');
  const [sopId, setSopId] = useState('');
  const [title, setTitle] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const list = sops.data?.sops ?? [];
  const chosen = sopId || list[0]?.sopId || '';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await api<{ case: CaseSummary }>('POST', '/cases', { sopId: chosen, ...(title.trim() ? { title: title.trim() } : {}) }, { 'idempotency-key': newIdempotencyKey() });
      navigate(`/cases/${result.case.id}`);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="start-heading">
      <h2 id="start-heading">{t('start.title')}</h2>
      {list.length === 0 && !sops.loading ? <p>{t('start.noSop')}</p> : (
        <form onSubmit={(e) => void submit(e)} className="inline-form">
          <label htmlFor="start-sop">{t('start.sop')}</label>
          <select id="start-sop" value={chosen} onChange={(e) => setSopId(e.target.value)}>
            {list.map((sop) => <option key={sop.sopId} value={sop.sopId}>{sop.title}</option>)}
          </select>
          <label htmlFor="start-title">{t('start.caseTitle')}</label>
          <input id="start-title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} />
          <button type="submit" disabled={busy || !chosen}>{t('start.submit')}</button>
        </form>
      )}
      <ErrorNote error={error ?? sops.error} />
    </section>
  );
}
