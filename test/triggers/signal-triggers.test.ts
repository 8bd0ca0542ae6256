// Signal triggers through the engine on a real store (SQLite, and PostgreSQL when BATON_TEST_PG_URL is set), on the
// fake clock: subscriptions follow the active version, each matched set of signals starts one run.
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonObject } from '../../src/model/json.js';
import { STORES, triggerBench, until, type TriggerBench } from './support.js';

const benches: TriggerBench[] = [];
afterEach(async () => {
  for (const b of benches.splice(0)) await b.close();
});

const noop = [{ step: { id: 'job.1', type: 'NoOp' } }];

function workflow(id: string, trigger: JsonObject, extra: JsonObject = {}): JsonObject {
  return {
    properties: { owner: 'tester' },
    workflow: { id, signal_triggers: [trigger], steps: noop, ...extra },
  };
}

/** Two signals joined on one key each, with a match param on `a`. */
const joined = (more: JsonObject = {}): JsonObject => ({
  definitions: {
    a: {
      match_params: { kind: { value: 'x', operator: '=' }, w: { value: 10, operator: '>=' } },
      join_keys: ['k'],
    },
    b: { join_keys: ['j'] },
  },
  ...more,
});

describe.each(STORES)('signal triggers on %s', (_name, openStore) => {
  async function bench(): Promise<TriggerBench> {
    const b = await triggerBench(openStore);
    benches.push(b);
    return b;
  }

  it('starts one run per matched set, joined on the keys, with a SIGNAL initiator', async () => {
    const b = await bench();
    await b.push(workflow('wf', joined({ params: { foo: { value: 'bar', type: 'STRING' } } })));
    const [sub] = await b.store.transact((tx) => tx.listSignalTriggers('wf'));
    const a1 = await b.announce({ name: 'a', params: { kind: 'x', w: 10, k: 'ann' } });
    expect(await b.runs('wf')).toHaveLength(0); // b has not come yet
    await b.announce({ name: 'b', params: { j: 'bob' } }); // joins nothing
    const b2 = await b.announce({ name: 'b', params: { j: 'ann' } });
    const runs = await b.runs('wf');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.initiator).toEqual({
      type: 'SIGNAL',
      trigger_uuid: sub!.trigger_uuid,
      signal_id_map: { a: a1, b: b2 },
      params: { foo: expect.objectContaining({ type: 'STRING', value: 'bar' }) },
      signal_params: { a: { kind: 'x', w: 10, k: 'ann' }, b: { j: 'ann' } },
    });
    // The checkpoint of `b` is now 2: b#1 (bob), older than the instance consumed, is passed over for good
    // (REFERENCE §7.2: only instances after the checkpoint count), so an `a` for bob starts nothing; nor does a
    // second `a` for ann until a new `b` comes.
    await b.announce({ name: 'a', params: { kind: 'x', w: 11, k: 'bob' } });
    await b.announce({ name: 'a', params: { kind: 'x', w: 12, k: 'ann' } });
    expect(await b.runs('wf')).toHaveLength(1);
    const b3 = await b.announce({ name: 'b', params: { j: 'ann' }, request_id: 'third' });
    expect((await b.runs('wf')).map((r) => r.initiator['signal_id_map'])).toEqual([
      { a: a1, b: b2 },
      { a: 3, b: b3 },
    ]);
  });

  it('matches params by operator and type: a string never meets a number', async () => {
    const b = await bench();
    await b.push(workflow('wf', joined()));
    await b.announce({ name: 'b', params: { j: 'ann' } });
    await b.announce({ name: 'a', params: { kind: 'x', w: 9, k: 'ann' } }); // w < 10
    await b.announce({ name: 'a', params: { kind: 'x', w: '99', k: 'ann' } }); // w is a STRING
    await b.announce({ name: 'a', params: { kind: 'y', w: 99, k: 'ann' } });
    await b.announce({ name: 'a', params: { w: 99, k: 'ann' } }); // no kind
    expect(await b.runs('wf')).toHaveLength(0);
    await b.announce({ name: 'a', params: { kind: 'x', w: 99, k: 'ann' } });
    expect(await b.runs('wf')).toHaveLength(1);
  });

  it('counts only signals announced after the subscription', async () => {
    const b = await bench();
    await b.announce({ name: 'a', params: { kind: 'x', w: 10, k: 'ann' } });
    await b.push(workflow('wf', joined()));
    await b.announce({ name: 'b', params: { j: 'ann' } });
    expect(await b.runs('wf')).toHaveLength(0);
    await b.announce({ name: 'a', params: { kind: 'x', w: 10, k: 'ann', n: 2 } });
    expect(await b.runs('wf')).toHaveLength(1);
  });

  it('consumes the signals without a run when the condition is false', async () => {
    const b = await bench();
    await b.push(workflow('wf', joined({ condition: '1 > 2' })));
    await b.announce({ name: 'a', params: { kind: 'x', w: 10, k: 'ann' } });
    await b.announce({ name: 'b', params: { j: 'ann' } });
    await b.announce({ name: 'b', params: { j: 'ann', n: 2 } }); // the `a` was consumed: nothing to join
    expect(await b.runs('wf')).toHaveLength(0);
    const [sub] = await b.store.transact((tx) => tx.listSignalTriggers('wf'));
    expect(sub!.checkpoints).toEqual({ a: 1, b: 1 });
  });

  it('starts one run for matches whose dedup_expr gives the same id', async () => {
    const b = await bench();
    await b.push(workflow('wf', { definitions: { a: {} }, dedup_expr: "return 'same';" }));
    await b.announce({ name: 'a', params: { n: 1 } });
    await b.announce({ name: 'a', params: { n: 2 } });
    expect(await b.runs('wf')).toHaveLength(1);
    const [sub] = await b.store.transact((tx) => tx.listSignalTriggers('wf'));
    expect(sub!.checkpoints).toEqual({ a: 2 }); // both consumed
  });

  it('fires each signal instance once, however often its item is handled', async () => {
    const b = await bench();
    await b.push(workflow('wf', { definitions: { a: {} } }));
    const seq = await b.announce({ name: 'a', params: { n: 1 } });
    const { matchSignal } = await import('../../src/triggers/signal-matcher.js');
    const { createEngineEvaluator } = await import('../../src/engine/param-evaluator.js');
    const deps = { clock: b.clock, evaluator: createEngineEvaluator() };
    await matchSignal(b.store, b.engine, { name: 'a', seq_id: seq }, deps);
    await matchSignal(b.store, b.engine, { name: 'a', seq_id: seq }, deps);
    expect(await b.runs('wf')).toHaveLength(1);
    // A repeated announcement is DUPLICATED and adds nothing to match.
    expect((await b.announcer.announce({ name: 'a', params: { n: 1 } })).status).toBe('DUPLICATED');
  });

  it('takes the items of a name in any order as if handled in seq order: no matched set is passed over', async () => {
    const b = await bench();
    await b.push(workflow('wf', { definitions: { a: { join_keys: ['k'] }, b: { join_keys: ['k'] } } }));
    for (const k of [0, 1]) {
      await b.announcer.announce({ name: 'a', params: { k } });
      await b.announcer.announce({ name: 'b', params: { k } });
    }
    const { matchSignal } = await import('../../src/triggers/signal-matcher.js');
    const { createEngineEvaluator } = await import('../../src/engine/param-evaluator.js');
    const deps = { clock: b.clock, evaluator: createEngineEvaluator() };
    // Two schedulers may handle b#2 before b#1: set 0 must not be skipped by set 1's consumption.
    await matchSignal(b.store, b.engine, { name: 'b', seq_id: 2 }, deps);
    await matchSignal(b.store, b.engine, { name: 'b', seq_id: 1 }, deps);
    await matchSignal(b.store, b.engine, { name: 'a', seq_id: 2 }, deps);
    expect((await b.runs('wf')).map((r) => r.initiator['signal_id_map'])).toEqual([
      { a: 1, b: 1 },
      { a: 2, b: 2 },
    ]);
  });

  it('follows the active version: deactivated, disabled or deleted workflows have no subscription', async () => {
    const b = await bench();
    const subs = () => b.store.transact((tx) => tx.listSignalTriggers('wf'));
    await b.push(workflow('wf', { definitions: { a: {} } }));
    await b.announce({ name: 'a' });
    const [first] = await subs();
    expect(first!.checkpoints).toEqual({ a: 1 });
    await b.engine.changeWorkflow('wf', (tx) => tx.deactivateWorkflow('wf', 'tester', b.clock.now()));
    expect(await subs()).toEqual([]);
    await b.announce({ name: 'a', params: { n: 2 } }); // while inactive: never counts
    await b.engine.changeWorkflow('wf', (tx) => tx.activateVersion('wf', 1, 'tester', b.clock.now()));
    expect((await subs())[0]!.checkpoints).toEqual({ a: 2 });
    await b.engine.changeWorkflow('wf', (tx) =>
      tx.updateProperties('wf', { signal_trigger_disabled: true }, 'tester', b.clock.now()),
    );
    expect(await subs()).toEqual([]);
    await b.engine.changeWorkflow('wf', (tx) =>
      tx.updateProperties('wf', { signal_trigger_disabled: false }, 'tester', b.clock.now()),
    );
    expect(await subs()).toHaveLength(1);
    await b.engine.deleteWorkflow('wf');
    expect(await subs()).toEqual([]);
    expect(await b.store.transact((tx) => tx.signalTriggersOf('a'))).toEqual([]);
    expect(await b.runs('wf')).toHaveLength(0);
  });

  it('keeps the checkpoints of a trigger that a new version keeps', async () => {
    const b = await bench();
    await b.push(workflow('wf', joined()));
    await b.announce({ name: 'a', params: { kind: 'x', w: 10, k: 'ann' } });
    await b.push(workflow('wf', joined(), { description: 'v2' }));
    await b.announce({ name: 'b', params: { j: 'ann' } });
    expect(await b.runs('wf')).toHaveLength(1); // the `a` announced under v1 still counts
    await b.push(workflow('wf', joined({ condition: 'true' })));
    const [sub] = await b.store.transact((tx) => tx.listSignalTriggers('wf'));
    expect(sub!.checkpoints).toEqual({ a: 1, b: 1 }); // a new trigger: from the latest on
  });

  it('takes over the signal item of a scheduler that died holding it', async () => {
    const b = await bench();
    await b.push(workflow('wf', { definitions: { a: {} } }));
    await b.announcer.announce({ name: 'a' });
    const held = await b.store.transact((tx) => tx.claim('dead', b.clock.now(), 1000, 10, ['signal']));
    expect(held).toHaveLength(1);
    b.engine.start();
    await b.engine.startRunsIn(async () => undefined); // a round trip: the engine has looked at the queue
    expect(await b.runs('wf')).toHaveLength(0);
    // The lease runs out; the engine wakes when it does (time moves on while we look, as it would).
    await until('the run starts', async () => {
      b.clock.advance(250);
      return (await b.runs('wf')).length === 1;
    });
  });
});
