import { describe, expect, it } from 'vitest';
import {
  evaluateSel,
  fromJson,
  parseSel,
  toJson,
  typeOf,
  variablesParams,
  VOID,
  type SelParams,
} from './index.js';
import { run, show } from './test-helpers.js';

describe('values and JSON', () => {
  it('names types like Maestro', () => {
    expect(typeOf(1n)).toBe('LONG');
    expect(typeOf(1)).toBe('DOUBLE');
    expect(typeOf('a')).toBe('STRING');
    expect(typeOf(null)).toBe('NULL');
    expect(typeOf(VOID)).toBe('VOID');
    expect(typeOf(fromJson(['a']))).toBe('STRING_ARRAY');
    expect(typeOf(fromJson([1, 2]))).toBe('LONG_ARRAY');
    expect(typeOf(fromJson([1, 2.5]))).toBe('DOUBLE_ARRAY');
    expect(typeOf(fromJson([], 'BOOLEAN_ARRAY'))).toBe('BOOLEAN_ARRAY');
    expect(typeOf(fromJson({ a: 1 }))).toBe('MAP');
    expect(typeOf(fromJson(3, 'DOUBLE'))).toBe('DOUBLE');
    expect(typeOf(run('new DateTime(0);'))).toBe('DATETIME');
  });

  it('converts results to JSON (LONGs beyond 2^53 as strings)', () => {
    expect(toJson(run("m = new Map(); m.put('a', new long[]{1, 2}); m.put('b', 1.5); return m;"))).toEqual({
      a: [1, 2],
      b: 1.5,
    });
    expect(toJson(run('9223372036854775807;'))).toBe('9223372036854775807');
    expect(toJson(run('new DateTime(0);'))).toBe('1970-01-01T00:00:00.000Z');
    expect(toJson(VOID)).toBeNull();
  });

  it('boxes caller values as copies and refuses what it cannot box', () => {
    const input = { k: [1, 2] };
    const boxed = fromJson(input);
    expect(toJson(boxed)).toEqual(input);
    expect(() => fromJson({ k: null })).toThrow(/Invalid map entry type/);
    expect(() => fromJson(new Date() as never)).toThrow(/not supported/);
    expect(() => fromJson([[1]] as never)).toThrow(/not supported/);
  });

  it('Util.toJson writes Jackson-like JSON', () => {
    expect(show("m = new Map(); m.put('a', 1.0); m.put('b', 'x'); Util.toJson(m);")).toBe(
      'STRING: {"a":1.0,"b":"x"}',
    );
  });
});

describe('the params extension', () => {
  it('delegates every Maestro params method to the caller’s implementation', () => {
    const calls: string[] = [];
    const base = variablesParams({ x: 1 });
    const params: SelParams = {
      ...base,
      getFromStep: (s, n) => (calls.push(`step ${s} ${n ?? ''}`), 'step-value'),
      getFromSignal: (a, b) => (calls.push(`signal ${a} ${b ?? ''}`), 7),
      getFromSignalOrDefault: (s, p, d) => (calls.push(`signalOrDefault ${s} ${p}`), d),
      getFromSignalDependency: (i, p) => (calls.push(`dep ${i} ${p}`), true),
      getFromForeach: (f, s, p) => (calls.push(`foreach ${f} ${s} ${p}`), [1, 2, 3]),
      getFromSubworkflow: (f, s, p) => (calls.push(`sub ${f} ${s} ${p}`), 'sub'),
      getFromInstance: (k) => (calls.push(`instance ${k}`), 'MANUAL'),
      nextUniqueId: () => (calls.push('id'), 42),
      getExecutionEnvironment: () => (calls.push('env'), 'test'),
    };
    const src = `params.getFromStep('a', 'b'); params.getFromSignal('s'); params.getFromSignal('s', 'p');
      params.getFromSignalOrDefault('s', 'p', 5); params.getFromSignalDependency('0', 'p');
      params.getFromForeach('f', 's', 'p'); params.getFromSubworkflow('w', 's', 'p'); params.getFromInstance('INITIATOR_TYPE');
      params.nextUniqueId(); params.getExecutionEnvironment();`;
    expect(evaluateSel(parseSel(src), { params })).toBe('test');
    expect(calls).toEqual([
      'step a b',
      'signal s ',
      'signal s p',
      'signalOrDefault s p',
      'dep 0 p',
      'foreach f s p',
      'sub w s p',
      'instance INITIATOR_TYPE',
      'id',
      'env',
    ]);
    expect(evaluateSel(parseSel("params.getFromForeach('f', 's', 'p');"), { params })).toMatchObject({
      elem: 'LONG',
    });
  });

  it('the default implementation reads step__param variables for getFromStep', () => {
    expect(show("params.getFromStep('job1', 'out');", { variables: { job1__out: 'v' } })).toBe('STRING: v');
    expect(() => run("params.getFromSignal('s');")).toThrow(/not available/);
  });
});
