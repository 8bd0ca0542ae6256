import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { parseEventsConfig } from '../../src/events/config.js';
import { startRelay, type Relay } from '../../src/events/relay.js';
import type { Store } from '../../src/store/port.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { pollUntil } from '../support/deadline.js';
import { appendEvents, expectedSequence, perRunSequences, stepEvent } from './fixtures.js';
import { freePort, Receiver } from './receiver.js';

const SECRET = 'a-webhook-secret-for-tests';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup(
  url: string,
  extra: { maxEventBytes?: number } = {},
): Promise<{ store: Store; relay: Relay; log: string[] }> {
  const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
  const config = parseEventsConfig(
    JSON.stringify({
      cluster_name: 'test-cluster',
      sinks: [{ name: 'hook', type: 'webhook', url, secret: SECRET, timeout_ms: 2000 }],
      retry: { initial_ms: 20, max_ms: 100 },
    }),
    'events.json',
    {},
  );
  const log: string[] = [];
  const relay = startRelay(
    { store, clock: systemClock, log: (l) => log.push(l) },
    { config, pollMs: 20, batchSize: 7, ...extra },
  );
  cleanup.push(async () => {
    await relay.stop();
    await store.close();
  });
  return { store, relay, log };
}

const sequences = (r: Receiver) =>
  perRunSequences(r.hits.map((h) => h.event as { workflow_instance_id: number; step_id: string }));

describe('webhook sink', () => {
  it('posts every event, signed, in order per run, in the published shape', async () => {
    const receiver = new Receiver(SECRET);
    await receiver.open();
    cleanup.push(() => receiver.close());
    const { store } = await setup(receiver.url);
    await appendEvents(store, 3, 10);
    await pollUntil(async () => receiver.hits.length >= 30, 'all 30 events received');
    for (const list of sequences(receiver).values()) expect(list).toEqual(expectedSequence(10));
    expect(receiver.hits.every((h) => h.signed)).toBe(true);
    const first = receiver.hits[0]!.event;
    expect(Object.keys(first)[0]).toBe('type');
    expect(first).toMatchObject({
      type: 'STEP_INSTANCE_STATUS_CHANGE_EVENT',
      workflow_id: 'wf',
      workflow_run_id: 1,
      step_attempt_id: 1,
      cluster_name: 'test-cluster',
      status_change_records: [{ old_status: 'NOT_CREATED', new_status: 'RUNNING' }],
    });
    expect(first['workflow_uuid']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(typeof first['sync_time']).toBe('number');
    expect(first['send_time']).toBeGreaterThanOrEqual(first['sync_time'] as number);
    // delivered events leave the store
    await pollUntil(
      async () => (await store.transact((tx) => tx.readDeliveries('hook', 10))).length === 0,
      'the queue emptied',
    );
  });

  it('holds events while the receiver is down and delivers all of them, in order, once it is up', async () => {
    const port = await freePort();
    const { store, log } = await setup(`http://127.0.0.1:${port}/events`);
    await appendEvents(store, 2, 5);
    await pollUntil(async () => log.some((l) => l.includes('not delivered (try 2)')), 'two failed tries');
    const waiting = await store.transact((tx) => tx.readDeliveries('hook', 100));
    expect(waiting).toHaveLength(10);
    expect(waiting[0]!.attempts).toBeGreaterThanOrEqual(2);
    expect(waiting[0]!.last_error).toBeTruthy();
    const receiver = new Receiver(SECRET);
    receiver.port = port;
    await receiver.open();
    cleanup.push(() => receiver.close());
    await appendEvents(store, 2, 3, 'later');
    await pollUntil(async () => receiver.hits.length >= 16, 'all 16 events received');
    expect(sequences(receiver).get(1)).toEqual(expectedSequence(5));
  });

  it('keeps retrying a 503 or 429 and parks an event answered 400, going on with the next', async () => {
    const receiver = new Receiver(SECRET);
    await receiver.open();
    cleanup.push(() => receiver.close());
    let busy = 3;
    receiver.answer = (e) => {
      if (e['step_id'] === 's2' && e['workflow_instance_id'] === 1) return 400;
      if (e['step_id'] === 's1' && busy > 0) return busy-- % 2 === 0 ? 429 : 503;
      return 200;
    };
    const { store } = await setup(receiver.url);
    await appendEvents(store, 2, 4);
    await pollUntil(async () => receiver.hits.length >= 7, 'the 7 acceptable events received');
    expect(busy).toBe(0);
    expect(sequences(receiver).get(1)).toEqual(['s0', 's1', 's3']);
    expect(sequences(receiver).get(2)).toEqual(expectedSequence(4));
    const parked = await store.transact((tx) => tx.listParked('hook', 0, 10));
    expect(parked).toHaveLength(1);
    expect(parked[0]!.payload).toMatchObject({ workflow_instance_id: 1, step_id: 's2' });
    expect(parked[0]!.last_error).toBe('HTTP 400: refused by the test receiver');
    // the last event is acknowledged just after the receiver got it
    await pollUntil(
      async () => (await store.transact((tx) => tx.readDeliveries('hook', 10))).length === 0,
      'the queue emptied',
    );
  });

  it('parks an event larger than the limit without sending it', async () => {
    const receiver = new Receiver(SECRET);
    await receiver.open();
    cleanup.push(() => receiver.close());
    const { store } = await setup(receiver.url, { maxEventBytes: 600 });
    const big = stepEvent(1, 1);
    await store.transact((tx) =>
      tx.appendOutbox([
        stepEvent(1, 0),
        { ...big, payload: { ...big.payload, step_id: 'x'.repeat(600) } },
        stepEvent(1, 2),
      ]),
    );
    await pollUntil(async () => receiver.hits.length >= 2, 'the two small events received');
    expect(receiver.hits.map((h) => h.event['step_id'])).toEqual(['s0', 's2']);
    const parked = await store.transact((tx) => tx.listParked('hook', 0, 10));
    expect(parked.map((d) => d.last_error)).toEqual([
      expect.stringMatching(/^the event is \d+ bytes; at most 600 are sent$/),
    ]);
  });

  it('goes on with the other sinks while one is down', async () => {
    const receiver = new Receiver(SECRET);
    await receiver.open();
    cleanup.push(() => receiver.close());
    const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
    const down = `http://127.0.0.1:${await freePort()}/`;
    const config = parseEventsConfig(
      JSON.stringify({
        sinks: [
          { name: 'down', type: 'webhook', url: down, secret: SECRET },
          { name: 'up', type: 'webhook', url: receiver.url, secret: SECRET },
        ],
        retry: { initial_ms: 20, max_ms: 100 },
      }),
      'events.json',
      {},
    );
    const relay = startRelay({ store, clock: systemClock }, { config, pollMs: 20 });
    cleanup.push(async () => {
      await relay.stop();
      await store.close();
    });
    await appendEvents(store, 2, 5);
    await pollUntil(async () => receiver.hits.length >= 10, 'the 10 events at the sink that is up');
    for (const list of sequences(receiver).values()) expect(list).toEqual(expectedSequence(5));
    const held = await store.transact((tx) => tx.readDeliveries('down', 100));
    expect(held).toHaveLength(10);
    expect(held[0]!.attempts).toBeGreaterThan(0);
  });

  it('hands its sink lease back when stopped, so another relay sends at once', async () => {
    const receiver = new Receiver(SECRET);
    await receiver.open();
    cleanup.push(() => receiver.close());
    const { store, relay } = await setup(receiver.url);
    await appendEvents(store, 1, 1);
    await pollUntil(async () => receiver.hits.length >= 1, 'the first event received');
    await relay.stop();
    expect(
      await store.transact((tx) => tx.takeLease('sink:hook', 'someone-else', Date.now(), Date.now() + 1000)),
    ).toBe(true);
  });
});
