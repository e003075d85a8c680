import { describe, expect, it } from 'vitest';
import { compileSop, stepIndex, type SopDefinition } from '../../src/engine/index.js';
import { loadSeed } from '../support/seeds.js';

/** Every state node in a config, with its path. */
function statesOf(config: Record<string, unknown>, path: string[] = []): Array<{ path: string[]; node: Record<string, unknown> }> {
  const children = (config.states ?? {}) as Record<string, Record<string, unknown>>;
  return Object.entries(children).flatMap(([key, node]) => [{ path: [...path, key], node }, ...statesOf(node, [...path, key])]);
}

describe.each(['pontianak', 'tarakan'] as const)('compiled %s SOP', (name) => {
  const definition: SopDefinition = loadSeed(name);
  const config = compileSop(definition).config as unknown as Record<string, unknown>;

  it('matches the golden machine config', async () => {
    await expect(JSON.stringify(config, null, 2) + '\n').toMatchFileSnapshot(`../golden/${definition.id}.machine.json`);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(compileSop(loadSeed(name)).config)).toBe(JSON.stringify(config));
  });

  it('has one state per flow step, carrying its mutu baku in meta', () => {
    const steps = stepIndex(definition);
    const byStep = new Map(statesOf(config).filter((s) => (s.node.meta as { step?: string } | undefined)?.step).map((s) => [(s.node.meta as { step: string }).step, s.node]));
    for (const step of definition.steps) {
      if (step.kind === 'rule') {
        expect(byStep.has(step.id), `rule ${step.id} is not a state`).toBe(false);
        continue;
      }
      const meta = byStep.get(step.id)?.meta as Record<string, unknown> | undefined;
      expect(meta, `state for ${step.id}`).toBeDefined();
      expect(meta!.role).toBe(steps.get(step.id)!.role);
      expect(meta!.budgetMs).toBe(step.budgetMs);
      expect(meta!.requirements ?? []).toEqual(step.requirements);
    }
  });

  it('uses no XState timers: budgets are data, deadlines belong to the case engine', () => {
    for (const { node } of statesOf(config)) expect(node.after).toBeUndefined();
  });

  it('binds adapters by name: a run on entering the step, another on retry, outcomes only for the current run', () => {
    type Action = { type: string; params?: { adapter?: string } };
    const bound = statesOf(config).flatMap(({ node }) => ((node.entry ?? []) as Action[]).filter((a) => a.type === 'runAdapter').map((a) => a.params!.adapter));
    const declared = definition.steps.flatMap((s) => (s.kind === 'task' && s.uses ? [s.uses] : []));
    expect(bound).toEqual(declared);
    for (const { node } of statesOf(config)) {
      if (!((node.entry ?? []) as Action[]).some((a) => a.type === 'runAdapter')) continue;
      const on = node.on as Record<string, { guard: { type: string }; actions: Action[] }>;
      expect(on.ADAPTER_DONE!.guard.type).toBe('isCurrentRun');
      expect(on.ADAPTER_FAILED!.guard.type).toBe('isCurrentRun');
      expect(on.RETRY!.actions.map((a) => a.type)).toEqual(['nextAdapterRun', 'runAdapter']);
    }
  });

  it('opens and closes every step through effect markers, so the engine reads effects from the machine', () => {
    for (const { node } of statesOf(config)) {
      const meta = node.meta as { step?: string; kind?: string } | undefined;
      if (!meta?.step || meta.kind === 'end' || meta.kind === 'procedure') continue;
      expect((node.entry as Array<{ type: string }>).map((a) => a.type).slice(0, 2)).toEqual(['enterStep', 'stepOpened']);
      expect((node.exit as Array<{ type: string }>).map((a) => a.type)).toEqual(['stepClosed']);
    }
  });
});
