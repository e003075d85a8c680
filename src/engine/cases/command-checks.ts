/**
 * Why an event would be refused, as data. The compiled machine's guards call these checks, and
 * the case engine calls the same ones to tell an operator exactly what to fix.
 */
import { own, type CaseActor, type CaseContext } from './case-events.js';
import { describeAjvErrors, type ValidateFunction } from '../language/json-schema.js';
import type { SopDefinition, SopStep } from '../language/sop-types.js';

export interface Refusal {
  code:
    | 'wrong-step' | 'wrong-role' | 'invalid-output' | 'kelengkapan-missing' | 'rule-not-acknowledged'
    | 'unknown-branch' | 'unknown-party' | 'party-signed' | 'same-person' | 'reason-required'
    | 'procedure-open' | 'already-acknowledged' | 'unknown-rule' | 'no-adapter';
  message: string;
  /** The event field at fault, as a JSON pointer into the event (`/output/nomorSurat`). */
  field?: string;
}

export interface CheckTools {
  definition: SopDefinition;
  steps: ReadonlyMap<string, SopStep>;
  outputValidators: ReadonlyMap<string, ValidateFunction>;
}

export function checkRole(role: string | undefined, actor: CaseActor, what: string): Refusal[] {
  if (role === undefined || actor.roles.includes(role)) return [];
  return [{ code: 'wrong-role', field: '/actor/roles', message: `${what} is for role "${role}"; ${actor.id} holds ${actor.roles.length > 0 ? actor.roles.map((r) => `"${r}"`).join(', ') : 'no role in this SOP'}` }];
}

export function checkOutput(tools: CheckTools, step: SopStep, output: unknown): Refusal[] {
  const validate = tools.outputValidators.get(step.id);
  if (!validate) return [];
  if (output === undefined) {
    return [{ code: 'invalid-output', field: '/output', message: `step "${step.id}" needs its output "${step.output?.name}"` }];
  }
  if (validate(output)) return [];
  return describeAjvErrors(validate.errors).map((text) => ({
    code: 'invalid-output' as const,
    field: `/output${text.split(' ')[0] === '(root)' ? '' : text.split(' ')[0]}`,
    message: `output of step "${step.id}": ${text}`,
  }));
}

export function checkKelengkapan(step: SopStep, checklist: readonly string[] | undefined): Refusal[] {
  const missing = step.requirements.filter((item) => !(checklist ?? []).includes(item));
  if (missing.length === 0) return [];
  return [{ code: 'kelengkapan-missing', field: '/checklist', message: `confirm the kelengkapan of step "${step.id}" first: ${missing.map((m) => `"${m}"`).join(', ')}` }];
}

export function checkRulesAcknowledged(tools: CheckTools, step: SopStep, context: CaseContext): Refusal[] {
  return tools.definition.steps
    .filter((rule) => rule.kind === 'rule' && rule.acknowledgeBefore === step.id && own(context.acknowledgements, rule.id) === undefined)
    .map((rule) => ({ code: 'rule-not-acknowledged' as const, message: `rule "${rule.id}" must be acknowledged before step "${step.id}"` }));
}

export function checkReason(reason: unknown): Refusal[] {
  return typeof reason === 'string' && reason.trim() !== '' ? [] : [{ code: 'reason-required', field: '/reason', message: 'a reason is required' }];
}
