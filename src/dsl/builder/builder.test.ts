// What the builder writes, piece by piece: the shapes a user relies on when reading the produced request.
import { describe, expect, it } from 'vitest';
import {
  expr,
  foreach,
  long,
  longArray,
  map,
  step,
  string,
  stringMap,
  subworkflow,
  template,
  whileLoop,
  workflow,
} from './index.js';
import type { Params } from './index.js';

describe('params', () => {
  it('writes value or expression, never both', () => {
    expect(long(5)).toStrictEqual({ value: 5, type: 'LONG' });
    expect(long(expr('1 + 1'))).toStrictEqual({ expression: '1 + 1', type: 'LONG' });
    expect(string('x', { mode: 'CONSTANT', validator: '@NotNull' })).toStrictEqual({
      value: 'x',
      type: 'STRING',
      mode: 'CONSTANT',
      validator: '@NotNull',
    });
  });

  it('treats a map key named "expression" as data, not SEL', () => {
    expect(stringMap({ expression: 'a' })).toStrictEqual({ value: { expression: 'a' }, type: 'STRING_MAP' });
  });

  it('nests definitions in a MAP', () => {
    expect(map({ n: long(1) })).toStrictEqual({ value: { n: { value: 1, type: 'LONG' } }, type: 'MAP' });
  });

  it('copies the literal, so later changes to the caller’s object do not leak in', () => {
    const days = [1, 2];
    const def = longArray(days);
    days.push(3);
    expect(def).toStrictEqual({ value: [1, 2], type: 'LONG_ARRAY' });
    expect(Object.isFrozen(def.value)).toBe(true);
  });
});

describe('transitions', () => {
  it('writes a list of next steps as unconditional successors', () => {
    expect(step('a', 'NoOp', { next: ['b', 'c'] }).step.transition).toStrictEqual({
      successors: { b: 'true', c: 'true' },
    });
  });

  it('keeps SEL conditions of a next map', () => {
    expect(step('a', 'NoOp', { next: { b: 'x > 1' } }).step.transition).toStrictEqual({
      successors: { b: 'x > 1' },
    });
  });

  it('writes no transition for a leaf, or for an empty next', () => {
    expect(step('a', 'NoOp')).toStrictEqual({ step: { id: 'a', type: 'NoOp' } });
    expect(step('a', 'NoOp', { next: [] })).toStrictEqual({ step: { id: 'a', type: 'NoOp' } });
  });
});

describe('step kinds', () => {
  it('puts the subworkflow target first among its params, and a version number as a string', () => {
    const node = subworkflow('s', 'child', { version: 2, params: { day: long(1) } });
    expect(node).toStrictEqual({
      subworkflow: {
        id: 's',
        params: {
          subworkflow_id: { value: 'child', type: 'STRING' },
          subworkflow_version: { value: '2', type: 'STRING' },
          day: { value: 1, type: 'LONG' },
        },
      },
    });
  });

  it('ignores reserved keys smuggled into params from plain JavaScript', () => {
    const sneaky = { subworkflow_id: string('other'), loop_params: map({}) } as unknown as Params;
    const sub = subworkflow('s', 'child', { params: sneaky as never });
    expect(sub.subworkflow.params?.['subworkflow_id']).toStrictEqual({ value: 'child', type: 'STRING' });
    const loop = foreach('f', {
      loop_params: { i: longArray([1]) },
      params: sneaky as never,
      steps: [step('x', 'NoOp')],
    });
    expect(loop.foreach.params?.['loop_params']).toStrictEqual({
      value: { i: { value: [1], type: 'LONG_ARRAY' } },
      type: 'MAP',
    });
  });

  it('writes loop params as the loop_params MAP', () => {
    const node = whileLoop('w', {
      condition: 'i < 3',
      loop_params: { i: long(0) },
      steps: [step('x', 'NoOp')],
    });
    expect(node).toStrictEqual({
      while: {
        id: 'w',
        condition: 'i < 3',
        params: { loop_params: { value: { i: { value: 0, type: 'LONG' } }, type: 'MAP' } },
        steps: [{ step: { id: 'x', type: 'NoOp' } }],
      },
    });
  });

  it('writes a template with its sub_type', () => {
    expect(template('t', 'shell')).toStrictEqual({ template: { id: 't', sub_type: 'shell' } });
  });
});

describe('workflow', () => {
  it('serialises through toJSON, with properties and is_active at the top', () => {
    const wf = workflow('w', {
      properties: { owner: 'me' },
      is_active: false,
      steps: [step('a', 'NoOp')],
    });
    const expected = {
      properties: { owner: 'me' },
      workflow: { id: 'w', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
      is_active: false,
    };
    expect(wf.toJSON()).toStrictEqual(expected);
    expect(JSON.parse(JSON.stringify(wf))).toStrictEqual(expected);
    expect(wf.toRequest()).toBe(wf.toJSON());
  });

  it('omits properties when none are given (a later version may keep the current ones)', () => {
    expect(workflow('w', { steps: [step('a', 'NoOp')] }).toJSON()).toStrictEqual({
      workflow: { id: 'w', steps: [{ step: { id: 'a', type: 'NoOp' } }] },
    });
  });

  it('drops keys that are not part of the format, even from a spread object', () => {
    const props = { owner: 'me', colour: 'blue' } as { owner: string };
    expect(
      workflow('w', { properties: props, steps: [step('a', 'NoOp')] }).toJSON().properties,
    ).toStrictEqual({
      owner: 'me',
    });
  });

  it('is frozen all the way down', () => {
    const request = workflow('w', { steps: [step('a', 'NoOp', { params: { n: long(1) } })] }).toJSON();
    const first = request.workflow.steps[0];
    expect(Object.isFrozen(request)).toBe(true);
    expect(Object.isFrozen(request.workflow.steps)).toBe(true);
    expect(first !== undefined && 'step' in first && Object.isFrozen(first.step.params)).toBe(true);
  });
});
