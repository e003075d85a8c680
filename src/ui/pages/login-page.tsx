import { useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useSession } from '../api/session';
import { LanguageToggle } from '../components/language-toggle';
import { useI18n } from '../i18n/i18n';

export function LoginPage() {
  const { t } = useI18n();
  const { login } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) setError(t('login.throttled', { seconds: e.retryAfter ?? 60 }));
      else if (e instanceof ApiError && e.status === 401) setError(t('login.failed'));
      else setError(t('common.error', { message: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" className="login">
      <div className="login-top"><LanguageToggle /></div>
      <h1>{t('app.name')}</h1>
      <p>{t('app.tagline')}</p>
      <form onSubmit={(e) => void submit(e)} className="card" aria-labelledby="login-title">
        <h2 id="login-title">{t('login.title')}</h2>
        <label htmlFor="username">{t('login.username')}</label>
        <input id="username" name="username" autoComplete="username" required value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="password">{t('login.password')}</label>
        <input id="password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>{t('login.submit')}</button>
      </form>
    </main>
  );
}
