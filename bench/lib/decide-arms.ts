/**
 * The engine alone, no database: Alur's `decide` (restore the stored snapshot, check and run the
 * command through the compiled SOP machine, derive the effects) against XState's own `transition()`
 * on a plain six-state machine of the same chain (restore, transition, keep the outputs). Both
 * round-trip the snapshot through JSON per step, as persisting it would. One full Pontianak case
 * (start + six steps) per iteration; interleaved rounds, medians, per-round ratio.
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { assign, createMachine, initialTransition, transition } from 'xstate';
import { createRunnableVersion, decide, decideStart, validateSop, type CaseStatus } from '../../src/engine/index.js';
import { ALL_STEPS } from './command-arms.js';
import { median } from './stats.js';

const IDS = ALL_STEPS.map((s) => (s.command.type === 'complete' ? s.command.step : ''));

function plainMachine() {
  const states: Record<string, object> = {};
  IDS.forEach((id, i) => {
    states[id] = {
      on: {
        COMPLETE: {
          guard: ({ event }: { event: { step: string } }) => event.step === id,
          target: IDS[i + 1] ?? 'done',
          actions: assign({ outputs: ({ context, event }) => ({ ...(context as { outputs: Record<string, unknown> }).outputs, [id]: (event as { output?: unknown }).output }) }),
        },
      },
    };
  });
  states.done = { type: 'final' };
  return createMachine({ id: 'pontianak', initial: IDS[0], context: { outputs: {} as Record<string, unknown> }, states } as never);
}

export interface DecideResult { xstateCasesPerS: number; decideCasesPerS: number; ratio: number; perRound: Array<{ xstate: number; decide: number }> }

export function measureDecideVsXState(rounds: number, armMs: number): DecideResult {
  const { definition } = validateSop(readFileSync('sops/pontianak-relay-tayangan.yaml', 'utf8'), 'pontianak.yaml');
  if (!definition) throw new Error('the Pontianak SOP does not validate');
  const version = createRunnableVersion(1, definition);
  const machine = plainMachine();
  const persist = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
  const now = new Date('2026-03-02T00:00:00Z');

  const xstateCase = () => {
    let [snapshot] = initialTransition(machine);
    let stored = persist({ value: snapshot.value, context: snapshot.context });
    for (const step of ALL_STEPS) {
      if (step.command.type !== 'complete') continue;
      const restored = machine.resolveState(stored as never);
      [snapshot] = transition(machine, restored, { type: 'COMPLETE', step: step.command.step, output: step.command.output ?? null } as never);
      stored = persist({ value: snapshot.value, context: snapshot.context });
    }
    if (snapshot.status !== 'done') throw new Error('bench: the plain XState case did not finish');
  };
  const decideCase = () => {
    const start = decideStart(version, now, null);
    let stored: { seq: number; status: CaseStatus; snapshot: unknown } = { seq: 1, status: 'active', snapshot: persist(start.snapshot) };
    for (const step of ALL_STEPS) {
      const decision = decide(version, { caseId: 'c', seq: stored.seq, status: stored.status, snapshot: stored.snapshot, title: null }, step.command, { id: `p.${step.role}`, roles: [step.role] }, now);
      stored = { seq: stored.seq + 1, status: decision.status, snapshot: persist(decision.snapshot) };
    }
    if (stored.status !== 'completed') throw new Error(`bench: the decided case ended ${stored.status}`);
  };
  const rate = (run: () => void, ms: number) => {
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < ms) { run(); n += 1; }
    return n / ((performance.now() - started) / 1000);
  };
  rate(xstateCase, 300);
  rate(decideCase, 300);
  const perRound: Array<{ xstate: number; decide: number }> = [];
  for (let round = 0; round < rounds; round += 1) {
    const first = round % 2 === 0;
    const a = rate(first ? xstateCase : decideCase, armMs);
    const b = rate(first ? decideCase : xstateCase, armMs);
    perRound.push(first ? { xstate: a, decide: b } : { xstate: b, decide: a });
  }
  return {
    xstateCasesPerS: median(perRound.map((r) => r.xstate)),
    decideCasesPerS: median(perRound.map((r) => r.decide)),
    ratio: median(perRound.map((r) => r.decide / r.xstate)),
    perRound,
  };
}
