import { describe, expect, it } from 'vitest';
import { at, MalformedMessage, readMessage, type InboundMessage } from '../../src/events/sources/mapping.js';

const message = (body: unknown, brokerId?: string): InboundMessage => ({
  body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  ...(brokerId === undefined ? {} : { brokerId }),
  details: {},
});
const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof MalformedMessage) return error.message;
    throw error;
  }
  throw new Error('no MalformedMessage');
};

describe('reading a message into a signal announcement', () => {
  it('takes the name, params, payload and request id from JSON Pointers', () => {
    const body = { kind: 'landed', t: { 'a/b': 'x', '~k': 7 }, list: ['p', 'q'], event: { id: 99 } };
    expect(
      readMessage(
        'src',
        {
          name_from: '/kind',
          params: { slash: '/t/a~1b', tilde: '/t/~0k', second: '/list/1' },
          payload: '/t',
          request_id: '/event/id',
        },
        message(body, 'b-1'),
      ),
    ).toEqual({
      name: 'landed',
      params: { slash: 'x', tilde: 7, second: 'q' },
      payload: { 'a/b': 'x', '~k': 7 },
      request_id: '99',
    });
  });

  it('uses the broker id, prefixed by the source, when the mapping names no request id; none without one', () => {
    expect(readMessage('src', { name: 'n' }, message({ a: 1 }, 'b-1'))).toEqual({
      name: 'n',
      payload: { a: 1 },
      request_id: 'src:b-1',
    });
    expect(readMessage('src', { name: 'n' }, message({}))).toEqual({ name: 'n', payload: {} });
  });

  it('says what is wrong with a message, and where', () => {
    const read = (body: unknown, mapping: Parameters<typeof readMessage>[1]) => () =>
      readMessage('src', mapping, message(body));
    expect(reason(read(Buffer.from([0xff, 0xfe]), { name: 'n' }))).toBe('the message is not UTF-8 text');
    expect(reason(read('[1]', { name: 'n' }))).toBe('the message is JSON but not an object (it is an array)');
    expect(reason(read({ kind: '' }, { name_from: '/kind' }))).toBe(
      'the signal name at /kind is an empty string, not a non-empty string',
    );
    expect(reason(read({ n: 2 ** 60 }, { name: 'n', params: { n: '/n' } }))).toBe(
      "param 'n': the value at /n is the number 1152921504606847000 (too large); it must be a string or a safe integer",
    );
    expect(reason(read({ n: true }, { name: 'n', params: { n: '/n' } }))).toMatch(/is a boolean;/);
    expect(reason(read({ list: [1] }, { name: 'n', params: { n: '/list/01' } }))).toBe(
      "param 'n': the message has nothing at /list/01",
    );
    expect(reason(read({ d: [1] }, { name: 'n', payload: '/d' }))).toBe(
      'the payload at /d is an array; it must be an object',
    );
    expect(reason(read({ id: null }, { name: 'n', request_id: '/id' }))).toBe(
      'the request id: the value at /id is null; it must be a string or a safe integer',
    );
  });

  it('reads no inherited keys through a pointer', () => {
    expect(at({ a: {} }, '/a/constructor')).toBeUndefined();
    expect(at({ a: 'text' }, '/a/0')).toBeUndefined();
  });
});
