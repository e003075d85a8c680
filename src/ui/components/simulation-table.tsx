/**
 * The happy path of a definition with each step's waktu and the running total: first branch of a
 * decision, a loop's exit, an approval's "approved", until the end (as `alur simulate` walks it).
 */
import type { DefinitionStep, SopDefinition } from '../api/types';
import { useI18n } from '../i18n/i18n';

export function happyPath(definition: SopDefinition): DefinitionStep[] {
  const byId = new Map(definition.steps.map((s) => [s.id, s]));
  const path: DefinitionStep[] = [];
  const seen = new Set<string>();
  let id: string | null | undefined = definition.start;
  while (id && !seen.has(id)) {
    const step = byId.get(id);
    if (!step) break;
    seen.add(id);
    path.push(step);
    id = step.kind === 'task' ? step.next
      : step.kind === 'decision' ? Object.values(step.branches ?? {})[0]
        : step.kind === 'loop' ? step.exit
          : step.kind === 'approval' ? step.approved
            : null;
  }
  return path;
}

export function SimulationTable({ definition }: { definition: SopDefinition }) {
  const { t, duration } = useI18n();
  const roleTitle = (id: string | undefined) => definition.roles.find((r) => r.id === id)?.title ?? id ?? '';
  let total = 0;
  return (
    <table data-testid="simulation">
      <thead>
        <tr><th scope="col">{t('case.col.row')}</th><th scope="col">{t('case.col.step')}</th><th scope="col">{t('case.col.role')}</th><th scope="col" className="num">{t('case.col.budget')}</th><th scope="col" className="num">{t('editor.col.total')}</th></tr>
      </thead>
      <tbody>
        {happyPath(definition).map((step) => {
          total += step.budgetMs ?? 0;
          return (
            <tr key={step.id}>
              <td className="row-no">{step.row ?? ''}</td>
              <td>{step.activity}</td>
              <td>{roleTitle(step.role)}</td>
              <td className="num" data-sop-content>{step.time ?? '–'}</td>
              <td className="num">{duration(total)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
