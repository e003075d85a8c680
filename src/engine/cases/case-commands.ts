/**
 * Commands people (and Alur itself) give a case, and how each maps to the event the SOP's
 * machine understands. A command is what is recorded in the case's event log.
 */
import type { CaseActor, CaseEvent } from './case-events.js';

export type CaseCommand =
  | { type: 'start-step'; step: string }
  | { type: 'complete'; step: string; output?: unknown; checklist?: string[]; party?: string }
  | { type: 'choose'; step: string; branch: string }
  | { type: 'approve'; step: string; output?: unknown; checklist?: string[] }
  | { type: 'refuse'; step: string; reason: string }
  | { type: 'acknowledge'; rule: string }
  | { type: 'add-note'; text: string; step?: string }
  | { type: 'start-procedure'; procedure: string }
  | { type: 'retry'; step: string }
  | { type: 'cancel'; reason: string };

/** Results Alur itself feeds back: an adapter run's outcome. */
export type SystemCommand =
  | { type: 'adapter-succeeded'; step: string; result: unknown }
  | { type: 'adapter-failed'; step: string; error: string };

export type AnyCaseCommand = CaseCommand | SystemCommand;

export const SYSTEM_ACTOR: CaseActor = Object.freeze({ id: 'alur', roles: [] });

/** Event-log type of each command (past tense: what happened). */
export const EVENT_TYPE = {
  'start-step': 'step.started',
  complete: 'step.completed',
  choose: 'branch.chosen',
  approve: 'approval.given',
  refuse: 'approval.refused',
  acknowledge: 'rule.acknowledged',
  'add-note': 'note.added',
  'start-procedure': 'procedure.started',
  retry: 'adapter.retried',
  cancel: 'case.cancelled',
  'adapter-succeeded': 'adapter.succeeded',
  'adapter-failed': 'adapter.failed',
} as const satisfies Record<AnyCaseCommand['type'], string>;

export type CaseEventLogType = (typeof EVENT_TYPE)[keyof typeof EVENT_TYPE] | 'case.started' | 'step.overdue';

/** The machine event for a command, or undefined for commands the machine does not see (start, note). */
export function toMachineEvent(command: AnyCaseCommand, actor: CaseActor): CaseEvent | { type: string; [key: string]: unknown } | undefined {
  switch (command.type) {
    case 'complete':
      return { type: 'COMPLETE', actor, step: command.step, ...pick(command, ['output', 'checklist', 'party']) };
    case 'choose':
      return { type: 'CHOOSE', actor, step: command.step, branch: command.branch };
    case 'approve':
      return { type: 'APPROVE', actor, step: command.step, ...pick(command, ['output', 'checklist']) };
    case 'refuse':
      return { type: 'REFUSE', actor, step: command.step, reason: command.reason };
    case 'acknowledge':
      return { type: 'ACKNOWLEDGE', actor, rule: command.rule };
    case 'start-procedure':
      return { type: 'START_PROCEDURE', actor, procedure: command.procedure };
    case 'retry':
      return { type: 'RETRY', actor, step: command.step };
    case 'cancel':
      return { type: 'CANCEL', actor, reason: command.reason };
    // The invoked adapter actors are inert inside the engine; their outcome arrives as these.
    case 'adapter-succeeded':
      return { type: `xstate.done.actor.adapter:${command.step}`, output: command.result };
    case 'adapter-failed':
      return { type: `xstate.error.actor.adapter:${command.step}`, error: new Error(command.error) };
    case 'start-step':
    case 'add-note':
      return undefined;
  }
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
