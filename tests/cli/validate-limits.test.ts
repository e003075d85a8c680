/**
 * `alur validate` (the real command, in its own process) on files that once crashed it with
 * "RangeError: Maximum call stack size exceeded": a positioned diagnostic and exit 1, no stack trace.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { deepBlockSop, deepFlowSop } from '../support/big-sops.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function alur(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/alur.js', ...args], { cwd: ROOT, maxBuffer: 10_000_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('alur validate on deeply nested files', () => {
  it('prints the nesting diagnostic with its position and exits 1, without a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'alur-deep-'));
    const flow = join(dir, 'flow.yaml');
    const blocks = join(dir, 'blocks.yaml');
    writeFileSync(flow, deepFlowSop(47_000));
    writeFileSync(blocks, deepBlockSop(250));
    const fixture = 'tests/fixtures/broken/too-deep-flow.yaml';
    const result = await alur('validate', flow, blocks, fixture);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      `${flow}:19:71 error this value is nested more than 64 levels deep, the most Alur reads; an SOP needs about ten (a step's output schema is the deepest part), so close the brackets that were not meant to be opened or flatten the structure [too-deep]`,
      `${flow}: 1 error`,
      expect.stringMatching(new RegExp(`^${blocks}:83:127 error this value is nested more than 64 levels deep.* \\[too-deep\\]$`)),
      `${blocks}: 1 error`,
      expect.stringMatching(new RegExp(`^${fixture}:25:80 error this value is nested more than 64 levels deep.* \\[too-deep\\]$`)),
      `${fixture}: 1 error`,
    ]);
    expect(result.stderr).not.toMatch(/RangeError|Maximum call stack|\n\s+at /);
    expect(result.stdout).toBe('');
  });
});
