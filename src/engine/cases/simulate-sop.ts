/**
 * Walk an SOP through its compiled machine on a virtual clock, one actor per role, choosing the
 * first branch unless told otherwise. Every step the walk passes is listed with its budget and
 * the running total. Used by `alur simulate`, behaviour tests and property tests.
 */
import { createActor, fromPromise, SimulatedClock, type AnyActorLogic, type SnapshotFrom } from 'xstate';
import { ADAPTERS } from '../language/adapter-catalog.js';
import { own, type CaseActor, type CaseContext, type CaseEvent } from './case-events.js';
import { ACTIVE_STATE, compileSop, createCheckTools, IDLE_STATE, MAIN_REGION, type SopMachine } from './compile-sop.js';
import {
  acknowledgeRefusals, approveRefusals, chooseRefusals, completeRefusals, refuseRefusals, startProcedureRefusals, type Refusal,
} from './event-checks.js';
import { sampleFromSchema } from '../language/sample-data.js';
import type { FlowStep, SopDefinition } from '../language/sop-types.js';

export interface SimulationOptions {
  /** Branch to take per decision/approval id (`ya`, `tidak`, `approved`, `refused`…). */
  choices?: Record<string, string>;
  /** How many times each loop repeats before exiting (default 0). */
  rounds?: number;
  /** On-demand procedures to run once, right after the rules are acknowledged. */
  procedures?: string[];
  /** Guard against SOPs that loop for ever. */
  maxSteps?: number;
}

export interface SimulatedStep {
  step: string;
  kind: FlowStep['kind'];
  role?: string;
  activity: string;
  time?: string;
  budgetMs: number;
  /** Virtual time since the start when this step was done. */
  elapsedMs: number;
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

/** Adapters that answer at once, so a simulation never touches cameras or the media server. */
export function simulatedAdapters(): Record<string, AnyActorLogic> {
  return Object.fromEntries(Object.keys(ADAPTERS).map((name) => [name, fromPromise(async () => ({ simulated: true, adapter: name }))]));
}

export function actorFor(role: string, suffix = ''): CaseActor {
  return { id: `sim-${role}${suffix}`, roles: [role] };
}

export function simulateSop(definition: SopDefinition, options: SimulationOptions = {}, machine: SopMachine = compileSop(definition)): SimulationResult {
  const tools = createCheckTools(definition);
  const clock = new SimulatedClock();
  const actor = createActor(machine.provide({ actors: simulatedAdapters() }), { clock });
  actor.start();
  const steps = new Map(definition.steps.map((s) => [s.id, s]));
  const result: SimulationResult = { steps: [], acknowledgedRules: [], totalMs: 0, finalState: '' };
  const maxSteps = options.maxSteps ?? 1000;
  const loopRounds = new Map<string, number>();
  const snapshot = () => actor.getSnapshot() as SnapshotFrom<SopMachine>;
  const context = () => snapshot().context as CaseContext;

  const send = (event: CaseEvent, explain: () => Refusal[], stepId: string): void => {
    const before = snapshot();
    actor.send(event);
    if (snapshot() === before) throw new SimulationStuckError(stepId, explain());
  };

  for (const rule of definition.steps) {
    if (rule.kind !== 'rule') continue;
    const event = { type: 'ACKNOWLEDGE', actor: actorFor(rule.role), rule: rule.id } as const;
    send(event, () => acknowledgeRefusals(tools, context(), event), rule.id);
    result.acknowledgedRules.push(rule.id);
  }

  const currentIn = (region: string): string | undefined => {
    const value = snapshot().value as unknown;
    if (typeof value !== 'object' || value === null) return undefined;
    return ((value as Record<string, Record<string, string> | undefined>)[ACTIVE_STATE] ?? {})[region];
  };

  const walk = (region: string, procedure?: string): void => {
    let guard = 0;
    for (let id = currentIn(region); id !== undefined && id !== IDLE_STATE; id = currentIn(region)) {
      if ((guard += 1) > maxSteps) throw new SimulationStuckError(id, [{ code: 'wrong-step', message: `more than ${maxSteps} steps; does a loop never exit?` }]);
      const step = steps.get(id) as FlowStep;
      const done = performStep(step);
      result.totalMs += step.budgetMs ?? 0;
      clock.increment(step.budgetMs ?? 0);
      result.steps.push({
        step: step.id, kind: step.kind, ...(step.role ? { role: step.role } : {}), activity: step.activity,
        ...(step.time ? { time: step.time } : {}), budgetMs: step.budgetMs ?? 0, elapsedMs: result.totalMs,
        ...(done.branch ? { branch: done.branch } : {}), ...(procedure ? { procedure } : {}), actors: done.actors,
      });
    }
  };

  const performStep = (step: FlowStep): { branch?: string; actors: string[] } => {
    const chosen = options.choices ? own(options.choices, step.id) : undefined;
    switch (step.kind) {
      case 'task': {
        const output = sampleFromSchema(step.output?.schema);
        const parties = step.parties.length > 0 ? step.parties : [undefined];
        const actors: string[] = [];
        parties.forEach((party, index) => {
          const who = actorFor(party?.role ?? step.role, party ? `-${party.id}` : '');
          const event = {
            type: 'COMPLETE', actor: who, step: step.id, ...(party ? { party: party.id } : {}),
            ...(index === 0 ? { checklist: step.requirements, ...(output === undefined ? {} : { output }) } : {}),
          } as const;
          const mode = index === parties.length - 1 ? 'final' : 'partial';
          send(event, () => completeRefusals(tools, context(), event, { step: step.id }, mode), step.id);
          actors.push(who.id);
        });
        return { actors };
      }
      case 'decision': {
        const branch = chosen ?? Object.keys(step.branches)[0]!;
        const event = { type: 'CHOOSE', actor: actorFor(step.role), step: step.id, branch } as const;
        send(event, () => (!Object.hasOwn(step.branches, branch) ? [{ code: 'unknown-branch', message: `no branch "${branch}"; branches: ${Object.keys(step.branches).join(', ')}` }] : chooseRefusals(tools, context(), event, { step: step.id, branch })), step.id);
        return { branch, actors: [event.actor.id] };
      }
      case 'loop': {
        const done = loopRounds.get(step.id) ?? 0;
        const branch = chosen ?? (done < (options.rounds ?? 0) ? 'repeat' : 'exit');
        loopRounds.set(step.id, done + 1);
        const event = { type: 'CHOOSE', actor: actorFor(step.role), step: step.id, branch } as const;
        send(event, () => chooseRefusals(tools, context(), event, { step: step.id, branch }), step.id);
        return { branch, actors: [event.actor.id] };
      }
      case 'approval': {
        const who = actorFor(step.role);
        if (chosen === 'refused') {
          const event = { type: 'REFUSE', actor: who, step: step.id, reason: 'Ditolak dalam simulasi' } as const;
          send(event, () => refuseRefusals(tools, context(), event, { step: step.id }), step.id);
          return { branch: 'refused', actors: [who.id] };
        }
        const output = sampleFromSchema(step.output?.schema);
        const event = { type: 'APPROVE', actor: who, step: step.id, checklist: step.requirements, ...(output === undefined ? {} : { output }) } as const;
        send(event, () => approveRefusals(tools, context(), event, { step: step.id }), step.id);
        return { branch: 'approved', actors: [who.id] };
      }
      case 'end':
        return { actors: [] };
    }
  };

  for (const procedureId of options.procedures ?? []) {
    const procedure = steps.get(procedureId);
    if (!procedure || procedure.kind !== 'procedure') {
      throw new SimulationStuckError(procedureId, [{ code: 'wrong-step', message: `"${procedureId}" is not a procedure of this SOP` }]);
    }
    const event = { type: 'START_PROCEDURE', actor: actorFor(procedure.role), procedure: procedure.id } as const;
    send(event, () => startProcedureRefusals(tools, context(), event, { procedure: procedure.id }), procedure.id);
    walk(procedure.id, procedure.id);
  }
  walk(MAIN_REGION);

  const finalValue = snapshot().value;
  result.finalState = typeof finalValue === 'string' ? finalValue : JSON.stringify(finalValue);
  const endStep = steps.get(result.finalState);
  if (endStep?.kind === 'end') {
    result.steps.push({ step: endStep.id, kind: 'end', activity: endStep.activity, budgetMs: 0, elapsedMs: result.totalMs, actors: [] });
  }
  actor.stop();
  return result;
}
