import { describe, expect, it } from 'vitest';
import { createParamEvaluator } from './evaluate.js';
import { mergeWorkflowParams, runParamsFromValues } from './merge.js';
import { ParamSource } from './types.js';
import { paramValues } from './params-json.js';
import type { ParamMap } from '../model/param.js';

const definition: ParamMap = {
  settings: {
    type: 'MAP',
    value: {
      source: {
        type: 'MAP',
        value: { bucket: { type: 'STRING', value: 'raw' }, prefix: { type: 'STRING', value: 'e/' } },
      },
    },
  },
};

describe('run params for a MAP param', () => {
  it('take a plain nested map as MAP literal definitions', () => {
    expect(runParamsFromValues({ settings: { source: { bucket: 'x' } } }, definition)).toEqual({
      settings: {
        type: 'MAP',
        value: { source: { type: 'MAP', value: { bucket: { type: 'STRING', value: 'x' } } } },
      },
    });
  });

  it('merge key by key with the definition and evaluate to nested maps SEL can read', () => {
    const merged = mergeWorkflowParams({
      definition,
      run: runParamsFromValues({ settings: { source: { bucket: 'curated' } } }, definition),
      runSource: ParamSource.LAUNCH,
    });
    const evaluator = createParamEvaluator({ clock: { now: () => 0 } });
    const evaluated = evaluator.evaluate({ params: merged as ParamMap });
    expect(paramValues(evaluated)).toEqual({ settings: { source: { bucket: 'curated', prefix: 'e/' } } });
    expect(evaluator.evaluateExpression("settings.get('source').get('bucket')", evaluated)).toBe('curated');
  });
});
