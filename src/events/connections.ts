import { connect, type NatsConnection } from '@nats-io/transport-node';
import { Redis } from 'ioredis';

/** How a sink or a source reaches NATS: the keys they share in the events file. */
export interface NatsAccess {
  readonly servers: string | string[];
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  readonly token?: string | undefined;
}

/**
 * A NATS connection that does not reconnect by itself: a sink's publish or a source's pull must fail rather than
 * wait in a client buffer, and the caller opens a new connection after its own backoff.
 */
export function connectNats(access: NatsAccess, timeoutMs: number, name: string): Promise<NatsConnection> {
  return connect({
    servers: access.servers,
    reconnect: false,
    timeout: timeoutMs,
    name,
    ...(access.user === undefined ? {} : { user: access.user }),
    ...(access.password === undefined ? {} : { pass: access.password }),
    ...(access.token === undefined ? {} : { token: access.token }),
  });
}

/**
 * A Redis client (not yet connected: call `connect()`) that neither queues commands while disconnected nor
 * reconnects by itself, for the same reason; its errors are reported by the command that fails.
 */
export function newRedis(url: string, timeoutMs: number): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: timeoutMs,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  return redis;
}
