import { Connection, ConsumerStatus, type AsyncMessage, type Consumer } from 'rabbitmq-client';
import { backoffDelay, Waiter } from '../waiter.js';
import { DEFAULT_SEND_TIMEOUT_MS, withTimeout } from '../sink.js';
import type { SourceOf } from './config.js';
import { takeMessage, type IntakeDeps } from './intake.js';
import type { InboundMessage } from './mapping.js';
import { text, type RetryOptions, type SourceRunner } from './runner.js';

/**
 * A RabbitMQ queue (it must exist: Baton declares it passively, so its arguments — a dead-letter exchange — stay
 * the operator's). Every Baton process consumes the same queue, so RabbitMQ shares the messages among them and
 * requeues those of a connection that died. One message at a time: acked after its signal is committed; a parked
 * one is rejected without requeue (to the queue's dead-letter exchange when it has one, the parked record in the
 * store either way); one that failed for now is held through a backoff pause on the injected clock and then
 * requeued. The client reconnects on its own after the broker went away.
 */
export function startRabbitSource(
  deps: IntakeDeps,
  config: SourceOf<'rabbitmq'>,
  retry: RetryOptions,
): SourceRunner {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  const safeUrl = config.url.replace(/\/\/[^@/]*@/, '//');
  const waiter = new Waiter(deps.clock);
  let failures = 0;
  let stopping = false;
  const rabbit = new Connection({
    url: config.url,
    connectionTimeout: timeoutMs,
    connectionName: `baton source ${config.name}`,
  });
  rabbit.on('error', (error) => deps.log?.(`source ${config.name}: RabbitMQ ${safeUrl}: ${text(error)}`));

  const handle = async (msg: AsyncMessage): Promise<ConsumerStatus> => {
    if (stopping) return ConsumerStatus.REQUEUE;
    try {
      const outcome = await takeMessage(deps, config, inbound(config, msg));
      failures = 0;
      return outcome.kind === 'announced' ? ConsumerStatus.ACK : ConsumerStatus.DROP;
    } catch (error) {
      failures += 1;
      deps.log?.(`source ${config.name}: signal not stored (try ${failures}), requeued: ${text(error)}`);
      await waiter.wait(backoffDelay(failures, retry.initialMs, retry.maxMs));
      return ConsumerStatus.REQUEUE;
    }
  };
  const consumer: Consumer = rabbit.createConsumer(
    {
      queue: config.queue,
      queueOptions: { passive: true },
      qos: { prefetchCount: config.prefetch ?? 10 },
      concurrency: 1,
    },
    handle,
  );
  consumer.on('error', (error) => deps.log?.(`source ${config.name}: queue ${config.queue}: ${text(error)}`));

  return {
    name: config.name,
    async stop() {
      stopping = true;
      waiter.wake();
      // Waits for the message in hand; the ones prefetched but not begun go back to the queue with the channel.
      // A broker that is away never answers the close: bounded, as the sink's.
      const closed = (async () => {
        await consumer.close();
        await rabbit.close();
      })();
      await withTimeout(closed, timeoutMs, 'closing the RabbitMQ connection').catch(() => undefined);
    },
  };
}

function inbound(config: SourceOf<'rabbitmq'>, msg: AsyncMessage): InboundMessage {
  const body: unknown = msg.body;
  // The client parses application/json and text/plain bodies itself; the message is taken back to its text.
  const raw =
    Buffer.isBuffer(body) || typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  return {
    body: raw,
    ...(msg.messageId ? { brokerId: msg.messageId } : {}),
    details: {
      queue: config.queue,
      exchange: msg.exchange,
      routing_key: msg.routingKey,
      redelivered: msg.redelivered,
    },
  };
}
