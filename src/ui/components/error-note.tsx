/** A failed request, said plainly; refusals get the engine's reasons, one per line, in the UI's language. */
import { ApiError, type Refusal } from '../api/client';
import { useI18n, type I18n, type MessageKey } from '../i18n/i18n';

export function refusalTitle(t: I18n['t'], code: string): string {
  const key = `refusal.${code}` as MessageKey;
  const title = t(key);
  return title === key ? t('refusal.other') : title;
}

/**
 * The engine's reason in the UI's language: the catalogue's `refusalText.<code>.<variant>` with the
 * refusal's parameters (step, field, roles…); the API's English message only for a refusal the
 * catalogue does not know (a newer server).
 */
export function refusalText(t: I18n['t'], refusal: Refusal): string {
  const key = `refusalText.${refusal.code}.${refusal.variant ?? ''}` as MessageKey;
  const text = t(key, refusal.params ?? {});
  return text === key ? refusal.message : text;
}

export function ErrorNote({ error }: { error: Error | undefined | null }) {
  const { t } = useI18n();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 403 && !error.problem.refusals) return <p className="error" role="alert">{t('common.forbidden')} ({error.problem.detail})</p>;
  const refusals = error instanceof ApiError ? error.problem.refusals : undefined;
  if (refusals && refusals.length > 0) {
    return (
      <div className="error" role="alert" data-testid="refusal">
        <ul>{refusals.map((r, i) => <li key={i}><strong>{refusalTitle(t, r.code)}:</strong> {refusalText(t, r)}</li>)}</ul>
      </div>
    );
  }
  return <p className="error" role="alert">{t('common.error', { message: error.message })}</p>;
}
