import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { Connection } from 'rabbitmq-client';
import type { Received } from './fixtures.js';

/**
 * One message service as a sink suite uses it: the sink's settings (pointed at a proxy's port), and a reader that
 * fetches, straight from the service, what the sink published so far.
 */
export interface Broker {
  sink(host: string, port: number): Record<string, unknown>;
  read(): Promise<Received[]>;
  close(): Promise<void>;
}

const suffix = (): string => randomBytes(4).toString('hex');
const parse = (text: string): Received => JSON.parse(text) as Received;

export async function redisBroker(url: string): Promise<Broker> {
  const stream = `baton-test-${suffix()}`;
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  return {
    sink: (host, port) => ({ type: 'redis', url: `redis://${host}:${port}`, stream, max_len: 10_000 }),
    async read() {
      const entries = await redis.xrange(stream, '-', '+');
      return entries.map(([, fields]) => parse(fields[fields.indexOf('event') + 1]!));
    },
    async close() {
      await redis.del(stream);
      redis.disconnect();
    },
  };
}

export async function natsBroker(url: string): Promise<Broker> {
  const name = `BATON_TEST_${suffix().toUpperCase()}`;
  const subject = `baton.test.${name}`;
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name, subjects: [subject] });
  return {
    sink: (host, port) => ({ type: 'nats', servers: `${host}:${port}`, subject, stream: name }),
    async read() {
      const info = await jsm.streams.info(name);
      const out: Received[] = [];
      for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
        const m = await jsm.streams.getMessage(name, { seq });
        if (m) out.push(parse(m.string()));
      }
      return out;
    },
    async close() {
      await jsm.streams.delete(name).catch(() => undefined);
      await nc.close();
    },
  };
}

export async function rabbitBroker(url: string): Promise<Broker> {
  const queue = `baton-test-${suffix()}`;
  const rabbit = new Connection(url);
  rabbit.on('error', () => undefined);
  const ch = await rabbit.acquire();
  await ch.queueDeclare({ queue, durable: false, autoDelete: false });
  const got: Received[] = [];
  return {
    sink: (host, port) => {
      const u = new URL(url);
      return {
        type: 'rabbitmq',
        url: `amqp://${u.username}:${u.password}@${host}:${port}`,
        exchange: '',
        routing_key: queue,
      };
    },
    async read() {
      for (;;) {
        const m = await ch.basicGet({ queue, noAck: true });
        if (!m) return [...got];
        got.push(parse(Buffer.isBuffer(m.body) ? m.body.toString('utf8') : JSON.stringify(m.body)));
      }
    },
    async close() {
      await ch.queueDelete({ queue }).catch(() => undefined);
      await ch.close();
      await rabbit.close();
    },
  };
}
