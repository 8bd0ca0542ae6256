// Foreach steps (REFERENCE §4.5, §6): each iteration of the loop params' cross product is a run of the loop's inline
// workflow, launched as concurrency frees up; the step ends by its iterations' statuses and its failure mode. On
// SQLite, and PostgreSQL when BATON_TEST_PG_URL is set.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { LoadedRun } from '../../src/engine/run-record.js';
import { ADAPTERS } from './adapters.js';
import { engineFixture } from './engine-fixture.js';

const fixture = engineFixture();

const wf = (id: string, steps: unknown[], params?: object) => ({
  properties: { owner: 'tester', run_strategy: 'PARALLEL' },
  workflow: { id, ...(params ? { params } : {}), steps },
});
const noop = (id: string, params?: object) => ({ step: { id, type: 'NoOp', ...(params ? { params } : {}) } });
/** A Shell step that runs the command the expression makes (no retries). */
const shell = (id: string, expression: string) => ({
  step: {
    id,
    type: 'Shell',
    retry_policy: { error_retry_limit: 0 },
    params: { command: { type: 'STRING', expression } },
  },
});
const foreach = (id: string, loop: object, steps: unknown[], fields: object = {}, params: object = {}) => ({
  foreach: { id, ...fields, params: { ...params, loop_params: { type: 'MAP', value: loop } }, steps },
});
const longs = (values: number[]) => ({ type: 'LONG_ARRAY', value: values });

/** Iteration k (1-based) of a foreach step's attempt, its first run. */
async function iteration(engine: Engine, parent: LoadedRun, stepId: string, k: number): Promise<LoadedRun> {
  const a = parent.state.steps[stepId]?.artifacts?.['maestro_foreach'] as { foreach_workflow_id: string };
  expect(a, `${stepId} launched no iteration`).toBeDefined();
  const run = await engine.getRun({ workflow_id: a.foreach_workflow_id, instance_id: k, run_id: 1 });
  expect(run, `iteration ${k} of ${stepId}`).toBeDefined();
  return run!;
}

const run = async (engine: Engine, workflowId: string) =>
  engine.waitForEnd((await engine.startRun({ workflow_id: workflowId })).run);

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  beforeAll(() => fixture.use(openStore));

  it('runs one iteration per element of the cross product, first loop param fastest, with its params', async () => {
    const engine = await fixture.engineWith(
      wf(
        'loop',
        [
          foreach(
            'each',
            { i: longs([1, 2, 3]), j: { type: 'STRING_ARRAY', value: ['a', 'b'] } },
            [noop('body', { v: { type: 'STRING', expression: 'i + j' } })],
            {},
            { extra: { type: 'LONG', value: 7 } },
          ),
        ],
        { region: { type: 'STRING', value: 'eu' } },
      ),
    );
    const ended = await run(engine, 'loop');
    expect(ended.run.status).toBe('SUCCEEDED');
    const each = ended.state.steps['each']!;
    expect(each.status).toBe('SUCCEEDED');
    expect(each.children).toEqual({ SUCCEEDED: 6 });
    expect(each.rollup).toEqual({ SUCCEEDED: 6 });
    const expected = ['1a', '2a', '3a', '1b', '2b', '3b'];
    for (const [n, v] of expected.entries()) {
      const it = await iteration(engine, ended, 'each', n + 1);
      expect(it.run.status).toBe('SUCCEEDED');
      expect(it.state.steps['body']!.params!['v']).toMatchObject({ value: v });
      expect(it.state.params['loop_index']).toMatchObject({ type: 'LONG', value: n });
      expect(it.state.params['i']).toMatchObject({ type: 'LONG', value: Number(v[0]) });
      expect(it.state.params['region']).toMatchObject({ value: 'eu' });
      expect(it.state.params['extra']).toMatchObject({ value: 7 });
      expect(it.state.params['loop_params']).toBeUndefined();
      expect(it.run.correlation_id).toBe(ended.run.correlation_id);
      expect(it.run.parent).toMatchObject({ workflow_id: 'loop', step_id: 'each', attempt: 1 });
      expect(it.run.initiator).toMatchObject({ type: 'FOREACH', depth: 1 });
    }
  });

  it('succeeds at once over an empty loop, counting as one leaf step', async () => {
    const engine = await fixture.engineWith(wf('empty', [foreach('each', { i: longs([]) }, [noop('body')])]));
    const ended = await run(engine, 'empty');
    expect(ended.run.status).toBe('SUCCEEDED');
    expect(ended.state.steps['each']).toMatchObject({ status: 'SUCCEEDED' });
    expect(ended.state.steps['each']!.children).toBeUndefined();
  });

  it('fails when its iterations would be more than the limit, naming both', async () => {
    const many = Array.from({ length: 200 }, (_, n) => n);
    const engine = await fixture.engineWith(
      wf('huge', [foreach('each', { i: longs(many), j: longs(many) }, [noop('body')])]),
    );
    const ended = await run(engine, 'huge');
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['each']!.message).toMatch(/40000 iterations; a foreach runs at most 25000/);
  });

  it('stops launching after a failed iteration and fails once the running ones end (FAIL_AFTER_RUNNING)', async () => {
    const engine = await fixture.engineWith(
      wf('after', [
        foreach('each', { i: longs([1, 2, 3, 4, 5]) }, [shell('body', "i == 2 ? 'exit 3' : 'true'")], {
          concurrency: 1,
        }),
      ]),
    );
    const ended = await run(engine, 'after');
    expect(ended.run.status).toBe('FAILED');
    const each = ended.state.steps['each']!;
    expect(each.status).toBe('FATALLY_FAILED');
    expect(each.children).toEqual({ SUCCEEDED: 1, FAILED: 1 });
    expect(each.message).toMatch(/1 iteration\(s\) failed; 2 of 5 iterations ran/);
  });

  it('ends COMPLETED_WITH_ERROR and lets the run go on under IGNORE_FAILURE', async () => {
    const engine = await fixture.engineWith(
      wf('ignore', [
        {
          foreach: {
            ...foreach('each', { i: longs([1, 2]) }, [shell('body', "i == 1 ? 'exit 3' : 'true'")], {
              concurrency: 1,
              failure_mode: 'IGNORE_FAILURE',
            }).foreach,
            transition: { successors: { next: 'true' } },
          },
        },
        noop('next'),
      ]),
    );
    const ended = await run(engine, 'ignore');
    expect(ended.run.status).toBe('SUCCEEDED');
    expect(ended.state.steps['each']!.status).toBe('COMPLETED_WITH_ERROR');
    expect(ended.state.steps['next']!.status).toBe('SUCCEEDED');
  });

  it('stops the running iterations at once when one fails under FAIL_IMMEDIATELY', async () => {
    const engine = await fixture.engineWith(
      wf('immediately', [
        foreach('each', { i: longs([1, 2, 3]) }, [shell('body', "i == 1 ? 'exit 3' : 'sleep 30'")], {
          concurrency: 3,
          failure_mode: 'FAIL_IMMEDIATELY',
        }),
      ]),
    );
    const ended = await run(engine, 'immediately');
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['each']!.status).toBe('FATALLY_FAILED');
    for (const k of [2, 3])
      expect((await engine.waitForEnd((await iteration(engine, ended, 'each', k)).run)).run.status).toBe(
        'STOPPED',
      );
  });

  it('stops its running iterations when its run is stopped, and launches no more', async () => {
    const engine = await fixture.engineWith(
      wf('stopped', [
        foreach('each', { i: longs([1, 2, 3, 4]) }, [shell('body', "'sleep 30'")], { concurrency: 2 }),
      ]),
    );
    const { run: started } = await engine.startRun({ workflow_id: 'stopped' });
    await vi.waitFor(
      async () => {
        const now = await engine.getRun(started);
        const body = (await iteration(engine, now!, 'each', 2)).state.steps['body'];
        expect(body?.status).toBe('RUNNING');
      },
      { timeout: 10_000, interval: 20 },
    );
    await engine.action(started, 'STOP');
    const ended = await engine.waitForEnd(started);
    expect(ended.run.status).toBe('STOPPED');
    for (const k of [1, 2])
      expect((await engine.waitForEnd((await iteration(engine, ended, 'each', k)).run)).run.status).toBe(
        'STOPPED',
      );
    const a = ended.state.steps['each']!.artifacts!['maestro_foreach'] as { foreach_workflow_id: string };
    expect(
      await engine.getRun({ workflow_id: a.foreach_workflow_id, instance_id: 3, run_id: 1 }),
    ).toBeUndefined();
  });

  it('never runs more iterations at once than its concurrency', async () => {
    const engine = await fixture.engineWith(
      wf('bounded', [
        foreach('each', { i: longs([1, 2, 3, 4, 5, 6]) }, [shell('body', "'sleep 0.05'")], {
          concurrency: 2,
        }),
      ]),
    );
    const ended = await run(engine, 'bounded');
    expect(ended.run.status).toBe('SUCCEEDED');
    const spans: [number, number][] = [];
    for (let k = 1; k <= 6; k++) {
      const it = await iteration(engine, ended, 'each', k);
      spans.push([it.run.create_time, it.run.end_time!]);
    }
    // at each iteration's creation, the iterations created before it that had not ended yet
    for (const [k, [created]] of spans.entries()) {
      const open = spans.slice(0, k).filter(([, end]) => end > created).length;
      expect(open, `iteration ${k + 1}`).toBeLessThan(2);
    }
  });

  it('commits its iterations as they go: a loop of iterations that end at once is not one long transaction', async () => {
    const engine = await fixture.engineWith(
      wf('steady', [
        foreach('each', { i: longs([...Array(40).keys()]) }, [noop('body')], { concurrency: 1 }),
      ]),
    );
    const seen = new Set<string>();
    engine.onRunChange(({ run, state }) => {
      const ended = state.steps['each']?.children?.['SUCCEEDED'];
      if (run.workflow_id === 'steady' && ended !== undefined) seen.add(`${ended}`);
    });
    const ended = await run(engine, 'steady');
    expect(ended.state.steps['each']!.children).toEqual({ SUCCEEDED: 40 });
    // each iteration's end was committed on its own (one at a time): the parent was seen at every count
    expect(seen.size).toBe(40);
  });

  it('with strict_ordering, launches no iteration beyond the oldest unfinished one plus its concurrency', async () => {
    const engine = await fixture.engineWith(
      wf('ordered', [
        foreach('each', { i: longs([1, 2, 3, 4]) }, [shell('body', "i == 1 ? 'sleep 0.3' : 'true'")], {
          concurrency: 2,
          strict_ordering: true,
        }),
      ]),
    );
    const ended = await run(engine, 'ordered');
    expect(ended.run.status).toBe('SUCCEEDED');
    const first = await iteration(engine, ended, 'each', 1);
    // 2 ran beside 1; 3 waited for 1 to end, however soon 2 ended
    expect((await iteration(engine, ended, 'each', 3)).run.create_time).toBeGreaterThanOrEqual(
      first.run.end_time!,
    );
    expect(ended.state.steps['each']!.artifacts!['maestro_foreach']).toMatchObject({ checkpoint: 5 });
  });

  it('refuses a start or a restart of its iterations from outside the loop', async () => {
    const engine = await fixture.engineWith(
      wf('outside', [foreach('each', { i: longs([1]) }, [noop('body')])]),
    );
    const ended = await run(engine, 'outside');
    const inline = (await iteration(engine, ended, 'each', 1)).run.workflow_id;
    await expect(engine.startRun({ workflow_id: inline })).rejects.toThrow(
      /is a loop's inline workflow: its runs are started by their loop step, not directly/,
    );
    await expect(engine.restart({ workflow_id: inline, instance_id: 1 })).rejects.toThrow(
      /its runs are restarted by their loop step/,
    );
  });
});
