// POST /signals, GET /signals/{name}/instances/{seq|latest} and the listing, on a real Baton (SQLite), and a
// signal trigger started by an announcement through the API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApi, type ApiHarness } from './api-harness.js';

let api: ApiHarness;
beforeAll(async () => {
  api = await openApi();
});
afterAll(async () => {
  await api?.close();
});

const post = (payload: unknown) =>
  api.app.inject({ method: 'POST', url: '/api/v3/signals', payload: payload as object });
const get = (url: string) => api.app.inject({ method: 'GET', url: `/api/v3${url}` });

describe('POST /signals', () => {
  it('stores a signal (201), extra keys as its payload, and answers a repeat 200 DUPLICATED', async () => {
    const first = await post({
      name: 'db/orders',
      params: { day: 20261207, region: 'eu' },
      note: 'hi',
      n: [1],
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      status: 'CREATED',
      name: 'db/orders',
      seq_id: 1,
      params: { day: 20261207, region: 'eu' },
      payload: { note: 'hi', n: [1] },
    });
    const again = await post({ name: 'db/orders', params: { region: 'eu', day: 20261207 } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ ...first.json(), status: 'DUPLICATED' });
    const byId = await post({
      name: 'db/orders',
      params: { day: 20261207, region: 'eu' },
      request_id: 'r-2',
    });
    expect(byId.json()).toMatchObject({ status: 'CREATED', seq_id: 2, instance_id: 'r-2' });
  });

  it('answers 400 with every problem and where, storing nothing', async () => {
    const bad = await post({ name: 'x', params: { a: 1.5, b: true }, request_time: 'soon' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      status: 'BAD_REQUEST',
      errors: [
        { code: 'INVALID_SIGNAL', field: 'params.a' },
        { code: 'INVALID_SIGNAL', field: 'params.b' },
        { code: 'INVALID_SIGNAL', field: 'request_time' },
      ],
    });
    expect((await post([1, 2])).statusCode).toBe(400);
    expect((await get('/signals/x/instances/latest')).statusCode).toBe(404);
  });
});

describe('GET /signals/{name}/instances', () => {
  it('reads an instance by seq id or latest (names with slashes encoded), 404 when there is none', async () => {
    await post({ name: 'a/b', params: { n: 1 } });
    await post({ name: 'a/b', params: { n: 2 } });
    expect((await get('/signals/a%2Fb/instances/1')).json()).toMatchObject({ seq_id: 1, params: { n: 1 } });
    expect((await get('/signals/a%2Fb/instances/latest')).json()).toMatchObject({ seq_id: 2 });
    expect((await get('/signals/a%2Fb/instances/3')).statusCode).toBe(404);
    expect((await get('/signals/a%2Fb/instances/nope')).statusCode).toBe(404);
  });

  it('lists a name’s instances newest first, a page at a time', async () => {
    for (let n = 0; n < 5; n++) await post({ name: 'paged', params: { n } });
    const page = (await get('/signals/paged/instances?first=2')).json();
    expect(page.elements.map((s: { seq_id: number }) => s.seq_id)).toEqual([5, 4]);
    expect(page.page_info).toMatchObject({ end_cursor: '4', has_next_page: true, has_previous_page: false });
    const next = (await get('/signals/paged/instances?first=2&cursor=4')).json();
    expect(next.elements.map((s: { seq_id: number }) => s.seq_id)).toEqual([3, 2]);
    expect((await get('/signals/paged/instances?first=2&cursor=x')).statusCode).toBe(400);
  });
});

describe('a signal trigger fed through the API', () => {
  it('starts the active version when its signal is announced', async () => {
    const pushed = await api.app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      payload: {
        properties: { owner: 'tester' },
        workflow: {
          id: 'on-ready',
          signal_triggers: [
            { definitions: { ready: { match_params: { ok: { value: 1, operator: '=' } } } } },
          ],
          steps: [{ step: { id: 'job', type: 'NoOp' } }],
        },
      },
    });
    expect(pushed.statusCode).toBe(200);
    await post({ name: 'ready', params: { ok: 0 } });
    await post({ name: 'ready', params: { ok: 1 } });
    const deadline = Date.now() + 10_000;
    let runs: { initiator: { type: string } }[] = [];
    while (runs.length === 0 && Date.now() < deadline) {
      runs = (await get('/workflows/on-ready/instances?first=10')).json().elements ?? [];
      if (runs.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(runs).toHaveLength(1);
    expect(runs[0]!.initiator).toMatchObject({ type: 'SIGNAL', signal_id_map: { ready: 2 } });
    const subs = await get('/workflows/on-ready/signal-triggers');
    expect(subs.json()).toMatchObject({
      workflow_id: 'on-ready',
      signal_triggers: [{ checkpoints: { ready: 2 }, definition: { definitions: { ready: {} } } }],
    });
    expect((await get('/workflows/nope/signal-triggers')).statusCode).toBe(404);
  });
});
