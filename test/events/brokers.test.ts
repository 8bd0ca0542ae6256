import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { parseEventsConfig } from '../../src/events/config.js';
import { startRelay } from '../../src/events/relay.js';
import { openSqliteStore } from '../../src/store/sqlite/index.js';
import { pollUntil } from '../support/deadline.js';
import { natsBroker, rabbitBroker, redisBroker, type Broker } from './brokers.js';
import { appendEvents, expectedSequence, perRunSequences, type Received } from './fixtures.js';
import { natsService, rabbitService, redisService, TcpProxy, type Service } from './services.js';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

const suites: [Service, (url: string) => Promise<Broker>][] = [
  [await redisService(), redisBroker],
  [await natsService(), natsBroker],
  [await rabbitService(), rabbitBroker],
];

for (const [service, makeBroker] of suites) {
  if (service.url === undefined) {
    describe.skip(service.skipReason, () => {
      it('needs the service', () => undefined);
    });
    continue;
  }
  const url = service.url;
  describe(`${service.name} sink`, () => {
    it('publishes every event in order per run, holds them while the service is away, then delivers the rest', async () => {
      const broker = await makeBroker(url);
      cleanup.push(() => broker.close());
      const target = new URL(url);
      const proxy = new TcpProxy(target.hostname, Number(target.port));
      await proxy.open();
      cleanup.push(() => proxy.close());
      const store = await openSqliteStore({ clock: systemClock }, { path: ':memory:' });
      const config = parseEventsConfig(
        JSON.stringify({
          sinks: [{ name: 'bus', timeout_ms: 1500, ...broker.sink('127.0.0.1', proxy.port) }],
          retry: { initial_ms: 20, max_ms: 200 },
        }),
        'events.json',
        {},
      );
      const log: string[] = [];
      const relay = startRelay(
        { store, clock: systemClock, log: (l) => log.push(l) },
        { config, pollMs: 20 },
      );
      cleanup.push(async () => {
        await relay.stop();
        await store.close();
      });
      let received: Received[] = [];
      const receivedAll = (n: number) => async () => {
        received = await broker.read();
        return new Set(received.map((e) => `${e.workflow_instance_id}/${e.step_id}`)).size >= n;
      };

      await appendEvents(store, 3, 4);
      await pollUntil(receivedAll(12), 'the first 12 events published');

      await proxy.close(); // the service goes away: connections cut, the port refuses
      await appendEvents(store, 3, 4, 'wf');
      await pollUntil(async () => log.some((l) => l.includes('not delivered (try 2)')), 'two failed tries', {
        ms: 20_000,
      });
      expect((await store.transact((tx) => tx.readDeliveries('bus', 100))).length).toBeGreaterThan(0);
      await proxy.open(); // back on the same port
      await appendEvents(store, 2, 2, 'late');
      await pollUntil(receivedAll(12), 'all events published after the service came back', { ms: 20_000 });
      await pollUntil(
        async () => (await store.transact((tx) => tx.readDeliveries('bus', 100))).length === 0,
        'the queue emptied',
      );
      received = await broker.read();
      // the events appended while away were the same ids again (s0…s3 per run) under new outbox ids: 8 per run
      const byRun = perRunSequences(
        received.filter((e) => (e as { workflow_id?: string }).workflow_id === 'wf'),
      );
      for (const list of byRun.values()) expect(list).toEqual(expectedSequence(4));
      const all = received.filter((e) => (e as { workflow_id?: string }).workflow_id === 'wf');
      expect(all.length).toBeGreaterThanOrEqual(24);
      const late = perRunSequences(
        received.filter((e) => (e as { workflow_id?: string }).workflow_id === 'late'),
      );
      expect([...late.values()]).toEqual([expectedSequence(2), expectedSequence(2)]);
    });
  });
}
