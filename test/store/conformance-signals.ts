import { describe, expect, it } from 'vitest';
import type { SignalParamValue } from '../../src/model/signal.js';
import type { NewSignal, SignalConstraint, StoreTx } from '../../src/store/port.js';
import { inTx, T0, type GetStore } from './fixtures.js';

function newSignal(overrides: Partial<NewSignal> = {}): NewSignal {
  return {
    name: 'sig',
    instance_id: 'i1',
    params: {},
    payload: {},
    request_time: T0 - 5,
    create_time: T0,
    ...overrides,
  };
}

/** Announces one signal per params object, instance ids i1, i2, … */
async function announceAll(
  tx: StoreTx,
  name: string,
  list: readonly Record<string, SignalParamValue>[],
): Promise<void> {
  for (const [n, params] of list.entries())
    await tx.announceSignal(newSignal({ name, instance_id: `i${n + 1}`, params }));
}

async function seqOf(
  store: GetStore,
  name: string,
  constraints: readonly SignalConstraint[],
  after = 0,
): Promise<number | undefined> {
  return (await inTx(store, (tx) => tx.findSignal(name, constraints, after)))?.seq_id;
}

export function signalConformance(store: GetStore): void {
  describe('signals', () => {
    announcing(store);
    reading(store);
    finding(store);
    subscriptions(store);
  });
}

function announcing(store: GetStore): void {
  it('numbers the instances of each name from 1 and stores params and payload as given', async () => {
    const params = { foo: 'bat', watermark: 12345, neg: -3 };
    const payload = { note: 'hello', nested: { list: [1, 'two', null] } };
    const first = await inTx(store, (tx) => tx.announceSignal(newSignal({ params, payload })));
    expect(first).toEqual({ status: 'CREATED', signal: { ...newSignal({ params, payload }), seq_id: 1 } });
    const other = await inTx(store, (tx) => tx.announceSignal(newSignal({ name: 'other' })));
    const second = await inTx(store, (tx) => tx.announceSignal(newSignal({ instance_id: 'i2' })));
    expect([other.signal.seq_id, second.signal.seq_id]).toEqual([1, 2]);
    expect(await inTx(store, (tx) => tx.getSignal('sig', 1))).toEqual(first.signal);
  });

  it('answers a repeated instance id with the stored instance, writing nothing', async () => {
    const first = await inTx(store, (tx) => tx.announceSignal(newSignal({ params: { a: 1 } })));
    const again = await inTx(store, (tx) =>
      tx.announceSignal(newSignal({ params: { a: 2 }, create_time: T0 + 9 })),
    );
    expect(again).toEqual({ status: 'DUPLICATED', signal: first.signal });
    expect(await inTx(store, (tx) => tx.latestSignalSeq('sig'))).toBe(1);
    expect(
      await inTx(store, (tx) => tx.findSignal('sig', [{ param: 'a', operator: '=', value: 2 }], 0)),
    ).toBe(undefined);
    // The same instance id under another name is another signal.
    const elsewhere = await inTx(store, (tx) => tx.announceSignal(newSignal({ name: 'sig2' })));
    expect(elsewhere.status).toBe('CREATED');
  });

  it('keeps nothing of an announcement whose transaction fails', async () => {
    await expect(
      inTx(store, async (tx) => {
        await tx.announceSignal(newSignal({ params: { a: 1 } }));
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await inTx(store, (tx) => tx.latestSignalSeq('sig'))).toBe(0);
    const again = await inTx(store, (tx) => tx.announceSignal(newSignal({ params: { a: 1 } })));
    expect(again).toMatchObject({ status: 'CREATED', signal: { seq_id: 1 } });
  });
}

function reading(store: GetStore): void {
  it('reads an instance by seq or the latest, and the last seq of a name', async () => {
    await inTx(store, (tx) => announceAll(tx, 'sig', [{ n: 1 }, { n: 2 }, { n: 3 }]));
    expect((await inTx(store, (tx) => tx.getSignal('sig', 'latest')))?.params).toEqual({ n: 3 });
    expect((await inTx(store, (tx) => tx.getSignal('sig', 2)))?.instance_id).toBe('i2');
    expect(await inTx(store, (tx) => tx.getSignal('sig', 4))).toBeUndefined();
    expect(await inTx(store, (tx) => tx.getSignal('none', 'latest'))).toBeUndefined();
    expect(await inTx(store, (tx) => tx.latestSignalSeq('sig'))).toBe(3);
    expect(await inTx(store, (tx) => tx.latestSignalSeq('none'))).toBe(0);
  });

  it('locks names and gives their last seq, 0 for a name never announced', async () => {
    await inTx(store, (tx) => announceAll(tx, 'b', [{}, {}]));
    expect(await inTx(store, (tx) => tx.lockSignalNames(['b', 'a', 'b']))).toEqual({ a: 0, b: 2 });
    expect(await inTx(store, (tx) => tx.lockSignalNames([]))).toEqual({});
    // A locked (registered) name still numbers its first signal 1.
    const first = await inTx(store, (tx) => tx.announceSignal(newSignal({ name: 'a' })));
    expect(first.signal.seq_id).toBe(1);
  });

  it('lists a name’s instances newest first, a page at a time both ways', async () => {
    await inTx(store, (tx) => announceAll(tx, 'sig', [{}, {}, {}, {}, {}]));
    await inTx(store, (tx) => announceAll(tx, 'other', [{}]));
    const seqs = (rows: readonly { seq_id: number }[]): number[] => rows.map((r) => r.seq_id);
    const page1 = await inTx(store, (tx) => tx.listSignals('sig', { first: 2 }));
    expect([seqs(page1.rows), page1.hasMore]).toEqual([[5, 4], true]);
    const page3 = await inTx(store, (tx) => tx.listSignals('sig', { first: 2, after: 2 }));
    expect([seqs(page3.rows), page3.hasMore]).toEqual([[1], false]);
    const back = await inTx(store, (tx) => tx.listSignals('sig', { last: 2, before: 3 }));
    expect([seqs(back.rows), back.hasMore]).toEqual([[5, 4], false]);
    expect((await inTx(store, (tx) => tx.listSignals('none', { first: 5 }))).rows).toEqual([]);
  });
}

function finding(store: GetStore): void {
  const seed = (tx: StoreTx): Promise<void> =>
    announceAll(tx, 'sig', [
      { foo: 'bat', watermark: 100, by: 'ann' }, // 1
      { foo: 'baz', watermark: 200, by: 'bob' }, // 2
      { foo: 'bat', watermark: 300, by: 'bob' }, // 3
      { foo: 'bat', watermark: '400', by: 'ann' }, // 4: watermark as a string
      { other: 1 }, // 5
    ]);

  it('finds the earliest instance after a seq, with no constraints', async () => {
    await inTx(store, seed);
    expect(await seqOf(store, 'sig', [])).toBe(1);
    expect(await seqOf(store, 'sig', [], 3)).toBe(4);
    expect(await seqOf(store, 'sig', [], 5)).toBeUndefined();
    expect(await seqOf(store, 'none', [])).toBeUndefined();
  });

  it('matches every operator, numbers numerically and strings as text', async () => {
    await inTx(store, seed);
    const w = (operator: SignalConstraint['operator'], value: number | string): SignalConstraint => ({
      param: 'watermark',
      operator,
      value,
    });
    expect(await seqOf(store, 'sig', [w('=', 200)])).toBe(2);
    expect(await seqOf(store, 'sig', [w('>', 100)])).toBe(2);
    expect(await seqOf(store, 'sig', [w('>=', 300)])).toBe(3);
    expect(await seqOf(store, 'sig', [w('<', 200)])).toBe(1);
    expect(await seqOf(store, 'sig', [w('<=', 200)], 1)).toBe(2);
    expect(await seqOf(store, 'sig', [w('>', 300)])).toBeUndefined(); // '400' is a string
    // 9 < 100 numerically, but '9' > '400' as text.
    expect(await seqOf(store, 'sig', [w('>', '9')])).toBeUndefined();
    expect(await seqOf(store, 'sig', [w('<', '9')])).toBe(4);
    expect(await seqOf(store, 'sig', [{ param: 'foo', operator: '>', value: 'bau' }])).toBe(2);
  });

  it('only matches a param of the constraint’s type', async () => {
    await inTx(store, seed);
    expect(await seqOf(store, 'sig', [{ param: 'watermark', operator: '=', value: '400' }])).toBe(4);
    expect(await seqOf(store, 'sig', [{ param: 'watermark', operator: '=', value: 400 }])).toBeUndefined();
    expect(await seqOf(store, 'sig', [{ param: 'other', operator: '=', value: '1' }])).toBeUndefined();
    expect(await seqOf(store, 'sig', [{ param: 'missing', operator: '>=', value: 0 }])).toBeUndefined();
  });

  it('needs every constraint met by the same instance, after the given seq', async () => {
    await inTx(store, seed);
    const bat = { param: 'foo', operator: '=', value: 'bat' } as const;
    const bob = { param: 'by', operator: '=', value: 'bob' } as const;
    const high = { param: 'watermark', operator: '>=', value: 150 } as const;
    expect(await seqOf(store, 'sig', [bat, bob])).toBe(3);
    expect(await seqOf(store, 'sig', [high, bat])).toBe(3);
    expect(await seqOf(store, 'sig', [bat], 1)).toBe(3);
    expect(await seqOf(store, 'sig', [bat], 3)).toBe(4);
    expect(await seqOf(store, 'sig', [bat, bob], 3)).toBeUndefined();
    expect(await seqOf(store, 'sig', [high, { param: 'by', operator: '<', value: 'b' }])).toBeUndefined();
    expect(await seqOf(store, 'sig', [high, { ...bob, operator: '>=' }])).toBe(2);
  });

  it('handles unicode and large numbers as stored', async () => {
    const big = Number.MAX_SAFE_INTEGER;
    await inTx(store, (tx) =>
      announceAll(tx, 'sig/ü', [
        { k: 'é', n: -big },
        { k: 'z', n: big },
        { k: '日本', n: 0 },
      ]),
    );
    // By code point: 'z' < 'é' < '日本'.
    expect(await seqOf(store, 'sig/ü', [{ param: 'k', operator: '>', value: 'z' }])).toBe(1);
    expect(await seqOf(store, 'sig/ü', [{ param: 'k', operator: '>', value: 'é' }])).toBe(3);
    expect(await seqOf(store, 'sig/ü', [{ param: 'n', operator: '>', value: big - 1 }])).toBe(2);
    expect(await seqOf(store, 'sig/ü', [{ param: 'n', operator: '=', value: -big }])).toBe(1);
    expect((await inTx(store, (tx) => tx.getSignal('sig/ü', 2)))?.params).toEqual({ k: 'z', n: big });
  });
}

function subscriptions(store: GetStore): void {
  const trigger = (uuid: string, checkpoints: Record<string, number>) => ({
    trigger_uuid: uuid,
    definition: { definitions: Object.fromEntries(Object.keys(checkpoints).map((n) => [n, {}])) },
    checkpoints,
  });
  const keys = (name: string) => inTx(store, (tx) => tx.signalTriggersOf(name));

  it('subscribes triggers, finds them by signal name, and moves their checkpoints', async () => {
    await inTx(store, async (tx) => {
      await tx.replaceSignalTriggers('wf', [trigger('t1', { a: 3, b: 0 }), trigger('t2', { b: 5 })]);
      await tx.replaceSignalTriggers('wf2', [trigger('t1', { a: 1 })]);
    });
    expect(await keys('a')).toEqual([
      { workflow_id: 'wf', trigger_uuid: 't1' },
      { workflow_id: 'wf2', trigger_uuid: 't1' },
    ]);
    expect(await keys('b')).toEqual([
      { workflow_id: 'wf', trigger_uuid: 't1' },
      { workflow_id: 'wf', trigger_uuid: 't2' },
    ]);
    const key = { workflow_id: 'wf', trigger_uuid: 't1' };
    await inTx(store, (tx) => tx.advanceSignalTrigger(key, { b: 7 }));
    expect(await inTx(store, (tx) => tx.lockSignalTrigger(key))).toEqual({
      ...key,
      ...trigger('t1', { a: 3, b: 7 }),
    });
    expect(await inTx(store, (tx) => tx.lockSignalTrigger({ ...key, trigger_uuid: 'no' }))).toBeUndefined();
  });

  it('keeps the checkpoints of a trigger that stays and drops the ones that go', async () => {
    await inTx(store, (tx) =>
      tx.replaceSignalTriggers('wf', [trigger('t1', { a: 3 }), trigger('t2', { b: 5 })]),
    );
    await inTx(store, (tx) =>
      tx.replaceSignalTriggers('wf', [trigger('t1', { a: 9 }), trigger('t3', { c: 1 })]),
    );
    const list = await inTx(store, (tx) => tx.listSignalTriggers('wf'));
    expect(list.map((t) => [t.trigger_uuid, t.checkpoints])).toEqual([
      ['t1', { a: 3 }],
      ['t3', { c: 1 }],
    ]);
    expect(await keys('b')).toEqual([]);
    await inTx(store, (tx) => tx.replaceSignalTriggers('wf', []));
    expect(await inTx(store, (tx) => tx.listSignalTriggers('wf'))).toEqual([]);
    expect([await keys('a'), await keys('c')]).toEqual([[], []]);
  });
}
