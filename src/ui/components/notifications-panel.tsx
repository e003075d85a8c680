/**
 * Notifications for my roles (tasks waiting, steps done that I am told of, overdue steps and their
 * escalations), newest first, updated live. The message is the server's, written in the SOP's
 * language, so it keeps `lang="id"`; the kind and the time are the UI's.
 */
import { useLiveChanges } from '../api/live';
import { useFetch } from '../api/use-fetch';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { href } from '../router';

interface Notification {
  id: number;
  caseId: string;
  kind: 'step-available' | 'step-done' | 'overdue';
  step: string | null;
  message: string;
  createdAt: string;
}

const BADGE: Record<Notification['kind'], string> = { 'step-available': 'open', 'step-done': 'done', overdue: 'late' };

export function NotificationsPanel({ limit = 10 }: { limit?: number }) {
  const { t, dateTime } = useI18n();
  const list = useFetch<{ notifications: Notification[] }>(`/notifications?limit=${limit}`);
  useLiveChanges(() => void list.reload());
  const notifications = list.data?.notifications ?? [];
  return (
    <section className="card" aria-labelledby="notifications-heading">
      <h2 id="notifications-heading">{t('notif.title')}</h2>
      {!list.loading && notifications.length === 0 && <p>{t('notif.empty')}</p>}
      <ul className="stack" data-testid="notifications">
        {notifications.map((n) => (
          <li key={n.id} data-kind={n.kind}>
            <span className={`badge ${BADGE[n.kind]}`}>{t(`notif.kind.${n.kind}` as MessageKey)}</span>{' '}
            <span className="muted small">{dateTime(n.createdAt)}</span>{' '}
            <span lang="id" data-sop-content>{n.message}</span>{' '}
            <a href={href(`/cases/${n.caseId}`)}>{t('notif.openCase')}</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
