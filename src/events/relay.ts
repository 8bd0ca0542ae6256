import { randomUUID } from 'node:crypto';
import type { Clock } from '../engine/clock.js';
import type { Store } from '../store/port.js';
import type { EventsConfig, SinkConfig } from './config.js';
import { OutboxTaker } from './outbox-taker.js';
import type { Sink } from './sink.js';
import { SinkWorker } from './sink-worker.js';
import { natsSink } from './sinks/nats.js';
import { rabbitmqSink } from './sinks/rabbitmq.js';
import { redisSink } from './sinks/redis.js';
import { webhookSink } from './sinks/webhook.js';

export interface RelayDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** A sink could not deliver (it will try again) or parked an event; default: nothing. */
  readonly log?: (line: string) => void;
}

export interface RelayOptions {
  readonly config: EventsConfig;
  /** This process's name in sink leases; default a random one. */
  readonly owner?: string;
  /** How often an idle relay looks for new events (and for sinks whose owner went away). Default 250 ms. */
  readonly pollMs?: number;
  /** Events taken from the outbox, or sent by a sink, per transaction. Default 200. */
  readonly batchSize?: number;
  /** How long a sink's lease lasts without renewal; a dead owner's sinks move after this. Default 30 s. */
  readonly leaseMs?: number;
  /** Events larger than this (bytes of JSON) are parked. Default 1 MiB. */
  readonly maxEventBytes?: number;
}

export interface Relay {
  readonly owner: string;
  /** Look for new outbox events now rather than at the next poll. */
  wake(): void;
  /** Finishes the sends in flight, hands every sink lease back and closes the sink connections. */
  stop(): Promise<void>;
}

const SINKS: { readonly [T in SinkConfig['type']]: (c: Extract<SinkConfig, { type: T }>) => Sink } = {
  webhook: webhookSink,
  nats: natsSink,
  rabbitmq: rabbitmqSink,
  redis: redisSink,
};

function makeSink(config: SinkConfig): Sink {
  return (SINKS[config.type] as (c: SinkConfig) => Sink)(config);
}

/**
 * Starts the outbox relay (docs/events.md, decision 0014): a taker loop moves committed outbox events into one queue
 * per configured sink, in one transaction, and one loop per sink sends that sink's queue in order while this process
 * holds the sink's lease. Any number of processes may run it on one database; each event reaches each sink at least
 * once, in order per run.
 *
 * @example
 *   const relay = startRelay({ store, clock: systemClock }, { config: loadEventsConfig('events.yaml', process.env) });
 *   // …
 *   await relay.stop();
 */
export function startRelay(deps: RelayDeps, options: RelayOptions): Relay {
  const owner = options.owner ?? `relay-${randomUUID()}`;
  const pollMs = options.pollMs ?? 250;
  const batchSize = options.batchSize ?? 200;
  const log = deps.log ?? (() => undefined);
  const sinks = options.config.sinks ?? [];
  // With no sink the taker would empty the outbox into no queue: the events would be lost.
  if (sinks.length === 0) throw new TypeError('startRelay needs a config with at least one sink');
  const sinkNames = sinks.map((s) => s.name);
  const workers = sinks.map(
    (config) =>
      new SinkWorker(deps, makeSink(config), {
        owner,
        pollMs,
        batchSize,
        leaseMs: options.leaseMs ?? 30_000,
        retryInitialMs: options.config.retry?.initial_ms ?? 1000,
        retryMaxMs: options.config.retry?.max_ms ?? 60_000,
        maxEventBytes: options.maxEventBytes ?? 1024 * 1024,
        onError: (sink, line) => log(`relay: sink ${sink}: ${line}`),
      }),
  );
  const taker = new OutboxTaker(deps, {
    sinks: sinkNames,
    clusterName: options.config.cluster_name ?? 'baton',
    pollMs,
    batchSize,
    onQueued: () => workers.forEach((w) => w.waiter.wake()),
    log,
  });
  let stopping = false;
  for (const w of workers) w.start();
  taker.start();
  const unsubscribe = deps.store.onWork(() => taker.waiter.wake());

  return {
    owner,
    wake: () => taker.waiter.wake(),
    async stop() {
      if (stopping) return;
      stopping = true;
      unsubscribe();
      await taker.stop();
      await Promise.all(workers.map((w) => w.stop()));
    },
  };
}
