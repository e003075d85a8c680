import { writeFile } from 'node:fs/promises';
import { createDocumentRenderer, type MonitoringFormat } from '../../app/documents/render-sop-document.js';
import { monitoringReportAsOperator, type MonitoringQuery } from '../../app/monitoring-report.js';
import { reviewedMonitoringForm } from '../../app/monitoring-review.js';
import { loadConfig } from '../../config.js';
import { withAlur } from '../open-alur-from-config.js';
import type { CliOutput } from '../output.js';
import { table } from '../table.js';

export interface MonitoringFlags {
  sop: string;
  org?: string;
  from?: string;
  to?: string;
  revision?: number;
  format?: MonitoringFormat | 'text';
  output?: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** An instant, or (a date alone) a day the organisation's zone resolves: `--from 2026-03-01` is 1 March 00.00 WITA in Tarakan, as the web UI's period. */
function bound(text: string | undefined, flag: string, field: 'from' | 'to'): MonitoringQuery {
  if (text === undefined) return {};
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new RangeError(`${flag} "${text}" is not a date; write e.g. 2026-03-01 or 2026-03-01T08:00:00+08:00`);
  if (DAY.test(text)) return field === 'from' ? { fromDay: text } : { toDay: text };
  return field === 'from' ? { from: date } : { to: date };
}

/** `alur report monitoring`: the monitoring form of an SOP for a period, from the recorded step times, with the auditor's entries. */
export async function monitoringCommand(flags: MonitoringFlags, io: CliOutput): Promise<number> {
  let period: MonitoringQuery;
  try {
    period = { ...bound(flags.from, '--from', 'from'), ...bound(flags.to, '--to', 'to') };
  } catch (error) {
    io.err(`alur: ${(error as Error).message}`);
    return 1;
  }
  if (flags.format === 'pdf' && (flags.output === undefined || flags.output === '-')) {
    io.err('alur: a PDF is not printed to the terminal; name a file with --output, e.g. --output monitoring.pdf');
    return 1;
  }
  const config = loadConfig();
  return withAlur(async (alur) => {
    const form = await monitoringReportAsOperator(alur, flags.sop, flags.org, { ...period, ...(flags.revision ? { revision: flags.revision } : {}) }, reviewedMonitoringForm);
    const format = flags.format ?? 'text';
    if (format === 'text') {
      io.out(`Monitoring Pelaksanaan SOP AP: ${form.title} (${form.sopId}, terbitan ${form.revision})`);
      io.out(table(['no', 'prosedur', 'penilaian', 'catatan'], form.rows.map((r) => [String(r.number), r.stepId, r.assessment, r.note])));
      return 0;
    }
    const document = await createDocumentRenderer(config.chromiumPath ? { chromiumPath: config.chromiumPath } : {}).renderMonitoring(form, format);
    if (flags.output === undefined || flags.output === '-') {
      io.out(document.body.toString('utf8'));
      return 0;
    }
    await writeFile(flags.output, document.body);
    io.out(`${flags.output}: monitoring form of "${form.title}" (${document.body.length} bytes)`);
    return 0;
  });
}
