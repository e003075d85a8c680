/**
 * The administrator's page: the organisation's users (create, roles, disable/enable, a new
 * password shown once) and every API token of the organisation (revoke). All through /api/v1.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { useSession } from '../api/session';
import { useFetch } from '../api/use-fetch';
import { ErrorNote } from '../components/error-note';
import { useI18n, type MessageKey } from '../i18n/i18n';

interface AccountUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  disabled: boolean;
}

interface TokenInfo {
  id: string;
  name: string;
  username: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

/** A password the server generated: shown this once, never again. */
interface Secret {
  username: string;
  password: string;
}

export function AdminPage() {
  const { t } = useI18n();
  const { user: me } = useSession();
  const users = useFetch<{ users: AccountUser[]; roles: string[] }>('/users');
  const tokens = useFetch<{ tokens: TokenInfo[] }>('/auth/tokens?scope=organization');
  const [error, setError] = useState<Error>();
  const [secret, setSecret] = useState<Secret>();
  const [editing, setEditing] = useState<string>();

  const run = async (action: () => Promise<void>) => {
    setError(undefined);
    try {
      await action();
      await Promise.all([users.reload(), tokens.reload()]);
    } catch (e) {
      setError(e as Error);
    }
  };
  const roles = users.data?.roles ?? [];

  return (
    <>
      <h1>{t('admin.title')}</h1>
      <ErrorNote error={error ?? users.error ?? tokens.error} />
      {secret && (
        <div className="card success" role="status" data-testid="new-password">
          <p>{t('admin.passwordOnce', { username: secret.username })}</p>
          <p><code data-testid="password-value">{secret.password}</code></p>
          <button type="button" className="secondary" onClick={() => setSecret(undefined)}>{t('admin.passwordNoted')}</button>
        </div>
      )}
      <CreateUser roles={roles} onCreated={(s) => { setSecret(s); void users.reload(); }} />
      <section className="card" aria-labelledby="users-heading">
        <h2 id="users-heading">{t('admin.users')}</h2>
        <div className="table-scroll">
          <table data-testid="users">
            <thead><tr><th scope="col">{t('admin.col.username')}</th><th scope="col">{t('admin.col.name')}</th><th scope="col">{t('admin.col.roles')}</th><th scope="col">{t('admin.col.status')}</th><th scope="col">{t('admin.col.actions')}</th></tr></thead>
            <tbody>
              {(users.data?.users ?? []).map((u) => (
                <tr key={u.id} data-user={u.username} data-disabled={String(u.disabled)}>
                  <td>{u.username}</td>
                  <td>{u.displayName}</td>
                  <td>
                    {editing === u.id
                      ? <RoleEditor roles={roles} current={u.roles} onCancel={() => setEditing(undefined)}
                        onSave={(next) => run(async () => { await api('PUT', `/users/${u.id}/roles`, { roles: next }); setEditing(undefined); })} />
                      : <>{u.roles.join(', ') || '–'} <button type="button" className="link-button small" onClick={() => setEditing(u.id)}>{t('admin.editRoles')}</button></>}
                  </td>
                  <td>{u.disabled ? <span className="badge late">{t('admin.disabled')}</span> : <span className="badge done">{t('admin.active')}</span>}</td>
                  <td className="actions">
                    {u.id !== me?.id && (
                      <button type="button" className="secondary small" onClick={() => void run(async () => { await api('POST', `/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`); })}>
                        {u.disabled ? t('admin.enable') : t('admin.disable')}
                      </button>
                    )}
                    <button type="button" className="secondary small" onClick={() => void run(async () => {
                      const reset = await api<{ password: string }>('POST', `/users/${u.id}/password`);
                      setSecret({ username: u.username, password: reset.password });
                    })}>{t('admin.resetPassword')}</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
      <section className="card" aria-labelledby="tokens-heading">
        <h2 id="tokens-heading">{t('admin.tokens')}</h2>
        {(tokens.data?.tokens ?? []).length === 0 ? <p>{t('admin.noTokens')}</p> : (
          <div className="table-scroll">
            <table data-testid="tokens">
              <thead><tr><th scope="col">{t('admin.col.token')}</th><th scope="col">{t('admin.col.username')}</th><th scope="col">{t('admin.col.lastUsed')}</th><th scope="col">{t('admin.col.status')}</th><th scope="col">{t('admin.col.actions')}</th></tr></thead>
              <tbody>
                {tokens.data!.tokens.map((k) => (
                  <tr key={k.id} data-token={k.name} data-status={k.status}>
                    <td>{k.name}</td>
                    <td>{k.username}</td>
                    <td><TimeOrDash at={k.lastUsedAt} /></td>
                    <td>{t(`admin.token.${k.status}` as MessageKey)}</td>
                    <td>{k.status === 'active' && <button type="button" className="danger-outline small secondary" onClick={() => void run(async () => { await api('DELETE', `/auth/tokens/${k.id}`); })}>{t('admin.revoke')}</button>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function TimeOrDash({ at }: { at: string | null }) {
  const { dateTime } = useI18n();
  return <>{at ? dateTime(at) : '–'}</>;
}

function RoleEditor({ roles, current, onSave, onCancel }: { roles: string[]; current: string[]; onSave(next: string[]): Promise<void>; onCancel(): void }) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState(new Set(current));
  const toggle = (role: string) => setChosen((s) => {
    const next = new Set(s);
    if (next.has(role)) next.delete(role);
    else next.add(role);
    return next;
  });
  return (
    <fieldset className="role-editor" data-testid="role-editor">
      <legend className="sr-only">{t('admin.col.roles')}</legend>
      {roles.map((role) => (
        <label key={role} className="check"><input type="checkbox" checked={chosen.has(role)} onChange={() => toggle(role)} /> {role}</label>
      ))}
      <button type="button" className="small" onClick={() => void onSave(roles.filter((r) => chosen.has(r)))}>{t('admin.saveRoles')}</button>
      <button type="button" className="secondary small" onClick={onCancel}>{t('admin.cancel')}</button>
    </fieldset>
  );
}

function CreateUser({ roles, onCreated }: { roles: string[]; onCreated(secret: Secret): void }) {
  const { t } = useI18n();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<Error>();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const created = await api<{ user: AccountUser; password: string }>('POST', '/users', { username, displayName, roles: chosen });
      onCreated({ username: created.user.username, password: created.password });
      setUsername('');
      setDisplayName('');
      setChosen([]);
    } catch (err) {
      setError(err as Error);
    }
  };
  return (
    <section className="card" aria-labelledby="create-user-heading">
      <h2 id="create-user-heading">{t('admin.createUser')}</h2>
      <form onSubmit={(e) => void submit(e)} className="stack" data-testid="create-user">
        <label htmlFor="new-username">{t('admin.col.username')}</label>
        <input id="new-username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
        <label htmlFor="new-display-name">{t('admin.col.name')}</label>
        <input id="new-display-name" value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
        <fieldset>
          <legend>{t('admin.col.roles')}</legend>
          {roles.map((role) => (
            <label key={role} className="check">
              <input type="checkbox" checked={chosen.includes(role)} onChange={() => setChosen((c) => c.includes(role) ? c.filter((r) => r !== role) : [...c, role])} /> {role}
            </label>
          ))}
        </fieldset>
        <ErrorNote error={error} />
        <div><button type="submit">{t('admin.create')}</button></div>
      </form>
    </section>
  );
}
