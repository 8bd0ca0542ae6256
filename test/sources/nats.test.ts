import { randomBytes } from 'node:crypto';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type JetStreamManager,
} from '@nats-io/jetstream';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceOf } from '../../src/events/sources/config.js';
import { startSources, type Sources } from '../../src/events/sources/sources.js';
import { pollUntil } from '../support/deadline.js';
import { natsService } from '../events/services.js';
import { advanceBackoff, LANDED_MAPPING, openSourceWorld, parkedOf, type SourceWorld } from './support.js';

const service = await natsService();
if (service.url === undefined) console.log(service.skipReason.replace('sink suite', 'source suite'));

describe.skipIf(service.url === undefined)('NATS JetStream source', () => {
  const url = service.url!;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let world: SourceWorld;
  let stream: string;
  const running: Sources[] = [];

  const config = (extra: Partial<SourceOf<'nats'>> = {}): SourceOf<'nats'> => ({
    name: 'landed',
    type: 'nats',
    servers: url,
    stream,
    signal: { ...LANDED_MAPPING },
    ...extra,
  });
  const start = (extra: Partial<SourceOf<'nats'>> = {}): Sources => {
    const sources = startSources(world.deps, { sources: [config(extra)], owner: 'p1' });
    running.push(sources);
    return sources;
  };
  const publish = async (body: string, msgId?: string) => {
    const h = headers();
    if (msgId) h.set('Nats-Msg-Id', msgId);
    return jetstream(nc).publish(`${stream}.landed`, body, { headers: h });
  };
  const consumer = () => jsm.consumers.info(stream, 'baton-landed');
  const settled = () =>
    pollUntil(async () => {
      const info = await consumer().catch(() => undefined);
      return info !== undefined && info.num_pending === 0 && info.num_ack_pending === 0;
    }, 'every message acked or terminated');

  beforeEach(async () => {
    nc = await connect({ servers: url });
    jsm = await jetstreamManager(nc);
    world = await openSourceWorld();
    stream = `BATON_SOURCE_${randomBytes(4).toString('hex').toUpperCase()}`;
    await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  });
  /** The operator's durable, made before the messages are published, so it holds them all. */
  const durable = () =>
    jsm.consumers.add(stream, {
      durable_name: 'baton-landed',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
    });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    await jsm.streams.delete(stream).catch(() => undefined);
    await nc.close();
    await world.store.close();
  });

  it('creates the durable consumer and turns each message into one signal, acked after it is committed', async () => {
    const release = world.announcer.hold();
    start();
    await pollUntil(
      async () => (await consumer().catch(() => undefined)) !== undefined,
      'the durable created',
    );
    const ack = await publish(JSON.stringify({ table: 'sales', date: 20261207 }));
    await pollUntil(async () => world.announcer.calls === 1, 'announce called');
    expect((await consumer()).num_ack_pending).toBe(1); // in hand, not acked: the signal is not committed yet
    release();
    await settled();
    expect([...world.announcer.signals.values()]).toMatchObject([
      {
        name: 'table_landed',
        params: { table: 'sales', date: 20261207 },
        instance_id: `landed:${stream}:${ack.seq}`,
      },
    ]);
  });

  it('takes the request id from Nats-Msg-Id, and a message redelivered after a lost answer is DUPLICATED', async () => {
    await durable();
    world.announcer.loseAnswerNext();
    await publish(JSON.stringify({ table: 'orders', date: 1 }), 'load-42');
    start();
    await pollUntil(async () => world.log.some((l) => l.includes('not stored (try 1)')), 'first try failed');
    await advanceBackoff(world, 1000); // the backoff; the nak'd message is pulled again
    await settled();
    expect(world.announcer.calls).toBe(2);
    expect([...world.announcer.signals.values()]).toMatchObject([{ instance_id: 'landed:load-42' }]);
  });

  it('parks a malformed message with the reason and terminates it; the next one is announced', async () => {
    await durable();
    await publish('{"table": ');
    await publish(JSON.stringify({ table: 'sales', date: 1.5 }));
    await publish(JSON.stringify({ table: 'sales', date: 2 }));
    start();
    await settled();
    const parked = await parkedOf(world, 'landed');
    expect(parked.map((p) => [p.reason.replace(/: .*JSON.*$/, ': …'), p.details['stream_seq']])).toEqual([
      ['the message is not JSON: …', 1],
      ["param 'date': the value at /date is the number 1.5; it must be a string or a safe integer", 2],
    ]);
    expect(parked[0]).toMatchObject({ body: '{"table": ', message_id: `${stream}:1` });
    expect(world.announcer.names).toEqual(['table_landed']);
    expect((await consumer()).num_redelivered).toBe(0); // terminated: never delivered again
  });

  it('leaves a message unacked while the announcer fails and announces it after the backoff', async () => {
    await durable();
    world.announcer.failNext(1);
    await publish(JSON.stringify({ table: 'sales', date: 1 }));
    start();
    await pollUntil(async () => world.log.some((l) => l.includes('(try 1)')), 'first failure');
    expect(world.announcer.signals.size).toBe(0);
    await advanceBackoff(world, 1000);
    await settled();
    expect(world.announcer.names).toEqual(['table_landed']);
  });

  it('shares one durable among processes and stops with the message in hand settled', async () => {
    await durable();
    await publish(JSON.stringify({ table: 'a', date: 1 }));
    await publish(JSON.stringify({ table: 'b', date: 2 }));
    const release = world.announcer.hold();
    const first = start();
    start(); // a second process on the same durable consumer
    await pollUntil(async () => world.announcer.calls >= 1, 'a message in hand');
    const stopped = first.stop();
    release();
    await stopped;
    await settled();
    expect(world.announcer.names.sort()).toEqual(['table_landed', 'table_landed']);
    expect([...world.announcer.signals.values()].map((s) => s.params['table']).sort()).toEqual(['a', 'b']);
  });
});
