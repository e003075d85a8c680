/**
 * Per-event checks: for one step and one event, the list of reasons it must be refused
 * (empty when it may proceed). Shared by the machine's guards and the case engine.
 */
import { own } from './case-events.js';
import type {
  AcknowledgeEvent, ApproveEvent, CancelEvent, CaseContext, ChooseEvent, CompleteEvent, RefuseEvent, StartProcedureEvent,
} from './case-events.js';
import {
  checkKelengkapan, checkOutput, checkReason, checkRole, checkRulesAcknowledged, type CheckTools, type Refusal,
} from './command-checks.js';
import type { SopStep, TaskStep } from '../language/sop-types.js';

export type { CheckTools, Refusal };

function stepOf(tools: CheckTools, id: string): SopStep {
  const step = tools.steps.get(id);
  if (!step) throw new Error(`compiled machine refers to unknown step "${id}"`);
  return step;
}

function wrongStep(expected: string, got: string): Refusal[] {
  return expected === got ? [] : [{ code: 'wrong-step', field: '/step', message: `the event is for step "${got}", but this is step "${expected}"` }];
}

/** Closing the case while an on-demand procedure is half done would lose it. */
function checkNoOpenProcedure(context: CaseContext, endsCase: boolean | undefined): Refusal[] {
  if (!endsCase || context.openProcedures.length === 0) return [];
  return [{ code: 'procedure-open', message: `finish procedure ${context.openProcedures.map((p) => `"${p}"`).join(', ')} before ending the case` }];
}

export interface CompleteParams {
  step: string;
  endsCase?: boolean;
}

/**
 * COMPLETE on a task. `mode` says which outcome the caller asks about: `final` (this event finishes
 * the step) or `partial` (a two-party step gets one of its signatures but still waits for another).
 */
export function completeRefusals(tools: CheckTools, context: CaseContext, event: CompleteEvent, params: CompleteParams, mode: 'final' | 'partial'): Refusal[] {
  const wrong = wrongStep(params.step, event.step);
  if (wrong.length > 0) return wrong;
  const step = stepOf(tools, params.step) as TaskStep;
  if (step.parties.length === 0) {
    if (mode === 'partial') return [{ code: 'wrong-step', message: 'not a two-party step' }];
    return [
      ...checkRole(step.role, event.actor, `step "${step.id}"`),
      ...checkKelengkapan(step, event.checklist),
      ...checkOutput(tools, step, event.output),
      ...checkRulesAcknowledged(tools, step, context),
      ...checkNoOpenProcedure(context, params.endsCase),
    ];
  }
  const party = step.parties.find((p) => p.id === event.party);
  if (!party) {
    return [{ code: 'unknown-party', field: '/party', message: `step "${step.id}" is signed by two people; say which party you sign as: ${step.parties.map((p) => `"${p.id}" (${p.title})`).join(' or ')}` }];
  }
  const signed = own(context.signatures, step.id) ?? {};
  const refusals: Refusal[] = [...checkRole(party.role, event.actor, `party "${party.id}" of step "${step.id}"`)];
  if (own(signed, party.id) !== undefined) refusals.push({ code: 'party-signed', field: '/party', message: `party "${party.id}" of step "${step.id}" has already signed` });
  if (Object.entries(signed).some(([other, actorId]) => other !== party.id && actorId === event.actor.id)) {
    refusals.push({ code: 'same-person', field: '/actor/id', message: `${event.actor.id} already signed step "${step.id}" as another party; the parties must be different people` });
  }
  if (party.id === step.parties[0]!.id) {
    refusals.push(...checkKelengkapan(step, event.checklist), ...checkOutput(tools, step, event.output));
  }
  const completes = step.parties.every((p) => p.id === party.id || own(signed, p.id) !== undefined);
  if (mode === 'final') {
    if (!completes) return [...refusals, { code: 'wrong-step', message: 'waiting for the other party' }];
    refusals.push(...checkRulesAcknowledged(tools, step, context), ...checkNoOpenProcedure(context, params.endsCase));
  } else if (completes) {
    return [...refusals, { code: 'wrong-step', message: 'this signature completes the step' }];
  }
  return refusals;
}

export function chooseRefusals(tools: CheckTools, context: CaseContext, event: ChooseEvent, params: { step: string; branch: string; endsCase?: boolean }): Refusal[] {
  const wrong = wrongStep(params.step, event.step);
  if (wrong.length > 0) return wrong;
  const step = stepOf(tools, params.step);
  if (event.branch !== params.branch) return [{ code: 'unknown-branch', field: '/branch', message: `branch "${event.branch}" is not "${params.branch}"` }];
  return [...checkRole(step.role, event.actor, `step "${step.id}"`), ...checkNoOpenProcedure(context, params.endsCase)];
}

export function approveRefusals(tools: CheckTools, context: CaseContext, event: ApproveEvent, params: { step: string; endsCase?: boolean }): Refusal[] {
  const wrong = wrongStep(params.step, event.step);
  if (wrong.length > 0) return wrong;
  const step = stepOf(tools, params.step);
  return [
    ...checkRole(step.role, event.actor, `step "${step.id}"`),
    ...checkKelengkapan(step, event.checklist),
    ...checkOutput(tools, step, event.output),
    ...checkNoOpenProcedure(context, params.endsCase),
  ];
}

export function refuseRefusals(tools: CheckTools, context: CaseContext, event: RefuseEvent, params: { step: string; endsCase?: boolean }): Refusal[] {
  const wrong = wrongStep(params.step, event.step);
  if (wrong.length > 0) return wrong;
  const step = stepOf(tools, params.step);
  return [...checkRole(step.role, event.actor, `step "${step.id}"`), ...checkReason(event.reason), ...checkNoOpenProcedure(context, params.endsCase)];
}

export function acknowledgeRefusals(tools: CheckTools, context: CaseContext, event: AcknowledgeEvent): Refusal[] {
  const rule = tools.steps.get(event.rule);
  if (!rule || rule.kind !== 'rule') {
    const rules = tools.definition.steps.filter((s) => s.kind === 'rule').map((s) => `"${s.id}"`);
    return [{ code: 'unknown-rule', field: '/rule', message: `"${event.rule}" is not a rule of this SOP${rules.length ? `; rules: ${rules.join(', ')}` : ''}` }];
  }
  if (own(context.acknowledgements, rule.id) !== undefined) return [{ code: 'already-acknowledged', field: '/rule', message: `rule "${rule.id}" was already acknowledged` }];
  return checkRole(rule.role, event.actor, `rule "${rule.id}"`);
}

export function startProcedureRefusals(tools: CheckTools, _context: CaseContext, event: StartProcedureEvent, params: { procedure: string }): Refusal[] {
  if (event.procedure !== params.procedure) return [{ code: 'wrong-step', field: '/procedure', message: `this is procedure "${params.procedure}"` }];
  const procedure = stepOf(tools, params.procedure);
  return checkRole(procedure.role, event.actor, `procedure "${procedure.id}"`);
}

export function cancelRefusals(tools: CheckTools, event: CancelEvent): Refusal[] {
  const roles = tools.definition.roles.map((r) => r.id);
  const holdsAny = event.actor.roles.some((r) => roles.includes(r));
  return [
    ...(holdsAny ? [] : [{ code: 'wrong-role' as const, field: '/actor/roles', message: `only someone with a role in this SOP (${roles.join(', ')}) may cancel a case` }]),
    ...checkReason(event.reason),
  ];
}
