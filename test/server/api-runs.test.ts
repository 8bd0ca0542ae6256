import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openApi, type ApiHarness } from './api-harness.js';

let api: ApiHarness;
beforeEach(async () => {
  api = await openApi();
});
afterEach(async () => {
  await api.close();
});

const headers = { user: 'ana', 'content-type': 'application/json' };
const NAPPER = JSON.stringify({
  properties: { owner: 'ana' },
  workflow: {
    id: 'napper',
    params: { limit: { type: 'LONG', value: 3 } },
    steps: [
      {
        step: {
          id: 'nap',
          type: 'Sleep',
          params: { sleep_seconds: { type: 'LONG', value: 600 } },
          transition: { successors: { after: 'true' } },
        },
      },
      { step: { id: 'after', type: 'NoOp' } },
    ],
  },
});

async function push(body = NAPPER) {
  return api.app.inject({ method: 'POST', url: '/api/v3/workflows', headers, payload: body });
}
async function start(body: object = { initiator: { type: 'MANUAL' } }) {
  return api.app.inject({
    method: 'POST',
    url: '/api/v3/workflows/napper/versions/latest/actions/start',
    headers,
    payload: JSON.stringify(body),
  });
}
const get = (url: string) => api.app.inject({ method: 'GET', url: `/api/v3${url}` });
const put = (url: string) =>
  api.app.inject({ method: 'PUT', url: `/api/v3${url}`, headers: { user: 'ana' } });

describe('API: definitions', () => {
  it('refuses a definition with every mistake, each with its line and column, and stores nothing', async () => {
    const bad =
      '{\n  "properties": {"owner": "ana"},\n  "workflow": {"id": "bad wf", "steps": [\n    {"step": {"id": "a", "type": "Nope"}}\n  ]}\n}';
    const res = await push(bad);
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body.status).toBe('BAD_REQUEST');
    expect(body.errors.length).toBeGreaterThanOrEqual(2);
    for (const e of body.errors)
      expect(e).toMatchObject({
        code: expect.any(String),
        message: expect.any(String),
        line: expect.any(Number),
      });
    expect(body.errors.map((e: { line: number }) => e.line)).toEqual(expect.arrayContaining([3, 4]));
    expect((await get('/workflows/bad%20wf/versions/latest')).statusCode).toBe(404);
  });

  it('takes YAML (and Maestro DSL) at /workflows/yaml, and reads versions by number, latest, active and default', async () => {
    const yaml =
      'properties: { owner: ana }\nworkflow:\n  id: napper\n  steps:\n    - step: { id: a, type: NoOp }\n';
    const created = await api.app.inject({
      method: 'POST',
      url: '/api/v3/workflows/yaml',
      headers: { user: 'ana', 'content-type': 'application/yaml' },
      payload: yaml,
    });
    expect(created.statusCode).toBe(200);
    expect((await push()).json().workflow_definition.metadata.workflow_version_id).toBe(2);
    for (const v of ['2', 'latest', 'active', 'default', 'LATEST']) {
      const res = await get(`/workflows/napper/versions/${v}`);
      expect(res.statusCode, v).toBe(200);
      expect(res.json()).toMatchObject({
        metadata: { workflow_version_id: 2 },
        is_latest: true,
        is_active: true,
      });
    }
    expect((await get('/workflows/napper/versions/1')).json().is_latest).toBe(false);
    expect((await get('/workflows/napper/versions/7')).statusCode).toBe(404);
    expect((await get('/workflows/napper/versions/x1')).statusCode).toBe(400);
  });

  it('validates without storing, and sends a job template elsewhere', async () => {
    const ok = await api.app.inject({
      method: 'PUT',
      url: '/api/v3/workflows/actions/validate',
      headers,
      payload: NAPPER,
    });
    expect(ok.statusCode).toBe(200);
    expect((await get('/workflows/napper/versions/latest')).statusCode).toBe(404);
    const template = JSON.stringify({ definition: { job_type: 'spark', step_type: 'Shell', version: '1' } });
    const wrong = await push(template);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].code).toBe('WRONG_ENDPOINT');
  });
});

describe('API: starts, runs and actions', () => {
  it('starts with Maestro run params, deduplicates by request id, and refuses bad params storing nothing', async () => {
    await push();
    const bad = await start({ initiator: { type: 'MANUAL' }, run_params: { limit: { type: 'LONG' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].field).toMatch(/^run_params\.limit/);
    expect((await get('/workflows/napper/instances/1')).statusCode).toBe(404);

    const first = await start({
      initiator: { type: 'manual' },
      request_id: 'req-1',
      run_params: { limit: { type: 'LONG', value: 9 } },
    });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      workflow_instance_id: 1,
      status: 'CREATED',
      workflow_uuid: 'req-1',
    });
    const again = await start({ initiator: { type: 'MANUAL' }, request_id: 'req-1' });
    expect([again.statusCode, again.json().status, again.json().workflow_instance_id]).toEqual([
      200,
      'DUPLICATED',
      1,
    ]);
    const run = (await get('/workflows/napper/instances/1/runs/latest')).json();
    expect(run.params.limit).toMatchObject({ value: 9, type: 'LONG' });
    expect(run.initiator).toMatchObject({ type: 'MANUAL', user: 'ana' });
    expect((await start({ initiator: { type: 'TIME' } })).statusCode).toBe(400);
  });

  it('stops a running instance (200), then refuses to stop it again (409 with the reason), and restarts it', async () => {
    await push();
    await start();
    const key = { workflow_id: 'napper', instance_id: 1, run_id: 1 };
    await expect
      .poll(async () => (await api.baton.engine.getRun(key))?.state.steps['nap']?.status)
      .toBe('RUNNING');
    const steps = (await get('/workflows/napper/instances/1/runs/1/steps')).json();
    expect(
      steps.map((s: { step_id: string; runtime_state: { status: string } }) => [
        s.step_id,
        s.runtime_state.status,
      ]),
    ).toEqual([['nap', 'RUNNING']]);
    const stop = await put('/workflows/napper/instances/1/actions/stop');
    expect(stop.statusCode).toBe(200);
    expect(stop.json()).toMatchObject({
      workflow_instance_id: 1,
      workflow_run_id: 1,
      completed: expect.any(Boolean),
    });
    await api.baton.engine.waitForEnd(key);
    const again = await put('/workflows/napper/instances/1/runs/1/actions/stop');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({
      status: 'CONFLICT',
      errors: [{ code: 'ILLEGAL_STATE', message: expect.stringMatching(/it is STOPPED/) }],
    });

    const restarted = await api.app.inject({
      method: 'POST',
      url: '/api/v3/workflows/napper/instances/1/actions/restart',
      headers,
      payload: '{"restart_policy": "RESTART_FROM_BEGINNING"}',
    });
    expect(restarted.statusCode).toBe(201);
    expect(restarted.json()).toMatchObject({ workflow_instance_id: 1, workflow_run_id: 2 });
  });

  it('skips a running step and reads its attempt; bypassing a step not waiting for signals is 409', async () => {
    await push();
    await start();
    const key = { workflow_id: 'napper', instance_id: 1, run_id: 1 };
    await expect
      .poll(async () => (await api.baton.engine.getRun(key))?.state.steps['nap']?.status)
      .toBe('RUNNING');
    const bypass = await put('/workflows/napper/instances/1/steps/nap/actions/bypass');
    expect(bypass.statusCode).toBe(409);
    expect(bypass.json().message).toMatch(/cannot BYPASS_STEP_DEPENDENCIES step 'nap' .*: it is RUNNING/);
    const skip = await put('/workflows/napper/instances/1/steps/nap/actions/skip');
    expect(skip.statusCode).toBe(200);
    expect((await api.baton.engine.waitForEnd(key)).run.status).toBe('SUCCEEDED');
    const attempt = (await get('/workflows/napper/instances/1/runs/1/steps/nap/attempts/latest')).json();
    expect(attempt).toMatchObject({
      step_id: 'nap',
      step_attempt_id: 1,
      runtime_state: { status: 'SKIPPED' },
      definition: { id: 'nap', type: 'Sleep' },
    });
    expect((await get('/workflows/napper/instances/1/steps/after')).json().runtime_state.status).toBe(
      'SUCCEEDED',
    );
    expect((await put('/workflows/napper/instances/1/steps/nap/actions/skip')).statusCode).toBe(409);
    expect((await get('/workflows/napper/instances/1/runs/1/steps/nap/attempts/2')).statusCode).toBe(404);
  });
});

describe('API: the rest', () => {
  it('answers action maps from the status traits', async () => {
    expect((await get('/workflows/instances/action-map')).json()).toMatchObject({
      FAILED: ['RESTART', 'UNBLOCK'],
      IN_PROGRESS: ['STOP', 'KILL'],
    });
    const steps = (await get('/workflows/steps/instances/action-map')).json();
    expect(steps.NOT_CREATED).toBeUndefined();
    expect(steps.PAUSED).toEqual(['RESUME', 'STOP', 'KILL', 'SKIP']);
  });

  it('answers unknown routes, bad JSON and oversized bodies with the error body', async () => {
    const missing = await get('/nothing/here');
    expect([missing.statusCode, missing.json().status]).toEqual([404, 'NOT_FOUND']);
    await push();
    const badJson = await api.app.inject({
      method: 'POST',
      url: '/api/v3/workflows/napper/versions/latest/actions/start',
      headers,
      payload: '{"initiator": ',
    });
    expect([badJson.statusCode, badJson.json().status]).toEqual([400, 'BAD_REQUEST']);
    const huge = await push(`{"x": "${'a'.repeat(2 * 1024 * 1024)}"}`);
    expect([huge.statusCode, huge.json().errors[0].code]).toEqual([413, 'BODY_TOO_LARGE']);
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const doc = (await api.app.inject({ method: 'GET', url: '/api/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v3/workflows',
        '/api/v3/workflows/{workflowId}/versions/{version}/actions/start',
      ]),
    );
    // definitions are read as text (positions), and documented with the same wire schema that checks them
    const create = doc.paths['/api/v3/workflows'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(create.properties)).toEqual(expect.arrayContaining(['properties', 'workflow']));
  });
});
