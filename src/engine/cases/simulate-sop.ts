/**
 * Walk an SOP through the case engine (the same `decide` a durable case uses) on a virtual
 * clock, one actor per role, choosing the first branch unless told otherwise. Every step the walk passes is listed with its budget and
 * the running total. Used by `alur simulate`, behaviour tests and property tests.
 */
import { own, type CaseActor } from './case-events.js';
import type { CaseCommand } from './case-commands.js';
import { createRunnableVersion, type RunnableVersion } from './case-decide.js';
import type { AdapterRun } from './case-effects.js';
import { RefusedError } from './case-errors.js';
import { quotedList, refusal, type Refusal } from './command-checks.js';
import { IDLE_STATE, MAIN_REGION, NEXT_ROUND_PREFIX } from './compile-sop.js';
import { MemoryCase } from './memory-case.js';
import type { CaseObserver } from '../ports.js';
import { sampleFromSchema } from '../language/sample-data.js';
import type { DutyStep, FlowStep, SopDefinition, WorkStep } from '../language/sop-types.js';

export interface SimulationOptions {
  /** Branch to take per decision/approval id (`ya`, `tidak`, `approved`, `refused`…). */
  choices?: Record<string, string>;
  /** How many times each loop repeats before exiting (default 0). */
  rounds?: number;
  /** On-demand procedures to run once, right after the rules are acknowledged. */
  procedures?: string[];
  /** Guard against SOPs that loop for ever. */
  maxSteps?: number;
  /** Watches the walk's case change (`alur simulate --inspect`). */
  observer?: CaseObserver;
}

export interface SimulatedStep {
  step: string;
  kind: FlowStep['kind'] | 'duty';
  role?: string;
  /** Every pelaksana of the row, and whether any one of them or all of them act. */
  roles: string[];
  by?: 'any' | 'all';
  activity: string;
  time?: string;
  budgetMs: number;
  /** Virtual time since the start when this step was done (waits for timed rounds included). */
  elapsedMs: number;
  /** A duty's round number. */
  round?: number;
  branch?: string;
  procedure?: string;
  actors: string[];
}

export interface SimulationResult {
  steps: SimulatedStep[];
  acknowledgedRules: string[];
  totalMs: number;
  /** The machine's final state: an end row's id, `_done`, or `_cancelled`. */
  finalState: string;
}

export class SimulationStuckError extends Error {
  constructor(readonly step: string, readonly refusals: Refusal[]) {
    super(`the walk stopped at step "${step}": ${refusals.map((r) => r.message).join('; ') || 'the machine refused the event'}`);
    this.name = 'SimulationStuckError';
  }
}

/** Adapter outcomes in a simulation: every run succeeds at once, so a walk never touches cameras or the media server. */
export function simulatedAdapterResult(run: AdapterRun): { ok: true; result: unknown } {
  return { ok: true, result: { simulated: true, adapter: run.adapter } };
}

export function actorFor(role: string, suffix = ''): CaseActor {
  return { id: `sim-${role}${suffix}`, roles: [role] };
}

export function simulateSop(definition: SopDefinition, options: SimulationOptions = {}, version: RunnableVersion = createRunnableVersion(0, definition)): SimulationResult {
  // The virtual clock: each step takes its waktu; a timed loop waits for its round; duties come round on their own.
  let elapsedMs = 0;
  const run = new MemoryCase(version, {
    now: () => new Date(elapsedMs), answerAdapter: simulatedAdapterResult,
    ...(options.observer ? { observer: options.observer, id: `simulasi-${definition.id}` } : {}),
  });
  const steps = version.steps;
  const result: SimulationResult = { steps: [], acknowledgedRules: [], totalMs: 0, finalState: '' };
  const maxSteps = options.maxSteps ?? 1000;
  const loopRounds = new Map<string, number>();

  const send = (command: CaseCommand, actor: CaseActor, stepId: string): void => {
    try {
      run.send(command, actor);
    } catch (error) {
      if (error instanceof RefusedError) throw new SimulationStuckError(stepId, error.refusals);
      throw new SimulationStuckError(stepId, [refusal('wrong-command', 'other', { detail: (error as Error).message }, (error as Error).message)]);
    }
  };

  for (const rule of definition.steps) {
    if (rule.kind !== 'rule') continue;
    send({ type: 'acknowledge', rule: rule.id }, actorFor(rule.role), rule.id);
    result.acknowledgedRules.push(rule.id);
  }

  const duties = definition.steps.filter((s): s is DutyStep => s.kind === 'duty');
  const record = (step: FlowStep | DutyStep, done: { branch?: string; actors: string[] }, extra: Partial<SimulatedStep> = {}): void => {
    result.steps.push({
      step: step.id, kind: step.kind, ...(step.role ? { role: step.role } : {}), roles: step.roles, ...(step.by ? { by: step.by } : {}), activity: step.activity,
      ...(step.time ? { time: step.time } : {}), budgetMs: step.budgetMs ?? 0, elapsedMs,
      ...(done.branch ? { branch: done.branch } : {}), actors: done.actors, ...extra,
    });
  };
  /**
   * Move the clock on, and let every duty round that comes due be done by its role (beside the
   * walk). A round due at the very moment a step finishes comes after it (`inclusive` false).
   */
  const advanceTo = (at: number, inclusive = false): void => {
    const due = (t: number) => (inclusive ? t <= at : t < at);
    for (let next = run.nextDue({ deadlines: false }); next && due(next.dueAt.getTime()) && run.status === 'active'; next = run.nextDue({ deadlines: false })) {
      elapsedMs = Math.max(elapsedMs, next.dueAt.getTime());
      run.fireDue({ deadlines: false });
      for (const duty of duties) {
        if (run.at(duty.id) !== duty.id) continue;
        record(duty, { actors: completeWork(duty) }, { round: own(run.context.visits, duty.id) ?? 1 });
      }
    }
    elapsedMs = Math.max(elapsedMs, at);
  };

  const walk = (region: string, procedure?: string): void => {
    let guard = 0;
    for (let id = run.at(region); id !== undefined && id !== IDLE_STATE; id = run.at(region)) {
      if ((guard += 1) > maxSteps) throw new SimulationStuckError(id, [refusal('wrong-command', 'other', { detail: `more than ${maxSteps} steps; does a loop never exit?` }, `more than ${maxSteps} steps; does a loop never exit?`)]);
      if (id.startsWith(NEXT_ROUND_PREFIX)) {
        // A timed loop waits for its next round.
        const due = run.nextDue({ deadlines: false });
        if (!due) throw new SimulationStuckError(id, [refusal('wrong-command', 'other', { detail: 'a timed loop waits for a round that is never armed' }, 'a timed loop waits for a round that is never armed')]);
        advanceTo(due.dueAt.getTime(), true);
        continue;
      }
      const step = steps.get(id) as FlowStep;
      advanceTo(elapsedMs + (step.budgetMs ?? 0));
      const done = performStep(step);
      result.totalMs += step.budgetMs ?? 0;
      record(step, done, procedure ? { procedure } : {});
    }
  };

  /** A task or duty round done by its pelaksana (each party signing), with the kelengkapan and a sample output. */
  const completeWork = (step: WorkStep): string[] => {
    const output = sampleFromSchema(step.output?.schema);
    const parties = step.parties.length > 0 ? step.parties : [undefined];
    const actors: string[] = [];
    parties.forEach((party, index) => {
      const who = actorFor(party?.role ?? step.role, party ? `-${party.id}` : '');
      send({
        type: 'complete', step: step.id, ...(party ? { party: party.id } : {}),
        ...(index === 0 ? { checklist: [...step.requirements], ...(output === undefined ? {} : { output }) } : {}),
      }, who, step.id);
      actors.push(who.id);
    });
    return actors;
  };

  const performStep = (step: FlowStep): { branch?: string; actors: string[] } => {
    const chosen = options.choices ? own(options.choices, step.id) : undefined;
    switch (step.kind) {
      case 'task':
        return { actors: completeWork(step) };
      case 'decision': {
        const branch = chosen ?? Object.keys(step.branches)[0]!;
        send({ type: 'choose', step: step.id, branch }, actorFor(step.role), step.id);
        return { branch, actors: [actorFor(step.role).id] };
      }
      case 'loop': {
        const done = loopRounds.get(step.id) ?? 0;
        const branch = chosen ?? (done < (options.rounds ?? 0) ? 'repeat' : 'exit');
        loopRounds.set(step.id, done + 1);
        send({ type: 'choose', step: step.id, branch }, actorFor(step.role), step.id);
        return { branch, actors: [actorFor(step.role).id] };
      }
      case 'approval': {
        const who = actorFor(step.role);
        if (chosen === 'refused') {
          send({ type: 'refuse', step: step.id, reason: 'Ditolak dalam simulasi' }, who, step.id);
          return { branch: 'refused', actors: [who.id] };
        }
        const output = sampleFromSchema(step.output?.schema);
        send({ type: 'approve', step: step.id, checklist: [...step.requirements], ...(output === undefined ? {} : { output }) }, who, step.id);
        return { branch: 'approved', actors: [who.id] };
      }
      case 'end':
        return { actors: [] };
    }
  };

  for (const procedureId of options.procedures ?? []) {
    const procedure = steps.get(procedureId);
    if (!procedure || procedure.kind !== 'procedure') {
      throw new SimulationStuckError(procedureId, [refusal('unknown-procedure', 'default', { procedure: procedureId, procedures: quotedList(definition.steps.filter((s) => s.kind === 'procedure').map((s) => s.id)) }, `"${procedureId}" is not a procedure of this SOP`)]);
    }
    send({ type: 'start-procedure', procedure: procedure.id }, actorFor(procedure.role), procedure.id);
    walk(procedure.id, procedure.id);
  }
  walk(MAIN_REGION);

  result.finalState = run.ended() ?? JSON.stringify(run.value);
  const endStep = steps.get(result.finalState);
  if (endStep?.kind === 'end') {
    result.steps.push({ step: endStep.id, kind: 'end', roles: [], activity: endStep.activity, budgetMs: 0, elapsedMs, actors: [] });
  }
  return result;
}
