/**
 * Why an event would be refused, as data. The compiled machine's guards call these checks, and
 * the case engine calls the same ones to tell an operator exactly what to fix.
 */
import { own, type CaseActor, type CaseContext } from './case-events.js';
import type { ValidateFunction } from '../language/json-schema.js';
import type { SopDefinition, SopStep } from '../language/sop-types.js';
import { ADAPTER_CLAIMS } from '../language/adapter-catalog.js';
import canonicalize from 'canonicalize';

export type RefusalCode =
  | 'wrong-role' | 'invalid-output' | 'kelengkapan-missing' | 'rule-not-acknowledged' | 'unknown-step' | 'wrong-command'
  | 'unknown-branch' | 'unknown-party' | 'party-signed' | 'same-person' | 'reason-required' | 'procedure-open'
  | 'already-acknowledged' | 'already-started' | 'unknown-rule' | 'unknown-procedure' | 'no-adapter' | 'not-current'
  | 'adapter-output' | 'adapter-pending';

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The command field at fault, as a JSON pointer into the command (`/output/nomorSurat`). */
  field?: string;
}

export interface CheckTools {
  definition: SopDefinition;
  steps: ReadonlyMap<string, SopStep>;
  outputValidators: ReadonlyMap<string, ValidateFunction>;
}

/** The actor must hold `role`, or one of them when a row names several pelaksana. */
export function checkRole(role: string | readonly string[] | undefined, actor: CaseActor, what: string): Refusal[] {
  const roles = role === undefined ? [] : typeof role === 'string' ? [role] : role;
  if (roles.length === 0 || roles.some((r) => actor.roles.includes(r))) return [];
  const wanted = roles.length === 1 ? `role "${roles[0]}"` : `one of the roles ${roles.map((r) => `"${r}"`).join(', ')}`;
  return [{ code: 'wrong-role', field: '/actor/roles', message: `${what} is for ${wanted}; ${actor.id} holds ${actor.roles.length > 0 ? actor.roles.map((r) => `"${r}"`).join(', ') : 'no role in this SOP'}` }];
}

/** Whether the actor holds any role of the SOP (needed to cancel a case or add a note to it). */
export function checkAnySopRole(tools: CheckTools, actor: CaseActor, what: string): Refusal[] {
  const roles = tools.definition.roles.map((r) => r.id);
  if (actor.roles.some((r) => roles.includes(r))) return [];
  return [{ code: 'wrong-role', field: '/actor/roles', message: `only someone with a role in this SOP (${roles.join(', ')}) may ${what}` }];
}

export function checkOutput(tools: CheckTools, step: SopStep, output: unknown): Refusal[] {
  const validate = tools.outputValidators.get(step.id);
  if (!validate) return [];
  if (output === undefined) {
    return [{ code: 'invalid-output', field: '/output', message: `step "${step.id}" needs its output "${step.output?.name}"` }];
  }
  if (validate(output)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
    const what = e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid';
    return { code: 'invalid-output' as const, field: `/output${field}`, message: `output of step "${step.id}": ${field || '(the output)'} ${what}` };
  });
}

/** Every all-of item confirmed, and at least one item of each one-of group. */
export function checkKelengkapan(step: SopStep, checklist: readonly string[] | undefined): Refusal[] {
  const confirmed = new Set(checklist ?? []);
  const missing = step.requirementGroups.flatMap((group) => {
    if (group.kind === 'all-of') return group.items.filter((item) => !confirmed.has(item)).map((item) => `"${item}"`);
    return group.items.some((item) => confirmed.has(item)) ? [] : [`one of ${group.items.map((item) => `"${item}"`).join(' / ')}`];
  });
  if (missing.length === 0) return [];
  return [{ code: 'kelengkapan-missing', field: '/checklist', message: `confirm the kelengkapan of step "${step.id}" first: ${missing.join(', ')}` }];
}

export function checkRulesAcknowledged(tools: CheckTools, step: SopStep, context: CaseContext): Refusal[] {
  return tools.definition.steps
    .filter((rule) => rule.kind === 'rule' && rule.acknowledgeBefore === step.id && own(context.acknowledgements, rule.id) === undefined)
    .map((rule) => ({ code: 'rule-not-acknowledged' as const, message: `larangan "${rule.id}" must be acknowledged (command "acknowledge") before step "${step.id}": ${rule.activity}` }));
}

export function checkReason(reason: unknown, field = '/reason'): Refusal[] {
  return typeof reason === 'string' && reason.trim() !== '' ? [] : [{ code: 'reason-required', field, message: field === '/text' ? 'a note needs text' : 'a reason is required' }];
}

/** Closing the case while an on-demand procedure is half done would lose it. */
export function checkNoOpenProcedure(context: CaseContext, endsCase: boolean | undefined): Refusal[] {
  if (!endsCase || context.openProcedures.length === 0) return [];
  return [{ code: 'procedure-open', message: `finish procedure ${context.openProcedures.map((p) => `"${p}"`).join(', ')} before ending the case` }];
}

/**
 * What a step's adapter vouches for: an adapter result's `output` fields are facts the operator's
 * output must repeat (a camera check's dead cameras, a relay's status from the media server).
 * Before such a report, the values only the adapter may claim (ADAPTER_CLAIMS) are refused.
 */
export function checkAdapterOutput(step: SopStep, context: CaseContext, output: unknown): Refusal[] {
  if (step.kind !== 'task' || step.uses === undefined) return [];
  const given = (output !== null && typeof output === 'object' ? output : {}) as Record<string, unknown>;
  const result = own(context.adapterResults, step.id);
  if (result?.status !== 'done') {
    const claims = Object.hasOwn(ADAPTER_CLAIMS, step.uses) ? ADAPTER_CLAIMS[step.uses]! : {};
    const why = result?.status === 'failed' ? `failed (${result.error}); retry it` : 'has not reported yet; wait for it or retry it';
    return Object.entries(claims).filter(([key, value]) => canonicalize(given[key]) === canonicalize(value)).map(([key, value]) => ({
      code: 'adapter-pending' as const, field: `/output/${key}`,
      message: `output of step "${step.id}": only ${step.uses} can report ${key} ${JSON.stringify(value)}, and it ${why}`,
    }));
  }
  const vouched = (result.result as { output?: unknown } | null)?.output;
  if (vouched === null || typeof vouched !== 'object' || Array.isArray(vouched)) return [];
  return Object.entries(vouched as Record<string, unknown>)
    .filter(([key, value]) => canonicalize(given[key]) !== canonicalize(value))
    .map(([key, value]) => ({
      code: 'adapter-output' as const, field: `/output/${key}`,
      message: `output of step "${step.id}": ${key} must be ${JSON.stringify(value)}, as ${step.uses} reported; add a note if you see otherwise`,
    }));
}
