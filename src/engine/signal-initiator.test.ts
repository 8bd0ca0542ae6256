import { describe, expect, it } from 'vitest';
import { signalFactsOf, withSignal } from './signal-initiator.js';

describe('a SIGNAL initiator as the run reads it', () => {
  it('gives the trigger params as plain values and the instances params by signal name', () => {
    const initiator = {
      type: 'SIGNAL',
      trigger_uuid: 'u',
      signal_id_map: { a: 3 },
      params: { foo: { type: 'STRING', value: 'bar' } },
      signal_params: { a: { watermark: 12345, by: 'ann' } },
    };
    expect(signalFactsOf(initiator)).toEqual({
      params: { foo: 'bar' },
      signals: { a: { watermark: 12345, by: 'ann' } },
    });
  });

  it('is nothing for other initiators, and empty for a SIGNAL initiator without params', () => {
    expect(withSignal({ type: 'MANUAL' })).toEqual({});
    expect(signalFactsOf({ type: 'SIGNAL', signal_params: 'broken' })).toEqual({ params: {}, signals: {} });
  });
});
