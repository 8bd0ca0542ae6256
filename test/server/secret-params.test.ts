import { afterEach, describe, expect, it } from 'vitest';
import { planOf } from '../../src/engine/plan.js';
import { stepAttemptView } from '../../src/server/views/run-views.js';
import { openApi, type ApiHarness } from './api-harness.js';

let api: ApiHarness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const SECRETS = ['hunter2', 'k-123', 'run-secret-999'];
const definition = JSON.stringify({
  properties: { owner: 'alice' },
  workflow: {
    id: 'sec',
    params: {
      db_password: { type: 'STRING', value: 'hunter2', secret: true },
      plain: { type: 'STRING', value: 'shown' },
    },
    steps: [
      {
        step: {
          id: 'a',
          type: 'NoOp',
          params: { api_key: { type: 'STRING', value: 'k-123', secret: true } },
        },
      },
    ],
  },
});
const json = { user: 'alice', 'content-type': 'application/json' };

describe('params marked secret: true', () => {
  it('never show their values: not in the definition, the run, its steps or its events', async () => {
    api = await openApi();
    const { app } = api;
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      headers: json,
      payload: definition,
    });
    expect(pushed.statusCode).toBe(200);
    const started = await app.inject({
      method: 'POST',
      url: '/api/v3/workflows/sec/versions/latest/actions/start',
      headers: json,
      payload: JSON.stringify({ run_params: { db_password: { type: 'STRING', value: 'run-secret-999' } } }),
    });
    expect(started.statusCode).toBe(201);
    const key = { workflow_id: 'sec', instance_id: 1, run_id: 1 };
    await api.baton.engine.waitForEnd(key);

    const version = await app.inject({ method: 'GET', url: '/api/v3/workflows/sec/versions/latest' });
    const run = await app.inject({ method: 'GET', url: '/api/v3/workflows/sec/instances/1/runs/1' });
    expect(run.json().status).toBe('SUCCEEDED');
    expect(run.json().params.db_password).toMatchObject({ value: '********', evaluated_result: '********' });
    expect(run.json().params.plain).toMatchObject({ value: 'shown' });
    expect(version.json().workflow.params.db_password).toEqual({
      value: '********',
      type: 'STRING',
      secret: true,
    });

    const loaded = (await api.baton.engine.getRun(key))!;
    const plan = planOf(await api.baton.engine.definition('sec', 1));
    const step = stepAttemptView(loaded.run, plan, 'a', loaded.state.steps['a']!, 1)!;
    expect(step['params']).toHaveProperty('api_key.value', '********');

    const events = await api.baton.store.transact((tx) => tx.readOutbox(0, 1000));
    expect(events.length).toBeGreaterThan(0);
    for (const [what, text] of [
      ['push answer', pushed.body],
      ['start answer', started.body],
      ['version', version.body],
      ['run', run.body],
      ['step', JSON.stringify(step)],
      ['events', JSON.stringify(events)],
    ] as const) {
      for (const secret of SECRETS) expect(text, `${what} shows ${secret}`).not.toContain(secret);
    }
  });
});
