import { mkdtempSync, rmSync } from 'node:fs';
import { get, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { buildApi } from '../../src/server/app.js';
import { openBaton, type Baton } from '../../src/server/compose.js';
import { pollUntil } from '../support/deadline.js';
import { dropSchema, freshSchema, hasPg, PG_SKIP_REASON, pgSchemaUrl } from '../support/postgres.js';
import { openApi, type ApiHarness } from './api-harness.js';
import { gatedFlow, gateIn, openGate, pushAndStart } from './live-fixtures.js';
import { SseReader, type SseEvent } from './sse-client.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-live-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function listening(app: FastifyInstance): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return `${address}/api/v3`;
}

async function harness(): Promise<{ api: ApiHarness; base: string; dir: string }> {
  const dir = tempDir();
  const api = await openApi();
  cleanups.push(() => api.close());
  return { api, base: await listening(api.app), dir };
}

const stepChanges = (events: readonly SseEvent[], stepId: string): unknown[] =>
  events
    .filter((e) => e.event === 'STEP_INSTANCE_STATUS_CHANGE_EVENT' && e.data['step_id'] === stepId)
    .flatMap((e) => (e.data['status_change_records'] as { new_status: string }[]).map((r) => r.new_status));

describe('live run events (server-sent events)', () => {
  it('sends the run as it is, then each change, and ends after SUCCEEDED', async () => {
    const { api, base, dir } = await harness();
    const gate = gateIn(dir);
    const iid = await pushAndStart(api.app, gatedFlow('live-ok', gate), 'live-ok');
    const { response, sse } = await SseReader.open(
      `${base}/workflows/live-ok/instances/${iid}/runs/latest/events`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const first = await sse.next();
    expect(first?.event).toBe('RUN_SNAPSHOT');
    expect(first?.data).toMatchObject({
      workflow_id: 'live-ok',
      workflow_instance_id: iid,
      workflow_run_id: 1,
    });
    expect(['CREATED', 'IN_PROGRESS']).toContain(first?.data['status']);
    openGate(gate);
    const rest = await sse.rest();
    const last = rest.at(-1);
    expect(last?.event).toBe('WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT');
    expect(last?.data).toMatchObject({ new_status: 'SUCCEEDED', workflow_id: 'live-ok', workflow_run_id: 1 });
    for (const step of ['gate', 'work', 'done']) expect(stepChanges(rest, step).at(-1)).toBe('SUCCEEDED');
    expect(stepChanges(rest, 'work')).toContain('RUNNING');
    // ids are the run's versions, in order
    const ids = rest.map((e) => Number(e.id));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
  });

  it('ends with STOPPED when a user stops the run', async () => {
    const { api, base, dir } = await harness();
    const iid = await pushAndStart(api.app, gatedFlow('live-stop', gateIn(dir)), 'live-stop');
    const { sse } = await SseReader.open(`${base}/workflows/live-stop/instances/${iid}/runs/1/events`);
    expect((await sse.next())?.event).toBe('RUN_SNAPSHOT');
    const stopped = await api.app.inject({
      method: 'PUT',
      url: `/api/v3/workflows/live-stop/instances/${iid}/runs/1/actions/stop`,
      headers: { user: 'tester' },
    });
    expect(stopped.statusCode, stopped.body).toBe(200);
    const rest = await sse.rest();
    expect(rest.at(-1)?.data).toMatchObject({
      type: 'WORKFLOW_INSTANCE_STATUS_CHANGE_EVENT',
      new_status: 'STOPPED',
    });
    expect(stepChanges(rest, 'gate').at(-1)).toBe('STOPPED');
  });

  it('sends only the snapshot of a run that has ended, and answers 404 for a run that does not exist', async () => {
    const { api, base, dir } = await harness();
    const gate = gateIn(dir);
    openGate(gate);
    const iid = await pushAndStart(api.app, gatedFlow('live-done', gate), 'live-done');
    await api.baton.engine.waitForEnd({ workflow_id: 'live-done', instance_id: iid, run_id: 1 });
    const { sse } = await SseReader.open(`${base}/workflows/live-done/instances/${iid}/runs/1/events`);
    const events = await sse.rest();
    expect(events.map((e) => e.event)).toEqual(['RUN_SNAPSHOT']);
    expect(events[0]?.data['status']).toBe('SUCCEEDED');
    const missing = await fetch(`${base}/workflows/live-done/instances/${iid}/runs/7/events`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('has no run 7');
  });

  it('frees its listener when the client goes away, and sends keep-alive comments meanwhile', async () => {
    const dir = tempDir();
    const api = await openApi();
    cleanups.push(() => api.close());
    const counted = countingListeners(api.baton.engine);
    const app = await buildApi(
      { engine: counted.engine, store: api.baton.store, clock: api.baton.clock },
      { keepAliveMs: 20, livePollMs: 50 },
    );
    cleanups.push(() => app.close());
    const base = await listening(app);
    const iid = await pushAndStart(api.app, gatedFlow('live-gone', gateIn(dir)), 'live-gone');
    const before = counted.listeners(); // the metrics' own listener
    // node:http rather than fetch: fetch keeps a spare connection open after an abort, which holds app.close().
    const response = await new Promise<IncomingMessage>((resolve, reject) =>
      get(`${base}/workflows/live-gone/instances/${iid}/runs/1/events`, resolve).on('error', reject),
    );
    let text = '';
    response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    await pollUntil(
      async () => text.split(': keep-alive').length > 2,
      'the snapshot and two keep-alive comments',
    );
    expect(text).toMatch(/^id: \d+\nevent: RUN_SNAPSHOT\n/);
    expect(counted.listeners()).toBe(before + 1);
    response.destroy();
    await pollUntil(async () => counted.listeners() === before, 'the listener removed after the client left');
  });
});

describe('live streams when the server closes', () => {
  it('are ended, so closing does not wait for their clients', async () => {
    const dir = tempDir();
    const api = await openApi();
    cleanups.push(() => api.close());
    const app = await buildApi({ engine: api.baton.engine, store: api.baton.store, clock: api.baton.clock });
    const base = await listening(app);
    const iid = await pushAndStart(app, gatedFlow('live-close', gateIn(dir)), 'live-close');
    const { sse } = await SseReader.open(`${base}/workflows/live-close/instances/${iid}/runs/1/events`);
    expect((await sse.next())?.event).toBe('RUN_SNAPSHOT');
    await app.close();
    expect(await sse.rest()).toEqual([]);
  });
});

/** The engine, with a count of the `onRunChange` listeners subscribed through it and not yet removed. */
function countingListeners(engine: Engine): { engine: Engine; listeners: () => number } {
  let count = 0;
  const counted: Engine = Object.create(engine) as Engine;
  counted.onRunChange = (listener) => {
    count++;
    const off = engine.onRunChange(listener);
    let on = true;
    return () => {
      if (on) count--;
      on = false;
      off();
    };
  };
  return { engine: counted, listeners: () => count };
}

describe.skipIf(!hasPg)('live run events across processes on PostgreSQL', () => {
  if (!hasPg) console.log(`live.test.ts: ${PG_SKIP_REASON}`);
  it('arrive from changes another process writes', async () => {
    const dir = tempDir();
    const schema = freshSchema('live');
    cleanups.push(() => dropSchema(schema));
    const open = async (): Promise<Baton> => {
      const baton = await openBaton({ db: pgSchemaUrl(schema), workers: 2 });
      cleanups.push(() => baton.close());
      return baton;
    };
    const worker = await open(); // runs the steps
    const watcher = await open(); // serves the stream and claims nothing
    worker.engine.start();
    const app = await buildApi(
      { engine: watcher.engine, store: watcher.store, clock: watcher.clock },
      { livePollMs: 50 },
    );
    cleanups.push(() => app.close());
    const base = await listening(app);
    const gate = gateIn(dir);
    const iid = await pushAndStart(app, gatedFlow('live-pg', gate), 'live-pg');
    const { sse } = await SseReader.open(`${base}/workflows/live-pg/instances/${iid}/runs/1/events`);
    expect((await sse.next())?.event).toBe('RUN_SNAPSHOT');
    openGate(gate);
    const rest = await sse.rest();
    expect(rest.at(-1)?.data).toMatchObject({ new_status: 'SUCCEEDED' });
    expect(stepChanges(rest, 'done').at(-1)).toBe('SUCCEEDED');
  });
});
