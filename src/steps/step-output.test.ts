import { describe, expect, it } from 'vitest';
import { mergeStepOutputs, parseStepOutput } from './step-output.js';

describe('parseStepOutput', () => {
  it('takes a plain object as output params', () => {
    expect(parseStepOutput('{"rows": 3, "name": "x"}', 'here')).toEqual({
      ok: true,
      value: { outputs: { rows: 3, name: 'x' }, artifacts: {} },
    });
  });

  it('reads the Maestro shape, unwrapping param objects to their evaluated value', () => {
    const text = JSON.stringify({
      params: {
        plain: 5,
        evaluated: { type: 'LONG', value: 1, evaluated_result: 2 },
        typed: { type: 'STRING', value: 'hi' },
        map: { value: 1, other: 2 },
      },
      artifacts: { maestro_retry: { type: 'RETRY', retryable: false } },
    });
    expect(parseStepOutput(text, 'here')).toEqual({
      ok: true,
      value: {
        outputs: { plain: 5, evaluated: 2, typed: 'hi', map: { value: 1, other: 2 } },
        artifacts: { maestro_retry: { type: 'RETRY', retryable: false } },
      },
    });
  });

  it('treats blank text as no output', () => {
    expect(parseStepOutput('  \n', 'here')).toEqual({ ok: true, value: { outputs: {}, artifacts: {} } });
  });

  it('says where invalid JSON came from', () => {
    const result = parseStepOutput('{"a": ', 'the $BATON_OUTPUT file (/tmp/o.json)');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(
      /^invalid output JSON in the \$BATON_OUTPUT file \(\/tmp\/o\.json\): /,
    );
  });

  it.each([['[1]'], ['"text"'], ['{"params": [1]}'], ['{"artifacts": 3}']])('rejects %s', (text) => {
    expect(parseStepOutput(text, 'here').ok).toBe(false);
  });

  it('keeps an output named __proto__ as an ordinary output', () => {
    const result = parseStepOutput('{"params": {"__proto__": 1}}', 'here');
    expect(result.ok && Object.keys(result.value.outputs)).toEqual(['__proto__']);
  });
});

describe('mergeStepOutputs', () => {
  it('lets later sources win per name', () => {
    const merged = mergeStepOutputs([
      { outputs: { a: 1, b: 1 }, artifacts: { x: 1 } },
      { outputs: { b: 2 }, artifacts: { y: 2 } },
    ]);
    expect(merged).toEqual({ outputs: { a: 1, b: 2 }, artifacts: { x: 1, y: 2 } });
  });
});
