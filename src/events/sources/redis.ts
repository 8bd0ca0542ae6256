import type { Redis } from 'ioredis';
import { newRedis } from '../connections.js';
import { DEFAULT_SEND_TIMEOUT_MS, withTimeout } from '../sink.js';
import type { JsonObject } from '../../model/json.js';
import type { SourceOf } from './config.js';
import type { PullSide, Received } from './runner.js';

const PULL_BLOCK_MS = 5_000;
const BATCH = 10;

type Entry = [id: string, fields: string[] | null];

/**
 * A Redis stream read in a consumer group (created at the stream's end, with the stream, when missing): every Baton
 * process is one consumer of the group, so Redis shares the entries among them. Each pull first re-reads this
 * consumer's own pending entries (released after a failure), then takes over entries another consumer has held
 * unacked for `claim_idle_ms` (XAUTOCLAIM: that consumer died), then blocks for new ones. A settled entry (signal
 * committed, or parked) is XACKed; a released one stays pending and comes back on the next pull.
 *
 * The entry's fields are the message: as an object of strings, or, with `field`, the JSON text of that one field.
 */
export function redisSide(config: SourceOf<'redis'>, consumer: string): PullSide {
  const timeoutMs = config.timeout_ms ?? DEFAULT_SEND_TIMEOUT_MS;
  const group = config.group ?? 'baton';
  const claimIdleMs = config.claim_idle_ms ?? 60_000;
  // The blocking read has a connection of its own, so acks never queue behind it.
  let open: { reader: Redis; writer: Redis } | undefined;

  const client = (): Redis => newRedis(config.url, timeoutMs);
  const connectOnce = async (): Promise<{ reader: Redis; writer: Redis }> => {
    if (open) return open;
    const fresh = { reader: client(), writer: client() };
    open = fresh;
    await Promise.all([fresh.reader.connect(), fresh.writer.connect()]);
    await fresh.writer.xgroup('CREATE', config.stream, group, '$', 'MKSTREAM').catch((error: Error) => {
      if (!error.message.startsWith('BUSYGROUP')) throw error;
    });
    return fresh;
  };

  const received = (writer: Redis, [id, fields]: [string, string[]]): Received => {
    const ack = async (): Promise<void> => {
      await withTimeout(writer.xack(config.stream, group, id), timeoutMs, `redis ${config.url}`);
    };
    return {
      message: {
        body: bodyOf(fields, config.field),
        brokerId: id,
        details: { stream: config.stream, entry: id },
      },
      ack,
      park: ack,
      // It stays pending for this consumer: the next pull reads it again (or another consumer claims it).
      release: async () => undefined,
    };
  };

  return {
    async pull() {
      const { reader, writer } = await connectOnce();
      let entries = await readGroup(reader, ['STREAMS', config.stream, '0']);
      if (entries.length === 0) {
        const claimed = (await writer.xautoclaim(
          config.stream,
          group,
          consumer,
          claimIdleMs,
          '0',
          'COUNT',
          BATCH,
        )) as [string, Entry[]];
        entries = claimed[1];
      }
      if (entries.length === 0) {
        const fresh = readGroup(reader, ['BLOCK', PULL_BLOCK_MS, 'STREAMS', config.stream, '>']);
        entries = await withTimeout(fresh, PULL_BLOCK_MS + timeoutMs, `redis ${config.url}`);
      }
      // An entry deleted from the stream while pending has no fields: nothing to announce, only to ack.
      const gone = entries.filter(([, fields]) => fields === null).map(([id]) => id);
      if (gone.length > 0) await writer.xack(config.stream, group, ...gone);
      return entries.flatMap(([id, f]) => (f === null ? [] : [received(writer, [id, f])]));
    },
    interrupt() {
      open?.reader.disconnect();
    },
    async close() {
      // A consumer that leaves nothing pending is removed from the group, so stopped processes do not pile up in it.
      const writer = open?.writer;
      if (!writer) return;
      const mine = (await writer.xpending(config.stream, group, '-', '+', 1, consumer)) as unknown[];
      if (mine.length === 0) await writer.xgroup('DELCONSUMER', config.stream, group, consumer);
    },
    async reset() {
      const old = open;
      open = undefined;
      old?.reader.disconnect();
      old?.writer.disconnect();
    },
  };

  async function readGroup(reader: Redis, tail: (string | number)[]): Promise<Entry[]> {
    const answer = (await reader.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', BATCH, ...tail)) as
      [string, Entry[]] | [string, Entry[]][] | null;
    if (!answer || answer.length === 0) return [];
    // One stream: ioredis's `call` answers [stream, entries]; Redis itself says [[stream, entries]].
    const [first] = answer;
    return typeof first === 'string' ? (answer[1] as Entry[]) : ((first as [string, Entry[]])[1] ?? []);
  }
}

function bodyOf(fields: string[], field: string | undefined): string {
  const object: Record<string, string> = {};
  for (let i = 0; i + 1 < fields.length; i += 2) object[fields[i]!] = fields[i + 1]!;
  if (field === undefined) return JSON.stringify(object satisfies JsonObject);
  // The field's text is the message; a missing field is an empty body, which the mapping refuses as not JSON.
  return object[field] ?? '';
}
