// Compile-time guarantees of params: a literal must match the param's type; value and expression exclude each
// other; loop params have the shape their loop needs. `@ts-expect-error` lines must stay errors.
import { describe, expectTypeOf, test } from 'vitest';
import {
  boolean,
  booleanArray,
  double,
  doubleArray,
  expr,
  foreach,
  long,
  longArray,
  map,
  step,
  string,
  stringArray,
  stringMap,
  subworkflow,
  whileLoop,
  workflow,
} from './index.js';
import type { ParamDef, Params } from './index.js';

describe('param factories', () => {
  test('each factory accepts its literal type or an expression', () => {
    expectTypeOf(long(5)).toEqualTypeOf<ParamDef<'LONG'>>();
    expectTypeOf(long(expr('1 + 1'))).toEqualTypeOf<ParamDef<'LONG'>>();
    expectTypeOf(string('x')).toEqualTypeOf<ParamDef<'STRING'>>();
    expectTypeOf(double(1.5)).toEqualTypeOf<ParamDef<'DOUBLE'>>();
    expectTypeOf(boolean(true)).toEqualTypeOf<ParamDef<'BOOLEAN'>>();
    expectTypeOf(stringMap({ a: 'b' })).toEqualTypeOf<ParamDef<'STRING_MAP'>>();
    expectTypeOf(stringArray(['a'])).toEqualTypeOf<ParamDef<'STRING_ARRAY'>>();
    expectTypeOf(longArray([1, 2])).toEqualTypeOf<ParamDef<'LONG_ARRAY'>>();
    expectTypeOf(doubleArray([1.5])).toEqualTypeOf<ParamDef<'DOUBLE_ARRAY'>>();
    expectTypeOf(booleanArray([true])).toEqualTypeOf<ParamDef<'BOOLEAN_ARRAY'>>();
    expectTypeOf(map({ a: long(1) })).toEqualTypeOf<ParamDef<'MAP'>>();
  });

  test('a literal of the wrong type does not compile', () => {
    // @ts-expect-error a LONG param takes a number
    long('abc');
    // @ts-expect-error a STRING param takes a string
    string(5);
    // @ts-expect-error a BOOLEAN param takes a boolean
    boolean('true');
    // @ts-expect-error a DOUBLE param takes a number
    double('1.5');
    // @ts-expect-error a STRING_MAP takes string values
    stringMap({ a: 1 });
    // @ts-expect-error a LONG_ARRAY takes numbers
    longArray(['1']);
    // @ts-expect-error a STRING_ARRAY takes strings
    stringArray([1]);
    // @ts-expect-error a BOOLEAN_ARRAY takes booleans
    booleanArray([1]);
    // @ts-expect-error a MAP takes param definitions, not bare values
    map({ a: 1 });
    // @ts-expect-error an expression is made with expr(), a bare object is not one
    long({ expression: '1 + 1' });
  });

  test('in a params map', () => {
    const ok: Params = { x: long(5), y: string(expr('TARGET_RUN_DATE')) };
    expectTypeOf(ok).toExtend<Params>();
    // @ts-expect-error the literal 'abc' is not a LONG
    const bad: Params = { x: long('abc') };
    void bad;
    // @ts-expect-error a bare value is not a param definition
    const bare: Params = { x: 5 };
    void bare;
  });

  test('hand-written definitions are checked too', () => {
    const ok: Params = { a: { type: 'LONG', value: 1 }, b: { type: 'STRING', expression: "'x'" } };
    void ok;
    // @ts-expect-error value must match type
    const wrongValue: Params = { a: { type: 'LONG', value: 'x' } };
    void wrongValue;
    // @ts-expect-error value and expression exclude each other
    const both: Params = { a: { type: 'LONG', value: 1, expression: '1' } };
    void both;
    // @ts-expect-error mode must be one of the five modes
    long(1, { mode: 'FROZEN' });
    long(1, { mode: 'MUTABLE_ON_START', validator: 'param > 0' });
  });
});

describe('params where steps use them', () => {
  test('foreach loop params are arrays; while loop params are scalars', () => {
    const body = [step('x', 'NoOp')] as const;
    foreach('f', { loop_params: { i: longArray([1]), s: stringArray(expr('["a"]')) }, steps: body });
    // @ts-expect-error a foreach loops over arrays
    foreach('f', { loop_params: { i: long(1) }, steps: body });
    whileLoop('w', { condition: 'i < 2', loop_params: { i: long(0) }, steps: body });
    // @ts-expect-error a while loop starts from scalar values
    whileLoop('w', { condition: 'i < 2', loop_params: { i: longArray([0]) }, steps: body });
    // @ts-expect-error loop_params is its own option, not a plain param
    foreach('f', { loop_params: {}, params: { loop_params: map({}) }, steps: body });
  });

  test('subworkflow target is an argument, not a param', () => {
    subworkflow('s', 'child', { version: 3, params: { day: string('20240101') } });
    // @ts-expect-error subworkflow_id is the second argument
    subworkflow('s', 'child', { params: { subworkflow_id: string('other') } });
  });

  test('signal params are STRING or LONG', () => {
    step('a', 'NoOp', { signal_outputs: [{ name: 'table/ready', params: { day: long(20240101) } }] });
    // @ts-expect-error signal params are STRING or LONG only
    step('a', 'NoOp', { signal_outputs: [{ name: 'table/ready', params: { ok: boolean(true) } }] });
    step('a', 'NoOp', {
      signal_dependencies: [
        { name: 'db/t', match_params: { day: { param: string(expr('TARGET_RUN_DATE')), operator: '>=' } } },
      ],
    });
  });

  test('workflow params', () => {
    workflow('w', { params: { day: long(expr('TARGET_RUN_DATE')) }, steps: [step('a', 'NoOp')] });
    // @ts-expect-error the literal is not a LONG
    workflow('w', { params: { day: long('20240101') }, steps: [step('a', 'NoOp')] });
  });
});
