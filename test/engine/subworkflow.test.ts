// Subworkflow steps (REFERENCE §2.4, §6): a step that starts a run of another workflow in its own transaction and,
// when sync, ends as that run ends. On SQLite, and PostgreSQL when BATON_TEST_PG_URL is set.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { LoadedRun } from '../../src/engine/run-record.js';
import { ADAPTERS } from './adapters.js';
import { engineFixture } from './engine-fixture.js';

const fixture = engineFixture();

const wf = (id: string, steps: unknown[], extra: object = {}, params?: object) => ({
  properties: { owner: 'tester', run_strategy: 'PARALLEL' },
  workflow: { id, ...(params ? { params } : {}), ...extra, steps },
});
const noop = (id: string, params?: object) => ({ step: { id, type: 'NoOp', ...(params ? { params } : {}) } });
const sub = (id: string, target: string, fields: object = {}, params: object = {}) => ({
  subworkflow: {
    id,
    ...fields,
    params: { subworkflow_id: { type: 'STRING', value: target }, ...params },
  },
});
const child = wf('child', [noop('c1'), noop('c2')], {}, { greeting: { type: 'STRING', value: 'hello' } });
const failing = wf('failing', [
  { step: { id: 'boom', type: 'Shell', params: { command: { type: 'STRING', value: 'exit 3' } } } },
]);

/** The run a subworkflow step started, from its artifact. */
async function childRun(engine: Engine, parent: LoadedRun, stepId: string): Promise<LoadedRun> {
  const a = parent.state.steps[stepId]?.artifacts?.['maestro_subworkflow'] as Record<string, number | string>;
  expect(a, `${stepId} started no run`).toBeDefined();
  const run = await engine.getRun({
    workflow_id: a['subworkflow_id'] as string,
    instance_id: a['subworkflow_instance_id'] as number,
    run_id: a['subworkflow_run_id'] as number,
  });
  return run!;
}

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  beforeAll(() => fixture.use(openStore));

  it('waits for its child, ends as it does, and counts its leaf steps', async () => {
    const engine = await fixture.engineWith(child, wf('parent', [sub('call', 'child')]));
    const { run } = await engine.startRun({ workflow_id: 'parent' });
    const ended = await engine.waitForEnd(run);
    expect(ended.run.status).toBe('SUCCEEDED');
    const call = ended.state.steps['call']!;
    expect(call.status).toBe('SUCCEEDED');
    expect(call.rollup).toEqual({ SUCCEEDED: 2 });
    expect(call.children).toEqual({ SUCCEEDED: 1 });
    const c = await childRun(engine, ended, 'call');
    expect(c.run.status).toBe('SUCCEEDED');
    // one correlation id through the tree; the child knows its parent and its ancestors
    expect(c.run.correlation_id).toBe(ended.run.correlation_id);
    expect(c.run.parent).toEqual({
      workflow_id: 'parent',
      instance_id: 1,
      run_id: 1,
      step_id: 'call',
      attempt: 1,
    });
    expect(c.run.initiator).toMatchObject({
      type: 'SUBWORKFLOW',
      depth: 1,
      ancestors: [{ workflow_id: 'parent', instance_id: 1, run_id: 1, step_id: 'call', step_attempt_id: 1 }],
    });
  });

  it("lets later steps read its child's step params (params.getFromSubworkflow)", async () => {
    const producer = wf('producer', [noop('make', { out: { type: 'LONG', value: 42 } })]);
    const call = sub('call', 'producer');
    const parent = wf('parent', [
      { subworkflow: { ...call.subworkflow, transition: { successors: { after: 'true' } } } },
      noop('after', {
        got: { type: 'LONG', expression: "params.getFromSubworkflow('call', 'make', 'out') + 1" },
      }),
    ]);
    const engine = await fixture.engineWith(producer, parent);
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.run.status).toBe('SUCCEEDED');
    expect(ended.state.steps['after']!.params!['got']).toMatchObject({ value: 43 });
  });

  it('passes the parent params down unless explicit_params, and its own step params always', async () => {
    const parent = wf(
      'parent',
      [
        sub('all', 'child', {}, { extra: { type: 'LONG', value: 7 } }),
        sub('explicit', 'child', { explicit_params: true }, { extra: { type: 'LONG', value: 8 } }),
      ],
      {},
      { region: { type: 'STRING', value: 'eu' } },
    );
    const engine = await fixture.engineWith(child, parent);
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.run.status).toBe('SUCCEEDED');
    const all = (await childRun(engine, ended, 'all')).state.params;
    const explicit = (await childRun(engine, ended, 'explicit')).state.params;
    expect(all['region']).toMatchObject({ value: 'eu' });
    expect(all['extra']).toMatchObject({ type: 'LONG', value: 7 });
    expect(all['greeting']).toMatchObject({ value: 'hello' });
    expect(all['subworkflow_id']).toBeUndefined();
    expect(explicit['region']).toBeUndefined();
    expect(explicit['extra']).toMatchObject({ value: 8 });
  });

  it('fails when its child fails, and is done at once when it does not wait (sync: false)', async () => {
    const engine = await fixture.engineWith(
      failing,
      child,
      wf('parent', [sub('waits', 'failing'), sub('fire', 'child', { sync: false })]),
    );
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['waits']).toMatchObject({
      status: 'FATALLY_FAILED',
      message: 'its subworkflow run ended FAILED',
    });
    expect(ended.state.steps['fire']!.status).toBe('SUCCEEDED');
    const fired = await childRun(engine, ended, 'fire');
    expect((await engine.waitForEnd(fired.run)).run.status).toBe('SUCCEEDED');
  });

  it('fails with the reason when its child cannot start, and stores no child', async () => {
    const engine = await fixture.engineWith(
      child,
      wf('parent', [
        sub('missing', 'nobody'),
        sub('badversion', 'child', {}, { subworkflow_version: { type: 'STRING', value: 'v9' } }),
      ]),
    );
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['missing']!.message).toBe("subworkflow: workflow 'nobody' does not exist");
    expect(ended.state.steps['badversion']!.message).toMatch(/subworkflow_version 'v9' is not a version/);
    expect(await engine.store.transact((tx) => tx.getLatestRun('child', 1))).toBeUndefined();
  });

  it("fails, not hangs, when the child's run strategy stops it at once (FIRST_ONLY, busy)", async () => {
    const busy = {
      properties: { owner: 'tester', run_strategy: 'FIRST_ONLY' },
      workflow: {
        id: 'busy',
        steps: [
          { step: { id: 'hold', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 60' } } } },
        ],
      },
    };
    const engine = await fixture.engineWith(busy, wf('parent', [sub('call', 'busy')]));
    const holding = await engine.startRun({ workflow_id: 'busy' });
    await expect.poll(async () => (await engine.getRun(holding.run))?.run.status).toBe('IN_PROGRESS');
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['call']!.message).toBe(
      'subworkflow: its run busy/2/1 ended STOPPED at once: stopped: another run is not finished (FIRST_ONLY)',
    );
    await engine.action(holding.run, 'STOP');
  });

  it("ends as its child when a sibling's child start stops it under the child's LAST_ONLY strategy", async () => {
    const latest = {
      properties: { owner: 'tester', run_strategy: 'LAST_ONLY' },
      workflow: {
        id: 'latest-only',
        steps: [
          { step: { id: 'nap', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 0.3' } } } },
        ],
      },
    };
    // both steps launch in one decision: the second child's start stops the first child in the same transaction
    const engine = await fixture.engineWith(
      latest,
      wf('parent', [sub('s1', 'latest-only'), sub('s2', 'latest-only')]),
    );
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.state.steps['s1']!.status).toBe('STOPPED');
    expect(ended.state.steps['s2']!.status).toBe('SUCCEEDED');
    expect(ended.run.status).toBe('STOPPED');
  });

  it('stops a child whose step ended before the child was stored (a sibling failed its run at once)', async () => {
    const slow = wf('slow-one', [
      { step: { id: 'nap', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 60' } } } },
    ]);
    const parent = wf('parent', [
      { subworkflow: { ...sub('bad', 'nobody').subworkflow, failure_mode: 'FAIL_IMMEDIATELY' } },
      sub('good', 'slow-one'),
    ]);
    const engine = await fixture.engineWith(slow, parent);
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.run.status).toBe('FAILED');
    const child = await engine.waitForEnd({ workflow_id: 'slow-one', instance_id: 1, run_id: 1 });
    expect(child.run.status).toBe('STOPPED');
  });

  it('runs the version it names', async () => {
    const engine = await fixture.engineWith(
      child,
      wf('child', [noop('only')]),
      wf('parent', [
        sub('v1', 'child', {}, { subworkflow_version: { type: 'LONG', value: 1 } }),
        sub('latest', 'child', {}, { subworkflow_version: { type: 'STRING', value: 'latest' } }),
      ]),
    );
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(ended.state.steps['v1']!.rollup).toEqual({ SUCCEEDED: 2 });
    expect(ended.state.steps['latest']!.rollup).toEqual({ SUCCEEDED: 1 });
  });

  it('nests at most 10 runs deep: a workflow that calls itself fails at the eleventh', async () => {
    const engine = await fixture.engineWith(wf('self', [sub('again', 'self')]));
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'self' })).run);
    expect(ended.run.status).toBe('FAILED');
    // The deepest run (depth 10) could not start an eleventh; each run above failed with the one below.
    const deepest = await engine.getRun({ workflow_id: 'self', instance_id: 11, run_id: 1 });
    expect(deepest?.state.steps['again']!.message).toBe(
      'subworkflow: it would be 11 runs deep; runs nest at most 10 deep',
    );
    expect(await engine.getRun({ workflow_id: 'self', instance_id: 12, run_id: 1 })).toBeUndefined();
  });

  it("caps the leaf steps of the whole tree with the root's instance_step_concurrency", async () => {
    const napping = wf('napping', [
      { step: { id: 'nap', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 0.3' } } } },
    ]);
    const engine = await fixture.engineWith(
      napping,
      wf('root', [sub('one', 'napping'), sub('two', 'napping')], { instance_step_concurrency: 1 }),
    );
    const ended = await engine.waitForEnd((await engine.startRun({ workflow_id: 'root' })).run);
    expect(ended.run.status).toBe('SUCCEEDED');
    const [a, b] = [
      (await childRun(engine, ended, 'one')).state.steps['nap']!,
      (await childRun(engine, ended, 'two')).state.steps['nap']!,
    ].sort((x, y) => x.start_time! - y.start_time!);
    // one leaf step at a time across the tree: the second child's step started after the first one's ended
    expect(b!.start_time!).toBeGreaterThanOrEqual(a!.end_time!);
  });

  it('restarts the child it had, from its incomplete steps, when its run is restarted', async () => {
    const marker = path.join(mkdtempSync(path.join(tmpdir(), 'baton-sub-')), 'ready');
    const flaky = wf('flaky', [
      { step: { id: 'first', type: 'NoOp', transition: { successors: { second: 'true' } } } },
      {
        step: {
          id: 'second',
          type: 'Shell',
          retry_policy: { error_retry_limit: 0 },
          params: { command: { type: 'STRING', value: `test -f ${marker}` } },
        },
      },
    ]);
    const engine = await fixture.engineWith(flaky, wf('parent', [sub('call', 'flaky')]));
    const first = await engine.waitForEnd((await engine.startRun({ workflow_id: 'parent' })).run);
    expect(first.run.status).toBe('FAILED');
    const before = await childRun(engine, first, 'call');
    expect(before.run.status).toBe('FAILED');

    writeFileSync(marker, '');
    const again = await engine.restart({ workflow_id: 'parent', instance_id: first.run.instance_id });
    const second = await engine.waitForEnd(again.run);
    expect(second.run.status).toBe('SUCCEEDED');
    const after = await childRun(engine, second, 'call');
    // the same child instance, run again from where it failed: its first step is carried over, not run again
    expect(after.run).toMatchObject({ workflow_id: 'flaky', instance_id: before.run.instance_id, run_id: 2 });
    expect(after.run.status).toBe('SUCCEEDED');
    expect(after.state.steps['first']!.carried).toBe(true);
    expect(after.run.parent).toMatchObject({ workflow_id: 'parent', run_id: 2, step_id: 'call' });
    expect(await engine.getRun({ workflow_id: 'flaky', instance_id: 2, run_id: 1 })).toBeUndefined();
    expect(second.state.steps['call']!.rollup).toEqual({ SUCCEEDED: 2 });
  });

  it("ends STOPPED, not waiting forever, when its child's workflow is deleted", async () => {
    const slow = wf('doomed', [
      { step: { id: 'wait', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 60' } } } },
    ]);
    const engine = await fixture.engineWith(slow, wf('parent', [sub('call', 'doomed')]));
    const { run } = await engine.startRun({ workflow_id: 'parent' });
    await expect
      .poll(
        async () => (await engine.getRun({ workflow_id: 'doomed', instance_id: 1, run_id: 1 }))?.run.status,
      )
      .toBe('IN_PROGRESS');
    await engine.deleteWorkflow('doomed');
    const ended = await engine.waitForEnd(run);
    expect(ended.run.status).toBe('STOPPED');
    expect(ended.state.steps['call']).toMatchObject({
      status: 'STOPPED',
      message: 'its subworkflow run was stopped',
      children: { STOPPED: 1 },
    });
  });

  it('stops its child when it is stopped', async () => {
    const slow = wf('slow', [
      { step: { id: 'wait', type: 'Shell', params: { command: { type: 'STRING', value: 'sleep 60' } } } },
    ]);
    const engine = await fixture.engineWith(slow, wf('parent', [sub('call', 'slow')]));
    const { run } = await engine.startRun({ workflow_id: 'parent' });
    await expect
      .poll(
        async () =>
          (await engine.getRun({ workflow_id: 'slow', instance_id: 1, run_id: 1 }))?.state.steps['wait']
            ?.status,
      )
      .toBe('RUNNING');
    await engine.action(run, 'STOP');
    expect((await engine.waitForEnd(run)).run.status).toBe('STOPPED');
    const c = await engine.waitForEnd({ workflow_id: 'slow', instance_id: 1, run_id: 1 });
    expect(c.run.status).toBe('STOPPED');
    expect(c.state.steps['wait']!.status).toBe('STOPPED');
  });
});
