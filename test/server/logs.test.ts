import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pollUntil } from '../support/deadline.js';
import { openApi, type ApiHarness } from './api-harness.js';
import { gatedFlow, gateIn, openGate, pushAndStart } from './live-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function harness(): Promise<{ api: ApiHarness; base: string; gate: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-logs-api-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const api = await openApi({ livePollMs: 50 });
  cleanups.push(() => api.close());
  const address = await api.app.listen({ port: 0, host: '127.0.0.1' });
  return { api, base: `${address}/api/v3`, gate: gateIn(dir) };
}

describe('step logs through the API', () => {
  it('answers a finished Shell attempt whole, its tail, and its stderr; a NoOp step has none', async () => {
    const { api, gate } = await harness();
    openGate(gate);
    const iid = await pushAndStart(api.app, gatedFlow('logs-done', gate), 'logs-done');
    await api.baton.engine.waitForEnd({ workflow_id: 'logs-done', instance_id: iid, run_id: 1 });
    const url = (rest: string) => `/api/v3/workflows/logs-done/instances/${iid}/runs/1/steps/${rest}`;
    const whole = await api.app.inject({ url: url('work/attempts/1/logs') });
    expect(whole.statusCode, whole.body).toBe(200);
    expect(whole.headers['content-type']).toContain('text/plain');
    expect(whole.body).toBe('line 1\nline 2\nline 3\nline 4\nline 5\n');
    expect((await api.app.inject({ url: url('work/attempts/latest/logs?tail=2') })).body).toBe(
      'line 4\nline 5\n',
    );
    expect((await api.app.inject({ url: url('work/attempts/1/logs?tail=99') })).body).toBe(whole.body);
    expect((await api.app.inject({ url: url('work/attempts/1/logs?stream=stderr') })).body).toBe('oops\n');

    const noop = await api.app.inject({ url: url('done/attempts/1/logs') });
    expect(noop.statusCode).toBe(404);
    expect(noop.json().message).toContain('writes no stdout log');
    const attempt = await api.app.inject({ url: url('work/attempts/2/logs') });
    expect(attempt.statusCode).toBe(404);
    expect(attempt.json().message).toContain('has no attempt 2');
  });

  it('says which worker holds a log that is not on this host', async () => {
    const { api, gate } = await harness();
    openGate(gate);
    const iid = await pushAndStart(api.app, gatedFlow('logs-away', gate), 'logs-away');
    const key = { workflow_id: 'logs-away', instance_id: iid, run_id: 1 };
    await api.baton.engine.waitForEnd(key);
    // as if another host had run the attempt: its worker names that host, and the file is not here
    await api.baton.store.transact(async (tx) => {
      const work = (await tx.getSteps(key)).find((s) => s.step_id === 'work')!;
      await tx.putSteps(key, [{ ...work, state: { ...work.state, worker: 'far-away-host:4242:abc' } }]);
    });
    rmSync(path.join(api.baton.logDir, `logs-away/${iid}/1/work/1/stdout.log`));
    const answer = await api.app.inject({
      url: `/api/v3/workflows/logs-away/instances/${iid}/runs/1/steps/work/attempts/1/logs`,
    });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().message).toContain('is on worker far-away-host:4242:abc');
  });

  it('refuses ids that could leave the log folder, and bad query values, saying which', async () => {
    const { api } = await harness();
    for (const bad of [
      '/api/v3/workflows/.wf/instances/1/runs/1/steps/work/attempts/1/logs',
      '/api/v3/workflows/wf/instances/1/runs/1/steps/..%2F..%2Fetc/attempts/1/logs',
      '/api/v3/workflows/wf/instances/1/runs/1/steps/.hidden/attempts/1/logs',
      '/api/v3/workflows/wf/instances/1/runs/1/steps/work/attempts/0/logs',
      '/api/v3/workflows/wf/instances/1/runs/1/steps/work/attempts/1/logs?tail=-1',
      '/api/v3/workflows/wf/instances/1/runs/1/steps/work/attempts/1/logs?stream=passwd',
    ]) {
      const answer = await api.app.inject({ url: bad });
      expect(answer.statusCode, bad).toBe(400);
      expect(answer.json().errors[0].field, bad).toMatch(/^(params|querystring)\./);
    }
    // dot segments are resolved before routing: this names no endpoint at all
    const dots = await api.app.inject({
      url: '/api/v3/workflows/%2E%2E/instances/1/runs/1/steps/work/attempts/1/logs',
    });
    expect(dots.statusCode).toBe(404);
    expect(dots.json().message).toContain('no endpoint');
  });

  it('follows a running attempt until it ends, from its tail', async () => {
    const { api, base, gate } = await harness();
    const iid = await pushAndStart(api.app, gatedFlow('logs-follow', gate), 'logs-follow');
    const key = { workflow_id: 'logs-follow', instance_id: iid, run_id: 1 };
    await pollUntil(
      async () => (await api.baton.engine.getRun(key))?.state.steps['gate']?.status === 'RUNNING',
      'the gate step running',
    );
    const response = await fetch(
      `${base}/workflows/logs-follow/instances/${iid}/runs/1/steps/gate/attempts/latest/logs?follow=true&tail=5`,
    );
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('waiting\n')) {
      const { done, value } = await reader.read();
      expect(done).toBe(false);
      text += decoder.decode(value, { stream: true });
    }
    openGate(gate);
    for (let r = await reader.read(); !r.done; r = await reader.read())
      text += decoder.decode(r.value, { stream: true });
    expect(text).toBe('waiting\npassed\n');
    const run = await api.baton.engine.getRun(key);
    expect(run?.state.steps['gate']?.status).toBe('SUCCEEDED');
  });
});
