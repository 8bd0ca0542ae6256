import { describe, expect, it } from 'vitest';
import { ParamError } from './errors.js';
import { createParamEvaluator } from './evaluate.js';
import { mergeStepParams } from './merge.js';
import { paramValues } from './params-json.js';
import { defaultStepParams, defaultStepTypeParams } from './step-defaults.js';

const evaluator = createParamEvaluator({ clock: { now: () => 0 } });

describe('step defaults', () => {
  it('give a Sleep step 3 seconds unless it says otherwise', () => {
    const merged = mergeStepParams({
      stepDefaults: defaultStepParams(),
      typeDefaults: defaultStepTypeParams('step', 'Sleep'),
    });
    expect(paramValues(evaluator.evaluate({ params: merged }))).toEqual({ sleep_seconds: 3 });
  });

  it('make a Kubernetes step name its image, and fill in the rest of the map', () => {
    expect(() => mergeStepParams({ typeDefaults: defaultStepTypeParams('step', 'Kubernetes') })).toThrow(
      ParamError,
    );
    const merged = mergeStepParams({
      typeDefaults: defaultStepTypeParams('step', 'Kubernetes'),
      definition: { kubernetes: { type: 'MAP', value: { image: { type: 'STRING', value: 'busybox' } } } },
    });
    expect(paramValues(evaluator.evaluate({ params: merged }))).toEqual({
      kubernetes: { app_name: 'maestro-job', image: 'busybox' },
    });
  });

  it('reserve step identity and loop_index, and require a foreach’s loop_params', () => {
    const err = (() => {
      try {
        mergeStepParams({
          stepDefaults: defaultStepParams(),
          typeDefaults: defaultStepTypeParams('foreach'),
          definition: { step_id: { type: 'STRING', value: 'x' }, loop_index: { type: 'LONG', value: 1 } },
        });
      } catch (e) {
        return e as ParamError;
      }
      return undefined;
    })();
    expect(err?.issues.map((i) => [i.code, i.param])).toEqual([
      ['RESERVED_PARAM', 'step_id'],
      ['RESERVED_PARAM', 'loop_index'],
      ['REQUIRED_PARAM', 'loop_params'],
    ]);
  });
});
