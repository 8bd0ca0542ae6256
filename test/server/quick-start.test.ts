import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { hasShared, samplesDir, SHARED_SKIP_REASON } from '../support/shared.js';
import { openApi, type ApiHarness } from './api-harness.js';

let api: ApiHarness | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

if (!hasShared) console.log(`quick-start.test.ts ${SHARED_SKIP_REASON}`);

describe.skipIf(!hasShared)("Maestro's README quick start, through the API", () => {
  it('pushes sample-dag-test-1.json, starts it, and reads run 1 of instance 1 as SUCCEEDED', async () => {
    api = await openApi();
    const { app } = api;
    const sample = readFileSync(path.join(samplesDir, 'sample-dag-test-1.json'), 'utf8');
    const pushed = await app.inject({
      method: 'POST',
      url: '/api/v3/workflows',
      headers: { user: 'tester', 'content-type': 'application/json' },
      payload: sample,
    });
    expect(pushed.statusCode).toBe(200);
    expect(pushed.json().workflow_definition.metadata).toMatchObject({
      workflow_id: 'sample-dag-test-1',
      workflow_version_id: 1,
      version_author: 'tester',
    });

    const started = await app.inject({
      method: 'POST',
      url: '/api/v3/workflows/sample-dag-test-1/versions/latest/actions/start',
      headers: { user: 'tester', 'content-type': 'application/json' },
      payload: '{"initiator": {"type": "manual"}}',
    });
    expect(started.statusCode).toBe(201);
    expect(started.json()).toMatchObject({ workflow_instance_id: 1, workflow_run_id: 1, status: 'CREATED' });

    await api.baton.engine.waitForEnd({ workflow_id: 'sample-dag-test-1', instance_id: 1, run_id: 1 });
    const run = await app.inject({
      method: 'GET',
      url: '/api/v3/workflows/sample-dag-test-1/instances/1/runs/1',
    });
    expect(run.statusCode).toBe(200);
    const body = run.json();
    expect(body).toMatchObject({ workflow_id: 'sample-dag-test-1', status: 'SUCCEEDED', workflow_run_id: 1 });
    expect(body.runtime_overview.total_step_count).toBe(6);
    expect(body.runtime_overview.step_overview.SUCCEEDED.cnt).toBe(6);
    expect(body.initiator).toMatchObject({ type: 'MANUAL', user: 'tester' });
    expect(body.params.foo.value).toBe('September');
  });
});
