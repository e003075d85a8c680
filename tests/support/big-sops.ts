/**
 * Generated SOP texts of any size and some hostile shapes, for the limit tests and for
 * `bench/validate-scaling.ts`. Every generator is deterministic.
 */

const HEADER = `id: sop-besar
version: 1
identity:
  government: Pemerintah Kota Contoh
  organization: Dinas Komunikasi dan Informatika
  number: 001/SOP/2024
  title: SOP Besar
  created: 2024-01-15
  approvedBy:
    position: Kepala Dinas
    name: Budi Santoso
  legalBasis:
    - Peraturan Menteri PANRB Nomor 35 Tahun 2012
roles:
  petugas:
    title: Petugas
  kepala:
    title: Kepala Seksi
`;

/** Shapes that once made the flow checks slow. */
export type BigSopShape =
  /** n tasks, each going on to the row below, then an end row. */
  | 'chain'
  /** A chain whose last task jumps back to the first: one long cycle with no way out (one dead-end error). */
  | 'trap'
  /** A chain where every task is followed by a rule (implicit next skips rules). */
  | 'rules'
  /** The main flow, then n/2 procedures of one task and one end row each. */
  | 'procedures'
  /** A chain of decisions, each with one branch to the next row and one to the end. */
  | 'decisions';

/** An SOP with about `n` steps of the given shape; valid except for the `trap` shape. */
export function bigSop(n: number, shape: BigSopShape = 'chain'): string {
  const lines: string[] = [HEADER.trimEnd(), 'steps:'];
  let count = 0;
  const task = (id: string, indent = '  ', extra: string[] = []) => {
    count += 1;
    const role = count % 2 === 0 ? 'kepala' : 'petugas';
    lines.push(`${indent}- id: ${id}`, `${indent}  activity: Langkah ${id}`, `${indent}  role: ${role}`, `${indent}  time: 1 menit`, ...extra.map((e) => `${indent}  ${e}`));
  };
  switch (shape) {
    case 'chain':
      for (let i = 0; i < n - 1; i += 1) task(`langkah-${i}`);
      break;
    case 'trap':
      for (let i = 0; i < n - 1; i += 1) task(`langkah-${i}`, '  ', i === n - 2 ? ['next: langkah-0'] : []);
      break;
    case 'rules':
      for (let i = 0; i < Math.floor(n / 2); i += 1) {
        task(`langkah-${i}`);
        lines.push(`  - id: larangan-${i}`, '    kind: rule', '    activity: Dilarang mengubah rekaman', '    role: petugas', '    enforces: [recordings.immutable]');
      }
      break;
    case 'procedures':
      task('mulai');
      lines.push('  - id: selesai', '    kind: end', '    activity: Selesai');
      for (let i = 0; i < Math.floor(n / 3); i += 1) {
        lines.push(`  - id: prosedur-${i}`, '    kind: procedure', '    activity: Prosedur', '    role: kepala', '    steps:');
        task(`prosedur-${i}-kerja`, '      ');
        lines.push(`      - id: prosedur-${i}-selesai`, '        kind: end', '        activity: Selesai');
      }
      return lines.join('\n') + '\n';
    case 'decisions':
      for (let i = 0; i < n - 1; i += 1) {
        lines.push(`  - id: cek-${i}`, '    kind: decision', `    activity: Periksa ${i}?`, `    role: ${i % 2 === 0 ? 'kepala' : 'petugas'}`, `    branches: { ya: ${i === n - 2 ? 'selesai' : `cek-${i + 1}`}, tidak: selesai }`);
      }
      break;
  }
  lines.push('  - id: selesai', '    kind: end', '    activity: Selesai');
  return lines.join('\n') + '\n';
}

/** `depth` flow sequences opened (and never closed) as the value of `steps`: the 999k-"[" attack when large. */
export function deepFlowSop(depth: number): string {
  return `${HEADER}steps: ${'['.repeat(depth)}\n`;
}

/** Block sequences nested `depth` deep under `steps`, each item one level deeper. */
export function deepBlockSop(depth: number): string {
  const lines = [HEADER.trimEnd(), 'steps:'];
  for (let i = 0; i < depth; i += 1) lines.push(`${' '.repeat(2 * i)}-`);
  lines.push(`${' '.repeat(2 * depth)}x`);
  return lines.join('\n') + '\n';
}

/** A "billion laughs": each anchor repeats the one before `width` times. */
export function aliasBombSop(levels = 9, width = 10): string {
  const lines = [HEADER.trimEnd(), 'a0: &a0 [ha]'];
  for (let i = 1; i <= levels; i += 1) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  lines.push(`steps: *a${levels}`);
  return lines.join('\n') + '\n';
}
