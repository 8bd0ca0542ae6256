import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApi } from '../../src/server/app.js';
import { openBaton } from '../../src/server/compose.js';
import { pollUntil } from '../support/deadline.js';
import { openApi } from './api-harness.js';
import { gatedFlow, gateIn, openGate, pushAndStart } from './live-fixtures.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-metrics-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The samples of a Prometheus text exposition, by series (`name{labels}`), checking every line's syntax. */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{[^}]*\})?) (\S+)$/.exec(line);
    expect(match, `a sample line: ${line}`).not.toBeNull();
    const value = Number(match![2]);
    expect(Number.isNaN(value), line).toBe(false);
    out.set(match![1]!, value);
  }
  return out;
}

describe('/metrics', () => {
  it('has runs by status, queue depth, and step latencies with plausible values', async () => {
    const dir = tempDir();
    const api = await openApi({ metricsCacheMs: 0 });
    cleanups.push(() => api.close());
    const gate = gateIn(dir);
    const iid = await pushAndStart(api.app, gatedFlow('metered', gate), 'metered');
    const key = { workflow_id: 'metered', instance_id: iid, run_id: 1 };
    await pollUntil(
      async () => (await api.baton.engine.getRun(key))?.state.steps['gate']?.status === 'RUNNING',
      'the gate step running',
    );
    const during = await api.app.inject({ url: '/metrics' });
    expect(during.statusCode).toBe(200);
    expect(during.headers['content-type']).toContain('text/plain');
    const inFlight = parseMetrics(during.body);
    expect(inFlight.get('baton_runs{status="IN_PROGRESS"}')).toBe(1);
    expect(inFlight.get('baton_runs{status="CREATED"}')).toBe(0);
    expect(inFlight.get('baton_queue_items{kind="step",state="leased"}')).toBe(1);
    expect(inFlight.get('baton_queue_oldest_due_age_seconds{kind="step"}')).toBe(0);

    openGate(gate);
    await api.baton.engine.waitForEnd(key);
    const after = parseMetrics((await api.app.inject({ url: '/metrics' })).body);
    expect(after.get('baton_runs{status="IN_PROGRESS"}')).toBe(0);
    expect(after.get('baton_runs_ended_total{status="SUCCEEDED"}')).toBe(1);
    expect(after.get('baton_step_run_seconds_count{status="SUCCEEDED"}')).toBe(3);
    expect(after.get('baton_step_queued_seconds_count')).toBe(3);
    // the gate step waited for its gate file: its run time is in the sum, and nothing ran for an hour
    expect(after.get('baton_step_run_seconds_sum{status="SUCCEEDED"}')).toBeGreaterThan(0);
    expect(after.get('baton_step_run_seconds_bucket{le="3600",status="SUCCEEDED"}')).toBe(3);
    expect(after.get('baton_queue_items{kind="step",state="leased"}')).toBe(0);
  });

  it('tells how long the oldest due item has waited, and answers 503 once the store is closed', async () => {
    const dir = tempDir();
    const baton = await openBaton({ db: path.join(dir, 'idle.db') }); // its engine is not started: nothing claims
    let open = true;
    cleanups.push(() => (open ? baton.close() : undefined));
    const app = await buildApi(
      { engine: baton.engine, store: baton.store, clock: baton.clock },
      { metricsCacheMs: 0 },
    );
    cleanups.push(() => app.close());
    const now = baton.clock.now();
    await baton.store.transact((tx) =>
      tx.enqueue([
        { kind: 'timer', workflow_id: 'wf', instance_id: 1, run_id: 1, payload: {}, run_at: now - 5000 },
        { kind: 'timer', workflow_id: 'wf', instance_id: 1, run_id: 1, payload: {}, run_at: now + 60_000 },
      ]),
    );
    const samples = parseMetrics((await app.inject({ url: '/metrics' })).body);
    expect(samples.get('baton_queue_items{kind="timer",state="due"}')).toBe(1);
    expect(samples.get('baton_queue_items{kind="timer",state="waiting"}')).toBe(1);
    const age = samples.get('baton_queue_oldest_due_age_seconds{kind="timer"}')!;
    expect(age).toBeGreaterThanOrEqual(5);
    expect(age).toBeLessThan(60);

    await baton.close();
    open = false;
    const refused = await app.inject({ url: '/metrics' });
    expect(refused.statusCode).toBe(503);
    expect(refused.json().errors[0].code).toBe('STORE_UNAVAILABLE');
  });
});

describe('/healthz and /readyz', () => {
  it('answer UP while the store answers, and /readyz 503 with the reason once it is closed', async () => {
    const dir = tempDir();
    const baton = await openBaton({ db: path.join(dir, 'health.db') });
    let open = true;
    cleanups.push(() => (open ? baton.close() : undefined));
    const app = await buildApi({ engine: baton.engine, store: baton.store, clock: baton.clock });
    cleanups.push(() => app.close());
    expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'UP' });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'UP' });

    await baton.close();
    open = false;
    const notReady = await app.inject({ url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({
      status: 'SERVICE_UNAVAILABLE',
      errors: [{ code: 'STORE_UNAVAILABLE' }],
    });
    expect(notReady.json().message).toContain('the store did not answer');
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
