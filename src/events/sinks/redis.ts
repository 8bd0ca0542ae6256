import type { Redis } from 'ioredis';
import { newRedis } from '../connections.js';
import type { SinkConfig } from '../config.js';
import { DEFAULT_SEND_TIMEOUT_MS, withTimeout, type OutgoingEvent, type Sink } from '../sink.js';

type RedisConfig = Extract<SinkConfig, { type: 'redis' }>;

/**
 * XADDs each event to a Redis stream (fields `id`, `type`, `event`), trimmed to about `max_len` entries when set.
 * The client does not queue commands while disconnected or reconnect by itself: a failure drops the connection and
 * the next attempt (after the relay's backoff) makes a new one, so nothing is sent behind the relay's back.
 */
export function redisSink(config: RedisConfig): Sink {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  let client: Redis | undefined;
  const connect = async (): Promise<Redis> => {
    if (client) return client;
    const fresh = newRedis(config.url, timeoutMs);
    client = fresh;
    await fresh.connect();
    return fresh;
  };
  const reset = async (): Promise<void> => {
    const old = client;
    client = undefined;
    old?.disconnect();
  };
  return {
    name: config.name,
    async send(event: OutgoingEvent): Promise<void> {
      const redis = await withTimeout(connect(), timeoutMs, `redis ${config.url}`);
      const trim = config.max_len === undefined ? [] : ['MAXLEN', '~', String(config.max_len)];
      const fields = ['id', String(event.id), 'type', event.type, 'event', event.body];
      await withTimeout(
        redis.xadd(config.stream, ...(trim as ['MAXLEN', '~', string]), '*', ...fields),
        timeoutMs,
        `redis ${config.url}`,
      );
    },
    reset,
    close: reset,
  };
}
