import { describe, expect, it } from 'vitest';
import { createParamEvaluator } from './evaluate.js';
import { paramValues } from './params-json.js';
import { instanceFields } from './instance.js';
import type { ParamContext } from './sel-params.js';

const evaluator = createParamEvaluator({ clock: { now: () => 0 } });
const one = (expression: string, type: 'STRING' | 'LONG' | 'LONG_ARRAY' | 'BOOLEAN', context: ParamContext) =>
  paramValues(evaluator.evaluate({ params: { x: { type, expression } }, context }))['x'];

describe('the params extension', () => {
  const instance = instanceFields({
    workflowId: 'wf',
    instanceId: 3,
    runId: 2,
    owner: 'tester',
    runPolicy: 'START_FRESH_NEW_RUN',
    initiator: { type: 'MANUAL', user: 'alice' },
    step: { id: 'job.1', attemptId: 1, errorRetries: 2 },
  });

  it('answers getFromInstance with the system fields and null for absent ones', () => {
    const ctx = { instance };
    expect(one("params.getFromInstance('RUN_POLICY')", 'STRING', ctx)).toBe('START_FRESH_NEW_RUN');
    expect(one("params.getFromInstance('workflow_run_id')", 'LONG', ctx)).toBe(2);
    expect(one("params.getFromInstance('INITIATOR_RUNNER_NAME')", 'STRING', ctx)).toBe('alice');
    expect(one("params.getFromInstance('INITIATOR_TIMEZONE') == null", 'BOOLEAN', ctx)).toBe(true);
    expect(one("params.getFromStep('MAESTRO_STEP_ERROR_RETRIES')", 'LONG', ctx)).toBe(2);
    expect(() => one("params.getFromInstance('secret')", 'STRING', ctx)).toThrow(/does not know \[secret\]/);
  });

  it('reads signal trigger params, signal instance params and signal dependencies', () => {
    const ctx: ParamContext = {
      signalTriggerParams: { foo: 'bar' },
      signals: { signal_a: { watermark: 12345 } },
      signalDependencies: [{ name: 'db/test/table1', params: { vtts_utc_dateint: '20240101' } }],
    };
    expect(one("params.getFromSignal('foo')", 'STRING', ctx)).toBe('bar');
    expect(one("params.getFromSignal('signal_a', 'watermark')", 'LONG', ctx)).toBe(12345);
    expect(one("params.getFromSignalOrDefault('signal_b', 'w', 7)", 'LONG', ctx)).toBe(7);
    expect(one("params.getFromSignalDependency('0', 'vtts_utc_dateint')", 'STRING', ctx)).toBe('20240101');
    expect(one("params.getFromSignalDependency('db/test/table1', 'vtts_utc_dateint')", 'STRING', ctx)).toBe(
      '20240101',
    );
  });

  it('delegates foreach/subworkflow lookups and unique ids to what the engine injects', () => {
    let next = 100n;
    const ctx: ParamContext = {
      foreach: (f, s, p) => (f === 'loop' && s === 'job.1' && p === 'n' ? [1, 2, 3] : undefined),
      subworkflow: () => 'child-value',
      nextUniqueId: () => next++,
    };
    expect(one("params.getFromForeach('loop', 'job.1', 'n')", 'LONG_ARRAY', ctx)).toEqual([1, 2, 3]);
    expect(one("params.getFromSubworkflow('sub', 'job.1', 'p')", 'STRING', ctx)).toBe('child-value');
    expect(one('params.nextUniqueId() + params.nextUniqueId()', 'LONG', ctx)).toBe(201);
  });

  it('says so when the running system does not provide a method', () => {
    expect(() => one("params.getFromForeach('a', 'b', 'c')", 'LONG_ARRAY', {})).toThrow(
      /getFromForeach is not available here/,
    );
  });
});
