/**
 * Who is logged in. The session cookie is httpOnly, so every tab asks GET /auth/me on start; for a
 * session it answers the CSRF token too, kept for this tab (sessionStorage): a new tab of a
 * logged-in browser needs no second login.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { api, ApiError, rememberCsrf, setUnauthenticatedHandler } from './client';
import type { Organization, User } from './types';
import { useI18n } from '../i18n/i18n';

export interface Session {
  user: User | null;
  organization: Organization | null;
  /** True until the first /auth/me answer. */
  checking: boolean;
  login(username: string, password: string): Promise<void>;
  logout(): Promise<void>;
  hasRole(...roles: string[]): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const { setTimeZone } = useI18n();
  const [user, setUser] = useState<User | null>(null);
  const [organization, setOrganization] = useState<Organization | null>(null);
  const [checking, setChecking] = useState(true);

  const loadOrganization = useCallback(async (forUser: User) => {
    const { organizations } = await api<{ organizations: Organization[] }>('GET', '/organizations');
    const own = organizations.find((o) => o.id === forUser.organizationId) ?? null;
    setOrganization(own);
    if (own?.timeZone) setTimeZone(own.timeZone);
  }, [setTimeZone]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      rememberCsrf(null);
      setUser(null);
    });
    api<{ user: User; csrfToken?: string }>('GET', '/auth/me')
      .then(async ({ user: me, csrfToken: token }) => {
        if (token) rememberCsrf(token);
        setUser(me);
        await loadOrganization(me);
      })
      .catch((error: unknown) => {
        if (!(error instanceof ApiError)) throw error;
      })
      .finally(() => setChecking(false));
  }, [loadOrganization]);

  const login = useCallback(async (username: string, password: string) => {
    const result = await api<{ user: User; csrfToken: string }>('POST', '/auth/login', { username, password });
    rememberCsrf(result.csrfToken);
    setUser(result.user);
    await loadOrganization(result.user);
  }, [loadOrganization]);

  const logout = useCallback(async () => {
    try {
      await api('POST', '/auth/logout');
    } finally {
      rememberCsrf(null);
      setUser(null);
      setOrganization(null);
    }
  }, []);

  const hasRole = useCallback((...roles: string[]) => !!user && roles.some((r) => user.roles.includes(r)), [user]);

  return <SessionContext.Provider value={{ user, organization, checking, login, logout, hasRole }}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside <SessionProvider>');
  return value;
}
