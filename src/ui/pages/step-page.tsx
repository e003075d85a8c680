/**
 * The guided step page: the kegiatan, the larangan to acknowledge, the kelengkapan checklist, the
 * two-party signature, the output form, and the step's own answer (complete, choose, approve,
 * refuse) in the SOP's words. A refusal is shown next to the part of the page at fault.
 */
import { useState, type ReactNode } from 'react';
import { api, ApiError, newIdempotencyKey, type Refusal } from '../api/client';
import { useLiveChanges } from '../api/live';
import { useSession } from '../api/session';
import type { CaseDetail, DefinitionStep, OpenStep, SopDefinition } from '../api/types';
import { useFetch } from '../api/use-fetch';
import { Checklist, groupsOf } from '../components/checklist';
import { Countdown } from '../components/countdown';
import { ErrorNote, refusalText } from '../components/error-note';
import { Parties } from '../components/parties';
import { RulesBox } from '../components/rules-box';
import { OutputForm } from '../forms/output-form';
import { placeRefusals } from '../forms/refusal-fields';
import { useI18n } from '../i18n/i18n';
import { href, navigate } from '../router';
import { NoteForm } from './note-form';

type Command = Record<string, unknown> & { type: string };

export function StepPage({ caseId, stepId }: { caseId: string; stepId: string }) {
  const { t } = useI18n();
  const detail = useFetch<CaseDetail>(`/cases/${caseId}`);
  const sopId = detail.data?.case.sopId;
  const sop = useFetch<{ latest: { definition: SopDefinition } }>(sopId ? `/sops/${sopId}` : null);
  useLiveChanges((change) => {
    if (change.caseId === caseId) void detail.reload();
  });
  if (!detail.data) return detail.error ? <ErrorNote error={detail.error} /> : <p>{t('common.loading')}</p>;
  const step = detail.data.openSteps.find((s) => s.step === stepId);
  const backLink = <p><a href={href(`/cases/${caseId}`)}>← {detail.data.case.title}</a></p>;
  if (!step) return <>{backLink}<p className="card" role="status">{t('step.notOpen')}</p></>;
  return <OpenStepView key={`${step.step}:${step.visit}`} detail={detail.data} step={step} definition={sop.data?.latest.definition} backLink={backLink} reload={detail.reload} />;
}

function OpenStepView({ detail, step, definition, backLink, reload }: {
  detail: CaseDetail; step: OpenStep; definition: SopDefinition | undefined; backLink: ReactNode; reload(): Promise<void>;
}) {
  const { t, dateTime } = useI18n();
  const { user } = useSession();
  const caseId = detail.case.id;
  const roleTitle = (id: string | undefined) => detail.sop.roles.find((r) => r.id === id)?.title ?? id ?? '';
  const partyRoles = (step.parties ?? []).map((p) => p.role);
  const mine = [...step.roles, ...partyRoles].some((role) => user?.roles.includes(role));
  const groups = groupsOf(step.requirements, step.requirementGroups);
  const [checked, setChecked] = useState<Set<string>>(new Set());
  const [output, setOutput] = useState<unknown>(undefined);
  const firstUnsigned = step.parties?.find((p) => !step.signatures[p.id])?.id ?? null;
  const [party, setParty] = useState<string | null>(firstUnsigned);
  const [reason, setReason] = useState('');
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const placed = placeRefusals(refusals, (r) => refusalText(t, r));

  const stepsById = new Map((definition?.steps ?? []).map((s) => [s.id, s]));
  const rules = detail.rules.filter((rule) => {
    const before = stepsById.get(rule.step)?.acknowledgeBefore;
    // Without the definition every larangan is shown; with it, those due before this step.
    return definition ? before === step.step : true;
  });

  const send = async (command: Command, after: 'stay' | 'next') => {
    setBusy(true);
    setError(undefined);
    setRefusals([]);
    try {
      const result = await api<{ case: { activeSteps: string[] } }>('POST', `/cases/${caseId}/commands`, command, { 'idempotency-key': newIdempotencyKey() });
      if (after === 'stay') {
        await reload();
        return;
      }
      await goToNext(result.case.activeSteps);
    } catch (e) {
      if (e instanceof ApiError && e.problem.refusals) setRefusals(e.problem.refusals);
      else setError(e as Error);
      if (e instanceof ApiError && e.status === 409) await reload();
    } finally {
      setBusy(false);
    }
  };

  /** After a step, the next open step that is mine in this case, else the case page. */
  const goToNext = async (activeSteps: string[]) => {
    const fresh = await api<CaseDetail>('GET', `/cases/${caseId}`);
    const next = fresh.openSteps.find((s) => activeSteps.includes(s.step) && [...s.roles, ...(s.parties ?? []).map((p) => p.role)].some((r) => user?.roles.includes(r)));
    navigate(next ? `/cases/${caseId}/steps/${next.step}` : `/cases/${caseId}`);
    await reload();
  };

  const checklist = [...checked];
  const complete = () => void send({ type: 'complete', step: step.step, checklist, ...(output !== undefined ? { output } : {}), ...(party && step.parties?.length ? { party } : {}) }, 'next');
  const approve = () => void send({ type: 'approve', step: step.step, checklist, ...(output !== undefined ? { output } : {}) }, 'next');
  const schema = step.output?.schema;
  const submitLabel = step.kind === 'approval' ? t('step.approve') : t('step.complete');

  return (
    <>
      {backLink}
      <div className="grid-2">
        <div>
          <section className="card" aria-labelledby="step-heading" data-testid="step" data-step={step.step}>
            <p className="muted small"><span data-sop-content>{detail.sop.title}</span> · {t('step.kegiatan')} {step.row ?? ''}</p>
            <h1 id="step-heading" data-sop-content>{step.activity}</h1>
            <p>{t('step.role')}: <strong data-sop-content>{step.roles.map(roleTitle).join(', ')}</strong> · {step.time ? <>{t('time.budget', { time: '' })}<span data-sop-content>{step.time}</span></> : t('time.noBudget')} · <Countdown dueAt={step.dueAt} budgetMs={step.budgetMs} overdue={step.overdue} /></p>
            {!mine && <p className="muted" role="note">{t('step.notMine', { role: step.roles.map(roleTitle).join(', ') })}</p>}
            {mine && (step.kind === 'task' || step.kind === 'approval') && (step.startedAt
              ? <p className="small" data-testid="started">{t('step.startedAt', { at: dateTime(step.startedAt) })}</p>
              : <p><button type="button" className="secondary" disabled={busy} onClick={() => void send({ type: 'start-step', step: step.step }, 'stay')}>{t('step.start')}</button> <span className="muted small">{t('step.startHint')}</span></p>)}
            {step.adapterResult !== null && step.adapterResult !== undefined && <p className="muted small">{t('step.adapter', { result: JSON.stringify(step.adapterResult) })}</p>}
          </section>
          {placed.general.length > 0 && <ErrorNote error={new ApiError(422, { type: '', title: '', status: 422, detail: '', refusals: placed.general })} />}
          <ErrorNote error={error} />
          <section className="card" aria-label={t('step.kegiatan')}>
            {(step.kind === 'task' || step.kind === 'approval') && (
              <>
                <Checklist groups={groups} checked={checked} onChange={setChecked} refusals={placed.checklist} disabled={!mine} />
                {step.parties && step.parties.length > 0 && <Parties parties={step.parties} signatures={step.signatures} chosen={party} onChoose={setParty} refusals={placed.party} />}
                {step.output && <h2>{t('step.output', { name: '' })}<span data-sop-content>{step.output.name}</span></h2>}
                {schema ? (
                  <OutputForm schema={schema} value={output} onChange={setOutput} onSubmit={step.kind === 'approval' ? approve : complete} errors={placed.output}>
                    <button type="submit" disabled={busy || !mine}>{submitLabel}</button>
                  </OutputForm>
                ) : (
                  <button type="button" disabled={busy || !mine} onClick={step.kind === 'approval' ? approve : complete}>{submitLabel}</button>
                )}
                {step.kind === 'approval' && (
                  <div className="stack" style={{ marginTop: '1rem' }}>
                    <label htmlFor="refuse-reason">{t('step.refuseReason')}</label>
                    <textarea id="refuse-reason" value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={placed.reason.length > 0 || undefined} />
                    {placed.reason.map((r, i) => <p key={i} className="field-error" role="alert">{refusalText(t, r)}</p>)}
                    <button type="button" className="danger" disabled={busy || !mine || !reason.trim()} onClick={() => void send({ type: 'refuse', step: step.step, reason: reason.trim() }, 'next')}>{t('step.refuse')}</button>
                  </div>
                )}
              </>
            )}
            {step.kind === 'decision' && (
              <div role="group" aria-labelledby="step-heading" className="choices" data-testid="choices" data-sop-content>
                {(step.branches ?? []).map((branch) => (
                  <button key={branch} type="button" disabled={busy || !mine} onClick={() => void send({ type: 'choose', step: step.step, branch }, 'next')}>{capitalize(branch)}</button>
                ))}
              </div>
            )}
            {step.kind === 'loop' && (
              <div role="group" aria-labelledby="step-heading" className="choices" data-testid="choices">
                <button type="button" disabled={busy || !mine} onClick={() => void send({ type: 'choose', step: step.step, branch: 'repeat' }, 'next')}>
                  {t('step.loopRepeat', { activity: loopTarget(stepsById, stepsById.get(step.step)?.repeat) })}
                </button>
                <button type="button" disabled={busy || !mine} onClick={() => void send({ type: 'choose', step: step.step, branch: 'exit' }, 'next')}>
                  {t('step.loopExit', { activity: loopTarget(stepsById, stepsById.get(step.step)?.exit) })}
                </button>
              </div>
            )}
          </section>
        </div>
        <div>
          <RulesBox rules={rules} refusals={placed.rules} busy={busy} canAct={!!user} onAcknowledge={(rule) => void send({ type: 'acknowledge', rule }, 'stay')} />
          <NoteForm caseId={caseId} step={step.step} />
        </div>
      </div>
    </>
  );
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function loopTarget(steps: Map<string, DefinitionStep>, id: string | undefined): string {
  if (!id) return '…';
  return steps.get(id)?.activity ?? id;
}
