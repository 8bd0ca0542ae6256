import { describe, expect, it } from 'vitest';
import { parseDefinition } from './parse.js';
import { normalizeMapLiteral, normalizeParam } from './normalize-param.js';

describe('MAP literals', () => {
  it('keep plain nested values as literal definitions typed from their JSON', () => {
    expect(
      normalizeMapLiteral({
        source: { bucket: 'raw', port: 5432, ratio: 0.5, on: true },
        regions: ['a', 'b'],
        ids: [1, 2],
        none: null,
        empty: [],
      }),
    ).toEqual({
      source: {
        type: 'MAP',
        value: {
          bucket: { type: 'STRING', value: 'raw' },
          port: { type: 'LONG', value: 5432 },
          ratio: { type: 'DOUBLE', value: 0.5 },
          on: { type: 'BOOLEAN', value: true },
        },
      },
      regions: { type: 'STRING_ARRAY', value: ['a', 'b'] },
      ids: { type: 'LONG_ARRAY', value: [1, 2] },
      empty: { type: 'STRING_ARRAY', value: [] },
    });
  });

  it('read a map with a text type as a param definition, beside plain values', () => {
    expect(
      normalizeParam({ type: 'map', value: { image: { type: 'string', value: 'busybox' }, cpu: 2 } }),
    ).toEqual({
      type: 'MAP',
      value: { image: { type: 'STRING', value: 'busybox' }, cpu: { type: 'LONG', value: 2 } },
    });
  });

  const workflow = (settings: unknown) => ({
    properties: { owner: 'o' },
    workflow: {
      id: 'w',
      params: { settings: { type: 'MAP', value: settings } },
      steps: [{ step: { id: 's', type: 'NoOp' } }],
    },
  });

  it('validate when nested plain maps hold valid values', () => {
    expect(parseDefinition(workflow({ source: { bucket: 'raw' } })).issues).toEqual([]);
  });

  it('report an unknown type inside a MAP literal (the wire schema does not look there)', () => {
    expect(parseDefinition(workflow({ source: { type: 's3', bucket: 'raw' } })).issues).toEqual([
      expect.objectContaining({
        code: 'INVALID_VALUE',
        path: ['workflow', 'params', 'settings', 'value', 'source', 'type'],
        message: expect.stringMatching(/^param type must be one of STRING, .* not "s3"; in a MAP value/),
      }),
    ]);
  });

  it('report a list that fits no array type', () => {
    expect(parseDefinition(workflow({ rows: [{ a: 1 }] })).issues).toEqual([
      expect.objectContaining({
        code: 'PARAM_TYPE_MISMATCH',
        message: expect.stringMatching(/list of text/),
      }),
    ]);
  });
});
