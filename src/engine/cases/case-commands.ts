/**
 * Commands people (and Alur itself) give a case, and how each maps to the event the SOP's
 * machine understands. A command is what is recorded in the case's event log; every one of them
 * goes through the machine, which alone decides whether it is taken.
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

/** What Alur itself feeds back: an adapter run's outcome, a step's waktu running out, a periodic round coming due. */
export type SystemCommand =
  | { type: 'adapter-succeeded'; step: string; run?: number; result: unknown }
  | { type: 'adapter-failed'; step: string; run?: number; error: string }
  | { type: 'deadline'; step: string; visit?: number }
  | { type: 'timer'; timer: string; round: number; dueAt?: string };

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
  deadline: 'step.overdue',
  timer: 'timer.fired',
} as const satisfies Record<AnyCaseCommand['type'], string>;

export type CaseEventLogType = (typeof EVENT_TYPE)[keyof typeof EVENT_TYPE] | 'case.started';

const COMMAND_OF_EVENT = new Map<string, AnyCaseCommand['type']>(Object.entries(EVENT_TYPE).map(([command, event]) => [event, command as AnyCaseCommand['type']]));

/** Commands only Alur itself gives; they are never refused, only found late. */
export function isSystemCommand(command: AnyCaseCommand): command is SystemCommand {
  return command.type === 'adapter-succeeded' || command.type === 'adapter-failed' || command.type === 'deadline' || command.type === 'timer';
}

/** The command a logged event recorded, or undefined for `case.started` and unknown types. */
export function commandFromEvent(type: string, payload: unknown): AnyCaseCommand | undefined {
  const commandType = COMMAND_OF_EVENT.get(type);
  if (commandType === undefined) return undefined;
  const { late: _late, ...fields } = (payload ?? {}) as Record<string, unknown>;
  return { ...fields, type: commandType } as AnyCaseCommand;
}

/** The machine event for a command. */
export function toMachineEvent(command: AnyCaseCommand, actor: CaseActor): CaseEvent {
  switch (command.type) {
    case 'start-step':
      return { type: 'START_STEP', actor, step: command.step };
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
    case 'add-note':
      return { type: 'ADD_NOTE', actor, text: command.text, ...pick(command, ['step']) };
    case 'start-procedure':
      return { type: 'START_PROCEDURE', actor, procedure: command.procedure };
    case 'retry':
      return { type: 'RETRY', actor, step: command.step };
    case 'cancel':
      return { type: 'CANCEL', actor, reason: command.reason };
    case 'adapter-succeeded':
      return { type: 'ADAPTER_DONE', actor, step: command.step, result: command.result, ...pick(command, ['run']) };
    case 'adapter-failed':
      return { type: 'ADAPTER_FAILED', actor, step: command.step, error: command.error, ...pick(command, ['run']) };
    case 'deadline':
      return { type: 'OVERDUE', actor, step: command.step, ...pick(command, ['visit']) };
    case 'timer':
      return { type: 'TICK', actor, timer: command.timer, round: command.round, ...pick(command, ['dueAt']) };
  }
}

function pick<T extends object, K extends keyof T>(value: T, keys: K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (value[key] !== undefined) out[key] = value[key];
  return out;
}
