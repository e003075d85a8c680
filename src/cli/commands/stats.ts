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
    const rows = await timingForOrganization(alur, undefined, { defaultTimeZone: config.timeZone, shiftStartHours: config.shiftStartHours, groupBy: options.by ?? 'step', ...(options.sop ? { sopId: options.sop } : {}) });
    if (options.json) {
      io.out(JSON.stringify(rows, null, 2));
      return 0;
    }
    const d = (ms: number) => formatDuration(ms);
    io.out(table(['sop', 'rev', 'step', options.by ?? 'step', 'n', 'median', 'p90', 'max', 'waktu', 'on time', 'median wait'], rows.map((r) => [
      r.sopId, String(r.revision), r.stepId, r.group ?? '', String(r.count), d(r.medianMs), d(r.p90Ms), d(r.maxMs),
      r.budgetMs === null ? '—' : d(r.budgetMs), r.withinBudget === null ? '—' : `${Math.round(r.withinBudget * 100)}%`, d(r.medianWaitMs),
    ])));
    return 0;
  });
}
