// Successor conditions that are a boolean literal (`true` is Maestro's default edge) are answered without gathering
// the run's params and the steps' outputs; any other expression still goes through SEL with the whole scope.
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../model/json.js';
import type { Scope } from './evaluator.js';
import { createEngineEvaluator } from './param-evaluator.js';

/** A scope that counts how often its params and step outputs are looked through. */
function countingScope(): { scope: Scope; reads: () => number } {
  let reads = 0;
  const counted = <T extends object>(target: T): T =>
    new Proxy(target, {
      ownKeys(t) {
        reads += 1;
        return Reflect.ownKeys(t);
      },
      get(t, key) {
        if (key === Symbol.iterator || key === 'entries' || key === 'get' || key === 'has') reads += 1;
        const value: unknown = Reflect.get(t, key, t);
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(t) : value;
      },
    });
  const params: JsonObject = { limit: { type: 'LONG', value: 3 } };
  const scope: Scope = {
    workflowParams: counted(params),
    steps: counted(new Map<string, JsonObject>([['a', { n: { type: 'LONG', value: 1 } }]])),
    info: {
      workflow_id: 'wf',
      instance_id: 1,
      run_id: 1,
      initiator_type: 'MANUAL',
      run_policy: 'START_FRESH_NEW_RUN',
      correlation_id: 'wf:1:1',
    },
    now: 1_700_000_000_000,
  };
  return { scope, reads: () => reads };
}

describe('engine evaluator: conditions', () => {
  it('answers the literals true and false without reading the scope', () => {
    const evaluator = createEngineEvaluator();
    const { scope, reads } = countingScope();
    expect(evaluator.condition('true', scope)).toBe(true);
    expect(evaluator.condition('false', scope)).toBe(false);
    expect(reads()).toBe(0);
  });

  it('evaluates anything else with the params and step outputs, as before', () => {
    const evaluator = createEngineEvaluator();
    const { scope, reads } = countingScope();
    expect(evaluator.condition(' true', scope)).toBe(true);
    expect(evaluator.condition('limit > a__n', scope)).toBe(true);
    expect(evaluator.condition('limit < a__n', scope)).toBe(false);
    expect(reads()).toBeGreaterThan(0);
    expect(() => evaluator.condition('missing == 1', scope)).toThrow(/missing/);
  });
});
