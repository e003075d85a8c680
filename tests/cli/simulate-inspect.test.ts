/** `alur simulate --inspect`: the walk's machine and events reach the Stately inspector relay, which serves until Ctrl+C. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { connectInspectorClient, freePort } from '../support/inspector-client.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('alur simulate --inspect', () => {
  it('relays the Pontianak walk step by step to the inspector and stops on Ctrl+C', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/alur.js', 'simulate', 'sops/pontianak-relay-tayangan.yaml', '--json', '--inspect', String(port)], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += String(chunk)));
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      for (let waited = 0; !stderr.includes('Stately inspector: open'); waited += 50) {
        if (waited > 60_000 || child.exitCode !== null) throw new Error(`no inspector line:\n${stdout}\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(stderr).toContain(`http://localhost:${port}`);
      // The relay replays what it was sent before this client connected.
      const client = await connectInspectorClient(port);
      await client.until((e) => e.type === '@xstate.snapshot' && e.snapshot?.value === '_done');
      client.close();

      const walk = JSON.parse(stdout) as { steps: Array<{ step: string; kind: string }> };
      const actor = client.events.find((e) => e.type === '@xstate.actor')!;
      expect(actor.sessionId).toBe('simulasi-pontianak-relay-tayangan');
      // One recorded event per step done by a person (plus the relay adapter's answer), in the walk's order.
      const completed = client.events.filter((e) => e.type === '@xstate.event' && e.event?.type === 'step.completed').map((e) => e.event!.step);
      expect(completed).toEqual(walk.steps.filter((s) => s.kind !== 'end').map((s) => s.step));
      const states = client.events.filter((e) => e.type === '@xstate.snapshot').map((e) => e.snapshot!.value);
      expect(states.at(-1)).toBe('_done');
      expect(states).toContainEqual({ _active: { _main: 'setting-relay' } });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  }, 90_000);
});
