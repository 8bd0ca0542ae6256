import { describe, expect, it } from 'vitest';
import type { ParamMap } from '../../src/model/param.js';
import { createSystemParamsMemo } from '../../src/engine/system-params-memo.js';
import {
  createParamEvaluator,
  defaultWorkflowParams,
  evaluatedParamsToJson,
  instanceFields,
  mergeWorkflowParams,
  ParamError,
  ParamSource,
  type ParamContext,
} from '../../src/params/index.js';

interface Plain {
  readonly value: unknown;
  readonly mode: string;
  readonly evaluated_time: number;
}

/** A memo and a whole evaluator over one clock, so both read the same time. */
function setup(paramsJsonChars = 750_000) {
  let now = 0;
  const evaluator = createParamEvaluator({ clock: { now: () => now } }, { paramsJsonChars });
  const memo = createSystemParamsMemo(evaluator, paramsJsonChars);
  const merge = (definition?: ParamMap, run?: ParamMap) =>
    mergeWorkflowParams({
      defaults: defaultWorkflowParams({ workflowId: 'wf', owner: 'ana' }),
      ...(definition ? { definition } : {}),
      ...(run ? { run } : {}),
      runSource: ParamSource.LAUNCH,
    });
  const context = (timezone?: string): ParamContext => ({
    instance: instanceFields({
      workflowId: 'wf',
      instanceId: 1,
      runId: 1,
      initiator: { type: 'TIME', ...(timezone ? { timezone } : {}) } as never,
      runPolicy: 'START_FRESH_NEW_RUN',
    }),
  });
  /** Both ways at `at`: the memo's answer (undefined when it declines) and the whole evaluation's. */
  const both = (at: number, definition?: ParamMap, run?: ParamMap, timezone?: string) => {
    now = at;
    const merged = merge(definition, run);
    const ctx = context(timezone);
    const shared = memo.evaluate(merged, ctx, at);
    const whole = evaluator.evaluate({ params: merged as ParamMap, context: ctx });
    const plain = (m: typeof whole): Record<string, Plain> =>
      Object.fromEntries(
        Object.entries(evaluatedParamsToJson(m)).map(([k, v]) => [
          k,
          { ...(v as unknown as Plain), evaluated_time: 0 },
        ]),
      );
    return { shared: shared && plain(shared), whole: plain(whole), keys: shared && [...shared.keys()] };
  };
  return { both, merge, context, memo, evaluator, setNow: (t: number) => (now = t) };
}

const AT = Date.UTC(2024, 0, 31, 7, 30);

describe('the system params of a start, evaluated once per time and zone', () => {
  it('gives what the whole evaluation gives, in the same order, for starts on the clock', () => {
    const { both } = setup();
    const first = both(AT);
    expect(first.shared).toEqual(first.whole);
    expect(first.keys).toEqual(Object.keys(first.whole));
    // A later time on the clock is a new RUN_TS, not the first one's.
    const later = both(AT + 3_600_000 * 20);
    expect(later.shared).toEqual(later.whole);
    expect(later.shared!['RUN_TS']!.value).toBe(AT + 3_600_000 * 20);
    expect(later.shared!['TARGET_RUN_DATE']!.value).toBe(20240201);
  });

  it('follows a RUN_TS a trigger passes, the initiator zone, and user params that read the system ones', () => {
    const { both } = setup();
    const definition: ParamMap = {
      yesterday: { type: 'LONG', expression: 'RUN_DATE_MINUS_1' },
      label: { type: 'STRING', value: 'run of ${TARGET_RUN_HOUR}' },
    };
    const run: ParamMap = { RUN_TS: { type: 'LONG', value: AT } };
    const utc = both(AT + 99, definition, run);
    expect(utc.shared).toEqual(utc.whole);
    const tokyo = both(AT + 123, definition, run, 'Asia/Tokyo');
    expect(tokyo.shared).toEqual(tokyo.whole);
    expect(tokyo.shared!['TARGET_RUN_HOUR']!.value).toBe('16');
    expect(utc.shared!['TARGET_RUN_HOUR']!.value).toBe('07');
    expect(tokyo.shared!['label']!.value).toBe('run of 16');
    // Same RUN_TS and zone as the first, other clock time: RUN_TS is the trigger's, so the values are the same.
    const again = both(AT + 5_000, definition, run);
    expect(again.shared).toEqual(utc.whole);
  });

  it('keeps each override: a literal from the definition, a mode, a source', () => {
    const { both } = setup();
    const definition: ParamMap = {
      DSL_DEFAULT_TZ: { type: 'STRING', value: 'Europe/Paris' },
      RUN_DATE: { type: 'LONG', expression: 'TARGET_RUN_DATE', mode: 'CONSTANT' },
    };
    const r = both(Date.UTC(2024, 0, 31, 23, 30), definition);
    expect(r.shared).toEqual(r.whole);
    expect(r.shared!['LOCAL_RUN_DATE']!.value).toBe(20240201);
    expect(r.shared!['RUN_DATE']!.mode).toBe('CONSTANT');
    const plain = both(Date.UTC(2024, 0, 31, 23, 30));
    expect(plain.shared!['LOCAL_RUN_DATE']!.value).toBe(20240131);
    expect(plain.shared!['RUN_DATE']!.mode).toBe('MUTABLE_ON_START');
  });

  it('declines what may read the run’s own params, and the whole evaluation answers', () => {
    const { both } = setup();
    const reads: ParamMap = {
      base: { type: 'LONG', value: AT },
      RUN_TS: { type: 'LONG', expression: 'base + 1' },
    };
    expect(both(AT, reads).shared).toBeUndefined();
    const interpolates: ParamMap = {
      zone: { type: 'STRING', value: 'UTC' },
      DSL_DEFAULT_TZ: { type: 'STRING', value: '${zone}' },
    };
    expect(both(AT, interpolates).shared).toBeUndefined();
  });

  it('declines a long literal (the size limit is checked on the whole)', () => {
    const { merge, context, memo } = setup();
    const long = merge({ DSL_DEFAULT_TZ: { type: 'STRING', value: 'x'.repeat(500) } });
    expect(memo.evaluate(long, context(), AT)).toBeUndefined();
  });

  it('declines a bad override, so the whole evaluation reports it with the rest', () => {
    const { merge, context, memo, evaluator } = setup();
    const merged = merge(undefined, { DSL_DEFAULT_TZ: { type: 'STRING', value: 'Mars/Olympus' } });
    expect(memo.evaluate(merged, context(), AT)).toBeUndefined();
    expect(() => evaluator.evaluate({ params: merged as ParamMap, context: context() })).toThrow(ParamError);
  });

  it('declines near the size limit, where the whole evaluation decides', () => {
    const { merge, context, memo } = setup(3_000);
    const big = merge({ note: { type: 'STRING', value: 'y'.repeat(1_500) } });
    expect(memo.evaluate(big, context(), AT)).toBeUndefined();
    const small = merge({ note: { type: 'STRING', value: 'y' } });
    expect(memo.evaluate(small, context(), AT)).toBeUndefined(); // the system params alone take ~3,000
    const { merge: merge2, context: context2, memo: memo2 } = setup();
    expect(memo2.evaluate(merge2({ note: { type: 'STRING', value: 'y' } }), context2(), AT)).toBeDefined();
  });
});
