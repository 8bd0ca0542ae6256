import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type Consumer,
  type JsMsg,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connectNats } from '../connections.js';
import { DEFAULT_SEND_TIMEOUT_MS } from '../sink.js';
import type { SourceOf } from './config.js';
import type { PullSide, Received } from './runner.js';

/** How long one pull waits for a message before asking again. */
const PULL_EXPIRES_MS = 5_000;
/** A message this long in hand without an ack is given to another consumer (its signal is then a duplicate). */
const ACK_WAIT_MS = 60_000;

/**
 * A JetStream durable pull consumer (created when missing: explicit acks, the messages published from then on, of
 * `subject` when given). Every Baton process pulls from the same durable, so JetStream shares the messages among them and gives
 * a message whose holder died to another after its ack wait. A signal's message is acked with the server's
 * confirmation (`ackAck`); a parked one is terminated with the reason; one that failed for now is nak'd. Like the
 * sink, the client does not reconnect on its own: a failure drops the connection and the loop opens a new one.
 */
export function natsSide(config: SourceOf<'nats'>): PullSide {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  const durable = config.durable ?? `baton-${config.name}`;
  let open: { nc: NatsConnection; consumer: Consumer } | undefined;

  const connectOnce = async (): Promise<{ nc: NatsConnection; consumer: Consumer }> => {
    if (open && !open.nc.isClosed()) return open;
    const nc = await connectNats(config, timeoutMs, `baton source ${config.name}`);
    try {
      await ensureConsumer(nc, config.stream, durable, config.subject, timeoutMs);
      const consumer = await jetstream(nc, { timeout: timeoutMs }).consumers.get(config.stream, durable);
      open = { nc, consumer };
      return open;
    } catch (error) {
      await nc.close().catch(() => undefined);
      throw error;
    }
  };

  const received = (nc: NatsConnection, m: JsMsg): Received => {
    const msgId = m.headers?.get('Nats-Msg-Id');
    return {
      message: {
        body: Buffer.from(m.data),
        brokerId: msgId ? msgId : `${config.stream}:${m.seq}`,
        details: {
          subject: m.subject,
          stream: config.stream,
          stream_seq: m.seq,
          delivery: m.info.deliveryCount,
        },
      },
      async ack() {
        if (!(await m.ackAck({ timeout: timeoutMs })))
          throw new Error(`NATS did not confirm the ack of message ${m.seq}`);
      },
      async park() {
        // The reason is in the parked record; `+TERM reason` is not understood by NATS servers before 2.10.
        m.term();
        await nc.flush();
      },
      async release() {
        m.nak();
        await nc.flush();
      },
    };
  };

  return {
    async pull() {
      const { nc, consumer } = await connectOnce();
      const m = await consumer.next({ expires: PULL_EXPIRES_MS });
      if (nc.isClosed()) throw new Error('the NATS connection closed');
      return m ? [received(nc, m)] : [];
    },
    interrupt() {
      void open?.nc.close().catch(() => undefined);
    },
    async reset() {
      const old = open;
      open = undefined;
      await old?.nc.close().catch(() => undefined);
    },
  };
}

async function ensureConsumer(
  nc: NatsConnection,
  stream: string,
  durable: string,
  subject: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const jsm = await jetstreamManager(nc, { timeout: timeoutMs });
  const found = await jsm.consumers.info(stream, durable).catch(() => undefined);
  if (found) return;
  // Two processes may add it at once: with the same config the second add returns the first one's consumer.
  await jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    // From now on, as a Redis group made by Baton: create the durable yourself to include what the stream holds.
    deliver_policy: DeliverPolicy.New,
    ack_wait: ACK_WAIT_MS * 1_000_000,
    max_deliver: -1,
    ...(subject === undefined ? {} : { filter_subject: subject }),
  });
}
