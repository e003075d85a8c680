import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveMonitoringReview } from '../../src/app/monitoring-review.js';
import { openAlurFromConfig } from '../../src/cli/open-alur-from-config.js';
import { runAlur as alur, useCliDataDir } from '../support/cli-runner.js';
import { SEED_FILES } from '../support/seeds.js';

describe('alur report monitoring on embedded PGlite', () => {
  const dir = useCliDataDir('alur-cli-monitoring-');

  it('prints the form of an SOP, one row per step, and writes it as CSV or HTML', async () => {
    expect((await alur('org', 'create', 'kota-pontianak', '--name', 'Pemerintah Kota Pontianak')).code).toBe(0);
    expect((await alur('publish', SEED_FILES.pontianak, '--org', 'kota-pontianak')).code).toBe(0);

    const text = await alur('report', 'monitoring', '--sop', 'pontianak-relay-tayangan');
    expect(text.code).toBe(0);
    expect(text.out).toContain('Monitoring Pelaksanaan SOP AP: Relay Tayangan Surveillance (pontianak-relay-tayangan, terbitan 1)');
    // Nothing has run yet: every step is "not carried out in this period".
    expect(text.out.match(/belum-dilaksanakan/g)).toHaveLength(6);

    const csv = await alur('report', 'monitoring', '--sop', 'pontianak-relay-tayangan', '--format', 'csv', '--from', '2026-01-01', '--to', '2026-02-01');
    expect(csv.out.split('\n')[0]).toBe('no,stepId,prosedur,penilaian,jumlah,dalamWaktu,medianMs,bakuWaktuMs,terlambat,ditolak,catatan,tindakan');
    expect(csv.out.split('\n')).toHaveLength(7);
    // Dates alone are the organisation's days (WIB, the default zone), as the web UI's period.
    const january = await alur('report', 'monitoring', '--sop', 'pontianak-relay-tayangan', '--format', 'html', '--from', '2026-01-01', '--to', '2026-02-01');
    expect(january.out).toContain('<dd data-field="period">dari 1 Januari 2026 00.00 WIB sampai sebelum 1 Februari 2026 00.00 WIB</dd>');

    const target = join(dir, 'monitoring.html');
    expect((await alur('report', 'monitoring', '--sop', 'pontianak-relay-tayangan', '--format', 'html', '-o', target)).code).toBe(0);
    expect(readFileSync(target, 'utf8')).toContain('<dd data-field="title">Relay Tayangan Surveillance</dd>');

    // The auditor's entries (saved through the API) are printed with the form.
    const opened = await openAlurFromConfig();
    try {
      await saveMonitoringReview(opened, { username: 'auditor', organizationId: 'kota-pontianak', roles: ['auditor'] } as never, 'pontianak-relay-tayangan', {}, [
        { stepId: 'setting-relay', assessment: 'tidak-berjalan', note: 'Belum diuji', action: 'Uji relay' },
      ]);
    } finally {
      await opened.close();
    }
    const reviewed = await alur('report', 'monitoring', '--sop', 'pontianak-relay-tayangan', '--format', 'csv');
    expect(reviewed.out.split('\n').find((l) => l.startsWith('5,setting-relay'))).toMatch(/,Tidak berjalan dengan baik,.*Catatan auditor: Belum diuji,Uji relay$/);

    expect(await alur('report', 'monitoring', '--sop', 'pontianak-relay-tayangan', '--from', 'kemarin')).toMatchObject({ code: 1, err: expect.stringContaining('--from "kemarin" is not a date') });
    expect(await alur('report', 'monitoring', '--sop', 'tidak-ada')).toMatchObject({ code: 1 });
  }, 120_000);
});
