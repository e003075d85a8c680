/**
 * RELIABILITY.md: each soak part appends a dated section with the machine, the exact command,
 * its figures and what failed. Figures are numbers people can check, never adjectives.
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';

export const RELIABILITY_FILE = 'RELIABILITY.md';

const HEADER = `# Reliability figures

Written by \`npm run soak\` (see README, "Reliability"). Each section is one part of one run: the
machine, the exact command, the figures and what failed. A short version of each part runs inside
\`npm test\`; the long ones only here. Sections are appended, newest last.
`;

export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}`;
}

export interface Section {
  title: string;
  command: string;
  /** Rows of [figure, value]. */
  figures: Array<[string, string | number]>;
  /** What failed; empty means nothing did. */
  failures: string[];
  notes?: string[];
}

export function renderSection(section: Section, at: Date): string {
  const lines = [
    `\n## ${section.title} — ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC\n`,
    `- Machine: ${machineLine()}`,
    `- Command: \`${section.command}\``,
    '',
    '| figure | value |',
    '| --- | --- |',
    ...section.figures.map(([name, value]) => `| ${name} | ${value} |`),
    '',
    section.failures.length === 0 ? '**Failures: none.**' : `**Failures (${section.failures.length}):**\n\n${section.failures.slice(0, 20).map((f) => `- ${f}`).join('\n')}${section.failures.length > 20 ? `\n- … and ${section.failures.length - 20} more` : ''}`,
    ...(section.notes && section.notes.length > 0 ? ['', ...section.notes] : []),
    '',
  ];
  return lines.join('\n');
}

/** Append a section to `file` (created with its header when absent). */
export function appendSection(file: string, section: Section, at: Date): void {
  if (!existsSync(file)) writeFileSync(file, HEADER);
  appendFileSync(file, renderSection(section, at));
}
