import { describe, expect, it } from 'vitest';
import type { Effect } from '../../src/engine/events.js';
import { runHarness, workflowOf } from './harness.js';

const dependency = (name: string, match: Record<string, [unknown, string, string?]> = {}) => ({
  name,
  match_params: Object.fromEntries(
    Object.entries(match).map(([p, [value, operator, type]]) => [
      p,
      { param: { value, type: type ?? (typeof value === 'number' ? 'LONG' : 'STRING') }, operator },
    ]),
  ),
});

const effectsOf = <T extends Effect['type']>(effects: readonly Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

/** `a` waits for two signals, then `b` runs. */
function twoSignals() {
  return runHarness(
    workflowOf(
      [
        [
          'a',
          'NoOp',
          { b: 'true' },
          {
            signal_dependencies: [
              dependency('db/${table}', { date: ['${day}', '='] }),
              dependency('ready', { n: [5, '>='] }),
            ],
            params: { got: { type: 'STRING', expression: "params.getFromSignalDependency('0', 'date')" } },
          },
        ],
        ['b', 'NoOp'],
      ],
      { params: { table: { type: 'STRING', value: 'orders' }, day: { type: 'STRING', value: '20240101' } } },
    ),
  );
}

describe('decide: step signal dependencies', () => {
  it('waits in WAITING_FOR_SIGNALS with its dependencies evaluated, and asks for the waits', () => {
    const h = twoSignals();
    const d = h.send({ type: 'start' });
    expect(h.status('a')).toBe('WAITING_FOR_SIGNALS');
    expect(h.step('a')!.signal_dependencies).toEqual([
      { name: 'db/orders', status: 'PENDING', match_params: { date: { value: '20240101', operator: '=' } } },
      { name: 'ready', status: 'PENDING', match_params: { n: { value: 5, operator: '>=' } } },
    ]);
    expect(effectsOf(d.effects, 'await_signals')).toEqual([
      {
        type: 'await_signals',
        step_id: 'a',
        attempt: 1,
        waits: [
          {
            dependency: 0,
            name: 'db/orders',
            constraints: [{ param: 'date', operator: '=', value: '20240101' }],
          },
          { dependency: 1, name: 'ready', constraints: [{ param: 'n', operator: '>=', value: 5 }] },
        ],
      },
    ]);
    expect(effectsOf(d.effects, 'run_step')).toEqual([]);
  });

  it('goes on once every dependency is matched, its params reading the matched signals', () => {
    const h = twoSignals();
    h.send({ type: 'start' });
    const first = h.send({
      type: 'signals_matched',
      step_id: 'a',
      attempt: 1,
      matches: [{ dependency: 0, signal_id: 3, params: { date: '20240101', extra: 'x' } }],
    });
    expect(h.status('a')).toBe('WAITING_FOR_SIGNALS');
    expect(effectsOf(first.effects, 'drop_signal_waits')).toEqual([]);
    // a second delivery of the same match changes nothing
    expect(
      h.send({
        type: 'signals_matched',
        step_id: 'a',
        attempt: 1,
        matches: [{ dependency: 0, signal_id: 4, params: { date: '20240101' } }],
      }).changed,
    ).toBe(false);
    const last = h.send({
      type: 'signals_matched',
      step_id: 'a',
      attempt: 1,
      matches: [{ dependency: 1, signal_id: 9, params: { n: 7 } }],
    });
    expect(h.status('a')).toBe('RUNNING');
    expect(h.plainParams('a')).toEqual({ got: '20240101' });
    expect(h.step('a')!.signal_dependencies!.map((d) => [d.status, d.signal_id])).toEqual([
      ['MATCHED', 3],
      ['MATCHED', 9],
    ]);
    expect(effectsOf(last.effects, 'drop_signal_waits')).toEqual([
      { type: 'drop_signal_waits', step_id: 'a', attempt: 1 },
    ]);
    h.result('a', { state: 'done' });
    expect(h.status('b')).toBe('RUNNING');
  });

  it('ignores a match for another attempt or a step not waiting', () => {
    const h = twoSignals();
    h.send({ type: 'start' });
    const m = { dependency: 0, signal_id: 1, params: { date: '20240101' } };
    expect(h.send({ type: 'signals_matched', step_id: 'a', attempt: 2, matches: [m] }).changed).toBe(false);
    expect(h.send({ type: 'signals_matched', step_id: 'b', attempt: 1, matches: [m] }).changed).toBe(false);
  });

  it('bypass skips the pending dependencies and goes on; it is refused when the step does not wait', () => {
    const h = twoSignals();
    h.send({ type: 'start' });
    h.send({
      type: 'signals_matched',
      step_id: 'a',
      attempt: 1,
      matches: [{ dependency: 0, signal_id: 3, params: { date: '20240101' } }],
    });
    const d = h.send({ type: 'action', action: 'BYPASS_STEP_DEPENDENCIES', step_id: 'a' });
    expect(h.step('a')!.signal_dependencies!.map((x) => x.status)).toEqual(['MATCHED', 'SKIPPED']);
    expect(h.status('a')).toBe('RUNNING');
    expect(effectsOf(d.effects, 'drop_signal_waits')).toHaveLength(1);
    const again = h.send({ type: 'action', action: 'BYPASS_STEP_DEPENDENCIES', step_id: 'a' });
    expect(again.refused).toBe('it is RUNNING');
  });

  it('stop, skip and the run stopping end a waiting step and drop its waits', () => {
    for (const action of ['STOP', 'SKIP'] as const) {
      const h = twoSignals();
      h.send({ type: 'start' });
      const d = h.send({ type: 'action', action, step_id: 'a' });
      expect(h.status('a')).toBe(action === 'STOP' ? 'STOPPED' : 'SKIPPED');
      expect(effectsOf(d.effects, 'drop_signal_waits')).toEqual([
        { type: 'drop_signal_waits', step_id: 'a', attempt: 1 },
      ]);
    }
    const h = twoSignals();
    h.send({ type: 'start' });
    const d = h.send({ type: 'action', action: 'STOP' });
    expect(h.run.status).toBe('STOPPED');
    expect(effectsOf(d.effects, 'drop_signal_waits')).toHaveLength(1);
  });

  it('fails the step with a clear message when a dependency cannot be evaluated', () => {
    const h = runHarness(
      workflowOf([['a', 'NoOp', {}, { signal_dependencies: [dependency('t', { x: ['${missing}', '='] })] }]]),
    );
    h.send({ type: 'start' });
    expect(h.status('a')).toBe('INTERNALLY_FAILED');
    expect(h.step('a')!.message).toMatch(/^signal_dependencies\[0\] \('t'\): .*missing/);
  });

  it('a new attempt keeps what was matched or bypassed: a retry does not wait again', () => {
    const h = runHarness(
      workflowOf([
        [
          'a',
          'Sleep',
          {},
          {
            signal_dependencies: [dependency('t')],
            retry_policy: {
              error_retry_limit: 1,
              backoff: { type: 'FIXED_BACKOFF', error_retry_backoff_in_secs: 1 },
            },
          },
        ],
      ]),
    );
    h.send({ type: 'start' });
    h.send({ type: 'action', action: 'BYPASS_STEP_DEPENDENCIES', step_id: 'a' });
    h.result('a', { state: 'user_error', message: 'boom' });
    h.advance(1000);
    h.send({ type: 'retry', step_id: 'a', attempt: 1 });
    expect(h.step('a')!.attempt).toBe(2);
    expect(h.status('a')).toBe('RUNNING');
    expect(h.step('a')!.signal_dependencies).toEqual([{ name: 't', status: 'SKIPPED' }]);
  });
});

describe('decide: step signal outputs', () => {
  const outputs = workflowOf(
    [
      [
        'a',
        'Titus',
        { b: 'true' },
        {
          params: { day: { type: 'STRING', value: '20240101' } },
          signal_outputs: [
            {
              name: 'table/${day}',
              params: { day: { type: 'STRING', expression: 'day' }, rows: { type: 'LONG', value: 10 } },
              payload: { note: { type: 'STRING', value: 'by ${author}' } },
            },
          ],
        },
      ],
      ['b', 'NoOp'],
    ],
    { params: { author: { type: 'STRING', value: 'ann' } } },
  );

  it('evaluates static and dynamic outputs when the step succeeds and asks for them to be announced', () => {
    const h = runHarness(outputs);
    h.send({ type: 'start' });
    const d = h.result('a', {
      state: 'done',
      outputs: { signal_outputs: [{ name: 'dyn', k: 'v', n: 2, payload: { why: 'because' } }] },
    });
    const signals = [
      { name: 'table/20240101', params: { day: '20240101', rows: 10 }, payload: { note: 'by ann' } },
      { name: 'dyn', params: { k: 'v', n: 2 }, payload: { why: 'because' } },
    ];
    expect(h.status('a')).toBe('SUCCEEDED');
    expect(h.step('a')!.signal_outputs).toEqual(signals);
    expect(effectsOf(d.effects, 'announce_signals')).toEqual([
      { type: 'announce_signals', step_id: 'a', attempt: 1, step_instance_id: 1, signals },
    ]);
  });

  it('fails the step with a clear message when an output is bad, and announces nothing', () => {
    const h = runHarness(outputs);
    h.send({ type: 'start' });
    const d = h.result('a', { state: 'done', outputs: { signal_outputs: [{ name: 'dyn', bad: 1.5 }] } });
    expect(h.status('a')).toBe('INTERNALLY_FAILED');
    expect(h.step('a')!.message).toBe(
      "the output param signal_outputs[0]: signal 'dyn': param 'bad' is 1.5; a signal param is a string or an integer",
    );
    expect(effectsOf(d.effects, 'announce_signals')).toEqual([]);
    expect(h.status('b')).toBe('NOT_CREATED');
  });

  it('fails the step when an output is larger than a signal may be', () => {
    const h = runHarness(outputs);
    h.send({ type: 'start' });
    h.result('a', { state: 'done', outputs: { signal_outputs: [{ name: 'big', text: 'x'.repeat(1025) }] } });
    expect(h.status('a')).toBe('INTERNALLY_FAILED');
    expect(h.step('a')!.message).toBe(
      "signal output 'big': param 'text' a STRING value must be at most 1024 characters, not 1025",
    );
  });

  it('announces nothing for a step that did not succeed', () => {
    const h = runHarness(outputs);
    h.send({ type: 'start' });
    const d = h.send({ type: 'action', action: 'SKIP', step_id: 'a' });
    expect(effectsOf(d.effects, 'announce_signals')).toEqual([]);
  });
});
