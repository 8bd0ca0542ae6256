import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/engine/clock.js';
import { parseEventsConfig } from '../../src/events/config.js';
import { startRelay } from '../../src/events/relay.js';
import { openPostgresStore } from '../../src/store/postgres/index.js';
import { pollUntil } from '../support/deadline.js';
import { hasPg, openTestPgStore, PG_SKIP_REASON, pgTestUrl } from '../support/postgres.js';
import { expectedSequence, perRunSequences, stepEvent } from './fixtures.js';
import { Receiver } from './receiver.js';

const SECRET = 'a-webhook-secret-for-tests';
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

if (!hasPg) {
  describe.skip(PG_SKIP_REASON, () => {
    it('needs BATON_TEST_PG_URL', () => undefined);
  });
} else {
  describe('two relays on one PostgreSQL database', () => {
    it('deliver every event at least once and in order per run, while runs commit concurrently', async () => {
      const receiver = new Receiver(SECRET);
      await receiver.open();
      cleanup.push(() => receiver.close());
      const first = await openTestPgStore(systemClock, { poolSize: 6 });
      cleanup.push(() => first.close());
      const second = await openPostgresStore(
        { clock: systemClock },
        { url: pgTestUrl!, schema: first.schema },
      );
      cleanup.push(() => second.close());
      // a relay that died holding the sink: the live ones wait for its lease to end, then take over
      const now = Date.now();
      await first.transact((tx) => tx.takeLease('sink:hook', 'dead-relay', now, now + 300));

      const config = parseEventsConfig(
        JSON.stringify({
          sinks: [{ name: 'hook', type: 'webhook', url: receiver.url, secret: SECRET }],
          retry: { initial_ms: 20, max_ms: 100 },
        }),
        'events.json',
        {},
      );
      const options = { config, pollMs: 10, batchSize: 5, leaseMs: 400 };
      const a = startRelay({ store: first, clock: systemClock }, { ...options, owner: 'a' });
      const b = startRelay({ store: second, clock: systemClock }, { ...options, owner: 'b' });
      cleanup.push(() => b.stop());
      cleanup.push(() => a.stop());

      // 8 runs, each a chain of 25 transactions (as the engine's writers of one run follow each other), all at once
      // and from both stores; a transaction that takes an id may commit after one that took a later id
      const RUNS = 8;
      const EVENTS = 25;
      const writers = Array.from({ length: RUNS }, async (_, r) => {
        const store = r % 2 === 0 ? first : second;
        for (let seq = 0; seq < EVENTS; seq++)
          await store.transact((tx) => tx.appendOutbox([stepEvent(r + 1, seq)]));
      });
      const halfway = pollUntil(async () => receiver.hits.length >= (RUNS * EVENTS) / 2, 'half the events', {
        ms: 30_000,
      }).then(() => a.stop()); // one relay stops half way: the other goes on alone
      await Promise.all([...writers, halfway]);
      await pollUntil(
        async () => new Set(receiver.hits.map((h) => h.id)).size >= RUNS * EVENTS,
        'every event delivered',
        { ms: 30_000 },
      );
      const sequences = perRunSequences(
        receiver.hits.map((h) => h.event as { workflow_instance_id: number; step_id: string }),
      );
      expect(sequences.size).toBe(RUNS);
      for (const list of sequences.values()) expect(list).toEqual(expectedSequence(EVENTS));
      // and in the order received, no run's events go backwards (a resend repeats an event already seen)
      const lastSeen = new Map<number, number>();
      for (const { event } of receiver.hits) {
        const run = event['workflow_instance_id'] as number;
        const seq = Number(String(event['step_id']).slice(1));
        const last = lastSeen.get(run) ?? -1;
        if (seq > last) {
          expect(seq).toBe(last + 1);
          lastSeen.set(run, seq);
        }
      }
    }, 60_000);
  });
}
