/**
 * Why an event would be refused, as data. The compiled machine's guards call these checks, and
 * the case engine calls the same ones to tell an operator exactly what to fix.
 */
import { own, type CaseActor, type CaseContext } from './case-events.js';
import type { ValidateFunction } from '../language/json-schema.js';
import type { SopDefinition, SopStep } from '../language/sop-types.js';
import { ADAPTER_CLAIMS } from '../language/adapter-catalog.js';
import canonicalize from 'canonicalize';
import { quotedList, refusal, type Refusal } from './refusals.js';

export { quotedList, refusal, REFUSAL_CODES, REFUSAL_TEXTS, type Refusal, type RefusalCode } from './refusals.js';

export interface CheckTools {
  definition: SopDefinition;
  steps: ReadonlyMap<string, SopStep>;
  outputValidators: ReadonlyMap<string, ValidateFunction>;
}

/** What a role check guards, for the refusal's wording: a step, one party of it, a larangan, a procedure, or a retry. */
export type RoleSubject =
  | { kind: 'step' | 'retry'; step: string }
  | { kind: 'party'; party: string; step: string }
  | { kind: 'rule'; rule: string }
  | { kind: 'procedure'; procedure: string };

function describeSubject(subject: RoleSubject): string {
  switch (subject.kind) {
    case 'step': return `step "${subject.step}"`;
    case 'retry': return `retrying step "${subject.step}"`;
    case 'party': return `party "${subject.party}" of step "${subject.step}"`;
    case 'rule': return `larangan "${subject.rule}"`;
    case 'procedure': return `procedure "${subject.procedure}"`;
  }
}

/** The actor must hold `role`, or one of them when a row names several pelaksana. */
export function checkRole(role: string | readonly string[] | undefined, actor: CaseActor, subject: RoleSubject): Refusal[] {
  const roles = role === undefined ? [] : typeof role === 'string' ? [role] : role;
  if (roles.length === 0 || roles.some((r) => actor.roles.includes(r))) return [];
  const wanted = roles.length === 1 ? `role "${roles[0]}"` : `one of the roles ${quotedList(roles)}`;
  const message = `${describeSubject(subject)} is for ${wanted}; ${actor.id} holds ${actor.roles.length > 0 ? quotedList(actor.roles) : 'no role in this SOP'}`;
  const { kind, ...names } = subject;
  const params = { ...names, roles: quotedList(roles), actor: actor.id, held: quotedList(actor.roles) } as never;
  return [refusal('wrong-role', kind, params, message, '/actor/roles')];
}

/** Whether the actor holds any role of the SOP (needed to cancel a case or add a note to it). */
export function checkAnySopRole(tools: CheckTools, actor: CaseActor, action: 'cancel' | 'note'): Refusal[] {
  const roles = tools.definition.roles.map((r) => r.id);
  if (actor.roles.some((r) => roles.includes(r))) return [];
  const what = action === 'cancel' ? 'cancel a case' : 'add a note to a case';
  return [refusal('wrong-role', action, { roles: quotedList(roles) }, `only someone with a role in this SOP (${roles.join(', ')}) may ${what}`, '/actor/roles')];
}

export function checkOutput(tools: CheckTools, step: SopStep, output: unknown): Refusal[] {
  const validate = tools.outputValidators.get(step.id);
  if (!validate) return [];
  if (output === undefined) {
    return [refusal('invalid-output', 'missing', { step: step.id, output: step.output?.name ?? '' }, `step "${step.id}" needs its output "${step.output?.name}"`, '/output')];
  }
  if (validate(output)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = e.keyword === 'required' ? `${e.instancePath}/${String(e.params.missingProperty)}` : e.instancePath;
    const what = e.keyword === 'required' ? 'is required' : e.message ?? 'is invalid';
    const message = `output of step "${step.id}": ${field || '(the output)'} ${what}`;
    // The parameter names the field as its path inside the output (`sampai`, `kamera/0`), the output's name for the whole.
    const named = field.slice(1) || (step.output?.name ?? '');
    const pointer = `/output${field}`;
    const limited = LIMIT_VARIANTS[e.keyword];
    if (e.keyword === 'required') return refusal('invalid-output', 'required', { step: step.id, field: named }, message, pointer);
    if (e.keyword === 'format') return refusal('invalid-output', 'format', { step: step.id, field: named, format: String(e.params.format) }, message, pointer);
    if (e.keyword === 'enum') return refusal('invalid-output', 'enum', { step: step.id, field: named, values: quotedList((e.params.allowedValues as unknown[]).map(String), ' / ') }, message, pointer);
    if (limited) return refusal('invalid-output', limited, { step: step.id, field: named, limit: Number(e.params.limit) }, message, pointer);
    // Anything rarer keeps ajv's English words as the parameter.
    return refusal('invalid-output', 'invalid', { step: step.id, field: named, problem: what }, message, pointer);
  });
}

/** ajv keywords with a numeric limit, by the refusal variant that words them. */
const LIMIT_VARIANTS: Partial<Record<string, 'too-short' | 'too-few' | 'too-long' | 'too-many' | 'too-small' | 'too-large'>> = {
  minLength: 'too-short', minItems: 'too-few', maxLength: 'too-long', maxItems: 'too-many', minimum: 'too-small', maximum: 'too-large',
};

/** Every all-of item confirmed, and at least one item of each one-of group. */
export function checkKelengkapan(step: SopStep, checklist: readonly string[] | undefined): Refusal[] {
  const confirmed = new Set(checklist ?? []);
  const missing = step.requirementGroups.flatMap((group): Array<{ all: string } | { oneOf: string }> => {
    if (group.kind === 'all-of') return group.items.filter((item) => !confirmed.has(item)).map((item) => ({ all: `"${item}"` }));
    return group.items.some((item) => confirmed.has(item)) ? [] : [{ oneOf: quotedList(group.items, ' / ') }];
  });
  if (missing.length === 0) return [];
  const message = `confirm the kelengkapan of step "${step.id}" first: ${missing.map((m) => ('all' in m ? m.all : `one of ${m.oneOf}`)).join(', ')}`;
  // In the parameter a one-of group is its items joined by " / ", which reads the same in any language.
  return [refusal('kelengkapan-missing', 'default', { step: step.id, missing: missing.map((m) => ('all' in m ? m.all : m.oneOf)).join(', ') }, message, '/checklist')];
}

export function checkRulesAcknowledged(tools: CheckTools, step: SopStep, context: CaseContext): Refusal[] {
  return tools.definition.steps
    .filter((rule) => rule.kind === 'rule' && rule.acknowledgeBefore === step.id && own(context.acknowledgements, rule.id) === undefined)
    .map((rule) => refusal('rule-not-acknowledged', 'default', { rule: rule.id, step: step.id, activity: rule.activity }, `larangan "${rule.id}" must be acknowledged (command "acknowledge") before step "${step.id}": ${rule.activity}`));
}

export function checkReason(reason: unknown, field = '/reason'): Refusal[] {
  if (typeof reason === 'string' && reason.trim() !== '') return [];
  return [field === '/text' ? refusal('reason-required', 'note', {}, 'a note needs text', field) : refusal('reason-required', 'reason', {}, 'a reason is required', field)];
}

/** Closing the case while an on-demand procedure is half done would lose it. */
export function checkNoOpenProcedure(context: CaseContext, endsCase: boolean | undefined): Refusal[] {
  if (!endsCase || context.openProcedures.length === 0) return [];
  const procedures = quotedList(context.openProcedures);
  return [refusal('procedure-open', 'closing', { procedures }, `finish procedure ${procedures} before ending the case`)];
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
    const adapter = step.uses;
    return Object.entries(claims).filter(([key, value]) => canonicalize(given[key]) === canonicalize(value)).map(([key, value]) => {
      const message = `output of step "${step.id}": only ${adapter} can report ${key} ${JSON.stringify(value)}, and it ${why}`;
      const params = { step: step.id, adapter, field: key, value: JSON.stringify(value) };
      return result?.status === 'failed'
        ? refusal('adapter-pending', 'failed', { ...params, error: String(result.error) }, message, `/output/${key}`)
        : refusal('adapter-pending', 'waiting', params, message, `/output/${key}`);
    });
  }
  const vouched = (result.result as { output?: unknown } | null)?.output;
  if (vouched === null || typeof vouched !== 'object' || Array.isArray(vouched)) return [];
  return Object.entries(vouched as Record<string, unknown>)
    .filter(([key, value]) => canonicalize(given[key]) !== canonicalize(value))
    .map(([key, value]) => refusal('adapter-output', 'default', { step: step.id, field: key, value: JSON.stringify(value), adapter: step.uses! },
      `output of step "${step.id}": ${key} must be ${JSON.stringify(value)}, as ${step.uses} reported; add a note if you see otherwise`, `/output/${key}`));
}
