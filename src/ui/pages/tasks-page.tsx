/** "Tugas saya": open steps of the user's roles across cases, overdue first then newest, updated live. */
import { useFetch } from '../api/use-fetch';
import { useLiveChanges } from '../api/live';
import type { Task } from '../api/types';
import { Countdown } from '../components/countdown';
import { ErrorNote } from '../components/error-note';
import { useI18n } from '../i18n/i18n';
import { href } from '../router';
import { StartCase } from './start-case';

export function sortTasks(tasks: Task[]): Task[] {
  return [...tasks].sort((a, b) => Number(b.overdue) - Number(a.overdue) || Date.parse(b.availableAt) - Date.parse(a.availableAt));
}

export function TasksPage() {
  const { t } = useI18n();
  const tasks = useFetch<{ tasks: Task[] }>('/tasks');
  useLiveChanges(() => void tasks.reload());
  const list = sortTasks(tasks.data?.tasks ?? []);
  return (
    <>
      <h1>{t('tasks.title')}</h1>
      <ErrorNote error={tasks.error} />
      <section aria-labelledby="tasks-heading" className="card">
        <h2 id="tasks-heading" className="sr-only">{t('tasks.title')}</h2>
        <p role="status" aria-live="polite" className="muted">{tasks.loading ? t('common.loading') : t('tasks.count', { n: list.length })}</p>
        {!tasks.loading && list.length === 0 && <p>{t('tasks.empty')}</p>}
        {list.length > 0 && (
          <table className="tasks" data-testid="tasks">
            <thead>
              <tr><th scope="col">{t('tasks.case')}</th><th scope="col">{t('tasks.step')}</th><th scope="col">{t('tasks.role')}</th><th scope="col">{t('tasks.due')}</th><th scope="col"><span className="sr-only">{t('tasks.open')}</span></th></tr>
            </thead>
            <tbody>
              {list.map((task) => (
                <tr key={`${task.caseId}:${task.step}:${task.visit}`} data-step={task.step} className={task.overdue ? 'overdue' : undefined}>
                  <td><a href={href(`/cases/${task.caseId}`)}>{task.caseTitle}</a><div className="muted small">{task.sopTitle}</div></td>
                  <td>{task.row !== null && <span className="row-no">{task.row}.</span>} {task.activity}</td>
                  <td>{task.role}</td>
                  <td><Countdown dueAt={task.dueAt} budgetMs={task.budgetMs} overdue={task.overdue} /></td>
                  <td><a className="button" href={href(`/cases/${task.caseId}/steps/${task.step}`)}>{t('tasks.open')}</a></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <StartCase />
    </>
  );
}
