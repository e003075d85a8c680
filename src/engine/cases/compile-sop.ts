/**
 * `compileSop(definition)` → an XState v5 machine. Pure and deterministic: the same definition
 * always gives the same config, which golden tests pin down.
 *
 * Shape: `_active` is a parallel state with the main flow in region `_main`, one region per
 * on-demand procedure (`_idle` until started) and one per periodic duty (`_waiting` between
 * rounds). Periodic rounds are durable timers too: the machine arms a timer (`armTimer` +
 * `timerArmed` marker → a jobs row) and the row comes back as a `TICK` naming its round. End rows become top-level final states; `_done` is
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
import { createAjv, describeAjvErrors, type ValidateFunction } from '../language/json-schema.js';
import { metaSchemaErrors } from '../language/output-schema-check.js';
import { createActions, createGuards } from './machine-implementations.js';
import type { DutyStep, FlowStep, LoopStep, ProcedureStep, SopDefinition, SopStep, WorkStep } from '../language/sop-types.js';
import { isFlowStep, stepIndex } from '../language/sop-types.js';

// Internal state names start with "_", which no step id can (ids are lowercase slugs), so a step
// called "main" or "idle" never collides with the machine's own structure.
export const ACTIVE_STATE = '_active';
export const MAIN_REGION = '_main';
export const IDLE_STATE = '_idle';
export const DONE_STATE = '_done';
export const CANCELLED_STATE = '_cancelled';
/** A duty's region between rounds. */
export const WAITING_STATE = '_waiting';
/** The main flow waiting for a timed loop's next round: `_next_<loop id>`. */
export const NEXT_ROUND_PREFIX = '_next_';

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
  const ajv = createAjv({ validateSchema: false });
  const validators = new Map<string, ValidateFunction>();
  for (const step of definition.steps) {
    const schema = step.output?.schema;
    if (!schema) continue;
    // What ajv.compile would throw for a schema the meta-schema refuses, without compiling the meta-schema again.
    const refused = metaSchemaErrors(schema);
    if (refused) throw new Error(`schema is invalid: ${describeAjvErrors(refused).join('; ')}`);
    validators.set(step.id, ajv.compile(schema));
  }
  return validators;
}

function buildConfig(definition: SopDefinition, steps: Map<string, SopStep>): Json {
  const machineId = definition.id;
  const procedures = definition.steps.filter((s): s is ProcedureStep => s.kind === 'procedure');
  const mainSteps = definition.steps.filter((s): s is FlowStep => isFlowStep(s) && s.procedure === undefined);
  const endRows = mainSteps.filter((s) => s.kind === 'end');
  const duties = definition.steps.filter((s): s is DutyStep => s.kind === 'duty');
  const timedLoops = definition.steps.filter((s): s is LoopStep & { everyMs: number } => s.kind === 'loop' && s.everyMs !== undefined);
  const waitsIn = (region: string) => Object.fromEntries(timedLoops.filter((l) => (l.procedure ?? MAIN_REGION) === region).map((loop) => [`${NEXT_ROUND_PREFIX}${loop.id}`, nextRoundState(loop, machineId)]));

  const regions: Json = {
    [MAIN_REGION]: {
      initial: definition.start,
      states: {
        ...Object.fromEntries(mainSteps.filter((s) => s.kind !== 'end').map((s) => [s.id, stepState(s, steps, machineId)])),
        ...waitsIn(MAIN_REGION),
      },
    },
  };
  for (const duty of duties) regions[duty.id] = dutyRegion(duty, machineId);
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
        ...waitsIn(procedure.id),
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
          // A timed loop's round came due while the previous round still runs: it begins as soon as that one ends.
          ...(timedLoops.length > 0 ? { TICK: timedLoops.map((loop) => ({ guard: currentTimer(loop.id), actions: [{ type: 'markRoundDue', params: { timer: loop.id } }] })) } : {}),
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

function isWorkStep(step: SopStep): step is WorkStep {
  return step.kind === 'task' || step.kind === 'duty';
}

/** Entry of a step state: a new visit, the effect that opens it, and its adapter run if it `uses:` one. */
function stepEntry(step: FlowStep | DutyStep, steps: Map<string, SopStep>): Json[] {
  const uses = isWorkStep(step) ? step.uses : undefined;
  const parties = isWorkStep(step) && step.parties.length > 0;
  const entry: Json[] = [
    { type: 'enterStep', params: { step: step.id, ...(parties ? { parties: true } : {}), ...(uses !== undefined ? { uses: true } : {}) } },
    { type: 'stepOpened', params: { step: step.id } },
  ];
  if (isWorkStep(step) && step.uses !== undefined) entry.push(runAdapter(step));
  // Entering a timed loop's repeat target begins a round: its successor is due `every` from now.
  for (const loop of timedLoopsStartingAt(step.id, steps)) entry.push(...armTimer(loop.id, loop.everyMs), { type: 'clearRoundDue', params: { timer: loop.id } });
  return entry;
}

function timedLoopsStartingAt(stepId: string, steps: Map<string, SopStep>): (LoopStep & { everyMs: number })[] {
  return [...steps.values()].filter((s): s is LoopStep & { everyMs: number } => s.kind === 'loop' && s.everyMs !== undefined && s.repeat === stepId);
}

/** `onSchedule`: count from when the ticking round was due, not from now (a duty keeps its clock). */
function armTimer(timer: string, afterMs: number, onSchedule = false): Json[] {
  return [{ type: 'armTimer', params: { timer } }, { type: 'timerArmed', params: { timer, afterMs, ...(onSchedule ? { onSchedule: true } : {}) } }];
}

function currentTimer(timer: string): Json {
  return { type: 'isCurrentTimer', params: { timer } };
}

function runAdapter(step: WorkStep): Json {
  return { type: 'runAdapter', params: { step: step.id, adapter: step.uses, input: step.input } };
}

/** Actions of a transition that finishes a step: what it records, then who is told. */
function finishing(step: FlowStep | DutyStep, record: Json[]): Json[] {
  return step.notify.length > 0 ? [...record, { type: 'notifyDone', params: { step: step.id, roles: step.notify } }] : record;
}

/** The part every open step state shares: entry, exit, start and overdue. */
function openStepState(step: FlowStep | DutyStep, steps: Map<string, SopStep>): Json {
  return {
    meta: stepMeta(step),
    entry: stepEntry(step, steps),
    exit: [{ type: 'stepClosed', params: { step: step.id } }],
    // Every open step can be started (waiting ends, work begins) and can run out of time.
    on: {
      START_STEP: { guard: { type: 'canStartStep', params: { step: step.id } }, actions: [{ type: 'recordStart', params: { step: step.id } }, { type: 'stepStarted', params: { step: step.id } }] },
      OVERDUE: { guard: { type: 'isCurrentVisit', params: { step: step.id } }, actions: [{ type: 'recordOverdue', params: { step: step.id } }, { type: 'escalate', params: { step: step.id } }] },
    },
  };
}

/** COMPLETE (with signatures for a two-party step) and the adapter outcomes of a task or a duty round. */
function workTransitions(step: WorkStep, next: { target: string; endsCase: boolean; actions: Json[]; reenter: Json }): Json {
  const on: Json = {};
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
  return on;
}

/**
 * A duty's region: `_waiting` until its timer ticks, then a round (the duty's own state) until
 * done. Entering the region (the case starting) arms the first tick; each tick arms the next, so
 * rounds come every `every` from the start whatever happens. A tick while a round is still open
 * closes that round as missed (recorded and escalated) and opens the next.
 */
function dutyRegion(duty: DutyStep, machineId: string): Json {
  const region = `#${machineId}.${ACTIVE_STATE}.${duty.id}`;
  const tick = { guard: currentTimer(duty.id), target: `${region}.${duty.id}`, actions: armTimer(duty.id, duty.everyMs!, true) };
  const round = openStepState(duty, new Map());
  round.on = {
    ...round.on,
    ...workTransitions(duty, { target: `${region}.${WAITING_STATE}`, endsCase: false, actions: [], reenter: {} }),
    TICK: { ...tick, reenter: true, actions: [{ type: 'roundMissed', params: { step: duty.id } }, ...tick.actions] },
  };
  return {
    initial: WAITING_STATE,
    entry: armTimer(duty.id, duty.everyMs!),
    meta: { duty: duty.id, ...stepMeta(duty) },
    states: { [WAITING_STATE]: { on: { TICK: tick } }, [duty.id]: round },
  };
}

/** The main flow between two rounds of a timed loop: the next round begins when its timer ticks. */
function nextRoundState(loop: LoopStep, machineId: string): Json {
  return {
    meta: { waitingFor: loop.id, next: loop.repeat },
    on: { TICK: { guard: currentTimer(loop.id), target: `#${machineId}.${ACTIVE_STATE}.${loop.procedure ?? MAIN_REGION}.${loop.repeat}` } },
  };
}

function stepState(step: FlowStep, steps: Map<string, SopStep>, machineId: string): Json {
  if (step.kind === 'end') return { meta: stepMeta(step) };
  const state = openStepState(step, steps);
  const on: Json = state.on;
  switch (step.kind) {
    case 'task': {
      Object.assign(on, workTransitions(step, resolveTarget(step.next, step, steps, machineId)));
      return state;
    }
    case 'decision':
    case 'loop': {
      const branches = step.kind === 'decision' ? Object.entries(step.branches) : [['repeat', step.repeat], ['exit', step.exit]] as const;
      on.CHOOSE = branches.flatMap(([branch, target]) => {
        const next = resolveTarget(target, step, steps, machineId);
        const actions: Json[] = [{ type: 'recordChoice', params: { step: step.id } }];
        if (step.kind === 'loop' && branch === 'repeat') actions.push({ type: 'countRound', params: { step: step.id } });
        const choose = (params: Json, to: Json, extra: Json[] = []) => ({ guard: { type: 'canChoose', params }, ...to, actions: [...finishing(step, [...actions, ...extra]), ...next.actions] });
        const plain = choose(withEnd({ step: step.id, branch }, next.endsCase), { target: next.target, ...next.reenter });
        if (step.kind !== 'loop' || step.everyMs === undefined) return [plain];
        // A timed loop: the repeat waits for the round's timer unless it has already ticked; the exit disarms it.
        if (branch === 'exit') return [choose(withEnd({ step: step.id, branch }, next.endsCase), { target: next.target }, [{ type: 'disarmTimer', params: { timer: step.id } }])];
        return [
          choose({ step: step.id, branch, due: true }, { target: next.target, ...next.reenter }),
          choose({ step: step.id, branch, due: false }, { target: `#${machineId}.${ACTIVE_STATE}.${step.procedure ?? MAIN_REGION}.${NEXT_ROUND_PREFIX}${step.id}` }),
        ];
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
  if (step.kind === 'task' || step.kind === 'duty') {
    if (step.uses !== undefined) meta.uses = step.uses;
    if (step.parties.length > 0) meta.parties = step.parties;
  }
  if ((step.kind === 'loop' || step.kind === 'duty') && step.every !== undefined) {
    meta.every = step.every;
    if (step.everyMs !== undefined) meta.everyMs = step.everyMs;
  }
  return meta;
}
