// Every Maestro sample that runs without external systems (NoOp and Sleep steps, no loops, subworkflows or signal
// dependencies) pushed and started through the API ends with the expected instance and step statuses
// (conformance/sample-outcomes.json), read back through the API. Reads ../shared in place; skips where it is absent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableSamples } from '../support/sample-outcomes.js';
import { hasShared, samplesDir, SHARED_SKIP_REASON } from '../support/shared.js';
import { openApi, type ApiHarness } from './api-harness.js';

const runnable = runnableSamples;
if (!hasShared) console.log(`api-samples.test.ts ${SHARED_SKIP_REASON}`);

let api: ApiHarness;
beforeAll(async () => {
  if (hasShared) api = await openApi({ timeScale: 0.001 });
});
afterAll(async () => {
  await api?.close();
});

describe.skipIf(!hasShared)('Maestro samples through the API', () => {
  it('cover at least the nine NoOp/Sleep samples', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(9);
  });

  it.each(runnable.map((o) => [o.file, o] as const))('%s ends as expected', async (file, outcome) => {
    const yaml = /\.ya?ml$/.test(file);
    const pushed = await api.app.inject({
      method: 'POST',
      url: yaml ? '/api/v3/workflows/yaml' : '/api/v3/workflows',
      headers: { user: 'tester', 'content-type': yaml ? 'application/yaml' : 'application/json' },
      payload: readFileSync(path.join(samplesDir, file), 'utf8'),
    });
    expect(pushed.statusCode, pushed.body).toBe(200);
    const id = pushed.json().workflow_definition.workflow.id as string;
    const started = await api.app.inject({
      method: 'POST',
      url: `/api/v3/workflows/${id}/versions/latest/actions/start`,
      headers: { user: 'tester', 'content-type': 'application/json' },
      payload: '{"initiator": {"type": "manual"}}',
    });
    expect(started.statusCode, started.body).toBe(201);
    const key = { workflow_id: id, instance_id: started.json().workflow_instance_id as number, run_id: 1 };
    await api.baton.engine.waitForEnd(key);
    const base = `/api/v3/workflows/${id}/instances/${key.instance_id}/runs/1`;
    expect((await api.app.inject({ method: 'GET', url: base })).json().status).toBe(outcome.instance_status);
    const steps = (await api.app.inject({ method: 'GET', url: `${base}/steps` })).json() as {
      step_id: string;
      runtime_state: { status: string };
    }[];
    expect(Object.fromEntries(steps.map((s) => [s.step_id, s.runtime_state.status]))).toEqual(outcome.steps);
  });
});
