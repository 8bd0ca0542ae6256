// Every Maestro sample that runs without external systems (NoOp and Sleep steps, no loops or signal dependencies;
// subworkflows with the samples they call pushed first) pushed and started through the API ends with the expected
// instance and step statuses and leaf-step rollup (conformance/sample-outcomes.json), read back through the API. Reads ../shared in place; skips where it is absent.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runnableSamples, subworkflowSamples, type SampleOutcome } from '../support/sample-outcomes.js';
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
    await endsAsExpected(file, outcome);
  });

  it.each(subworkflowSamples.map((o) => [o.file, o] as const))(
    '%s (with its subworkflows) ends as expected',
    async (file, outcome) => {
      for (const dependency of outcome.depends_on) await push(dependency);
      const run = await endsAsExpected(file, outcome);
      // Leaf steps across the tree (Maestro's rollup_overview), kept by counters as children end.
      const { total_leaf_count: total, ...byStatus } =
        (outcome as { rollup?: Record<string, number> }).rollup ?? {};
      const rollup = run.runtime_overview.rollup_overview as {
        total_leaf_count: number;
        overview: Record<string, { cnt: number }>;
      };
      expect(rollup.total_leaf_count).toBe(total);
      expect(Object.fromEntries(Object.entries(rollup.overview).map(([k, v]) => [k, v.cnt]))).toEqual(
        byStatus,
      );
      // A loop's inline workflow (its iterations' runs) is not a workflow anyone pushed: listings leave it out.
      const listed = await api.app.inject({ method: 'GET', url: '/api/v3/workflows?first=100' });
      expect(listed.statusCode, listed.body).toBe(200);
      const ids = (listed.json() as { elements: { workflow_id: string }[] }).elements.map(
        (w) => w.workflow_id,
      );
      expect(ids).toContain(outcome.workflow_id);
      expect(ids.filter((w) => w.startsWith('maestro_'))).toEqual([]);
    },
  );
});

/** Pushes a sample through the API; answers its workflow id. */
async function push(file: string): Promise<string> {
  const yaml = /\.ya?ml$/.test(file);
  const pushed = await api.app.inject({
    method: 'POST',
    url: yaml ? '/api/v3/workflows/yaml' : '/api/v3/workflows',
    headers: { user: 'tester', 'content-type': yaml ? 'application/yaml' : 'application/json' },
    payload: readFileSync(path.join(samplesDir, file), 'utf8'),
  });
  expect(pushed.statusCode, pushed.body).toBe(200);
  return pushed.json().workflow_definition.workflow.id as string;
}

/** Pushes and starts a sample, waits for its end and checks its statuses; answers the run as the API shows it. */
async function endsAsExpected(
  file: string,
  outcome: SampleOutcome,
): Promise<{ runtime_overview: { rollup_overview: unknown } }> {
  const id = await push(file);
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
  return (await api.app.inject({ method: 'GET', url: base })).json();
}
