/** Larangan to acknowledge before a step can be completed, each with its own button. */
import type { Refusal } from '../api/client';
import type { RuleView } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { refusalText, refusalTitle } from './error-note';

export function RulesBox({ rules, onAcknowledge, refusals, busy, canAct }: {
  rules: RuleView[];
  onAcknowledge(rule: string): void;
  refusals: Refusal[];
  busy: boolean;
  canAct: boolean;
}) {
  const { t } = useI18n();
  if (rules.length === 0) return null;
  return (
    <section className={`card ${refusals.length > 0 ? 'invalid' : ''}`} aria-labelledby="rules-heading" data-testid="rules">
      <h2 id="rules-heading">{t('step.larangan')}</h2>
      <ul className="stack">
        {rules.map((rule) => (
          <li key={rule.step} data-rule={rule.step}>
            <p data-sop-content>{rule.activity}</p>
            {rule.acknowledgedBy
              ? <span className="badge done">{t('step.acknowledgedBy', { who: rule.acknowledgedBy })}</span>
              : <button type="button" className="secondary" disabled={busy || !canAct} onClick={() => onAcknowledge(rule.step)}>{t('step.acknowledge')}</button>}
          </li>
        ))}
      </ul>
      {refusals.length > 0 && <div className="field-error" role="alert">{refusals.map((r, i) => <p key={i}>{refusalTitle(t, r.code)}: {refusalText(t, r)}</p>)}</div>}
    </section>
  );
}
