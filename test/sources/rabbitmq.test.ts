import { randomBytes } from 'node:crypto';
import { Connection, type Channel } from 'rabbitmq-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceOf } from '../../src/events/sources/config.js';
import { startSources, type Sources } from '../../src/events/sources/sources.js';
import { pollUntil } from '../support/deadline.js';
import { rabbitService, TcpProxy } from '../events/services.js';
import { advanceBackoff, LANDED_MAPPING, openSourceWorld, parkedOf, type SourceWorld } from './support.js';

const service = await rabbitService();
if (service.url === undefined) console.log(service.skipReason.replace('sink suite', 'source suite'));

describe.skipIf(service.url === undefined)('RabbitMQ source', () => {
  const url = service.url!;
  let rabbit: Connection;
  let ch: Channel;
  let world: SourceWorld;
  let queue: string;
  const running: Sources[] = [];
  const cleanup: (() => Promise<void>)[] = [];

  const start = (extra: Partial<SourceOf<'rabbitmq'>> = {}): Sources => {
    const config: SourceOf<'rabbitmq'> = {
      name: 'landed',
      type: 'rabbitmq',
      url,
      queue,
      signal: { ...LANDED_MAPPING },
      ...extra,
    };
    const sources = startSources(world.deps, { sources: [config], owner: 'p1' });
    running.push(sources);
    return sources;
  };
  const publish = (body: string, messageId?: string) =>
    ch.basicPublish({ routingKey: queue, ...(messageId ? { messageId } : {}) }, Buffer.from(body));
  const ready = async (name: string) => (await ch.queueDeclare({ queue: name, passive: true })).messageCount;

  beforeEach(async () => {
    rabbit = new Connection(url);
    rabbit.on('error', () => undefined);
    ch = await rabbit.acquire();
    world = await openSourceWorld();
    queue = `baton-source-test-${randomBytes(4).toString('hex')}`;
    // The operator's queue: parked messages are dead-lettered to <queue>.dead.
    await ch.queueDeclare({ queue: `${queue}.dead`, exclusive: false });
    await ch.queueDeclare({
      queue,
      arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': `${queue}.dead` },
    });
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    for (const fn of cleanup.splice(0).reverse()) await fn();
    await ch.queueDelete({ queue });
    await ch.queueDelete({ queue: `${queue}.dead` });
    await ch.close();
    await rabbit.close();
    await world.store.close();
  });

  it('turns a message into one signal, its request id from message_id', async () => {
    await publish(JSON.stringify({ table: 'sales', date: 20261207 }), 'load-7');
    start();
    await pollUntil(async () => world.announcer.signals.size === 1, 'the signal');
    expect([...world.announcer.signals.values()]).toMatchObject([
      { name: 'table_landed', params: { table: 'sales', date: 20261207 }, instance_id: 'landed:load-7' },
    ]);
    await pollUntil(async () => (await ready(queue)) === 0, 'queue empty');
  });

  it('acks only after commit: a connection lost while the signal is pending requeues the message, and the redelivery is DUPLICATED', async () => {
    const target = new URL(url);
    const proxy = new TcpProxy(target.hostname, Number(target.port));
    await proxy.open();
    cleanup.push(() => proxy.close());
    const release = world.announcer.hold();
    await publish(JSON.stringify({ table: 'sales', date: 1 }), 'load-8');
    start({ url: `amqp://${target.username}:${target.password}@127.0.0.1:${proxy.port}` });
    await pollUntil(async () => world.announcer.calls === 1, 'a message in hand');
    expect(await ready(queue)).toBe(0);
    await proxy.close(); // the source's connection dies before it acked
    await pollUntil(async () => (await ready(queue)) === 1, 'the unacked message back in the queue');
    release(); // the signal commits now; the ack cannot reach the broker
    await proxy.open();
    await pollUntil(async () => world.announcer.calls === 2 && (await ready(queue)) === 0, 'delivered again');
    expect(world.announcer.signals.size).toBe(1);
    await pollUntil(async () => (await ready(queue)) === 0, 'acked');
  });

  it('parks a malformed message, dead-letters it, and goes on', async () => {
    await publish('not json', 'm-1');
    await publish(JSON.stringify({ table: 'sales' }), 'm-2');
    await publish(JSON.stringify({ table: 'sales', date: 3 }), 'm-3');
    start();
    await pollUntil(async () => world.announcer.signals.size === 1, 'the good one announced');
    await pollUntil(async () => (await ready(`${queue}.dead`)) === 2, 'two dead-lettered');
    const parked = await parkedOf(world, 'landed');
    expect(parked.map((p) => [p.message_id, p.reason.replace(/: Unexpected.*$/, '')])).toEqual([
      ['m-1', 'the message is not JSON'],
      ['m-2', "param 'date': the message has nothing at /date"],
    ]);
    expect(parked[0]).toMatchObject({ body: 'not json', details: { queue, redelivered: false } });
  });

  it('requeues a message while the announcer fails, after a backoff, and announces it later', async () => {
    world.announcer.failNext(1);
    await publish(JSON.stringify({ table: 'sales', date: 1 }), 'm-1');
    start();
    await pollUntil(async () => world.log.some((l) => l.includes('(try 1)')), 'first failure');
    expect(world.announcer.calls).toBe(1);
    await advanceBackoff(world, 1000);
    await pollUntil(async () => world.announcer.signals.size === 1, 'announced after the backoff');
    expect(world.announcer.calls).toBe(2);
  });

  it('stops after the message in hand is acked', async () => {
    const release = world.announcer.hold();
    await publish(JSON.stringify({ table: 'sales', date: 1 }), 'm-1');
    const sources = start();
    await pollUntil(async () => world.announcer.calls === 1, 'a message in hand');
    const stopped = sources.stop();
    release();
    await stopped;
    expect(world.announcer.signals.size).toBe(1);
    expect(await ready(queue)).toBe(0);
  });
});
