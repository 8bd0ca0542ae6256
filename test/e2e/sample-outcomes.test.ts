// Maestro's samples that use only NoOp and Sleep (no loops, no subworkflows) run to exactly the expected
// instance and step statuses under `baton run --json` (conformance/sample-outcomes.json), with their params and
// the order of steps the DAG implies. Reads ../shared in place; skips with one line where it is absent.
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run-cli.js';
import { cliDatabases, dropDbSchemas } from '../support/postgres.js';
import { foreachOutcomes, runnableSamples, subworkflowSamples } from '../support/sample-outcomes.js';
import { hasShared, samplesDir, SHARED_SKIP_REASON } from '../support/shared.js';

/** `job.1`, `job.2,job.3` or `job.2..job.5` (a numbered range) → step ids. */
function expandSteps(text: string): string[] {
  return text.split(',').flatMap((part) => {
    const range = /^(.*?)(\d+)\.\.(.*?)(\d+)$/.exec(part);
    if (!range) return [part];
    const ids: string[] = [];
    for (let i = Number(range[2]); i <= Number(range[4]); i++) ids.push(`${range[1]}${i}`);
    return ids;
  });
}

const runnable = runnableSamples;

interface View {
  status: string;
  params: Record<string, unknown>;
  steps: Record<
    string,
    { status: string; start_time?: number; end_time?: number; params?: Record<string, unknown> }
  >;
}

const databases = cliDatabases('samples');
afterAll(() => dropDbSchemas(databases));

describe.skipIf(!hasShared).each(databases)('Maestro samples under baton run --json on $name', ({ args }) => {
  it('cover at least the nine NoOp/Sleep samples', () => {
    expect(runnable.length).toBeGreaterThanOrEqual(9);
  });

  it.each(runnable.map((o) => [o.file, o] as const))('%s ends as expected', async (file, outcome) => {
    const { code, stdout, stderr } = await runCli([
      'run',
      path.join(samplesDir, file),
      '--json',
      '--time-scale',
      '0.001',
      ...args,
    ]);
    expect(stderr).not.toMatch(/^.*: [A-Z_]+: /m); // no validation issues
    const view = JSON.parse(stdout) as View;
    expect(code).toBe(outcome.instance_status === 'SUCCEEDED' ? 0 : 1);
    expect(view.status).toBe(outcome.instance_status);
    expect(Object.fromEntries(Object.entries(view.steps).map(([id, s]) => [id, s.status]))).toEqual(
      outcome.steps,
    );
    for (const rule of outcome.ordering ?? []) {
      const [before, after] = rule.split(' < ').map(expandSteps) as [string[], string[]];
      for (const b of before)
        for (const a of after)
          expect(view.steps[b]!.end_time!, rule).toBeLessThanOrEqual(view.steps[a]!.start_time!);
    }
    for (const [key, expected] of Object.entries(outcome.evaluated_params ?? {})) {
      if (typeof expected === 'string' && expected.startsWith('<')) continue; // nondeterministic
      if (key === 'transitions' || typeof expected === 'object') continue;
      const [scope, ...rest] = key.split('.');
      const name = rest.pop()!;
      const actual =
        scope === 'workflow' ? view.params[name] : view.steps[[scope, ...rest].join('.')]?.params?.[name];
      if (typeof expected === 'string' && expected.includes('(from')) continue; // a described, not literal, value
      expect(actual, key).toEqual(expected);
    }
  });
});

interface SubworkflowOutcome {
  sync?: boolean;
  child_rollup?: unknown;
}

describe.skipIf(!hasShared).each(databases)(
  'Maestro subworkflow and loop samples under baton run --json on $name',
  ({ args }) => {
    it('cover the subworkflow and loop samples', () => {
      expect(subworkflowSamples.map((o) => o.file)).toEqual(
        expect.arrayContaining([
          'sample-subworkflow-wf.json',
          'sample-foreach-wf.json',
          'sample-large-foreach-wf.json',
          'sample-nested-foreach-wf.json',
          'sample-nested-foreach-subworkflow-wf.json',
          'sample-nested-subworkflow-foreach-wf.json',
          'sample-mixed-wf.json',
          'sample-while-wf.json',
        ]),
      );
    });

    it.each(subworkflowSamples.map((o) => [o.file, o] as const))(
      '%s ends as expected',
      async (file, outcome) => {
        const { code, stdout } = await runCli([
          'run',
          path.join(samplesDir, file),
          ...outcome.depends_on.flatMap((d) => ['--with', path.join(samplesDir, d)]),
          '--json',
          '--time-scale',
          '0.001',
          ...args,
        ]);
        const view = JSON.parse(stdout) as View & {
          rollup: Record<string, number>;
          steps: Record<string, { rollup?: Record<string, number>; iterations?: Record<string, number> }>;
        };
        expect(code).toBe(outcome.instance_status === 'SUCCEEDED' ? 0 : 1);
        expect(view.status).toBe(outcome.instance_status);
        expect(Object.fromEntries(Object.entries(view.steps).map(([id, s]) => [id, s.status]))).toEqual(
          outcome.steps,
        );
        for (const [id, expected] of foreachOutcomes(outcome)) {
          expect(view.steps[id]!.iterations, id).toEqual(expected.iteration_status);
          expect(view.steps[id]!.rollup, id).toEqual(expected.rollup);
        }
        for (const [id, expected] of Object.entries(
          (outcome.subworkflow ?? {}) as Record<string, SubworkflowOutcome>,
        )) {
          if (id.includes('/')) continue; // a subworkflow step inside a loop: counted in the loop's rollup
          // A step that waits rolls up its child's leaf steps; one that does not counts as a leaf itself.
          if (typeof expected.child_rollup === 'object')
            expect(view.steps[id]!.rollup, id).toEqual(expected.child_rollup);
          else expect(view.steps[id]!.rollup, id).toBeUndefined();
        }
        const { total_leaf_count: total, ...byStatus } =
          (outcome as { rollup?: Record<string, number> }).rollup ?? {};
        expect(view.rollup).toEqual(byStatus);
        expect(Object.values(view.rollup).reduce((a, b) => a + b, 0)).toBe(total);
      },
    );
  },
);

describe.skipIf(hasShared)('Maestro samples', () => {
  it.skip(SHARED_SKIP_REASON, () => {});
});
