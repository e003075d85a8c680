/**
 * SOP constructs beyond the two seeds, run through the case engine: a row done by two pelaksana
 * together (each signs), a row either of two roles may do, kelengkapan alternatives of which one
 * suffices, an office's own column headings, blank identity fields, and a body that is not a
 * government.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LABELS, validateSop } from '../../src/engine/index.js';
import { person, startCase } from '../support/case-harness.js';
import { seedText } from '../support/seeds.js';

const CUTI_FILE = new URL('../fixtures/sops/kabupaten-cuti-tahunan.yaml', import.meta.url);
const cuti = validateSop(readFileSync(CUTI_FILE, 'utf8'), 'kabupaten-cuti-tahunan.yaml').definition!;
const pemohon = person('sari', 'pemohon');
const admin = person('adi', 'admin-kepegawaian');
const kasubbid = person('kasubbid', 'kasubbid');
const kabid = person('kabid', 'kabid');

describe('a row with several pelaksana', () => {
  it('"by: all" makes each role a party: both sign, in either order, and the step waits for the second', () => {
    const run = startCase(cuti);
    const step = 'ajukan-permohonan';
    expect(run.send({ type: 'COMPLETE', actor: admin, step, party: 'admin-kepegawaian' })).toBe(true);
    expect(run.at()).toBe(step);
    expect(run.refusals({ type: 'COMPLETE', actor: kasubbid, step, party: 'pemohon', checklist: ['Formulir permohonan cuti', 'SK terakhir'], output: { lamaHari: 5 } }).map((r) => r.code)).toEqual(['wrong-role']);
    expect(run.send({ type: 'COMPLETE', actor: pemohon, step, party: 'pemohon', checklist: ['Formulir permohonan cuti', 'SK terakhir'], output: { lamaHari: 5 } })).toBe(true);
    expect(run.at()).toBe('verifikasi');
    expect(run.context().signatures[step]).toEqual({ 'admin-kepegawaian': 'adi', pemohon: 'sari' });
  });

  it('"by: any" lets either role do the row, and refuses the others naming both roles', () => {
    for (const who of [admin, kasubbid]) {
      const run = startCase(cuti);
      run.send({ type: 'COMPLETE', actor: admin, step: 'ajukan-permohonan', party: 'admin-kepegawaian' });
      run.send({ type: 'COMPLETE', actor: pemohon, step: 'ajukan-permohonan', party: 'pemohon', checklist: ['Formulir permohonan cuti', 'Keterangan partus'], output: { lamaHari: 3 } });
      expect(run.refusals({ type: 'COMPLETE', actor: kabid, step: 'verifikasi', checklist: ['Data sisa cuti'] })).toEqual([{
        code: 'wrong-role', field: '/actor/roles', message: 'step "verifikasi" is for one of the roles "admin-kepegawaian", "kasubbid"; kabid holds "kabid"',
        variant: 'step', params: { step: 'verifikasi', roles: '"admin-kepegawaian", "kasubbid"', actor: 'kabid', held: '"kabid"' },
      }]);
      expect(run.send({ type: 'COMPLETE', actor: who, step: 'verifikasi', checklist: ['Data sisa cuti'] })).toBe(true);
      expect(run.at()).toBe('persetujuan');
    }
  });
});

describe('kelengkapan alternatives', () => {
  it('takes any one document of a one-of group, and names the group when none is confirmed', () => {
    const run = startCase(cuti);
    run.send({ type: 'COMPLETE', actor: admin, step: 'ajukan-permohonan', party: 'admin-kepegawaian' });
    const none = { type: 'COMPLETE' as const, actor: pemohon, step: 'ajukan-permohonan', party: 'pemohon', checklist: ['Formulir permohonan cuti'], output: { lamaHari: 2 } };
    expect(run.refusals(none)).toEqual([{
      code: 'kelengkapan-missing', field: '/checklist',
      message: 'confirm the kelengkapan of step "ajukan-permohonan" first: one of "Surat keterangan dokter" / "Keterangan partus" / "SK terakhir"',
      variant: 'default', params: { step: 'ajukan-permohonan', missing: '"Surat keterangan dokter" / "Keterangan partus" / "SK terakhir"' },
    }]);
    expect(run.send({ ...none, checklist: ['Formulir permohonan cuti', 'Surat keterangan dokter'] })).toBe(true);
  });

  it('keeps the groups in the definition: every item for the document, the grouping for the checklist', () => {
    const step = cuti.steps.find((s) => s.id === 'ajukan-permohonan')!;
    expect(step.requirements).toEqual(['Formulir permohonan cuti', 'Surat keterangan dokter', 'Keterangan partus', 'SK terakhir']);
    expect(step.requirementGroups).toEqual([
      { kind: 'all-of', items: ['Formulir permohonan cuti'] },
      { kind: 'one-of', items: ['Surat keterangan dokter', 'Keterangan partus', 'SK terakhir'] },
    ]);
  });
});

describe('the document as the paper has it', () => {
  it('keeps the office\'s own column headings, and the defaults for the rest', () => {
    expect(cuti.labels).toEqual({ ...DEFAULT_LABELS, requirements: 'Persyaratan', output: 'Hasil' });
  });

  it('leaves blank what the paper leaves blank', () => {
    expect(cuti.identity.number).toBeNull();
    expect(cuti.identity.approvedBy).toEqual({ position: 'Kepala Badan', name: null });
  });

  it('validates the SOP of a body that is not a government: no "Pemerintah" line, no dasar hukum, no dates', () => {
    const source = seedText('pontianak')
      .replace(/ {2}government: .*\n/, '')
      .replace(/ {2}legalBasis:\n( {4}- .*\n)+/, '')
      .replace(/ {2}created: .*\n/, '')
      .replace('  organization: Dinas Komunikasi dan Informatika', '  organization: Rumah Sakit Umum Sehat Sentosa, Bagian Keamanan');
    const result = validateSop(source, 'rs.yaml');
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(result.definition!.identity).toMatchObject({ organization: 'Rumah Sakit Umum Sehat Sentosa, Bagian Keamanan', legalBasis: [], created: null });
    expect(result.definition!.identity.government).toBeUndefined();
  });
});
