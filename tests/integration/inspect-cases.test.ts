/**
 * `alur serve --inspect`: every committed case event reaches the Stately inspector relay — the
 * machine once, then each event with the state after it — and the relay's page embeds the inspector.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { openStatelyInspector, type StatelyInspector } from '../../src/adapters/inspector/stately-inspector.js';
import { observeCommittedCases } from '../../src/app/inspect-cases.js';
import { person, useHarness } from '../support/alur-harness.js';
import { dialects } from '../support/databases.js';
import { connectInspectorClient, freePort } from '../support/inspector-client.js';

const kadis = person('uray', 'kadis');
const LETTER = { type: 'complete' as const, step: 'surat-permintaan-relay', checklist: ['Surat (memuat lokasi diminta/ diusulkan)'], output: { nomorSurat: '555/1', tanggal: '2020-04-08', lokasi: ['Tanjungpura'] } };

describe.each(dialects)('case inspection ($name)', (dialect) => {
  const t = useHarness(dialect);
  let inspector: StatelyInspector | undefined;
  let client: Awaited<ReturnType<typeof connectInspectorClient>> | undefined;
  afterEach(() => {
    client?.close();
    inspector?.close();
  });

  it('sends the compiled machine at the start and each event with the state after it', async () => {
    const port = await freePort();
    inspector = openStatelyInspector(port);
    const page = await (await fetch(`http://127.0.0.1:${port}/`)).text();
    expect(page).toContain('stately.ai/inspect');
    client = await connectInspectorClient(port);
    const stop = observeCommittedCases(t.h.alur, inspector.observer);

    const { case: c } = await t.h.alur.cases.startCase({ sopId: 'pontianak-relay-tayangan', actor: kadis });
    const actor = await client.until((e) => e.type === '@xstate.actor' && e.sessionId === c.id);
    // The definition is the compiled machine's config: every step of the SOP is a state in it.
    for (const step of ['surat-permintaan-relay', 'beri-akses-tayang', 'setting-relay', 'lapor-hasil-relay']) expect(actor.definition).toContain(`"${step}"`);
    expect(actor.snapshot).toMatchObject({ status: 'active', value: { _active: { _main: 'surat-permintaan-relay' } } });

    await t.h.alur.cases.execute({ caseId: c.id, actor: kadis, command: LETTER });
    const event = await client.until((e) => e.type === '@xstate.event' && e.sessionId === c.id);
    expect(event.event).toMatchObject({ type: 'step.completed', step: 'surat-permintaan-relay' });
    const after = await client.until((e) => e.type === '@xstate.snapshot' && e.sessionId === c.id);
    expect(after.snapshot!.value).toEqual({ _active: { _main: 'beri-akses-tayang' } });
    stop();
  });
});
