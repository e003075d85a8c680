/**
 * Periodic duties on a virtual clock, through the engine's own `decide`: a patrol loop with
 * `every: 1 jam` and a supervisor's inspection `every: 2 jam` beside it for the whole shift.
 * Rounds come from durable timers (effects → jobs rows in a real case), fired here by MemoryCase.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activeStepsOf, createRunnableVersion, MemoryCase, simulateSop, toMermaid, validateSop, type CaseActor, type Decision } from '../../src/engine/index.js';

const FILE = new URL('../fixtures/sops/shift-patroli-inspeksi.yaml', import.meta.url);
const definition = validateSop(readFileSync(FILE, 'utf8'), 'shift-patroli-inspeksi.yaml').definition!;
const petugas: CaseActor = { id: 'andi', roles: ['petugas'] };
const supervisor: CaseActor = { id: 'sri', roles: ['supervisor'] };
const MINUTE = 60_000;

function shift() {
  let now = 0;
  const run = new MemoryCase(createRunnableVersion(1, definition), { now: () => new Date(now) });
  const at = (minutes: number): Decision[] => {
    now = minutes * MINUTE;
    return run.fireDue();
  };
  return { run, at, open: () => activeStepsOf(run.value) };
}

describe('a patrol loop with "every"', () => {
  it('waits for the next round when the patrol was quick, and begins it when the hour is up', () => {
    const { run, at, open } = shift();
    at(10);
    run.send({ type: 'complete', step: 'serah-terima-awal' }, petugas);
    at(40);
    run.send({ type: 'complete', step: 'patroli', output: { area: 'Simpang Grand' } }, petugas);
    run.send({ type: 'choose', step: 'shift-berakhir', branch: 'repeat' }, petugas);
    expect(open()).not.toContain('patroli');
    expect(at(69)).toEqual([]);
    const [tick] = at(70);
    expect(tick?.eventType).toBe('timer.fired');
    expect(tick?.entered.map((e) => [e.stepId, e.visit])).toEqual([['patroli', 2]]);
    // The next round is armed an hour after this one began.
    expect(tick?.timers).toEqual([{ timer: 'shift-berakhir', round: 2, dueAt: new Date(130 * MINUTE) }]);
  });

  it('begins the next round at once when the patrol ran past the hour', () => {
    const { run, at, open } = shift();
    run.send({ type: 'complete', step: 'serah-terima-awal' }, petugas);
    at(65);
    run.send({ type: 'complete', step: 'patroli', output: { area: 'Pasar' } }, petugas);
    expect(run.context.roundDue['shift-berakhir']).toBe(true);
    const repeat = run.send({ type: 'choose', step: 'shift-berakhir', branch: 'repeat' }, petugas);
    expect(open()).toContain('patroli');
    expect(repeat.timers).toEqual([{ timer: 'shift-berakhir', round: 2, dueAt: new Date(125 * MINUTE) }]);
  });

  it('leaving the loop disarms its timer: the pending tick is recorded late and opens nothing', () => {
    const { run, at } = shift();
    run.send({ type: 'complete', step: 'serah-terima-awal' }, petugas);
    run.send({ type: 'complete', step: 'patroli', output: { area: 'Pasar' } }, petugas);
    run.send({ type: 'choose', step: 'shift-berakhir', branch: 'exit' }, petugas);
    const fired = at(60);
    const tick = fired.find((d) => d.eventType === 'timer.fired');
    expect(tick?.late).toBe(true);
    expect(tick?.entered).toEqual([]);
  });
});

describe('a duty beside the flow', () => {
  it('opens a round every two hours for its own role, kept apart from the officer\'s steps', () => {
    const { run, at, open } = shift();
    expect(at(119).some((d) => d.entered.some((e) => e.stepId === 'inspeksi-supervisor'))).toBe(false);
    const [round] = at(120).filter((d) => d.eventType === 'timer.fired');
    expect(round?.entered).toMatchObject([{ stepId: 'inspeksi-supervisor', visit: 1, roles: ['supervisor'], budgetMs: 15 * MINUTE }]);
    expect(round?.notifications.map((n) => [n.kind, n.roles])).toEqual([['step-available', ['supervisor']]]);
    expect(open()).toEqual(['serah-terima-awal', 'inspeksi-supervisor']);
    // The officer cannot do the supervisor's round; the supervisor needs the checklist and a valid output.
    expect(run.accepts({ type: 'complete', step: 'inspeksi-supervisor', checklist: ['Daftar periksa inspeksi'], output: { kondisi: 'baik' } }, petugas)).toBe(false);
    expect(run.accepts({ type: 'complete', step: 'inspeksi-supervisor', output: { kondisi: 'baik' } }, supervisor)).toBe(false);
    const done = run.send({ type: 'complete', step: 'inspeksi-supervisor', checklist: ['Daftar periksa inspeksi'], output: { kondisi: 'baik' } }, supervisor);
    expect(done.exited).toMatchObject([{ stepId: 'inspeksi-supervisor', outcome: 'completed', actors: ['sri'], output: { kondisi: 'baik' } }]);
    expect(open()).toEqual(['serah-terima-awal']);
  });

  it('a skipped round is overdue and escalated, then recorded missed when the next one comes', () => {
    const { at } = shift();
    at(120);
    const overdue = at(135).find((d) => d.eventType === 'step.overdue');
    expect(overdue?.overdue).toEqual({ stepId: 'inspeksi-supervisor', visit: 1 });
    expect(overdue?.notifications.map((n) => n.kind)).toEqual(['overdue']);
    const next = at(240).find((d) => d.eventType === 'timer.fired');
    expect(next?.exited).toMatchObject([{ stepId: 'inspeksi-supervisor', outcome: 'missed', output: null }]);
    expect(next?.entered).toMatchObject([{ stepId: 'inspeksi-supervisor', visit: 2 }]);
    expect(next?.notifications.map((n) => n.kind)).toEqual(['round-missed', 'step-available']);
    expect(next?.notifications[0]?.roles).toContain('supervisor');
  });

  it('stops with the case: no round opens after the shift has ended', () => {
    const { run, at } = shift();
    run.send({ type: 'complete', step: 'serah-terima-awal' }, petugas);
    run.send({ type: 'complete', step: 'patroli', output: { area: 'Pasar' } }, petugas);
    run.send({ type: 'choose', step: 'shift-berakhir', branch: 'exit' }, petugas);
    run.send({ type: 'complete', step: 'serah-terima-akhir' }, petugas);
    expect(run.status).toBe('completed');
    expect(at(600)).toEqual([]);
  });
});

describe('periodic duties in the simulation and the graph', () => {
  it('the simulation waits for each patrol round and lets the supervisor inspect every two hours', () => {
    const walk = simulateSop(definition, { rounds: 3 });
    const at = (step: string) => walk.steps.filter((s) => s.step === step).map((s) => s.elapsedMs / MINUTE);
    // Each patrol round begins an hour after the previous one began and takes its 30 minutes.
    expect(at('patroli')).toEqual([45, 105, 165, 225]);
    expect(at('inspeksi-supervisor')).toEqual([120]);
    expect(walk.steps.find((s) => s.step === 'inspeksi-supervisor')).toMatchObject({ kind: 'duty', round: 1, actors: ['sim-supervisor'] });
    // The jumlah waktu is the flow's own waktu, waits and duties aside.
    expect(walk.totalMs).toBe((15 + 4 * 30 + 15) * MINUTE);
  });

  it('draws the duty in its role\'s lane, coming round "setiap 2 jam", and the loop\'s interval on its repeat arrow', () => {
    const graph = toMermaid(definition);
    expect(graph).toMatch(/subgraph lane_supervisor[^\n]*\n\s+s_inspeksi_supervisor\[/);
    expect(graph).toContain('s_inspeksi_supervisor -->|"setiap 2 jam"| s_inspeksi_supervisor');
    expect(graph).toContain('s_shift_berakhir -->|repeat, setiap 1 jam| s_patroli');
  });
});
