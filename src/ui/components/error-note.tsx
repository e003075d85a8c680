/** A failed request, said plainly; refusals get the engine's reasons, one per line. */
import { ApiError } from '../api/client';
import { useI18n, type MessageKey } from '../i18n/i18n';

export function refusalTitle(t: (key: MessageKey) => string, code: string): string {
  const key = `refusal.${code}` as MessageKey;
  const title = t(key);
  return title === key ? t('refusal.other') : title;
}

export function ErrorNote({ error }: { error: Error | undefined | null }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 403 && !error.problem.refusals) return <p className="error" role="alert">{t('common.forbidden')} ({error.problem.detail})</p>;
  const refusals = error instanceof ApiError ? error.problem.refusals : undefined;
  if (refusals && refusals.length > 0) {
    return (
      <div className="error" role="alert" data-testid="refusal">
        <ul>{refusals.map((r, i) => <li key={i}><strong>{refusalTitle(t, r.code)}:</strong> {r.message}</li>)}</ul>
      </div>
    );
  }
  return <p className="error" role="alert">{t('common.error', { message: error.message })}</p>;
}
