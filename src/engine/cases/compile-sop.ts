/**
 * `compileSop(definition)` → an XState v5 machine. Pure and deterministic: the same definition
 * always gives the same config, which golden tests pin down.
 *
 * Shape: `_active` is a parallel state with the main flow in region `_main` and one region per
 * on-demand procedure (`_idle` until started). End rows become top-level final states; `_done` is
 * the end of a flow that simply runs out of rows, `_cancelled` the end of a cancelled case.
 * Budgets are data in each state's `meta`; the case engine owns deadlines, because a restored
 * XState actor does not re-arm `after` timers. Adapter runs are effect markers (`runAdapter`),
 * not invoked actors: a durable case never holds a live actor between commands, and an adapter
 * run is a job in the database whose outcome returns as an event naming its run.
 */
import { setup, type AnyStateMachine } from 'xstate';
import type { CaseContext, CaseEvent } from './case-events.js';
import { emptyCaseContext } from './case-events.js';
import type { CheckTools } from './command-checks.js';
import { createAjv, type ValidateFunction } from '../language/json-schema.js';
import { createActions, createGuards } from './machine-implementations.js';
import type { FlowStep, ProcedureStep, SopDefinition, SopStep } from '../language/sop-types.js';
import { isFlowStep, stepIndex } from '../language/sop-types.js';

// Internal state names start with "_", which no step id can (ids are lowercase slugs), so a step
// called "main" or "idle" never collides with the machine's own structure.
export const ACTIVE_STATE = '_active';
export const MAIN_REGION = '_main';
export const IDLE_STATE = '_idle';
export const DONE_STATE = '_done';
export const CANCELLED_STATE = '_cancelled';

/** The compiled machine; `machine.config` is the JSON-serialisable description. */
export type SopMachine = AnyStateMachine;

/* eslint-disable @typescript-eslint/no-explicit-any -- the config is built as data and checked by XState */
type Json = Record<string, any>;

export function compileSop(definition: SopDefinition, tools: CheckTools = createCheckTools(definition)): SopMachine {
  const config = buildConfig(definition, new Map(tools.steps));
  return setup({
    types: {} as { context: CaseContext; events: CaseEvent },
    guards: createGuards(tools) as any,
    actions: createActions() as any,
  }).createMachine(config as any);
}

/** The check tools for a definition, for callers that explain refusals outside the machine. */
export function createCheckTools(definition: SopDefinition): CheckTools {
  return { definition, steps: stepIndex(definition), outputValidators: compileOutputValidators(definition) };
}

function compileOutputValidators(definition: SopDefinition): Map<string, ValidateFunction> {
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>();
  for (const step of definition.steps) {
    if (step.output?.schema) validators.set(step.id, ajv.compile(step.output.schema));
  }
  return validators;
}

function buildConfig(definition: SopDefinition, steps: Map<string, SopStep>): Json {
  const machineId = definition.id;
  const procedures = definition.steps.filter((s): s is ProcedureStep => s.kind === 'procedure');
  const mainSteps = definition.steps.filter((s): s is FlowStep => isFlowStep(s) && s.procedure === undefined);
  const endRows = mainSteps.filter((s) => s.kind === 'end');

  const regions: Json = {
    [MAIN_REGION]: {
      initial: definition.start,
      states: Object.fromEntries(mainSteps.filter((s) => s.kind !== 'end').map((s) => [s.id, stepState(s, steps, machineId)])),
    },
  };
  for (const procedure of procedures) {
    const inner = procedure.steps.map((id) => steps.get(id)!).filter(isFlowStep).filter((s) => s.kind !== 'end');
    regions[procedure.id] = {
      initial: IDLE_STATE,
      states: {
        [IDLE_STATE]: {
          on: {
            START_PROCEDURE: {
              guard: { type: 'canStartProcedure', params: { procedure: procedure.id } },
              target: procedure.steps[0],
              actions: [{ type: 'openProcedure', params: { procedure: procedure.id } }],
            },
          },
        },
        ...Object.fromEntries(inner.map((s) => [s.id, stepState(s, steps, machineId)])),
      },
      meta: { procedure: procedure.id, ...stepMeta(procedure) },
    };
  }

  return {
    id: machineId,
    initial: ACTIVE_STATE,
    context: emptyCaseContext(),
    meta: { sop: definition.id, version: definition.version, title: definition.identity.title },
    states: {
      [ACTIVE_STATE]: {
        type: 'parallel',
        on: {
          ACKNOWLEDGE: { guard: { type: 'canAcknowledge' }, actions: [{ type: 'recordAcknowledgement' }] },
          ADD_NOTE: { guard: { type: 'canAddNote' }, actions: [{ type: 'noteAdded' }] },
          CANCEL: { guard: { type: 'canCancel' }, target: `#${machineId}.${CANCELLED_STATE}` },
        },
        states: regions,
      },
      ...Object.fromEntries(endRows.map((s) => [s.id, { type: 'final', meta: stepMeta(s) }])),
      [DONE_STATE]: { type: 'final' },
      [CANCELLED_STATE]: { type: 'final' },
    },
  };
}

/**
 * Where a transition to `target` (a step id, or null for "the flow ends") goes, and whether it
 * ends the case. A step that leads to itself is re-entered, so the new visit is counted.
 */
function resolveTarget(target: string | null, from: SopStep, steps: Map<string, SopStep>, machineId: string): { target: string; endsCase: boolean; actions: Json[]; reenter: Json } {
  const procedure = from.procedure;
  const targetStep = target === null ? undefined : steps.get(target);
  const ends = target === null || targetStep?.kind === 'end';
  const reenter = target === from.id ? { reenter: true } : {};
  if (procedure !== undefined) {
    if (ends) return { target: `#${machineId}.${ACTIVE_STATE}.${procedure}.${IDLE_STATE}`, endsCase: false, actions: [{ type: 'closeProcedure', params: { procedure } }], reenter };
    return { target: `#${machineId}.${ACTIVE_STATE}.${procedure}.${target}`, endsCase: false, actions: [], reenter };
  }
  if (ends) return { target: `#${machineId}.${target ?? DONE_STATE}`, endsCase: true, actions: [], reenter };
  return { target: `#${machineId}.${ACTIVE_STATE}.${MAIN_REGION}.${target}`, endsCase: false, actions: [], reenter };
}

function withEnd<T extends Json>(params: T, endsCase: boolean): T & { endsCase?: true } {
  return endsCase ? { ...params, endsCase: true } : params;
}

/** Entry of a step state: a new visit, the effect that opens it, and its adapter run if it `uses:` one. */
function stepEntry(step: FlowStep): Json[] {
  const uses = step.kind === 'task' ? step.uses : undefined;
  const parties = step.kind === 'task' && step.parties.length > 0;
  const entry: Json[] = [
    { type: 'enterStep', params: { step: step.id, ...(parties ? { parties: true } : {}), ...(uses !== undefined ? { uses: true } : {}) } },
    { type: 'stepOpened', params: { step: step.id } },
  ];
  if (step.kind === 'task' && step.uses !== undefined) entry.push(runAdapter(step));
  return entry;
}

function runAdapter(step: FlowStep & { kind: 'task' }): Json {
  return { type: 'runAdapter', params: { step: step.id, adapter: step.uses, input: step.input } };
}

/** Actions of a transition that finishes a step: what it records, then who is told. */
function finishing(step: FlowStep, record: Json[]): Json[] {
  return step.notify.length > 0 ? [...record, { type: 'notifyDone', params: { step: step.id, roles: step.notify } }] : record;
}

function stepState(step: FlowStep, steps: Map<string, SopStep>, machineId: string): Json {
  const state: Json = { meta: stepMeta(step) };
  if (step.kind === 'end') return state;
  state.entry = stepEntry(step);
  state.exit = [{ type: 'stepClosed', params: { step: step.id } }];
  // Every open step can be started (waiting ends, work begins) and can run out of time.
  const on: Json = {
    START_STEP: { guard: { type: 'canStartStep', params: { step: step.id } }, actions: [{ type: 'recordStart', params: { step: step.id } }, { type: 'stepStarted', params: { step: step.id } }] },
    OVERDUE: { guard: { type: 'isCurrentVisit', params: { step: step.id } }, actions: [{ type: 'recordOverdue', params: { step: step.id } }, { type: 'escalate', params: { step: step.id } }] },
  };
  state.on = on;
  switch (step.kind) {
    case 'task': {
      const next = resolveTarget(step.next, step, steps, machineId);
      const params = withEnd({ step: step.id }, next.endsCase);
      if (step.parties.length > 0) {
        const sign = [{ type: 'recordSignature', params: { step: step.id, author: step.parties[0]!.id } }];
        on.COMPLETE = [
          { guard: { type: 'canComplete', params }, target: next.target, ...next.reenter, actions: [...finishing(step, sign), ...next.actions] },
          { guard: { type: 'canSign', params }, actions: sign },
        ];
      } else {
        on.COMPLETE = { guard: { type: 'canComplete', params }, target: next.target, ...next.reenter, actions: [...finishing(step, [{ type: 'recordOutput', params: { step: step.id } }]), ...next.actions] };
      }
      if (step.uses !== undefined) {
        const current = { type: 'isCurrentRun', params: { step: step.id } };
        on.ADAPTER_DONE = { guard: current, actions: [{ type: 'recordAdapterResult', params: { step: step.id } }] };
        on.ADAPTER_FAILED = { guard: current, actions: [{ type: 'recordAdapterError', params: { step: step.id } }] };
        on.RETRY = { guard: { type: 'canRetry', params: { step: step.id } }, actions: [{ type: 'nextAdapterRun', params: { step: step.id } }, runAdapter(step)] };
      }
      return state;
    }
    case 'decision':
    case 'loop': {
      const branches = step.kind === 'decision' ? Object.entries(step.branches) : [['repeat', step.repeat], ['exit', step.exit]] as const;
      on.CHOOSE = branches.map(([branch, target]) => {
        const next = resolveTarget(target, step, steps, machineId);
        const actions: Json[] = [{ type: 'recordChoice', params: { step: step.id } }];
        if (step.kind === 'loop' && branch === 'repeat') actions.push({ type: 'countRound', params: { step: step.id } });
        return { guard: { type: 'canChoose', params: withEnd({ step: step.id, branch }, next.endsCase) }, target: next.target, ...next.reenter, actions: [...finishing(step, actions), ...next.actions] };
      });
      return state;
    }
    case 'approval': {
      const approved = resolveTarget(step.approved, step, steps, machineId);
      const refused = resolveTarget(step.refused, step, steps, machineId);
      on.APPROVE = { guard: { type: 'canApprove', params: withEnd({ step: step.id }, approved.endsCase) }, target: approved.target, ...approved.reenter, actions: [...finishing(step, [{ type: 'recordApproval', params: { step: step.id } }]), ...approved.actions] };
      on.REFUSE = { guard: { type: 'canRefuse', params: withEnd({ step: step.id }, refused.endsCase) }, target: refused.target, ...refused.reenter, actions: [...finishing(step, [{ type: 'recordRefusal', params: { step: step.id } }]), ...refused.actions] };
      return state;
    }
  }
}

/** The mutu baku and everything a UI or auditor needs about a state, as plain data. */
export function stepMeta(step: SopStep): Json {
  const meta: Json = { step: step.id, kind: step.kind, row: step.row, activity: step.activity };
  if (step.role !== undefined) meta.role = step.role;
  if (step.roles.length > 1) meta.roles = step.roles;
  if (step.by !== undefined) meta.by = step.by;
  if (step.requirements.length > 0) meta.requirements = step.requirements;
  if (step.requirementGroups.some((g) => g.kind === 'one-of')) meta.requirementGroups = step.requirementGroups;
  if (step.time !== undefined) meta.time = step.time;
  if (step.budgetMs !== undefined) meta.budgetMs = step.budgetMs;
  if (step.output !== undefined) meta.output = step.output;
  if (step.notify.length > 0) meta.notify = step.notify;
  if (step.procedure !== undefined) meta.procedure = step.procedure;
  if (step.kind === 'task') {
    if (step.uses !== undefined) meta.uses = step.uses;
    if (step.parties.length > 0) meta.parties = step.parties;
  }
  return meta;
}
