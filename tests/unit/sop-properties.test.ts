/**
 * Property-based tests of the engine: generated SOPs validate, compile and run to an end;
 * compilation is deterministic; damaged SOP files never crash the validator.
 *
 * Generators live in tests/support/sop-arbitrary.ts; ALUR_PROPS_SCALE multiplies the number of runs.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  compileSop, simulateSop, validateSop, type Diagnostic, type SimulatedStep, type SimulationOptions, type SopDefinition,
} from '../../src/engine/index.js';
import { mutatedSopArb, validSopArb, type Edge, type FlowModel, type GeneratedSop } from '../support/sop-arbitrary.js';

/** ALUR_PROPS_SCALE=10 runs ten times as many cases (for a deeper search than CI can afford). */
const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.ALUR_PROPS_SCALE ?? 1)));
const FILE = 'gen.yaml';
/** The branch chosen for a step; step ids like "constructor" must not find Object.prototype's. */
function chosenFor(choices: Record<string, string> | undefined, step: string): string | undefined {
  return choices && Object.hasOwn(choices, step) ? choices[step] : undefined;
}

const SEEDS = ['pontianak-relay-tayangan.yaml', 'tarakan-pemantau-cctv.yaml'].map((name) => {
  const text = readFileSync(new URL(`../../sops/${name}`, import.meta.url), 'utf8');
  return { name, text, data: parse(text) as unknown };
});

/** Valid input, or a failure that shows every error the validator reported. */
function mustValidate(text: string): SopDefinition {
  const result = validateSop(text, FILE);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(result.definition).toBeDefined();
  return result.definition!;
}

/** Simulation options from random picks: a branch per decision/approval (or the default), rounds, procedures. */
const simulationPicksArb = fc.record({
  branches: fc.array(fc.option(fc.nat()), { minLength: 40, maxLength: 40 }),
  rounds: fc.integer({ min: 0, max: 2 }),
  procedures: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
});

function simulationOptions(gen: GeneratedSop, picks: { branches: Array<number | null>; rounds: number; procedures: boolean[] }): SimulationOptions {
  const choices: Record<string, string> = {};
  gen.choices.forEach(({ step, options }, i) => {
    const n = picks.branches[i % picks.branches.length];
    if (n !== null && n !== undefined) choices[step] = options[n % options.length]!;
  });
  return {
    choices,
    rounds: picks.rounds,
    procedures: gen.procedures.filter((_, i) => picks.procedures[i]).map((p) => p.procedure!),
  };
}

/** Where `edge` leads when the walk took `branch` (null: the flow ends). */
function targetOf(edge: Edge, branch: string | undefined): string | null {
  switch (edge.kind) {
    case 'task': return edge.next;
    case 'decision': return edge.branches.find(([name]) => name === branch)?.[1] ?? '(no such branch)';
    case 'loop': return branch === 'repeat' ? edge.repeat : edge.exit;
    case 'approval': return branch === 'refused' ? edge.refused : edge.approved;
    case 'end': return null;
  }
}

/**
 * The walk of one flow follows the generator's graph: it starts at the flow's first step, each
 * step leads to the next one by the branch taken, the branch is the one asked for, and the last
 * step leads out of the flow (to nothing or to one of the flow's end rows). Returns where it ended.
 */
function checkWalk(gen: GeneratedSop, flow: FlowModel, walk: SimulatedStep[], options: SimulationOptions): string | null {
  expect(walk.length, `flow ${flow.procedure ?? 'main'} visited no step`).toBeGreaterThan(0);
  expect(walk[0]!.step).toBe(flow.start);
  const loopVisits = new Map<string, number>();
  for (const [i, visited] of walk.entries()) {
    const edge = gen.edges.get(visited.step);
    expect(edge, `unexpected step ${visited.step}`).toBeDefined();
    if (edge!.kind === 'decision') {
      expect(visited.branch).toBe(chosenFor(options.choices, visited.step) ?? edge!.branches[0]![0]);
    } else if (edge!.kind === 'loop') {
      const round = loopVisits.get(visited.step) ?? 0;
      loopVisits.set(visited.step, round + 1);
      expect(visited.branch).toBe(round < (options.rounds ?? 0) ? 'repeat' : 'exit');
    } else if (edge!.kind === 'approval') {
      expect(visited.branch).toBe(chosenFor(options.choices, visited.step) === 'refused' ? 'refused' : 'approved');
    }
    const target = targetOf(edge!, visited.branch);
    const next = walk[i + 1];
    if (next) expect(target, `after ${visited.step} (${visited.branch ?? 'done'})`).toBe(next.step);
    else if (target !== null) expect(flow.ends).toContain(target);
    if (!next) return target;
  }
  return null;
}

describe('SOP properties', () => {
  it('any generated valid SOP compiles and its machine reaches an end', () => {
    fc.assert(
      fc.property(validSopArb(), simulationPicksArb, (gen, picks) => {
        // Generator sanity: the YAML text says what the generator meant.
        expect(parse(gen.text)).toEqual(gen.doc);

        const definition = mustValidate(gen.text);
        for (const step of definition.steps) expect(step.budgetMs, `budget of ${step.id} (${step.time})`).toBe(gen.budgets.get(step.id));
        if (gen.totalTimeMs !== undefined) expect(definition.totalBudgetMs).toBe(gen.totalTimeMs);

        const options = simulationOptions(gen, picks);
        const result = simulateSop(definition, options);

        const mainEnds = gen.main.ends;
        expect(result.finalState).not.toBe('_cancelled');
        expect([...mainEnds, '_done']).toContain(result.finalState);
        expect(result.acknowledgedRules).toEqual(gen.rules);

        // Duty rounds come by themselves beside the walk, each `every` after the case began.
        const flowSteps = result.steps.filter((s) => s.kind !== 'duty');
        for (const round of result.steps.filter((s) => s.kind === 'duty')) {
          expect(gen.duties).toContain(round.step);
          expect(round.elapsedMs).toBe(round.round! * gen.intervals.get(round.step)!);
        }

        // The walk: each requested procedure, then the main flow, then the end row reached.
        let rest = flowSteps;
        for (const id of options.procedures ?? []) {
          const flow = gen.procedures.find((p) => p.procedure === id)!;
          const count = rest.findIndex((s) => s.procedure !== id);
          const walk = count === -1 ? rest : rest.slice(0, count);
          checkWalk(gen, flow, walk, options);
          rest = rest.slice(walk.length);
        }
        const endRow = mainEnds.includes(result.finalState) ? rest[rest.length - 1] : undefined;
        if (endRow) {
          expect(endRow).toMatchObject({ step: result.finalState, kind: 'end' });
          rest = rest.slice(0, -1);
        }
        expect(rest.every((s) => s.procedure === undefined)).toBe(true);
        const exit = checkWalk(gen, gen.main, rest, options);
        expect(result.finalState).toBe(exit ?? '_done');

        // Time: the total is the sum of the visited steps' budgets, as the generator meant them.
        const sumReported = flowSteps.reduce((total, s) => total + s.budgetMs, 0);
        const sumExpected = flowSteps.reduce((total, s) => total + (gen.budgets.get(s.step) ?? 0), 0);
        expect(result.totalMs).toBe(sumReported);
        expect(result.totalMs).toBe(sumExpected);
        // The clock runs with each step's waktu, and also waits for a timed loop's next round.
        const timed = flowSteps.some((s) => s.kind === 'loop' && gen.intervals.has(s.step));
        let elapsed = 0;
        let clock = 0;
        for (const s of flowSteps) {
          elapsed += s.budgetMs;
          if (timed) expect(s.elapsedMs).toBeGreaterThanOrEqual(Math.max(elapsed, clock));
          else expect(s.elapsedMs).toBe(elapsed);
          clock = s.elapsedMs;
        }
      }),
      { numRuns: runs(100) },
    );
  });

  it('compilation is deterministic', () => {
    fc.assert(
      fc.property(validSopArb(), (gen) => {
        const first = validateSop(gen.text, FILE);
        const second = validateSop(gen.text, FILE);
        expect(first.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        // Validation has no memory: the same text gives the same answer every time.
        expect(second).toEqual(first);
        // Compiling the same definition twice gives the same machine, down to the last byte.
        const config = JSON.stringify(compileSop(first.definition!).config);
        expect(JSON.stringify(compileSop(first.definition!).config)).toBe(config);
      }),
      { numRuns: runs(100) },
    );
  });

  it('random mutations never crash the validator', () => {
    let valid = 0;
    fc.assert(
      fc.property(mutatedSopArb(SEEDS), ({ text }) => {
        const result = validateSop(text, FILE);
        const lines = text.split('\n').length;
        const wellFormed = (d: Diagnostic) =>
          d.file === FILE && Number.isInteger(d.line) && Number.isInteger(d.column) && d.line >= 1 && d.column >= 1 && d.line <= lines + 1
          && typeof d.message === 'string' && d.message.trim() !== '' && typeof d.code === 'string' && d.code !== ''
          && (d.severity === 'error' || d.severity === 'warning') && typeof d.path === 'string';
        expect(result.file).toBe(FILE);
        expect(result.diagnostics.filter((d) => !wellFormed(d))).toEqual([]);
        expect(result.diagnostics.filter((d) => d.code === 'internal-error')).toEqual([]);
        const hasError = result.diagnostics.some((d) => d.severity === 'error');
        expect(result.definition !== undefined).toBe(!hasError);
        // What the validator lets through, the compiler must take.
        if (result.definition) {
          valid += 1;
          compileSop(result.definition);
        }
      }),
      { numRuns: runs(200) },
    );
    // The mutations are not all fatal: some damaged files are still valid SOPs.
    expect(valid).toBeGreaterThan(0);
  });
});
