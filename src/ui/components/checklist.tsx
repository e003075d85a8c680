/** Kelengkapan as a checklist: every item of an all-of group, at least one of a one-of group. */
import type { Refusal } from '../api/client';
import type { RequirementGroup } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { refusalText, refusalTitle } from './error-note';

export function groupsOf(requirements: string[] | undefined, groups: RequirementGroup[] | undefined): RequirementGroup[] {
  if (groups && groups.length > 0) return groups;
  return requirements && requirements.length > 0 ? [{ kind: 'all-of', items: requirements }] : [];
}

export function Checklist({ groups, checked, onChange, refusals, disabled }: {
  groups: RequirementGroup[];
  checked: ReadonlySet<string>;
  onChange(next: Set<string>): void;
  refusals: Refusal[];
  disabled?: boolean;
}) {
  const { t } = useI18n();
  if (groups.length === 0) return null;
  const toggle = (item: string, on: boolean) => {
    const next = new Set(checked);
    if (on) next.add(item);
    else next.delete(item);
    onChange(next);
  };
  const invalid = refusals.length > 0;
  return (
    <fieldset className={invalid ? 'invalid' : undefined} aria-invalid={invalid || undefined} aria-describedby={invalid ? 'checklist-error' : 'checklist-hint'} data-testid="checklist">
      <legend>{t('step.kelengkapan')}</legend>
      <p id="checklist-hint" className="muted small">{t('step.kelengkapanHint')}</p>
      {groups.map((group, g) => (
        <div key={g} role="group" aria-label={group.kind === 'one-of' ? t('step.oneOf') : t('step.kelengkapan')}>
          {group.kind === 'one-of' && <p className="small"><strong>{t('step.oneOf')}</strong></p>}
          {group.items.map((item) => (
            <label key={item} className="check">
              <input type="checkbox" checked={checked.has(item)} disabled={disabled} onChange={(e) => toggle(item, e.target.checked)} />
              <span data-sop-content>{item}</span>
            </label>
          ))}
        </div>
      ))}
      {invalid && (
        <div id="checklist-error" className="field-error" role="alert" data-testid="checklist-error">
          {refusals.map((r, i) => <p key={i}>{refusalTitle(t, r.code)}: {refusalText(t, r)}</p>)}
        </div>
      )}
    </fieldset>
  );
}
