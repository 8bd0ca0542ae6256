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
const send = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, body?: object) =>
  api.app.inject({
    method,
    url: `/api/v3${url}`,
    headers,
    ...(body ? { payload: JSON.stringify(body) } : {}),
  });

describe('API: tag permits and breakpoints', () => {
  it('sets and reads a tag permit; refuses unknown keys and a missing permit', async () => {
    expect((await send('POST', '/tag-permits', { tag: 'gpu', max_allowed: 2 })).statusCode).toBe(200);
    expect((await send('GET', '/tag-permits/gpu')).json()).toEqual({ tag: 'gpu', max_allowed: 2 });
    expect((await send('GET', '/tag-permits/cpu')).statusCode).toBe(404);
    const bad = await send('POST', '/tag-permits', { tag: 'gpu', max_allowed: 2, extra: 1 });
    expect(bad.statusCode).toBe(400);
  });

  it('pauses a step at a breakpoint, lists it, resumes the attempt, and removes the breakpoint', async () => {
    const definition = {
      properties: { owner: 'ana' },
      workflow: {
        id: 'paused',
        steps: [
          { step: { id: 'a', type: 'NoOp', transition: { successors: { b: 'true' } } } },
          { step: { id: 'b', type: 'NoOp' } },
        ],
      },
    };
    expect((await send('POST', '/workflows', definition)).statusCode).toBe(200);
    const set = await send('POST', '/workflows/steps/breakpoints', { workflow_id: 'paused', step_id: 'b' });
    expect(set.json()).toMatchObject({ workflow_id: 'paused', step_id: 'b', created_by: 'ana' });
    expect(
      (
        await send('POST', '/workflows/steps/breakpoints', {
          workflow_id: 'paused',
          step_id: 'b',
          workflow_instance_id: 3,
        })
      ).statusCode,
    ).toBe(400);
    expect((await send('GET', '/workflows/steps/breakpoints?workflowId=paused')).json()).toEqual([
      expect.objectContaining({ workflow_id: 'paused', step_id: 'b', workflow_instance_id: 0 }),
    ]);
    await send('POST', '/workflows/paused/versions/latest/actions/start', { initiator: { type: 'MANUAL' } });
    const key = { workflow_id: 'paused', instance_id: 1, run_id: 1 };
    await expect
      .poll(async () => (await api.baton.engine.getRun(key))?.state.steps['b']?.status)
      .toBe('PAUSED');
    const resumed = await send(
      'PUT',
      '/workflows/steps/breakpoints/paused/instances/1/runs/1/steps/b/attempts/1/actions/resume',
    );
    expect(resumed.statusCode).toBe(200);
    expect((await api.baton.engine.waitForEnd(key)).run.status).toBe('SUCCEEDED');
    expect(
      (
        await send(
          'PUT',
          '/workflows/steps/breakpoints/paused/instances/1/runs/1/steps/b/attempts/1/actions/resume',
        )
      ).statusCode,
    ).toBe(409);
    expect(
      (await send('DELETE', '/workflows/steps/breakpoints?workflowId=paused&stepId=b&resume=false'))
        .statusCode,
    ).toBe(200);
    expect((await send('GET', '/workflows/steps/breakpoints?workflowId=paused')).json()).toEqual([]);
  });

  it('lists the attempts paused at a breakpoint, and removing it resumes them', async () => {
    const definition = {
      properties: { owner: 'ana', run_strategy: 'PARALLEL' },
      workflow: { id: 'held', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
    };
    await send('POST', '/workflows', definition);
    await send('POST', '/workflows/steps/breakpoints', { workflow_id: 'held', step_id: 'a' });
    for (let i = 0; i < 2; i++)
      await send('POST', '/workflows/held/versions/latest/actions/start', { initiator: { type: 'MANUAL' } });
    const paused = async () =>
      (await send('GET', '/workflows/steps/breakpoints/paused-step-attempts?workflowId=held')).json();
    await expect.poll(async () => (await paused()).length).toBe(2);
    expect(await paused()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ workflow_instance_id: 1, step_id: 'a', step_attempt_id: 1 }),
      ]),
    );
    const removed = await send('DELETE', '/workflows/steps/breakpoints?workflowId=held&stepId=a');
    expect(removed.json().timeline_event.message).toMatch(/Total of \[2\] steps have been resumed/);
    for (const instance_id of [1, 2])
      expect(
        (await api.baton.engine.waitForEnd({ workflow_id: 'held', instance_id, run_id: 1 })).run.status,
      ).toBe('SUCCEEDED');
    expect(await paused()).toEqual([]);
  });

  it('answers 501, naming the issue, for features that have not landed', async () => {
    const res = await send('GET', '/job-templates');
    expect(res.statusCode).toBe(501);
    expect(res.json()).toMatchObject({
      status: 'NOT_IMPLEMENTED',
      errors: [{ code: 'NOT_IMPLEMENTED', message: expect.stringMatching(/issue #16/) }],
    });
  });
});
