import { describe, expect, it } from 'vitest';
import type { ParamMap } from '../model/param.js';
import { ParamError } from './errors.js';
import { mergeRestartParams, mergeStepParams, mergeWorkflowParams, runParamsFromValues } from './merge.js';
import { checkRuntimeChange, MODE_TRAITS } from './modes.js';
import type { EvaluatedParam, EvaluatedParams } from './types.js';

function errorOf(f: () => unknown): ParamError {
  try {
    f();
  } catch (err) {
    if (err instanceof ParamError) return err;
    throw err;
  }
  throw new Error('expected a ParamError');
}

const definition: ParamMap = {
  c: { type: 'STRING', value: 'c', mode: 'CONSTANT' },
  i: { type: 'STRING', value: 'i', mode: 'IMMUTABLE' },
  m: { type: 'LONG', value: 1 },
  s: { type: 'STRING', value: 's', mode: 'MUTABLE_ON_START' },
  r: { type: 'STRING', value: 'r', mode: 'MUTABLE_ON_START_RESTART' },
};
const defaults: ParamMap = {
  RUN_TS: { type: 'LONG', expression: 'System.currentTimeMillis()', mode: 'MUTABLE_ON_START' },
  owner: { type: 'STRING', value: 'tester', internal_mode: 'RESERVED', mode: 'MUTABLE_ON_START' },
};

describe('modes', () => {
  it('have the traits of REFERENCE §3.1', () => {
    expect(Object.entries(MODE_TRAITS).map(([m, t]) => [m, t.startOverride, t.restartOverride])).toEqual([
      ['CONSTANT', false, false],
      ['IMMUTABLE', false, false],
      ['MUTABLE', true, true],
      ['MUTABLE_ON_START', true, false],
      ['MUTABLE_ON_START_RESTART', true, true],
    ]);
  });

  it('let step outputs change only MUTABLE params', () => {
    expect(checkRuntimeChange('m', { type: 'LONG', value: 1, source: 'DEFINITION' })).toBeUndefined();
    expect(
      checkRuntimeChange('s', { type: 'LONG', value: 1, mode: 'MUTABLE_ON_START', source: 'DEFINITION' })
        ?.message,
    ).toBe("param 's' is MUTABLE_ON_START and cannot be changed by a step's output");
  });
});

describe('workflow params on a fresh run', () => {
  it('merge defaults → definition → run params, recording each param’s source', () => {
    const merged = mergeWorkflowParams({
      defaults,
      definition,
      run: { m: { type: 'LONG', value: 5 }, extra: { type: 'STRING', value: 'e' } },
    });
    expect(Object.keys(merged)).toEqual(['RUN_TS', 'owner', 'c', 'i', 'm', 's', 'r', 'extra']);
    expect(merged['RUN_TS']).toMatchObject({ source: 'SYSTEM_DEFAULT' });
    expect(merged['c']).toMatchObject({ source: 'DEFINITION', value: 'c' });
    expect(merged['m']).toMatchObject({ source: 'LAUNCH', value: 5, type: 'LONG' });
    expect(merged['extra']).toMatchObject({ source: 'LAUNCH' });
  });

  it('let a start override MUTABLE, MUTABLE_ON_START(_RESTART) and system defaults, with the trigger as source', () => {
    const run = runParamsFromValues({ m: 2, s: 'x', r: 'y', RUN_TS: 1000 }, { ...defaults, ...definition });
    const merged = mergeWorkflowParams({ defaults, definition, run, runSource: 'TIME_TRIGGER' });
    expect(merged['RUN_TS']).toMatchObject({ value: 1000, source: 'TIME_TRIGGER', mode: 'MUTABLE_ON_START' });
    expect(merged['RUN_TS']!.expression).toBeUndefined();
    expect([merged['s']!.value, merged['r']!.value]).toEqual(['x', 'y']);
  });

  it('reject start overrides of CONSTANT and IMMUTABLE params, and of reserved ones, naming param and mode', () => {
    const err = errorOf(() =>
      mergeWorkflowParams({
        defaults,
        definition,
        run: runParamsFromValues({ c: 'x', i: 'y', owner: 'me' }, definition),
      }),
    );
    expect(err.issues.map((i) => [i.code, i.param])).toEqual([
      ['OVERRIDE_REJECTED', 'c'],
      ['OVERRIDE_REJECTED', 'i'],
      ['RESERVED_PARAM', 'owner'],
    ]);
    expect(err.issues[0]!.message).toBe("param 'c' is CONSTANT and cannot be overridden on start");
  });

  it('reject a definition that sets a reserved param or a reserved name, and type changes', () => {
    const err = errorOf(() =>
      mergeWorkflowParams({
        defaults,
        definition: { owner: { type: 'STRING', value: 'me' }, params: { type: 'STRING', value: 'x' } },
        run: { m: { type: 'STRING', value: 'x' } },
      }),
    );
    expect(err.issues.map((i) => i.code)).toEqual(['RESERVED_PARAM', 'RESERVED_PARAM']);
    const typed = errorOf(() =>
      mergeWorkflowParams({ definition, run: { m: { type: 'STRING', value: 'x' } } }),
    );
    expect(typed.issues[0]!.message).toBe("param 'm' is of type LONG and cannot be set to a STRING");
  });

  it('keep a definition’s mode: a run param cannot loosen it', () => {
    const merged = mergeWorkflowParams({
      definition,
      run: { s: { type: 'STRING', value: 'x', mode: 'MUTABLE' } },
    });
    expect(merged['s']!.mode).toBe('MUTABLE_ON_START');
  });

  it('require REQUIRED params to end up with a value', () => {
    const schema: ParamMap = { image: { type: 'STRING', internal_mode: 'REQUIRED' } };
    expect(errorOf(() => mergeWorkflowParams({ defaults: schema })).issues[0]).toMatchObject({
      code: 'REQUIRED_PARAM',
      param: 'image',
    });
    expect(
      mergeWorkflowParams({ defaults: schema, definition: { image: { type: 'STRING', value: 'busybox' } } })[
        'image'
      ],
    ).toMatchObject({
      value: 'busybox',
      internal_mode: 'REQUIRED',
    });
  });
});

function previousRun(): EvaluatedParams {
  const p = (
    name: string,
    type: EvaluatedParam['type'],
    value: EvaluatedParam['value'],
    extra: Partial<EvaluatedParam> = {},
  ): [string, EvaluatedParam] => [
    name,
    {
      name,
      type,
      value,
      mode: definition[name]?.mode ?? 'MUTABLE',
      source: 'DEFINITION',
      definition: definition[name] ?? { type, value: 0 },
      evaluated_time: 1,
      ...extra,
    },
  ];
  return new Map([
    p('owner', 'STRING', 'old', {
      internal_mode: 'RESERVED',
      mode: 'MUTABLE_ON_START',
      source: 'SYSTEM_DEFAULT',
    }),
    p('c', 'STRING', 'c-old'),
    p('i', 'STRING', 'i-old'),
    p('m', 'LONG', 7n),
    p('s', 'STRING', 's-old'),
    p('r', 'STRING', 'r-old'),
    p('launched', 'STRING', 'from-start', { source: 'LAUNCH' }),
  ]);
}

describe('workflow params on a restart', () => {
  it('keep previous values (CONSTANT, MUTABLE*), re-evaluate IMMUTABLE, and reset reserved params', () => {
    const merged = mergeRestartParams({ defaults, definition, previous: previousRun() });
    expect(merged['c']).toMatchObject({ value: 'c-old' });
    expect(merged['i']).toMatchObject({ value: 'i', source: 'DEFINITION' });
    expect(merged['m']).toMatchObject({ value: 7 });
    expect(merged['s']).toMatchObject({ value: 's-old' });
    expect(merged['launched']).toMatchObject({ value: 'from-start', source: 'LAUNCH' });
    expect(merged['owner']).toMatchObject({ value: 'tester', source: 'SYSTEM_DEFAULT' });
  });

  it('apply restart params where the mode allows, and reject them where it does not', () => {
    const merged = mergeRestartParams({
      definition,
      previous: previousRun(),
      restart: runParamsFromValues({ m: 9, r: 'new' }, definition),
    });
    expect(merged['m']).toMatchObject({ value: 9, source: 'RESTART' });
    expect(merged['r']).toMatchObject({ value: 'new', source: 'RESTART' });
    const err = errorOf(() =>
      mergeRestartParams({
        definition,
        previous: previousRun(),
        restart: runParamsFromValues({ s: 'x', c: 'y' }, definition),
      }),
    );
    expect(err.issues.map((i) => i.message)).toEqual([
      "param 's' is MUTABLE_ON_START and cannot be overridden on restart",
      "param 'c' is CONSTANT and cannot be overridden on restart",
    ]);
  });
});

describe('step params', () => {
  const typeDefaults: ParamMap = {
    kubernetes: {
      type: 'MAP',
      value: {
        image: { type: 'STRING', internal_mode: 'REQUIRED' },
        cpu: { type: 'STRING', value: '1' },
      },
    },
  };

  it('merge step defaults → type defaults → template → injected → step definition → run params, MAPs key by key', () => {
    const merged = mergeStepParams({
      stepDefaults: { step_id: { type: 'STRING', value: 'job1', internal_mode: 'RESERVED' } },
      typeDefaults,
      injected: { workflow_id: { type: 'STRING', value: 'wf' } },
      definition: {
        kubernetes: { type: 'MAP', value: { image: { type: 'STRING', value: 'busybox' } } },
        n: { type: 'LONG', value: 1 },
      },
      run: { n: { type: 'LONG', value: 2 }, undefined_before: { type: 'STRING', value: 'u' } },
    });
    expect(merged['kubernetes']!.value).toMatchObject({
      image: { value: 'busybox', source: 'DEFINITION' },
      cpu: { value: '1' },
    });
    expect(merged['n']).toMatchObject({ value: 2, source: 'LAUNCH' });
    expect(merged['undefined_before']).toMatchObject({ source: 'LAUNCH' });
    expect(merged['workflow_id']).toMatchObject({ source: 'SYSTEM_INJECTED' });
    expect(Object.keys(merged)).toEqual(['step_id', 'kubernetes', 'workflow_id', 'undefined_before', 'n']);
  });

  it('report a REQUIRED nested param left without a value by its dotted name', () => {
    const err = errorOf(() => mergeStepParams({ typeDefaults }));
    expect(err.issues[0]).toMatchObject({ code: 'REQUIRED_PARAM', param: 'kubernetes.image' });
    expect(err.message).toBe("'kubernetes.image' is a required parameter (type STRING) and has no value");
  });

  it('reject user values for reserved step params', () => {
    const err = errorOf(() =>
      mergeStepParams({
        stepDefaults: { step_id: { type: 'STRING', internal_mode: 'RESERVED' } },
        definition: { step_id: { type: 'STRING', value: 'x' } },
      }),
    );
    expect(err.paramCode).toBe('RESERVED_PARAM');
  });
});
