// While steps (REFERENCE §6): the condition is checked with the loop params before each iteration, and each
// iteration (a run of the loop's inline workflow) carries its steps' params of the loop params' names into the next
// check. On SQLite, and PostgreSQL when BATON_TEST_PG_URL is set.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { ADAPTERS } from './adapters.js';
import { engineFixture } from './engine-fixture.js';

const fixture = engineFixture();

const loop = (condition: string, start: number, steps: unknown[], fields: object = {}) => ({
  properties: { owner: 'tester' },
  workflow: {
    id: 'loop',
    steps: [
      {
        while: {
          id: 'repeat',
          condition,
          ...fields,
          params: { loop_params: { type: 'MAP', value: { n: { type: 'LONG', value: start } } } },
          steps,
        },
      },
    ],
  },
});
const step = (id: string, type: string, params: object) => ({
  step: { id, type, retry_policy: { error_retry_limit: 0 }, params },
});
const count = step('count', 'NoOp', { n: { type: 'LONG', expression: 'n + 1' } });

const run = async (engine: Engine) => engine.waitForEnd((await engine.startRun({ workflow_id: 'loop' })).run);

describe.each(ADAPTERS)('on %s', (_name, openStore) => {
  beforeAll(() => fixture.use(openStore));

  it('runs while its condition holds, each iteration seeing the loop params the one before left', async () => {
    const engine = await fixture.engineWith(loop('n < 4', 1, [count]));
    const ended = await run(engine);
    expect(ended.run.status).toBe('SUCCEEDED');
    const repeat = ended.state.steps['repeat']!;
    expect(repeat.status).toBe('SUCCEEDED');
    expect(repeat.children).toEqual({ SUCCEEDED: 3 });
    const progress = repeat.artifacts!['maestro_while'] as {
      while_workflow_id: string;
      loop_params: { n: { value: number } };
      condition_evaluations: number;
    };
    expect(progress.loop_params.n.value).toBe(4);
    expect(progress.condition_evaluations).toBe(4);
    for (const k of [1, 2, 3]) {
      const it = (await engine.getRun({
        workflow_id: progress.while_workflow_id,
        instance_id: k,
        run_id: 1,
      }))!;
      expect(it.state.params['n']).toMatchObject({ value: k });
      expect(it.state.params['loop_index']).toMatchObject({ value: k - 1 });
      expect(it.run.initiator).toMatchObject({ type: 'WHILE', depth: 1 });
    }
  });

  it('succeeds with no iteration when its condition does not hold at first', async () => {
    const engine = await fixture.engineWith(loop('n < 0', 1, [count]));
    const ended = await run(engine);
    expect(ended.state.steps['repeat']).toMatchObject({ status: 'SUCCEEDED' });
    expect(ended.state.steps['repeat']!.children).toBeUndefined();
  });

  it('fails when an iteration fails, and runs no more', async () => {
    const engine = await fixture.engineWith(
      loop('n < 10', 1, [
        count,
        {
          step: {
            ...step('check', 'Shell', {
              command: { type: 'STRING', expression: "n == 2 ? 'exit 3' : 'true'" },
            }).step,
          },
        },
      ]),
    );
    const ended = await run(engine);
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['repeat']).toMatchObject({
      status: 'FATALLY_FAILED',
      message: 'iteration 2 ended FAILED',
    });
    expect(ended.state.steps['repeat']!.children).toEqual({ SUCCEEDED: 1, FAILED: 1 });
  });

  it('fails with the reason when its condition cannot be evaluated', async () => {
    const engine = await fixture.engineWith(loop('n / (n - 1) > 0', 1, [count]));
    const ended = await run(engine);
    expect(ended.run.status).toBe('FAILED');
    expect(ended.state.steps['repeat']!.message).toMatch(
      /^while: its condition 'n \/ \(n - 1\) > 0' failed: /,
    );
  });
});
