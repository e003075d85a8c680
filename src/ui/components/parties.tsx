/** A two-party step (a handover): who has signed which side, and which side I sign now. */
import type { Refusal } from '../api/client';
import type { Party } from '../api/types';
import { useI18n } from '../i18n/i18n';
import { refusalText, refusalTitle } from './error-note';

export function Parties({ parties, signatures, chosen, onChoose, refusals }: {
  parties: Party[];
  signatures: Record<string, string>;
  chosen: string | null;
  onChoose(party: string): void;
  refusals: Refusal[];
}) {
  const { t } = useI18n();
  const invalid = refusals.length > 0;
  return (
    <fieldset className={invalid ? 'invalid' : undefined} aria-describedby={invalid ? 'party-error' : undefined} data-testid="parties">
      <legend>{t('step.parties')} — {t('step.signAs')}</legend>
      {parties.map((party) => {
        const signedBy = signatures[party.id];
        return (
          <label key={party.id} className="check">
            <input type="radio" name="party" value={party.id} checked={chosen === party.id} disabled={!!signedBy} onChange={() => onChoose(party.id)} />
            <span><span data-sop-content>{party.title}</span> <span className={`badge ${signedBy ? 'done' : 'open'}`}>{signedBy ? t('step.signedBy', { who: signedBy }) : t('step.notSigned')}</span></span>
          </label>
        );
      })}
      {invalid && <div id="party-error" className="field-error" role="alert">{refusals.map((r, i) => <p key={i}>{refusalTitle(t, r.code)}: {refusalText(t, r)}</p>)}</div>}
    </fieldset>
  );
}
