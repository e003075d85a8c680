/**
 * Property: whatever people send, in whatever order, interleaved with deadlines firing and
 * adapter outcomes arriving early, late or after the step moved on, across several cases at
 * once — no exception other than a refusal or a conflict escapes, background work never fails,
 * and every stored case is exactly what replaying its event log gives (audit clean).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditCase } from '../../src/app/audit.js';
import {
  ConflictError, RefusedError, sampleFromSchema, type AdapterRunner, type CaseActor, type CaseCommand, type RunnableVersion,
} from '../../src/engine/index.js';
import { MINUTE, openHarness, person, type Harness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';

const runs = (n: number): number => Math.max(1, Math.round(n * Number(process.env.ALUR_PROPS_SCALE ?? 1)));
const SOPS = ['pontianak-relay-tayangan', 'tarakan-pemantau-cctv'] as const;
const PEOPLE = ['a', 'b', 'c'];
const COMMAND_TYPES = ['start-step', 'complete', 'choose', 'approve', 'refuse', 'acknowledge', 'add-note', 'start-procedure', 'retry', 'cancel'] as const;

type Action =
  | { t: 'step'; c: number; pick: number; mess: 'none' | 'role' | 'checklist' | 'output' }
  | { t: 'start'; c: number; pick: number }
  | { t: 'ack'; c: number; pick: number }
  | { t: 'procedure'; c: number }
  | { t: 'note'; c: number }
  | { t: 'retry'; c: number; pick: number }
  | { t: 'cancel'; c: number; pick: number }
  | { t: 'junk'; c: number; type: (typeof COMMAND_TYPES)[number]; step: number; branch: string }
  | { t: 'tick'; minutes: number }
  | { t: 'hold' }
  | { t: 'release'; fail: boolean };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { weight: 30, arbitrary: fc.record({ t: fc.constant('step' as const), c: fc.nat(1), pick: fc.nat(5), mess: fc.constantFrom('none' as const, 'none' as const, 'none' as const, 'role' as const, 'checklist' as const, 'output' as const) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('start' as const), c: fc.nat(1), pick: fc.nat(5) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('ack' as const), c: fc.nat(1), pick: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('procedure' as const), c: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('note' as const), c: fc.nat(1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('retry' as const), c: fc.nat(1), pick: fc.nat(5) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('cancel' as const), c: fc.nat(1), pick: fc.nat(5) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('junk' as const), c: fc.nat(1), type: fc.constantFrom(...COMMAND_TYPES), step: fc.nat(20), branch: fc.constantFrom('ya', 'tidak', 'repeat', 'exit', 'constructor', '') }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('tick' as const), minutes: fc.integer({ min: 0, max: 70 }) }) },
  { weight: 3, arbitrary: fc.constant({ t: 'hold' as const }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('release' as const), fail: fc.boolean() }) },
);

/** Runs answer at once (alternately done and failed) unless held, when they wait for a `release`. */
function switchableRunner() {
  const held: Array<{ resolve: (v: unknown) => void; reject: (e: Error) => void }> = [];
  let holding = false;
  let count = 0;
  const runner: AdapterRunner = {
    run: (name) => {
      count += 1;
      if (holding) return new Promise((resolve, reject) => held.push({ resolve, reject }));
      return count % 2 === 0 ? Promise.reject(new Error(`${name} failed`)) : Promise.resolve({ ok: count });
    },
  };
  return { runner, held, hold: (on: boolean) => { holding = on; } };
}

function pickOf<T>(list: readonly T[], pick: number): T | undefined {
  return list.length === 0 ? undefined : list[pick % list.length];
}

/** A plausible command for an open step (sometimes spoiled on purpose), and who sends it. */
function stepCommand(version: RunnableVersion, open: string[], action: Extract<Action, { t: 'step' }>): { command: CaseCommand; actor: CaseActor } | undefined {
  const stepId = pickOf(open, action.pick);
  const step = stepId ? version.steps.get(stepId) : undefined;
  if (!step) return undefined;
  const who = PEOPLE[action.pick % PEOPLE.length]!;
  const role = action.mess === 'role' ? 'auditor' : step.role ?? 'x';
  const checklist = action.mess === 'checklist' ? [] : [...step.requirements];
  const output = action.mess === 'output' ? { wrong: true } : sampleFromSchema(step.output?.schema);
  const withOutput = output === undefined ? {} : { output };
  switch (step.kind) {
    case 'task': {
      const party = step.parties.length > 0 ? step.parties[action.pick % step.parties.length] : undefined;
      return { actor: person(who, party?.role ?? role), command: { type: 'complete', step: step.id, checklist, ...withOutput, ...(party ? { party: party.id } : {}) } };
    }
    case 'decision':
      return { actor: person(who, role), command: { type: 'choose', step: step.id, branch: pickOf(Object.keys(step.branches), action.pick)! } };
    case 'loop':
      return { actor: person(who, role), command: { type: 'choose', step: step.id, branch: action.pick % 3 === 0 ? 'exit' : 'repeat' } };
    case 'approval':
      return action.pick % 3 === 0
        ? { actor: person(who, role), command: { type: 'refuse', step: step.id, reason: 'Tidak ada surat' } }
        : { actor: person(who, role), command: { type: 'approve', step: step.id, checklist, ...withOutput } };
    default:
      return undefined;
  }
}

describe.each(dialects)('interleaved commands, deadlines and adapter outcomes on $name', (dialect) => {
  it('never lets an exception escape and always stores what the event log replays to', async () => {
    const db = await dialect.open();
    const switchable = switchableRunner();
    let h: Harness | undefined;
    try {
      h = await openHarness(db, { calls: [], ...switchable.runner });
      const alur = h.alur;
      await fc.assert(fc.asyncProperty(fc.array(actionArb, { minLength: 30, maxLength: 120 }), async (actions) => {
        const ids: string[] = [];
        for (const sopId of SOPS) ids.push((await alur.cases.startCase({ sopId, actor: person('a', sopId.startsWith('tarakan') ? 'petugas' : 'kadis') })).case.id);
        const background: Array<Promise<void>> = [];
        const attempt = async (caseId: string, actor: CaseActor, command: CaseCommand) => {
          try {
            await alur.cases.execute({ caseId, actor, command });
          } catch (error) {
            if (!(error instanceof RefusedError || error instanceof ConflictError)) throw error;
          }
        };
        const checkStored = async () => {
          for (const { snapshot } of await db.knex('cases').select('snapshot').whereIn('id', ids)) expect(Object.keys(snapshot).sort()).toEqual(['context', 'value']);
        };
        for (const action of actions) {
          await checkStored();
          if (action.t === 'tick') {
            h!.clock.advance(action.minutes * MINUTE);
            await alur.runBackgroundWork();
            continue;
          }
          if (action.t === 'hold') {
            // Background work starts; its first adapter run waits, so commands overtake it.
            const before = switchable.held.length;
            switchable.hold(true);
            const work = alur.runBackgroundWork();
            background.push(work);
            let settled = false;
            void work.finally(() => { settled = true; });
            while (!settled && switchable.held.length === before) await new Promise((resolve) => setTimeout(resolve, 2));
            switchable.hold(false);
            continue;
          }
          if (action.t === 'release') {
            const run = switchable.held.shift();
            if (action.fail) run?.reject(new Error('kamera tidak menjawab'));
            else run?.resolve({ checked: 3 });
            continue;
          }
          const caseId = ids[action.c]!;
          const row = (await db.knex('cases').select('active_steps', 'sop_version_id').where({ id: caseId }).first()) as { active_steps: string[]; sop_version_id: number };
          const version = await alur.versions.get(db.knex, Number(row.sop_version_id));
          const roles = version.definition.roles.map((r) => r.id);
          const anyone = person('a', ...roles);
          switch (action.t) {
            case 'step': {
              const made = stepCommand(version, row.active_steps, action);
              if (made) await attempt(caseId, made.actor, made.command);
              break;
            }
            case 'start': {
              const step = pickOf(row.active_steps, action.pick);
              if (step) await attempt(caseId, anyone, { type: 'start-step', step });
              break;
            }
            case 'ack': {
              const rule = pickOf(version.definition.steps.filter((s) => s.kind === 'rule'), action.pick);
              if (rule) await attempt(caseId, person('a', rule.role), { type: 'acknowledge', rule: rule.id });
              break;
            }
            case 'procedure': {
              const procedure = version.definition.steps.find((s) => s.kind === 'procedure');
              if (procedure) await attempt(caseId, anyone, { type: 'start-procedure', procedure: procedure.id });
              break;
            }
            case 'note':
              await attempt(caseId, anyone, { type: 'add-note', text: 'Catatan' });
              break;
            case 'retry': {
              const step = pickOf(row.active_steps, action.pick);
              if (step) await attempt(caseId, anyone, { type: 'retry', step });
              break;
            }
            case 'cancel':
              // Rarely: a cancelled case takes no more commands, so it would end most of the run.
              if (action.pick === 0) await attempt(caseId, anyone, { type: 'cancel', reason: 'Dibatalkan' });
              break;
            case 'junk': {
              const step = pickOf([...version.steps.keys(), 'tidak-ada'], action.step)!;
              const command = { type: action.type, step, branch: action.branch, rule: step, procedure: step, reason: action.branch, text: action.branch } as unknown as CaseCommand;
              await attempt(caseId, anyone, command);
              break;
            }
          }
        }
        // Answer everything still waiting, let the background work finish, then settle what is due.
        for (const run of switchable.held.splice(0)) run.resolve({ late: true });
        await Promise.all(background);
        await alur.runBackgroundWork();

        await checkStored();
        for (const id of ids) {
          const audit = await auditCase(db.knex, alur.versions, id);
          expect(audit, JSON.stringify(audit)).toMatchObject({ ok: true });
        }
      }), { numRuns: runs(dialect.name === 'pglite' ? 20 : 12) });
    } finally {
      // Alur closes the database it was opened on.
      if (h) await h.alur.close();
      else await db.close();
    }
  }, 600_000);
});
