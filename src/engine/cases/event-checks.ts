/**
 * The machine's guards, as checks that say why. Each guard named in a compiled machine is one
 * entry here: `applies` says whether the transition is the one the event asks for (a two-party
 * step's final signature or an earlier one; a decision's branch), `refusals` lists what stands
 * in the way. The guard passes when it applies and nothing stands in the way; a refused event is
 * explained by the same entry, so the machine and the message can never disagree.
 */
import { own } from './case-events.js';
import type {
  AcknowledgeEvent, AddNoteEvent, AdapterDoneEvent, AdapterFailedEvent, ApproveEvent, CancelEvent, CaseContext, CaseEvent, ChooseEvent,
  CompleteEvent, OverdueEvent, RefuseEvent, RetryEvent, StartProcedureEvent, StartStepEvent, TickEvent,
} from './case-events.js';
import {
  checkAdapterOutput, checkAnySopRole, checkKelengkapan, checkNoOpenProcedure, checkOutput, checkReason, checkRole, checkRulesAcknowledged, quotedList, refusal, type CheckTools, type Refusal,
} from './command-checks.js';
import type { SopStep, WorkStep } from '../language/sop-types.js';

export type { CheckTools, Refusal };

/** Guard parameters as compiled into the machine config. */
export interface GuardParams {
  step?: string;
  branch?: string;
  procedure?: string;
  /** Taking this transition ends the case (it reaches an end row or runs out of rows). */
  endsCase?: boolean;
  /** A periodic timer's id (a duty's or a timed loop's). */
  timer?: string;
  /** A timed loop's repeat: this transition is for when the next round is already due (true) or not yet. */
  due?: boolean;
}

export interface GuardCheck<E extends CaseEvent = CaseEvent> {
  applies?(tools: CheckTools, context: CaseContext, event: E, params: GuardParams): boolean;
  refusals(tools: CheckTools, context: CaseContext, event: E, params: GuardParams): Refusal[];
}

function stepOf(tools: CheckTools, id: string | undefined): SopStep {
  const step = id === undefined ? undefined : tools.steps.get(id);
  if (!step) throw new Error(`compiled machine refers to unknown step "${id}"`);
  return step;
}

/** Roles that may act on a step: its pelaksana (any of them, for a row that names several), or any party's for a signed step. */
export function rolesOfStep(step: SopStep): string[] {
  if ((step.kind === 'task' || step.kind === 'duty') && step.parties.length > 0) return [...new Set(step.parties.map((p) => p.role))];
  return step.roles;
}

/** Whether this COMPLETE gives a two-party step its last missing signature (always true for one-party steps). */
function completesStep(tools: CheckTools, context: CaseContext, event: CompleteEvent, params: GuardParams): boolean {
  const step = stepOf(tools, params.step) as WorkStep;
  if (step.parties.length === 0) return true;
  const signed = own(context.signatures, step.id) ?? {};
  return step.parties.every((p) => p.id === event.party || own(signed, p.id) !== undefined);
}

const complete: GuardCheck<CompleteEvent>['refusals'] = (tools, context, event, params) => {
  const step = stepOf(tools, params.step) as WorkStep;
  const finishing = completesStep(tools, context, event, params);
  const closing = finishing ? [...checkRulesAcknowledged(tools, step, context), ...checkNoOpenProcedure(context, params.endsCase)] : [];
  if (step.parties.length === 0) {
    return [...checkRole(step.roles, event.actor, { kind: 'step', step: step.id }), ...checkKelengkapan(step, event.checklist), ...checkOutput(tools, step, event.output), ...checkAdapterOutput(step, context, event.output), ...closing];
  }
  const party = step.parties.find((p) => p.id === event.party);
  const signed = own(context.signatures, step.id) ?? {};
  if (!party) {
    const waiting = step.parties.filter((p) => own(signed, p.id) === undefined);
    return [refusal('unknown-party', 'default', { step: step.id, parties: waiting.map((p) => `"${p.id}" (${p.title})`).join(' / ') },
      `step "${step.id}" is signed by two people; say which party you sign as: ${waiting.map((p) => `"${p.id}" (${p.title}, role "${p.role}")`).join(' or ')}`, '/party')];
  }
  const refusals: Refusal[] = [...checkRole(party.role, event.actor, { kind: 'party', party: party.id, step: step.id })];
  if (own(signed, party.id) !== undefined) {
    const waiting = step.parties.filter((p) => own(signed, p.id) === undefined).map((p) => `"${p.id}" (${p.title})`);
    refusals.push(refusal('party-signed', 'default', { party: party.id, step: step.id, waiting: waiting.join(', ') || '—' }, `party "${party.id}" of step "${step.id}" has already signed; still to sign: ${waiting.join(', ')}`, '/party'));
  }
  if (Object.entries(signed).some(([other, actorId]) => other !== party.id && actorId === event.actor.id)) {
    refusals.push(refusal('same-person', 'default', { actor: event.actor.id, step: step.id }, `${event.actor.id} already signed step "${step.id}" as another party; the parties must be different people`, '/party'));
  }
  if (party.id === step.parties[0]!.id) refusals.push(...checkKelengkapan(step, event.checklist), ...checkOutput(tools, step, event.output), ...checkAdapterOutput(step, context, event.output));
  return [...refusals, ...closing];
};

/** Every guard of a compiled SOP machine, by the name the config uses. */
export const GUARD_CHECKS = {
  canComplete: { applies: (t, c, e, p) => completesStep(t, c, e, p), refusals: complete } satisfies GuardCheck<CompleteEvent>,
  canSign: { applies: (t, c, e, p) => !completesStep(t, c, e, p), refusals: complete } satisfies GuardCheck<CompleteEvent>,
  canChoose: {
    // A timed loop's round is due once its tick came, or when no round of it was ever begun (nothing armed).
    applies: (_t, c, e, p) => e.branch === p.branch && (p.due === undefined || (own(c.roundDue, p.step!) !== false) === p.due),
    refusals: (t, c, e, p) => [...checkRole(stepOf(t, p.step).roles, e.actor, { kind: 'step', step: p.step! }), ...checkNoOpenProcedure(c, p.endsCase)],
  } satisfies GuardCheck<ChooseEvent>,
  canApprove: {
    refusals: (t, c, e, p) => {
      const step = stepOf(t, p.step);
      return [...checkRole(step.roles, e.actor, { kind: 'step', step: step.id }), ...checkKelengkapan(step, e.checklist), ...checkOutput(t, step, e.output), ...checkNoOpenProcedure(c, p.endsCase)];
    },
  } satisfies GuardCheck<ApproveEvent>,
  canRefuse: {
    refusals: (t, c, e, p) => [...checkRole(stepOf(t, p.step).roles, e.actor, { kind: 'step', step: p.step! }), ...checkReason(e.reason), ...checkNoOpenProcedure(c, p.endsCase)],
  } satisfies GuardCheck<RefuseEvent>,
  canAcknowledge: {
    refusals: (t, c, e) => {
      const rule = t.steps.get(e.rule);
      if (!rule || rule.kind !== 'rule') {
        const rules = t.definition.steps.filter((s) => s.kind === 'rule').map((s) => s.id);
        return [refusal('unknown-rule', 'default', { rule: e.rule, rules: quotedList(rules) }, `"${e.rule}" is not a larangan of this SOP${rules.length ? `; larangan: ${quotedList(rules)}` : ''}`, '/rule')];
      }
      const by = own(c.acknowledgements, rule.id);
      if (by !== undefined) return [refusal('already-acknowledged', 'default', { rule: rule.id, by }, `larangan "${rule.id}" was already acknowledged by ${by}`, '/rule')];
      return checkRole(rule.roles, e.actor, { kind: 'rule', rule: rule.id });
    },
  } satisfies GuardCheck<AcknowledgeEvent>,
  canStartProcedure: {
    applies: (_t, _c, e, p) => e.procedure === p.procedure,
    refusals: (t, _c, e, p) => checkRole(stepOf(t, p.procedure).roles, e.actor, { kind: 'procedure', procedure: p.procedure! }),
  } satisfies GuardCheck<StartProcedureEvent>,
  canRetry: {
    refusals: (t, _c, e, p) => checkRole(rolesOfStep(stepOf(t, p.step)), e.actor, { kind: 'retry', step: p.step! }),
  } satisfies GuardCheck<RetryEvent>,
  canCancel: {
    refusals: (t, _c, e) => [...checkAnySopRole(t, e.actor, 'cancel'), ...checkReason(e.reason)],
  } satisfies GuardCheck<CancelEvent>,
  canStartStep: {
    refusals: (t, c, e, p) => {
      const step = stepOf(t, p.step);
      const roles = rolesOfStep(step);
      const refusals = checkRole(roles, e.actor, { kind: 'step', step: step.id });
      const by = own(c.started, step.id);
      return by === undefined ? refusals : [...refusals, refusal('already-started', 'default', { step: step.id, by }, `step "${step.id}" was already started by ${by}`, '/step')];
    },
  } satisfies GuardCheck<StartStepEvent>,
  canAddNote: {
    refusals: (t, _c, e) => {
      const unknown = e.step !== undefined && !t.steps.has(e.step)
        ? [refusal('unknown-step', 'default', { step: e.step }, `"${e.step}" is not a step of this SOP`, '/step')]
        : [];
      return [...checkAnySopRole(t, e.actor, 'note'), ...checkReason(e.text, '/text'), ...unknown];
    },
  } satisfies GuardCheck<AddNoteEvent>,
  // Alur's own events: taken only when they belong to the step's current visit or adapter run.
  isCurrentVisit: {
    refusals: (_t, c, e, p) => (e.visit === undefined || e.visit === own(c.visits, p.step!) ? [] : [refusal('not-current', 'visit', { visit: e.visit, step: p.step! }, `visit ${e.visit} of step "${p.step}" is over`)]),
  } satisfies GuardCheck<OverdueEvent>,
  isCurrentRun: {
    refusals: (_t, c, e, p) => (e.run === undefined || e.run === own(c.adapterRuns, p.step!) ? [] : [refusal('not-current', 'run', { run: e.run, step: p.step! }, `adapter run ${e.run} of step "${p.step}" was superseded`)]),
  } satisfies GuardCheck<AdapterDoneEvent | AdapterFailedEvent>,
  isCurrentTimer: {
    applies: (_t, _c, e, p) => e.timer === p.timer,
    refusals: (_t, c, e, p) => (e.round === own(c.timers, p.timer!) ? [] : [refusal('not-current', 'round', { round: e.round, timer: p.timer! }, `round ${e.round} of "${p.timer}" is not the one armed`)]),
  } satisfies GuardCheck<TickEvent>,
} as const;

export type GuardName = keyof typeof GUARD_CHECKS;

/** Run a named guard's check: whether its transition is the one the event asks for, and what stands in the way. */
export function evaluateGuard(name: GuardName, tools: CheckTools, context: CaseContext, event: CaseEvent, params: GuardParams): { applies: boolean; refusals: Refusal[] } {
  const check = GUARD_CHECKS[name] as GuardCheck;
  // In a parallel machine every region sees every event: a step's guard only answers for its own step.
  if (params.step !== undefined && 'step' in event && event.step !== params.step) return { applies: false, refusals: [] };
  const applies = check.applies?.(tools, context, event, params) ?? true;
  return { applies, refusals: check.refusals(tools, context, event, params) };
}
