/**
 * SOP files made to be slow, sent to the server: they are checked in worker threads, so the server
 * keeps answering meanwhile; a file over a limit gets 413 with the diagnostic naming the limit; a
 * check that passes its time limit is stopped, and the server goes on working. No test measures
 * time: "meanwhile" is shown by the order in which answers arrive.
 */
import { describe, expect, it } from 'vitest';
import type { ApiClient, ApiHarness, ApiResponse } from '../support/api-harness.js';
import { useApi } from '../support/api-harness.js';
import { bigSop, deepFlowSop } from '../support/big-sops.js';
import { dialects } from '../support/databases.js';

const OWNER = 'pontianak.process-owner';

/**
 * The answer to `request`, and whether /healthz answered while a worker was checking the file:
 * the validator reports the check running before /healthz is asked and still running once it has
 * answered, with the request's own answer not yet arrived.
 */
async function whileHealthzAnswers(api: ApiHarness, request: Promise<ApiResponse>): Promise<{ response: ApiResponse; answeredMeanwhile: boolean }> {
  let settled = false;
  void request.then(() => { settled = true; }, () => { settled = true; });
  const validator = api.server.http.sopValidator;
  while (validator.activity().running === 0 && !settled) await new Promise((resolve) => setTimeout(resolve, 5));
  const runningBefore = validator.activity().running > 0;
  const health = await fetch(`${api.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: 'ok' });
  const answeredMeanwhile = runningBefore && validator.activity().running > 0 && !settled;
  return { response: await request, answeredMeanwhile };
}

function expectOverLimit(response: ApiResponse, code: string): Array<{ line: number; column: number; code: string; message: string }> {
  expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(413);
  expect(response.contentType).toMatch(/^application\/problem\+json/);
  expect(response.body.type).toBe('urn:alur:problem:sop-over-limit');
  expect(response.body.diagnostics.map((d: { code: string }) => d.code)).toEqual([code]);
  expect(response.body.errors[0].field).toMatch(/^\/body\/source/);
  return response.body.diagnostics;
}

describe.each(dialects)('SOP files over a limit on $name', (dialect) => {
  const t = useApi(dialect);

  // First, so its check waits for a worker to start: the nesting check itself stops within the first KB.
  it('answers a deeply nested SOP with 413 and the nesting diagnostic, on validate and on publish, and stores nothing', async () => {
    const owner = await t.api.login(OWNER);
    const before = (await owner.request('GET', '/api/v1/sops')).body;
    const source = deepFlowSop(47_000);
    const { response, answeredMeanwhile } = await whileHealthzAnswers(t.api, owner.request('POST', '/api/v1/sops/validate', { source }));
    expect(answeredMeanwhile).toBe(true);
    expect(expectOverLimit(response, 'too-deep')[0]).toMatchObject({ file: 'sop.yaml', line: 19, column: 71 });
    expectOverLimit(await owner.request('POST', '/api/v1/sops', { source, file: 'sops/dalam.yaml' }), 'too-deep');
    expect((await owner.request('GET', '/api/v1/sops')).body).toEqual(before);
  });

  it('answers an 8,000-step SOP with 413 and the step-limit diagnostic, and /healthz meanwhile', async () => {
    const owner = await t.api.login(OWNER);
    const { response, answeredMeanwhile } = await whileHealthzAnswers(t.api, owner.request('POST', '/api/v1/sops/validate', { source: bigSop(8_000), file: 'sops/besar.yaml' }));
    expect(answeredMeanwhile).toBe(true);
    const [d] = expectOverLimit(response, 'too-many-steps');
    expect(d).toMatchObject({ file: 'sops/besar.yaml', line: 8_020, column: 5, path: '/steps/2000' });
    expect(d!.message).toContain('Alur reads at most 2,000 steps in one SOP');
  });

  it('still validates and publishes an ordinary SOP through the workers', async () => {
    const owner = await t.api.login(OWNER);
    const source = bigSop(30).replace('id: sop-besar', 'id: sop-tiga-puluh');
    const validated = await owner.request('POST', '/api/v1/sops/validate', { source });
    expect(validated.status).toBe(200);
    expect(validated.body).toMatchObject({ valid: true, diagnostics: [], definition: { id: 'sop-tiga-puluh' } });
    const broken = await owner.request('POST', '/api/v1/sops', { source: source.replace('role: kepala', 'role: kepla') });
    expect(broken.status).toBe(422);
    expect(broken.body.diagnostics.map((d: { code: string }) => d.code)).toEqual(['unknown-role']);
    const published = await owner.request('POST', '/api/v1/sops', { source });
    expect(published.status).toBe(201);
    expect(published.body.version.sopId).toBe('sop-tiga-puluh');
  });
});

describe.each(dialects)('a validation that passes its time limit on $name', (dialect) => {
  // One worker, one waiting place, and a limit no real check of a big file can meet.
  const t = useApi(dialect, { env: { ALUR_VALIDATION_TIMEOUT_MS: '1', ALUR_VALIDATION_WORKERS: '1', ALUR_VALIDATION_QUEUE: '1' } });

  it('is stopped and answered 413, and the server works on', async () => {
    const owner: ApiClient = await t.api.login(OWNER);
    const source = bigSop(1_500);
    const { response, answeredMeanwhile } = await whileHealthzAnswers(t.api, owner.request('POST', '/api/v1/sops/validate', { source }));
    expect(answeredMeanwhile).toBe(true);
    const [d] = expectOverLimit(response, 'validation-timeout');
    expect(d).toMatchObject({ line: 1, column: 1, message: expect.stringContaining('Alur stopped checking this file after 1 ms') });

    // The stopped worker is replaced: the next file is checked (and stopped) the same way, publishing stores nothing.
    expectOverLimit(await owner.request('POST', '/api/v1/sops', { source }), 'validation-timeout');
    expect((await owner.request('GET', '/api/v1/sops/sop-besar')).status).toBe(404);
    expect((await owner.request('GET', '/api/v1/sops')).status).toBe(200);
    expect((await fetch(`${t.api.url}/healthz`)).status).toBe(200);
  });

  it('takes as many files at once as it has workers and waiting places, and refuses the rest with 503', async () => {
    const owner = await t.api.login(OWNER);
    const source = bigSop(1_500);
    const responses = await Promise.all(Array.from({ length: 20 }, () => owner.request('POST', '/api/v1/sops/validate', { source })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 413 && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 413).length).toBeGreaterThanOrEqual(2);
    const busy = responses.find((r) => r.status === 503)!;
    expect(busy.body.type).toBe('urn:alur:problem:validation-busy');
    expect(busy.headers.get('retry-after')).toBe('5');
    expect((await fetch(`${t.api.url}/healthz`)).status).toBe(200);
  });
});
