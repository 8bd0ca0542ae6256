import { Connection, type Publisher } from 'rabbitmq-client';
import type { SinkConfig } from '../config.js';
import { DEFAULT_SEND_TIMEOUT_MS, withTimeout, type OutgoingEvent, type Sink } from '../sink.js';

type RabbitConfig = Extract<SinkConfig, { type: 'rabbitmq' }>;

/**
 * Publishes each event to an exchange with publisher confirms: `send` resolves when the broker has taken
 * responsibility for it (persistent, `message_id` the outbox id). The exchange must exist ('' is the default
 * exchange, which routes to the queue named by the routing key). A failure closes the connection; the next attempt
 * after the relay's backoff opens a new one, so no publish waits in a client buffer behind the relay's back.
 */
export function rabbitmqSink(config: RabbitConfig): Sink {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  let conn: { rabbit: Connection; publisher: Publisher } | undefined;
  const open = async (): Promise<Publisher> => {
    if (conn) return conn.publisher;
    const rabbit = new Connection({
      url: config.url,
      connectionTimeout: timeoutMs,
      acquireTimeout: timeoutMs,
      connectionName: `baton relay ${config.name}`,
    });
    rabbit.on('error', () => undefined); // the publish that fails reports it
    const publisher = rabbit.createPublisher({ confirm: true, maxAttempts: 1 });
    conn = { rabbit, publisher };
    await rabbit.onConnect(timeoutMs);
    return publisher;
  };
  const reset = async (): Promise<void> => {
    const old = conn;
    conn = undefined;
    if (!old) return;
    // closing waits for the broker's answer, which a broker that is away never gives: bounded
    const closed = (async () => {
      await old.publisher.close();
      await old.rabbit.close();
    })();
    await withTimeout(closed, timeoutMs, 'closing the RabbitMQ connection').catch(() => undefined);
  };
  return {
    name: config.name,
    async send(event: OutgoingEvent): Promise<void> {
      const publisher = await open();
      await withTimeout(
        publisher.send(
          {
            exchange: config.exchange,
            routingKey: config.routing_key ?? '',
            messageId: String(event.id),
            type: event.type,
            contentType: 'application/json',
            durable: true,
            timestamp: Math.floor(event.sendTime / 1000),
          },
          Buffer.from(event.body),
        ),
        timeoutMs,
        `RabbitMQ ${config.url.replace(/\/\/[^@/]*@/, '//')}`,
      );
    },
    reset,
    close: reset,
  };
}
