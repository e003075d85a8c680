/** Header with navigation, live-update state, language toggle and logout; the page below it. */
import type { ReactNode } from 'react';
import { useLiveChanges } from '../api/live';
import { useSession } from '../api/session';
import { useI18n } from '../i18n/i18n';
import { href, useRoute } from '../router';
import { LanguageToggle } from './language-toggle';

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { user, organization, logout, hasRole } = useSession();
  const connected = useLiveChanges(() => {});
  const [section = 'tasks'] = useRoute();
  const links: Array<{ id: string; path: string; label: string; show: boolean }> = [
    { id: 'tasks', path: '/tasks', label: t('nav.tasks'), show: true },
    { id: 'cases', path: '/cases', label: t('nav.cases'), show: true },
    { id: 'sops', path: '/sops', label: t('nav.sops'), show: true },
    { id: 'cameras', path: '/cameras', label: t('nav.cameras'), show: true },
    { id: 'admin', path: '/admin', label: t('nav.admin'), show: hasRole('admin') },
    { id: 'audit', path: '/audit', label: t('nav.audit'), show: hasRole('auditor', 'process-owner') },
  ];
  return (
    <>
      <a className="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>{t('app.skip')}</a>
      <header className="app-header">
        <span className="brand">{t('app.name')}</span>
        <span className="org">{organization?.name}</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {links.filter((l) => l.show).map((l) => (
              <li key={l.id}><a href={href(l.path)} aria-current={section === l.id ? 'page' : undefined}>{l.label}</a></li>
            ))}
          </ul>
        </nav>
        <span className={`live ${connected ? 'on' : 'off'}`} role="status" title={connected ? t('common.live') : t('common.offline')}>
          <span aria-hidden="true">●</span><span className="sr-only">{connected ? t('common.live') : t('common.offline')}</span>
        </span>
        <span className="user">{t('nav.user', { name: user?.displayName ?? '' })}</span>
        <LanguageToggle />
        <button type="button" className="secondary" onClick={() => void logout()}>{t('nav.logout')}</button>
      </header>
      <main id="main" tabIndex={-1}>{children}</main>
    </>
  );
}
