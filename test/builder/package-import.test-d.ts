// Users import the builder from the package name. This resolves through package.json `exports['.'].types`
// (./src/index.ts), so it checks that the package entry re-exports the builder with its types intact.
import { describe, expectTypeOf, test } from 'vitest';
import { expr, foreach, long, longArray, step, whileLoop, workflow } from 'baton';
import type { BuiltWorkflow, ParamDef, WorkflowRequestJson } from 'baton';

describe("import from 'baton'", () => {
  test('builds a workflow with the public API', () => {
    const wf = workflow('from-package', {
      properties: { owner: 'me' },
      steps: [
        foreach('each', {
          loop_params: { i: longArray([1, 2]) },
          steps: [step('x', 'NoOp')],
          next: ['poll'],
        }),
        whileLoop('poll', { condition: 'n < 2', loop_params: { n: long(0) }, steps: [step('y', 'NoOp')] }),
      ],
    });
    expectTypeOf(wf).toEqualTypeOf<BuiltWorkflow>();
    expectTypeOf(wf.toJSON()).toEqualTypeOf<WorkflowRequestJson>();
    expectTypeOf(long(expr('1 + 1'))).toEqualTypeOf<ParamDef<'LONG'>>();
  });

  test('keeps the compile-time checks', () => {
    // @ts-expect-error a LONG param takes a number
    long('abc');
    workflow('w', {
      steps: [
        // @ts-expect-error 'b' is not a step of this list
        step('a', 'NoOp', { next: ['b'] }),
      ],
    });
  });
});
