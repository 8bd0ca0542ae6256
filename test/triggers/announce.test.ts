// The announce path every signal source shares: validation with every problem at once, nothing stored for a bad
// announcement, idempotence by instance id, and the scheduler's work item in the same transaction.
import { afterEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/engine/clock.js';
import { ValidationError } from '../../src/model/errors.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { createSignalAnnouncer, derivedInstanceId } from '../../src/signals/announce.js';

let store: Store | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

async function announcer() {
  const clock = new FakeClock();
  store = await openSqliteStore({ clock }, { path: ':memory:' });
  return { clock, store, announcer: createSignalAnnouncer({ store, clock }) };
}

async function issuesOf(promise: Promise<unknown>) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).issues.map((i) => [i.path.join('.'), i.message]);
}

describe('announcing a signal', () => {
  it('stores it with a seq per name, the request time given or now, and queues its match', async () => {
    const { clock, store, announcer: a } = await announcer();
    const first = await a.announce({ name: 'db/table', params: { p: 'x', n: 5 }, payload: { note: 'hi' } });
    expect(first).toEqual({
      status: 'CREATED',
      signal: {
        name: 'db/table',
        seq_id: 1,
        instance_id: derivedInstanceId('db/table', { n: 5, p: 'x' }),
        params: { p: 'x', n: 5 },
        payload: { note: 'hi' },
        request_time: clock.now(),
        create_time: clock.now(),
      },
    });
    const second = await a.announce({ name: 'db/table', request_time: 1234, request_id: 'r2' });
    expect(second.signal).toMatchObject({ seq_id: 2, instance_id: 'r2', request_time: 1234, params: {} });
    const items = await store.transact((tx) => tx.claim('me', clock.now(), 1000, 10, ['signal']));
    expect(items.map((i) => i.payload)).toEqual([
      { name: 'db/table', seq_id: 1 },
      { name: 'db/table', seq_id: 2 },
    ]);
  });

  it('is idempotent: the same name and params (any key order), or the same request id, are DUPLICATED', async () => {
    const { clock, store, announcer: a } = await announcer();
    const first = await a.announce({ name: 's', params: { a: 1, b: 'two' } });
    const again = await a.announce({ name: 's', params: { b: 'two', a: 1 }, payload: { other: true } });
    expect(again).toEqual({ status: 'DUPLICATED', signal: first.signal });
    await a.announce({ name: 's', request_id: 'r' });
    expect((await a.announce({ name: 's', request_id: 'r', params: { x: 1 } })).status).toBe('DUPLICATED');
    // a duplicate queues no second match
    const items = await store.transact((tx) => tx.claim('me', clock.now(), 1000, 10, ['signal']));
    expect(items).toHaveLength(2);
  });

  it('refuses a bad announcement with every problem and where it is, storing nothing', async () => {
    const { store, announcer: a } = await announcer();
    expect(
      await issuesOf(
        a.announce({
          name: '',
          params: { ok: 'x', frac: 1.5, big: 2 ** 60, obj: { a: 1 } as never, '': 'empty', ['\u0001']: 1 },
          payload: [] as never,
          request_id: 'x'.repeat(200),
          request_time: -1,
        }),
      ),
    ).toEqual([
      ['name', 'the signal name must not be empty'],
      ['params.frac', "param 'frac' a LONG value must be a whole number from -(2^53-1) to 2^53-1, not 1.5"],
      [
        'params.big',
        `param 'big' a LONG value must be a whole number from -(2^53-1) to 2^53-1, not ${2 ** 60}`,
      ],
      ['params.obj', "param 'obj' must be a string (STRING) or a whole number (LONG), not an object"],
      ['params.', "param name '' must not be empty"],
      ['params.\u0001', "param name '\u0001' must not contain control characters"],
      ['payload', 'payload must be an object, not an array'],
      ['request_id', 'request_id must be at most 128 characters, not 200'],
      ['request_time', 'request_time must be epoch milliseconds (a whole number ≥ 0)'],
    ]);
    expect(await issuesOf(a.announce(null as never))).toEqual([['', 'a signal must be an object, not null']]);
    expect(await issuesOf(a.announce({ name: 'x'.repeat(257) }))).toEqual([
      ['name', 'the signal name must be at most 256 characters, not 257'],
    ]);
    expect(await issuesOf(a.announce({ name: 's', params: { s: 'v'.repeat(1025) } }))).toEqual([
      ['params.s', "param 's' a STRING value must be at most 1024 characters, not 1025"],
    ]);
    // What a store could not keep: NUL in text, and an indexed value too long in bytes
    expect(
      await issuesOf(
        a.announce({
          name: 's',
          params: { nul: 'a\u0000b', wide: '😀'.repeat(300) },
          payload: { x: 'c\u0000' },
        }),
      ),
    ).toEqual([
      ['params.nul', "param 'nul' a STRING value cannot hold the NUL character (\\u0000)"],
      ['params.wide', "param 'wide' a STRING value must be at most 1024 bytes in UTF-8, not 1200"],
      ['payload', 'payload cannot hold the NUL character (\\u0000) in a string'],
    ]);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, i]));
    expect(await issuesOf(a.announce({ name: 's', params: many }))).toEqual([
      ['params', 'a signal has at most 64 params, not 65'],
    ]);
    expect(await issuesOf(a.announce({ name: 's', payload: { big: 'x'.repeat(70_000) } }))).toEqual([
      ['payload', 'payload must be at most 65536 characters of JSON, not 70010'],
    ]);
    expect(await store.transact((tx) => tx.latestSignalSeq('s'))).toBe(0);
    expect(await store.transact((tx) => tx.latestSignalSeq(''))).toBe(0);
  });
});
