import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../connections.js';
import type { SinkConfig } from '../config.js';
import {
  DEFAULT_SEND_TIMEOUT_MS,
  PermanentSinkError,
  withTimeout,
  type OutgoingEvent,
  type Sink,
} from '../sink.js';

type NatsConfig = Extract<SinkConfig, { type: 'nats' }>;

/**
 * Publishes each event to a JetStream subject and waits for the stream's ack. `Nats-Msg-Id` is the outbox id, so
 * JetStream drops a resend that lands within the stream's duplicate window. The client does not reconnect by
 * itself (a publish must not wait in its buffer while the relay thinks it failed): a failure closes the connection,
 * and the next attempt after the relay's backoff opens a new one.
 */
export function natsSink(config: NatsConfig): Sink {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  let conn: { nc: NatsConnection; js: JetStreamClient } | undefined;
  const open = async (): Promise<{ nc: NatsConnection; js: JetStreamClient }> => {
    if (conn && !conn.nc.isClosed()) return conn;
    const nc = await connectNats(config, timeoutMs, `baton relay ${config.name}`);
    conn = { nc, js: jetstream(nc, { timeout: timeoutMs }) };
    return conn;
  };
  const reset = async (): Promise<void> => {
    const old = conn;
    conn = undefined;
    await old?.nc.close().catch(() => undefined);
  };
  return {
    name: config.name,
    async send(event: OutgoingEvent): Promise<void> {
      const { nc, js } = await open();
      const data = new TextEncoder().encode(event.body);
      const max = nc.info?.max_payload;
      if (max !== undefined && data.length > max)
        throw new PermanentSinkError(
          `the event is ${data.length} bytes; the NATS server takes at most ${max}`,
        );
      const h = headers();
      h.set('Baton-Event-Type', event.type);
      await withTimeout(
        js.publish(config.subject, data, {
          msgID: String(event.id),
          headers: h,
          timeout: timeoutMs,
          ...(config.stream === undefined ? {} : { expect: { streamName: config.stream } }),
        }),
        timeoutMs + 1000,
        `NATS ${String(config.servers)}`,
      );
    },
    reset,
    close: reset,
  };
}
