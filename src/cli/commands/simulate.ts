import { formatDuration, simulateSop, SimulationStuckError, type SimulationResult, type SopDefinition } from '../../engine/index.js';
import type { StatelyInspector } from '../../adapters/inspector/stately-inspector.js';
import { inspectPort } from '../inspect-port.js';
import { loadDefinition } from '../load-definition.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

export interface SimulateFlags {
  choose?: string[];
  rounds?: number;
  procedure?: string[];
  json?: boolean;
  lang?: 'id' | 'en';
  /** `--inspect [port]`: true for the default port. */
  inspect?: number | true;
}

const LABELS = {
  id: { title: 'Simulasi', step: 'Langkah', role: 'Pelaksana', time: 'Waktu', total: 'Total', sum: 'Jumlah waktu', end: 'Berakhir di', rules: 'Larangan diakui', none: '—' },
  en: { title: 'Simulation', step: 'Step', role: 'Role', time: 'Budget', total: 'Running total', sum: 'Total time', end: 'Ended at', rules: 'Rules acknowledged', none: '—' },
};

/** `alur simulate <file>`: walk the happy path on a virtual clock, printing each step and the running total. */
export async function simulateCommand(file: string, flags: SimulateFlags, io: CliOutput): Promise<number> {
  const definition = await loadDefinition(file, io);
  if (!definition) return 1;
  const choices: Record<string, string> = {};
  for (const pair of flags.choose ?? []) {
    const [step, branch] = pair.split('=');
    if (!step || !branch) {
      io.err(`--choose takes step=branch, e.g. --choose ada-temuan=ya (got "${pair}")`);
      return 2;
    }
    choices[step] = branch;
  }
  const port = inspectPort(flags.inspect);
  const inspector = port === undefined ? undefined : (await import('../../adapters/inspector/stately-inspector.js')).openStatelyInspector(port);
  let result;
  try {
    result = simulateSop(definition, { choices, rounds: flags.rounds ?? 0, procedures: flags.procedure ?? [], ...(inspector ? { observer: inspector.observer } : {}) });
  } catch (error) {
    if (error instanceof SimulationStuckError) {
      io.err(error.message);
      // The walk up to the refusal is worth inspecting too.
      if (inspector) await keepInspecting(inspector, io);
      return 1;
    }
    inspector?.close();
    throw error;
  }
  if (flags.json) io.out(JSON.stringify(result, null, 2));
  else printWalk(definition, result, flags, io);
  if (inspector) await keepInspecting(inspector, io);
  return 0;
}

/** The relay keeps the walk's events for the inspector page until the user stops it. */
async function keepInspecting(inspector: StatelyInspector, io: CliOutput): Promise<void> {
  io.err(`Stately inspector: open ${inspector.pageUrl} in a browser (Ctrl+C to stop)`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  inspector.close();
  // The library's relay leaves an open inspector page connected; the user asked to stop, so do.
  setTimeout(() => process.exit(), 1000).unref();
}

function printWalk(definition: SopDefinition, result: SimulationResult, flags: SimulateFlags, io: CliOutput): void {
  const lang = flags.lang ?? 'id';
  const t = LABELS[lang];
  const roleTitle = new Map(definition.roles.map((r) => [r.id, r.title]));
  const rows = result.steps.map((s, i) => [
    String(i + 1),
    s.branch ? `${s.step} → ${s.branch}` : s.step,
    s.roles.length > 0 ? s.roles.map((r) => roleTitle.get(r) ?? r).join(s.by === 'all' ? ' + ' : ' / ') : t.none,
    s.time ?? t.none,
    formatDuration(s.elapsedMs, lang),
  ]);
  io.out(`${t.title}: ${definition.identity.title} (${definition.id} v${definition.version})`);
  if (result.acknowledgedRules.length > 0) io.out(`${t.rules}: ${result.acknowledgedRules.join(', ')}`);
  io.out(table(['#', t.step, t.role, t.time, t.total], rows));
  const minutes = `${Math.round(result.totalMs / 60_000)} ${lang === 'id' ? 'menit' : 'min'}`;
  const long = formatDuration(result.totalMs, lang);
  io.out(`${t.sum}: ${minutes}${long === minutes ? '' : ` (${long})`}`);
  io.out(`${t.end}: ${result.finalState}`);
}
