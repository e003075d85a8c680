/** Adding a note to the case, optionally about a step. */
import { useState, type FormEvent } from 'react';
import { api, newIdempotencyKey } from '../api/client';
import { ErrorNote } from '../components/error-note';
import { useI18n } from '../i18n/i18n';

export function NoteForm({ caseId, step }: { caseId: string; step?: string }) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<Error>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setError(undefined);
    try {
      await api('POST', `/cases/${caseId}/commands`, { type: 'add-note', text: text.trim(), ...(step ? { step } : {}) }, { 'idempotency-key': newIdempotencyKey() });
      setText('');
      setSaved(true);
    } catch (e) {
      setError(e as Error);
    }
  };
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-labelledby="note-heading">
      <h2 id="note-heading">{t('step.notes')}</h2>
      <label htmlFor="note-text" className="sr-only">{t('step.notes')}</label>
      <textarea id="note-text" value={text} maxLength={10_000} onChange={(e) => setText(e.target.value)} />
      <button type="submit" className="secondary" disabled={!text.trim()}>{t('step.addNote')}</button>
      {saved && <p className="success" role="status">{t('step.noteAdded')}</p>}
      <ErrorNote error={error} />
    </form>
  );
}
