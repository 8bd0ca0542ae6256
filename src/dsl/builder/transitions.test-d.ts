// Compile-time guarantees of step lists: a `next` may only name a step of the same list, and ids are unique.
// Each `@ts-expect-error` fails the type check if the line below it ever stops being an error.
import { describe, expectTypeOf, test } from 'vitest';
import { foreach, step, subworkflow, template, whileLoop, workflow } from './index.js';
import type { BuiltWorkflow, StepIdOf, SuccessorIdsOf, TypedStepNode } from './index.js';
import { long, longArray } from './params.js';

describe('step ids and successors are literal types', () => {
  test('a step keeps its id and successor ids', () => {
    const a = step('a', 'NoOp', { next: ['b', 'c'] });
    expectTypeOf<StepIdOf<typeof a>>().toEqualTypeOf<'a'>();
    expectTypeOf<SuccessorIdsOf<typeof a>>().toEqualTypeOf<'b' | 'c'>();
    expectTypeOf(a).toExtend<TypedStepNode<'a', 'b' | 'c'>>();
  });

  test('conditional successors keep their ids too', () => {
    const a = step('a', 'NoOp', { next: { b: 'x > 1', c: 'x <= 1' } });
    expectTypeOf(a).toExtend<TypedStepNode<'a', 'b' | 'c'>>();
    expectTypeOf<SuccessorIdsOf<typeof a>>().toEqualTypeOf<'b' | 'c'>();
  });

  test('a step without next has no successors', () => {
    expectTypeOf<SuccessorIdsOf<ReturnType<typeof step<'a'>>>>().toEqualTypeOf<never>();
    const leaf = step('leaf', 'Sleep', { params: { sleep_seconds: long(1) } });
    expectTypeOf(leaf).toExtend<TypedStepNode<'leaf', never>>();
    expectTypeOf<SuccessorIdsOf<typeof leaf>>().toEqualTypeOf<never>();
  });
});

describe('workflow step lists', () => {
  test('transitions to steps in the list compile', () => {
    const wf = workflow('w', {
      steps: [
        step('a', 'NoOp', { next: ['b'] }),
        step('b', 'NoOp', { next: { c: 'true' } }),
        step('c', 'NoOp'),
      ],
    });
    expectTypeOf(wf).toEqualTypeOf<BuiltWorkflow>();
  });

  test('a transition to a missing step does not compile', () => {
    workflow('w', {
      steps: [
        // @ts-expect-error 'b' is not a step of this list
        step('a', 'NoOp', { next: ['b'] }),
      ],
    });
    workflow('w', {
      steps: [
        // @ts-expect-error 'c' is not a step of this list, though 'b' is
        step('a', 'NoOp', { next: { b: 'true', c: 'x > 1' } }),
        step('b', 'NoOp'),
      ],
    });
  });

  test('every step kind is checked, as source and as target', () => {
    workflow('w', {
      steps: [
        subworkflow('sub', 'child', { next: ['loop'] }),
        foreach('loop', { loop_params: { i: longArray([1, 2]) }, steps: [step('x', 'NoOp')], next: ['t'] }),
        template('t', 'shell', { next: ['poll'] }),
        whileLoop('poll', { condition: 'i < 3', loop_params: { i: long(0) }, steps: [step('y', 'NoOp')] }),
      ],
    });
    workflow('w', {
      steps: [
        // @ts-expect-error 'nowhere' is not a step of this list
        subworkflow('sub', 'child', { next: ['nowhere'] }),
      ],
    });
  });

  test('the same id twice does not compile', () => {
    workflow('w', {
      // Both occurrences are reported, so the error shows where each one is.
      steps: [
        // @ts-expect-error 'a' is used twice in this list
        step('a', 'NoOp'),
        // @ts-expect-error 'a' is used twice in this list
        step('a', 'Sleep'),
      ],
    });
  });

  test('an unknown step type does not compile', () => {
    // @ts-expect-error 'Spark' is not a step type (use a job template: type + sub_type)
    step('a', 'Spark');
    step('a', 'Notebook', { sub_type: 'spark' });
  });
});

describe('loop bodies are their own lists', () => {
  test('a body step may not point out of the loop', () => {
    workflow('w', {
      steps: [
        foreach('loop', {
          loop_params: { i: longArray([1, 2]) },
          steps: [
            // @ts-expect-error 'after' is in the outer list, not in the loop body
            step('inner', 'NoOp', { next: ['after'] }),
          ],
          next: ['after'],
        }),
        step('after', 'NoOp'),
      ],
    });
    whileLoop('poll', {
      condition: 'i < 3',
      loop_params: { i: long(0) },
      // @ts-expect-error 'z' is not in the loop body
      steps: [step('x', 'NoOp', { next: ['y', 'z'] }), step('y', 'NoOp')],
    });
  });
});

describe('ids TypeScript cannot see are not checked', () => {
  test('generated ids accept any successor', () => {
    const days = ['mon', 'tue'];
    const loads = days.map((d) => step(`load_${d}`, 'NoOp', { next: ['report'] }));
    workflow('w', { steps: [...loads, step('report', 'NoOp')] });
    // A literal that matches neither the pattern `load_${string}` nor 'report' is still caught.
    // @ts-expect-error 'nope' cannot be any step of this list
    workflow('w', { steps: [...loads, step('report', 'NoOp', { next: ['nope'] })] });
    const target: string = 'anything';
    workflow('w', { steps: [step('a', 'NoOp', { next: [target] })] });
  });
});
