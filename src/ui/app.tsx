/** The shell: the login page for a visitor, otherwise the layout and the page the hash names. */
import { lazy, Suspense } from 'react';
import { LiveProvider } from './api/live';
import { useSession } from './api/session';
import { Layout } from './components/layout';
import { useI18n } from './i18n/i18n';
import { AdminPage } from './pages/admin-page';
import { AuditPage } from './pages/audit-page';
import { CamerasPage } from './pages/cameras-page';
import { CaseListPage } from './pages/case-list-page';
import { CasePage } from './pages/case-page';
import { LoginPage } from './pages/login-page';
import { MonitoringPage } from './pages/monitoring-page';
import { SopsPage } from './pages/sops-page';
import { StepPage } from './pages/step-page';
import { TasksPage } from './pages/tasks-page';
import { useRoute } from './router';

// The editor brings CodeMirror: loaded when first opened, so operators never download it.
const SopEditorPage = lazy(() => import('./pages/sop-editor-page').then((m) => ({ default: m.SopEditorPage })));

export function App() {
  const { user, checking } = useSession();
  const { t } = useI18n();
  const route = useRoute();
  if (checking) return <p className="page-loading">{t('common.loading')}</p>;
  if (!user) return <LoginPage />;
  return (
    <LiveProvider>
      <Layout><Suspense fallback={<p>{t('common.loading')}</p>}>{page(route)}</Suspense></Layout>
    </LiveProvider>
  );
}

function page(route: string[]) {
  const [first, second, third, fourth] = route;
  switch (first) {
    case undefined:
    case 'tasks':
      return <TasksPage />;
    case 'cases':
      if (second && third === 'steps' && fourth) return <StepPage caseId={second} stepId={fourth} />;
      if (second) return <CasePage caseId={second} />;
      return <CaseListPage />;
    case 'sops':
      if (second === 'new') return <SopEditorPage sopId={null} />;
      if (second) return <SopEditorPage sopId={second} />;
      return <SopsPage />;
    case 'audit':
      return second === 'monitoring' ? <MonitoringPage /> : <AuditPage />;
    case 'cameras':
      return <CamerasPage />;
    case 'admin':
      return <AdminPage />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return <h1>{t('common.notFound')}</h1>;
}
