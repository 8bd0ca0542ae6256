import type { SourceConfig } from './config.js';
import type { IntakeDeps } from './intake.js';
import { natsSide } from './nats.js';
import { startRabbitSource } from './rabbitmq.js';
import { redisSide } from './redis.js';
import { PullLoop, type RetryOptions, type SourceRunner } from './runner.js';

export interface SourcesOptions {
  readonly sources: readonly SourceConfig[];
  /** This process's name: its consumer name in Redis groups. */
  readonly owner: string;
  readonly retry?: Partial<RetryOptions>;
}

export interface Sources {
  /** The sources this process subscribes to (webhooks are served by the API instead). */
  readonly names: readonly string[];
  /** Stops every subscriber after the message each has in hand is settled; nothing is left half-handled. */
  stop(): Promise<void>;
}

/**
 * Subscribes to every broker source of the events file (the `scheduler` role of `baton server`): a NATS JetStream
 * durable consumer, a RabbitMQ queue, a Redis stream's consumer group. Each message becomes a signal through
 * `deps.announcer` and is acknowledged only after the signal is committed (docs/signal-sources.md).
 *
 * @example
 *   const sources = startSources({ store, clock, announcer }, { sources: config.sources ?? [], owner });
 *   // …
 *   await sources.stop();
 */
export function startSources(deps: IntakeDeps, options: SourcesOptions): Sources {
  const retry: RetryOptions = {
    initialMs: options.retry?.initialMs ?? 1000,
    maxMs: options.retry?.maxMs ?? 60_000,
  };
  const runners = options.sources.flatMap((source) => {
    const runner = startOne(deps, source, options.owner, retry);
    return runner ? [runner] : [];
  });
  return {
    names: runners.map((r) => r.name),
    async stop() {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}

function startOne(
  deps: IntakeDeps,
  source: SourceConfig,
  owner: string,
  retry: RetryOptions,
): SourceRunner | undefined {
  switch (source.type) {
    case 'nats':
      return new PullLoop(deps, source, natsSide(source), retry);
    case 'redis':
      return new PullLoop(deps, source, redisSide(source, owner), retry);
    case 'rabbitmq':
      return startRabbitSource(deps, source, retry);
    case 'webhook':
      return undefined;
  }
}
