import { describe, expect, it } from 'vitest';
import type { ParamMap } from '../model/param.js';
import { ParamError } from './errors.js';
import { createParamEvaluator } from './evaluate.js';
import { paramValues } from './params-json.js';
import type { StepState } from './sel-params.js';
import type { EvaluatedParams } from './types.js';

const evaluator = createParamEvaluator({ clock: { now: () => 1_569_018_000_000 } });

function errorOf(f: () => unknown): ParamError {
  try {
    f();
  } catch (err) {
    if (err instanceof ParamError) return err;
    throw err;
  }
  throw new Error('expected a ParamError');
}

const values = (params: ParamMap, outer?: EvaluatedParams) =>
  paramValues(evaluator.evaluate({ params, ...(outer ? { outer } : {}) }));

describe('evaluation in dependency order', () => {
  it('evaluates params after the params they refer to, whatever the definition order', () => {
    const params: ParamMap = {
      c: { type: 'STRING', value: '${b}/$a' },
      b: { type: 'LONG', expression: "a * 2 + params.get('a');" },
      a: { type: 'LONG', value: 5 },
      d: { type: 'BOOLEAN', expression: "params.containsKey('zzz')" },
    };
    const result = evaluator.evaluate({ params });
    expect([...result.keys()]).toEqual(['c', 'b', 'a', 'd']); // definition order is kept
    expect(paramValues(result)).toEqual({ c: '15/5', b: 15, a: 5, d: false });
    expect(result.get('b')).toMatchObject({
      type: 'LONG',
      value: 15n,
      mode: 'MUTABLE',
      source: 'DEFINITION',
      evaluated_time: 1_569_018_000_000,
    });
  });

  it('reports cycles by their path and evaluates the rest', () => {
    const err = errorOf(() =>
      values({
        a: { type: 'LONG', expression: 'b + 1' },
        b: { type: 'LONG', expression: 'c + 1' },
        c: { type: 'STRING', value: '${a}' },
        ok: { type: 'LONG', value: 1 },
        self: { type: 'LONG', expression: 'self + 1' },
      }),
    );
    expect(err.issues.map((i) => [i.code, i.message])).toEqual([
      ['PARAM_CYCLE', 'params refer to each other in a cycle: a → b → c → a'],
      ['PARAM_CYCLE', 'params refer to each other in a cycle: self → self'],
    ]);
  });

  it('reports params that depend on a cycle without evaluating them', () => {
    const err = errorOf(() =>
      values({
        a: { type: 'LONG', expression: 'b' },
        b: { type: 'LONG', expression: 'a' },
        c: { type: 'STRING', value: 'after ${a}' },
      }),
    );
    expect(err.issues.map((i) => [i.code, i.param])).toEqual([
      ['PARAM_CYCLE', 'a'],
      ['REFERENCE_NOT_EVALUATED', 'c'],
    ]);
  });

  it('lets a param refer to the same name in the enclosing scope (a loop param updated by a step)', () => {
    const outer = evaluator.evaluate({ params: { i: { type: 'LONG', value: 20200101 } } });
    expect(values({ i: { type: 'LONG', expression: 'i + 1' } }, outer)).toEqual({ i: 20200102 });
  });

  it('reports unknown names, failed expressions and thrown errors per param', () => {
    const err = errorOf(() =>
      values({
        a: { type: 'LONG', expression: 'nope + 1' },
        b: { type: 'LONG', expression: "throw 'stop here';" },
        c: { type: 'LONG', expression: '1 / 0' },
        d: { type: 'LONG', expression: 'c + 1' },
        e: { type: 'LONG', expression: '(' },
      }),
    );
    expect(err.issues.map((i) => [i.code, i.param])).toEqual([
      ['EVALUATION_FAILED', 'e'],
      ['UNKNOWN_REFERENCE', 'a'],
      ['EVALUATION_FAILED', 'b'],
      ['EVALUATION_FAILED', 'c'],
    ]);
    expect(err.issues[2]!.message).toBe(`param 'b': its expression threw "stop here"`);
  });

  it('evaluates nested MAP params, and MAP / STRING_MAP / STRING_ARRAY literals with interpolation', () => {
    const result = values({
      name: { type: 'STRING', value: 'box' },
      kubernetes: {
        type: 'MAP',
        value: {
          image: { type: 'STRING', value: '${name}:1' },
          cpu: { type: 'LONG', expression: 'memory / 2' },
          memory: { type: 'LONG', value: 8 },
        },
      },
      env: { type: 'STRING_MAP', value: { NAME: '$name', RAW: '$$name' } },
      args: { type: 'STRING_ARRAY', value: ['-n', '${name}'] },
    });
    expect(result).toEqual({
      name: 'box',
      kubernetes: { image: 'box:1', cpu: 4, memory: 8 },
      env: { NAME: 'box', RAW: '$name' },
      args: ['-n', 'box'],
    });
  });

  it('enforces the params size limit per instance', () => {
    const small = createParamEvaluator({ clock: { now: () => 0 } }, { paramsJsonChars: 100 });
    const err = errorOf(() =>
      small.evaluate({ params: { big: { type: 'STRING', value: 'x'.repeat(200) } } }),
    );
    expect(err.paramCode).toBe('PARAMS_TOO_LARGE');
    expect(err.message).toMatch(/limit is 100/);
  });
});

describe('cross-step references', () => {
  const job1 = evaluator.evaluate({ params: { sleep_seconds: { type: 'LONG', value: 15 } } });
  const job2 = evaluator.evaluate({ params: { param1: { type: 'STRING', value: 'p1' } } });
  const steps = new Map<string, StepState>([
    ['job1', { params: job1, status: 'SUCCEEDED', end_time: 1000 }],
    ['job.2', { params: job2 }],
  ]);

  it('resolve step__param as a bare name, by interpolation, via params[..] and params.getFromStep', () => {
    const params: ParamMap = {
      bare: { type: 'LONG', expression: 'job1__sleep_seconds + 1' },
      text: { type: 'STRING', value: '${job1__sleep_seconds} + 1' },
      dotted: { type: 'STRING', value: '${job.2__param1}' },
      indexed: { type: 'STRING', expression: "params['job' + '.' + '2__param1']" },
      from: { type: 'LONG', expression: "params.getFromStep('job1', 'sleep_seconds')" },
      status: { type: 'STRING', expression: "params.getFromStep('job1', 'MAESTRO_STEP_STATUS')" },
      ended: { type: 'LONG', expression: "params.getFromStep('job1', 'MAESTRO_STEP_END_TIME')" },
    };
    expect(paramValues(evaluator.evaluate({ params, context: { steps } }))).toEqual({
      bare: 16,
      text: '15 + 1',
      dotted: 'p1',
      indexed: 'p1',
      from: 15,
      status: 'SUCCEEDED',
      ended: 1000,
    });
  });

  it('fail for a step that is not there', () => {
    const err = errorOf(() =>
      evaluator.evaluate({
        params: { x: { type: 'LONG', expression: "params.getFromStep('nope', 'a')" } },
        context: { steps },
      }),
    );
    expect(err.message).toMatch(/Cannot find step \[nope\]/);
  });
});
