import { describe, expect, it } from 'vitest';
import { runHarness, workflowOf } from './harness.js';

/** A step `count` with param `rows`, whose only successor `after` is chosen by `condition`. */
const counted = (condition: string, extra: Record<string, unknown> = {}) =>
  workflowOf([
    ['count', 'NoOp', { after: condition }, { params: { rows: { type: 'LONG', value: 5 } }, ...extra }],
    ['after', 'NoOp'],
  ]);

describe('decide: a successor condition that cannot be evaluated fails loudly', () => {
  it('fails the step INTERNALLY_FAILED and the run FAILED when a name resolves to nothing, with its position', () => {
    const h = runHarness(counted('count__row > 10'));
    h.drive();
    expect(h.status('count')).toBe('INTERNALLY_FAILED');
    expect(h.step('count')!.message).toBe(
      "condition to 'after' (count__row > 10) cannot be evaluated: line 1, column 1: 'count__row' reads param " +
        "'row' of step 'count', which has no such param (it has 'rows')",
    );
    // Never UNSATISFIED: the successor is blocked by its failed predecessor and never created.
    expect(h.status('after')).toBe('NOT_CREATED');
    expect(h.run.status).toBe('FAILED');
  });

  it('points at the unknown name where it is, not at the start of the expression', () => {
    const h = runHarness(counted('rows > 1 &&\n  count__rowz < 10'));
    h.drive();
    expect(h.status('count')).toBe('INTERNALLY_FAILED');
    expect(h.step('count')!.message).toMatch(
      /: line 2, column 3: 'count__rowz' reads param 'rowz' of step 'count', which has no such param \(it has 'rows'\)$/,
    );
    expect(h.run.status).toBe('FAILED');
  });

  it('names a step that is not upstream or has not finished', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'true', c: 'true' }],
        ['b', 'NoOp', { d: 'c__x == 1' }],
        ['c', 'NoOp', { d: 'true' }],
        ['d', 'NoOp'],
      ]),
    );
    h.send({ type: 'start' });
    h.result('a', { state: 'done' });
    h.result('b', { state: 'done' });
    expect(h.step('b')!.message).toMatch(
      /line 1, column 1: 'c__x' reads step 'c', which is not this step or an upstream step that finished$/,
    );
  });

  it('ignores the failure mode: IGNORE_FAILURE does not turn the SEL error into a success', () => {
    const h = runHarness(counted('count__nope > 0', { failure_mode: 'IGNORE_FAILURE' }));
    h.drive();
    expect(h.status('count')).toBe('INTERNALLY_FAILED');
    expect(h.run.status).toBe('FAILED');
  });

  it('reports a SEL runtime error with its position', () => {
    const h = runHarness(counted('rows / 0 > 1'));
    h.drive();
    expect(h.status('count')).toBe('INTERNALLY_FAILED');
    expect(h.step('count')!.message).toMatch(
      /^condition to 'after' \(rows \/ 0 > 1\) cannot be evaluated: line 1, column \d+: /,
    );
    expect(h.run.status).toBe('FAILED');
  });

  it('still resolves every kind of name a condition may read', () => {
    const h = runHarness(
      workflowOf(
        [
          ['a', 'NoOp', { b: 'true' }, { params: { x: { type: 'LONG', value: 1 } } }],
          [
            'b',
            'NoOp',
            { c: "a__x + b__y + base + y + b__out == 7 && params.get('missing') == null" },
            { params: { y: { type: 'LONG', value: 2 } } },
          ],
          ['c', 'NoOp'],
        ],
        { params: { base: { type: 'LONG', value: 1 } } },
      ),
    );
    h.drive((id) => (id === 'b' ? { state: 'done', outputs: { out: 1 } } : { state: 'done' }));
    expect(h.status('c')).toBe('SUCCEEDED');
    expect(h.run.status).toBe('SUCCEEDED');
  });

  it('reads a name an upstream step only has at run time (an output param)', () => {
    const h = runHarness(
      workflowOf([
        ['a', 'NoOp', { b: 'true' }],
        ['b', 'NoOp', { c: 'a__made > 1' }],
        ['c', 'NoOp'],
      ]),
    );
    h.drive((id) => (id === 'a' ? { state: 'done', outputs: { made: 2 } } : { state: 'done' }));
    expect(h.status('c')).toBe('SUCCEEDED');
  });
});
