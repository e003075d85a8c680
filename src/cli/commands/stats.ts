import { formatDuration } from '../../engine/index.js';
import { timingForOrganization, type TimingGroup } from '../../app/case-queries.js';
import { loadConfig } from '../../config.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

/** `alur stats`: every step's actual time against its mutu baku. */
export async function statsCommand(options: { sop?: string; by?: TimingGroup; json?: boolean }, io: CliOutput): Promise<number> {
  const config = loadConfig();
  return withAlur(async (alur) => {
    const timing = await timingForOrganization(alur, undefined, { defaultTimeZone: config.timeZone, shiftStartHours: config.shiftStartHours, groupBy: options.by ?? 'step', ...(options.sop ? { sopId: options.sop } : {}) });
    if (options.json) {
      io.out(JSON.stringify(timing, null, 2));
      return 0;
    }
    const d = (ms: number) => formatDuration(ms);
    io.out(table(['sop', 'rev', 'no', 'step', options.by ?? 'step', 'n', 'median', 'p90', 'max', 'waktu', 'on time', 'median wait', 'median work'], timing.steps.map((r) => [
      r.sopId, String(r.revision), String(r.row), r.stepId, r.group ?? '', String(r.count), d(r.medianMs), d(r.p90Ms), d(r.maxMs),
      r.budgetMs === null ? '—' : d(r.budgetMs), r.withinBudget === null ? '—' : `${Math.round(r.withinBudget * 100)}%`, d(r.medianWaitMs), d(r.medianWorkMs),
    ])));
    if (timing.cases.length > 0) {
      io.out('');
      io.out(table(['sop', 'rev', 'cases', 'median', 'p90', 'max', 'jumlah waktu'], timing.cases.map((c) => [
        c.sopId, String(c.revision), String(c.count), d(c.medianMs), d(c.p90Ms), d(c.maxMs), c.declaredMs === null ? '—' : d(c.declaredMs),
      ])));
    }
    return 0;
  });
}
