import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceOf } from '../../src/events/sources/config.js';
import { startSources, type Sources } from '../../src/events/sources/sources.js';
import { pollUntil } from '../support/deadline.js';
import { redisService } from '../events/services.js';
import { advanceBackoff, LANDED_MAPPING, openSourceWorld, parkedOf, type SourceWorld } from './support.js';

const service = await redisService();
if (service.url === undefined) console.log(service.skipReason.replace('sink suite', 'source suite'));

describe.skipIf(service.url === undefined)('Redis stream source', () => {
  const url = service.url!;
  let redis: Redis;
  let world: SourceWorld;
  let stream: string;
  const running: Sources[] = [];

  const config = (extra: Partial<SourceOf<'redis'>> = {}): SourceOf<'redis'> => ({
    name: 'landed',
    type: 'redis',
    url,
    stream,
    signal: { ...LANDED_MAPPING },
    ...extra,
  });
  const start = (extra: Partial<SourceOf<'redis'>> = {}, owner = 'p1'): Sources => {
    const sources = startSources(world.deps, { sources: [config(extra)], owner });
    running.push(sources);
    return sources;
  };
  const add = (message: Record<string, string>) => redis.xadd(stream, '*', ...Object.entries(message).flat());
  const pending = async () => ((await redis.xpending(stream, 'baton')) as [number])[0];
  const settled = () => pollUntil(async () => (await lag()) === 0 && (await pending()) === 0, 'all acked');
  const lag = async () => {
    const groups = (await redis.xinfo('GROUPS', stream)) as unknown[][];
    const info = groups[0]!;
    return Number(info[info.indexOf('lag') + 1]);
  };

  beforeEach(async () => {
    redis = new Redis(url);
    world = await openSourceWorld();
    stream = `baton-source-test-${randomBytes(4).toString('hex')}`;
    // The group starts at the stream's beginning, so messages added before the source reads are its too.
    await redis.xgroup('CREATE', stream, 'baton', '0', 'MKSTREAM');
  });
  afterEach(async () => {
    for (const s of running.splice(0)) await s.stop();
    await redis.del(stream);
    redis.disconnect();
    await world.store.close();
  });

  it('turns each entry into exactly one signal, acked after it is committed', async () => {
    const release = world.announcer.hold();
    const id = await add({ table: 'sales', date: '20261207' });
    start();
    await pollUntil(async () => world.announcer.calls === 1, 'announce called');
    expect(await pending()).toBe(1); // delivered, not acked: the signal is not committed yet
    release();
    await settled();
    expect([...world.announcer.signals.values()]).toMatchObject([
      { name: 'table_landed', params: { table: 'sales', date: '20261207' }, instance_id: `landed:${id}` },
    ]);
  });

  it('reads the message from one field when told, and a redelivered entry is a DUPLICATED no-op', async () => {
    world.announcer.loseAnswerNext(); // stored, but the source hears a failure: it does not ack
    await add({ kind: 'x', body: JSON.stringify({ table: 'orders', date: 20261207 }) });
    start({ field: 'body' });
    await pollUntil(async () => world.log.some((l) => l.includes('not stored (try 1)')), 'first try failed');
    expect(await pending()).toBe(1);
    await advanceBackoff(world, 1000); // the backoff: the entry is read again from this consumer's pending list
    await settled();
    expect(world.announcer.calls).toBe(2);
    expect([...world.announcer.signals.values()]).toMatchObject([
      { params: { table: 'orders', date: 20261207 } },
    ]);
  });

  it('parks a malformed entry with the reason, acks it, and goes on with the next', async () => {
    await add({ date: '20261207' }); // no table
    await add({ body: '{not json' });
    await add({ table: 'bad', date: '20261207', id: 'not a name!' });
    start({ signal: { ...LANDED_MAPPING, name: undefined, name_from: '/id', request_id: '/id' } });
    await settled();
    const parked = await parkedOf(world, 'landed');
    expect(parked.map((p) => p.reason)).toEqual([
      'the message has no signal name: nothing at /id',
      'the message has no signal name: nothing at /id',
      "the announcer refused the signal: 'not a name!' is not a signal name (at name)",
    ]);
    expect(parked[1]).toMatchObject({ body: '{"body":"{not json"}', encoding: 'utf8' });
    expect(world.announcer.signals.size).toBe(0);
  });

  it('parks only once the record is stored: a store that is down leaves the malformed entry pending', async () => {
    let down = true;
    const store = world.store;
    const flaky: typeof store = {
      ...store,
      transact: (fn) => (down ? Promise.reject(new Error('the database is down')) : store.transact(fn)),
      onWork: (l) => store.onWork(l),
      close: () => store.close(),
    };
    await add({ body: 'not json' });
    const sources = startSources({ ...world.deps, store: flaky }, { sources: [config()], owner: 'p1' });
    running.push(sources);
    await pollUntil(async () => world.log.some((l) => l.includes('the database is down')), 'the park failed');
    expect(await pending()).toBe(1);
    down = false;
    await advanceBackoff(world, 1000);
    await settled();
    expect((await parkedOf(world, 'landed')).map((p) => p.reason)).toEqual([
      "param 'table': the message has nothing at /table",
    ]);
  });

  it('holds an entry while the announcer fails, with backoff, and announces it later', async () => {
    world.announcer.failNext(2);
    await add({ table: 'sales', date: '1' });
    start();
    await pollUntil(async () => world.log.some((l) => l.includes('(try 1)')), 'first failure');
    await advanceBackoff(world, 999);
    expect(world.announcer.calls).toBe(1); // the backoff is not over
    await advanceBackoff(world, 1);
    await pollUntil(async () => world.log.some((l) => l.includes('(try 2)')), 'second failure');
    expect(await pending()).toBe(1);
    await advanceBackoff(world, 2000); // doubled
    await settled();
    expect(world.announcer.names).toEqual(['table_landed']);
  });

  it('takes over the entries a dead consumer held (XAUTOCLAIM) and stops cleanly with nothing half-handled', async () => {
    await add({ table: 'sales', date: '1' });
    // A consumer that read the entry and died before acking it.
    await redis.xreadgroup('GROUP', 'baton', 'dead', 'COUNT', 10, 'STREAMS', stream, '>');
    const release = world.announcer.hold();
    const sources = start({ claim_idle_ms: 1 }, 'p2');
    await pollUntil(async () => world.announcer.calls === 1, 'the entry claimed');
    const stopped = sources.stop();
    release(); // stop waited for the entry in hand: it is acked, not left pending
    await stopped;
    expect(await pending()).toBe(0);
    expect(world.announcer.names).toEqual(['table_landed']);
    // It left the group, having nothing pending; the dead consumer is the operator's to remove.
    const consumers = (await redis.xinfo('CONSUMERS', stream, 'baton')) as string[][];
    expect(consumers.map((c) => c[c.indexOf('name') + 1])).toEqual(['dead']);
  });
});
