/**
 * ffmpeg children never outlive Alur: stopped with their whole process group when asked, killed
 * at their time limit, and gone by themselves when Alur is killed with SIGKILL.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveFfmpegBinaries } from '../../src/adapters/cameras/ffmpeg-binaries.js';
import { liveTetheredCount, runTethered, spawnTethered } from '../../src/adapters/cameras/tethered-process.js';
import { waitUntil } from '../support/test-cameras.js';

const bin = resolveFfmpegBinaries({ pathVariable: process.env.PATH ?? '' });
const PATTERN = ['-nostdin', '-v', 'error', '-re', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5', '-f', 'null', '-'];

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

describe('tethered child processes', () => {
  it('stops the whole process group when asked', async () => {
    const proc = spawnTethered(bin.ffmpeg, PATTERN);
    proc.stdout.resume();
    expect(groupAlive(proc.pid)).toBe(true);
    expect(liveTetheredCount()).toBe(1);
    await proc.stop();
    await waitUntil(() => !groupAlive(proc.pid), 'the group is gone', 5_000);
    expect(liveTetheredCount()).toBe(0);
  });

  it('kills a run that passes its time limit', async () => {
    const result = await runTethered(bin.ffmpeg, PATTERN, { timeoutMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(liveTetheredCount()).toBe(0);
  });

  it('leaves no ffmpeg behind when its parent is killed with SIGKILL', async () => {
    const script = fileURLToPath(new URL('../support/tether-child.ts', import.meta.url));
    const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: parent.stdout }), 'line')) as [string];
    const { group } = JSON.parse(line) as { group: number };
    expect(groupAlive(group)).toBe(true);
    parent.kill('SIGKILL');
    await waitUntil(() => !groupAlive(group), 'the orphaned ffmpeg is gone', 10_000);
  });
});
