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
const send = (method: 'POST' | 'PUT' | 'DELETE' | 'GET', url: string, body?: unknown) =>
  api.app.inject({
    method,
    url: `/api/v3${url}`,
    headers,
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
const definition = (id: string, description = 'one') => ({
  properties: { owner: 'ana', description },
  workflow: { id, steps: [{ step: { id: 'a', type: 'NoOp' } }] },
});

async function startAndFinish(id: string, n: number) {
  for (let i = 0; i < n; i++) {
    const res = await send('POST', `/workflows/${id}/versions/latest/actions/start`, {
      initiator: { type: 'MANUAL' },
    });
    await api.baton.engine.waitForEnd({
      workflow_id: id,
      instance_id: res.json().workflow_instance_id,
      run_id: 1,
    });
  }
}

describe('API: listings', () => {
  it('pages instances newest first with Maestro cursors, both ways, and filters by status', async () => {
    await send('POST', '/workflows', definition('lister'));
    await startAndFinish('lister', 5);
    const first = (await send('GET', '/workflows/lister/instances?first=2')).json();
    expect(first.elements.map((e: { workflow_instance_id: number }) => e.workflow_instance_id)).toEqual([
      5, 4,
    ]);
    expect(first.page_info).toEqual({
      start_cursor: '5',
      end_cursor: '4',
      has_previous_page: false,
      has_next_page: true,
    });
    expect(first.total_count).toBe(5);
    expect(first.elements[0]).toMatchObject({
      status: 'SUCCEEDED',
      runtime_overview: { total_step_count: 1 },
    });
    const next = (await send('GET', '/workflows/lister/instances?first=2&cursor=4')).json();
    expect(next.elements.map((e: { workflow_instance_id: number }) => e.workflow_instance_id)).toEqual([
      3, 2,
    ]);
    expect(next.page_info).toMatchObject({ has_previous_page: true, has_next_page: true });
    const back = (await send('GET', '/workflows/lister/instances?last=2&cursor=3')).json();
    expect(back.elements.map((e: { workflow_instance_id: number }) => e.workflow_instance_id)).toEqual([
      5, 4,
    ]);
    expect(back.page_info).toMatchObject({ has_previous_page: false, has_next_page: true });
    expect((await send('GET', '/workflows/lister/instances?first=10&status=FAILED')).json().elements).toEqual(
      [],
    );
    expect(
      (await send('GET', '/workflows/lister/instances?first=10&status=SUCCEEDED,FAILED')).json().elements,
    ).toHaveLength(5);
    expect((await send('GET', '/workflows/lister/instances?first=2&last=2')).statusCode).toBe(400);
    expect((await send('GET', '/workflows/lister/instances?first=2&cursor=x')).statusCode).toBe(400);
    expect((await send('GET', '/workflows/lister/instances?first=2&status=DONE')).statusCode).toBe(400);
    expect((await send('GET', '/workflows/nobody/instances?first=2')).statusCode).toBe(404);
  });

  it('lists workflows, versions and the runs of an instance', async () => {
    await send('POST', '/workflows', definition('w1'));
    await send('POST', '/workflows', definition('w1', 'two'));
    await send('POST', '/workflows', definition('w2'));
    const workflows = (await send('GET', '/workflows')).json();
    expect(workflows.elements.map((w: { workflow_id: string }) => w.workflow_id)).toEqual(['w1', 'w2']);
    const versions = (await send('GET', '/workflows/w1/versions?first=10')).json();
    expect(
      versions.elements.map(
        (v: { metadata: { workflow_version_id: number } }) => v.metadata.workflow_version_id,
      ),
    ).toEqual([2, 1]);
    await startAndFinish('w1', 1);
    await send('POST', '/workflows/w1/instances/1/actions/restart', {
      restart_policy: 'RESTART_FROM_BEGINNING',
    });
    await api.baton.engine.waitForEnd({ workflow_id: 'w1', instance_id: 1, run_id: 2 });
    const runs = (await send('GET', '/workflows/w1/instances/1/runs')).json();
    expect(runs.elements.map((r: { workflow_run_id: number }) => r.workflow_run_id)).toEqual([1, 2]);
    expect((await send('GET', '/workflows/w1/instances/9/runs')).statusCode).toBe(404);
  });
});

describe('API: workflow changes', () => {
  it('activates and deactivates versions, changes properties and tags, and keeps a timeline', async () => {
    await send('POST', '/workflows', definition('admin'));
    await send('POST', '/workflows', definition('admin', 'two'));
    const activated = await send('PUT', '/workflows/admin/versions/1/actions/activate');
    expect(activated.json()).toMatchObject({ workflow_id: 'admin', workflow_version_id: 1 });
    expect((await send('GET', '/workflows/admin/versions/active')).json().metadata.workflow_version_id).toBe(
      1,
    );
    expect((await send('PUT', '/workflows/admin/versions/9/actions/activate')).statusCode).toBe(404);
    await send('PUT', '/workflows/admin/actions/deactivate');
    expect((await send('GET', '/workflows/admin/versions/active')).statusCode).toBe(404);
    expect((await send('GET', '/workflows/admin/versions/default')).json().metadata.workflow_version_id).toBe(
      2,
    );

    const changed = await send('POST', '/workflows/admin/properties', { step_concurrency: 3 });
    expect(changed.json()).toMatchObject({
      workflow_id: 'admin',
      author: 'ana',
      step_concurrency: 3,
      owner: 'ana',
    });
    const bad = await send('POST', '/workflows/admin/properties', { step_concurrency: 0, nope: 1 });
    expect(bad.statusCode).toBe(400);
    expect((await send('POST', '/workflows/admin/properties', { tags: ['x'] })).statusCode).toBe(400);
    expect((await send('POST', '/workflows/admin/properties/tag', { name: 'team-a' })).json().tags).toEqual([
      { name: 'team-a' },
    ]);
    expect((await send('DELETE', '/workflows/admin/properties/tag/team-a')).statusCode).toBe(200);
    expect((await send('DELETE', '/workflows/admin/properties/tag/team-a')).statusCode).toBe(404);
    expect((await send('GET', '/workflows/admin/properties-snapshot/latest')).json().step_concurrency).toBe(
      3,
    );

    const timeline = (await send('GET', '/workflows/admin/timeline')).json();
    expect(timeline.map((e: { action: string }) => e.action).slice(0, 2)).toEqual([
      'PROPERTIES_CHANGED',
      'PROPERTIES_CHANGED',
    ]);
    expect(timeline.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['ACTIVATED', 'DEACTIVATED', 'VERSION_CREATED']),
    );
  });

  it('gives an overview, stops every running instance, and deletes a workflow with its data', async () => {
    const napper = {
      properties: { owner: 'ana', run_strategy: 'PARALLEL' },
      workflow: {
        id: 'gone',
        steps: [
          { step: { id: 'nap', type: 'Sleep', params: { sleep_seconds: { type: 'LONG', value: 600 } } } },
        ],
      },
    };
    await send('POST', '/workflows', napper);
    for (let i = 0; i < 3; i++)
      await send('POST', '/workflows/gone/versions/latest/actions/start', { initiator: { type: 'MANUAL' } });
    await expect
      .poll(async () => (await send('GET', '/workflows/gone/overview')).json().nonterminal_instances)
      .toEqual({ IN_PROGRESS: 3 });
    const stop = await send('PUT', '/workflows/gone/actions/stop');
    expect(stop.statusCode).toBe(202);
    for (let i = 1; i <= 3; i++)
      await api.baton.engine.waitForEnd({ workflow_id: 'gone', instance_id: i, run_id: 1 });
    expect((await send('GET', '/workflows/gone/overview')).json()).toMatchObject({
      nonterminal_instances: {},
      latest_instance_id: 3,
    });

    expect((await send('DELETE', '/workflows/gone')).statusCode).toBe(200);
    expect((await send('GET', '/workflows/gone/versions/latest')).statusCode).toBe(404);
    expect((await send('GET', '/workflows/gone/instances/1')).statusCode).toBe(404);
    expect((await send('DELETE', '/workflows/gone')).statusCode).toBe(404);
    // pushed again, it goes on from the deleted one's counters
    const again = (await send('POST', '/workflows', napper)).json();
    expect(again.workflow_definition.metadata.workflow_version_id).toBe(2);
  });

  it('lists and removes tag permits', async () => {
    await send('POST', '/tag-permits', { tag: 'b', max_allowed: 1 });
    await send('POST', '/tag-permits', { tag: 'a', max_allowed: 2 });
    expect((await send('GET', '/tag-permits')).json().elements).toEqual([
      { tag: 'a', max_allowed: 2 },
      { tag: 'b', max_allowed: 1 },
    ]);
    expect((await send('DELETE', '/tag-permits/a')).statusCode).toBe(200);
    expect((await send('DELETE', '/tag-permits/a')).statusCode).toBe(404);
  });
});
