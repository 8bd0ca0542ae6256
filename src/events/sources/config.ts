import { z } from 'zod';
import { amqpUrl, entityName, natsAccess, positive, redisUrl } from '../config-parts.js';

/**
 * The `sources:` section of the events file (docs/signal-sources.md, decision 0018): where signals come from besides
 * the API — a NATS JetStream consumer, a RabbitMQ queue, a Redis stream's consumer group, or an inbound webhook —
 * and how each message becomes a signal. Read with the sinks by `loadEventsConfig`, so one file and one set of
 * `${env:NAME}` rules serve both directions.
 */

const sourceName = entityName('source');
/** A required text field whose absence is said in words ("stream: the JetStream stream… is missing"). */
const required = (what: string) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${what} is missing` : `${what} must be text`) })
    .min(1, `${what} cannot be empty`);

/** RFC 6901: '' is the whole message, `/a/b` the key b of the key a (`~1` stands for '/', `~0` for '~'). */
export const jsonPointer = z
  .string()
  .regex(
    /^(\/([^~/]|~[01])*)*$/,
    "a JSON Pointer: '' for the whole message, or /key/key… (~1 for '/', ~0 for '~' in a key)",
  );

const mapping = z
  .strictObject(
    {
      /** The signal's name, the same for every message… */
      name: z.string().min(1, 'a signal name cannot be empty').optional(),
      /** …or read from the message at this pointer. */
      name_from: jsonPointer.optional(),
      /** Each param from a pointer into the message; a value must be a string or a safe integer. */
      params: z.record(z.string().min(1, 'a param name cannot be empty'), jsonPointer).optional(),
      /** The part of the message kept as the signal's payload (an object); default the whole message. */
      payload: jsonPointer.optional(),
      /** The signal's request id from the message; default the broker's id of the message. */
      request_id: jsonPointer.optional(),
    },
    {
      error: (issue) =>
        issue.input === undefined
          ? 'signal (how a message becomes a signal: its name, params, payload) is missing'
          : 'signal must be an object: name or name_from, params, payload, request_id',
    },
  )
  .refine((m) => (m.name === undefined) !== (m.name_from === undefined), {
    message: 'give the signal a name, or name_from: where the message holds it (one of them)',
  });

export type SignalMapping = z.infer<typeof mapping>;

const common = {
  name: sourceName,
  signal: mapping,
};

const nats = z.strictObject({
  ...common,
  type: z.literal('nats'),
  ...natsAccess,
  /** The JetStream stream the messages are in (it must exist). */
  stream: required('stream (the JetStream stream to read)'),
  /** Only messages on this subject (wildcards allowed); default every subject of the stream. */
  subject: z.string().min(1).optional(),
  /** The durable consumer every Baton process shares; default `baton-<source name>`. Created when missing. */
  durable: z.string().min(1).optional(),
  timeout_ms: positive.optional(),
});
const rabbitmq = z.strictObject({
  ...common,
  type: z.literal('rabbitmq'),
  url: amqpUrl,
  /** The queue to consume (it must exist; give it a dead-letter exchange to keep parked messages there too). */
  queue: required('queue (the RabbitMQ queue to consume)'),
  /** Messages the broker hands this process ahead (default 10). */
  prefetch: positive.optional(),
  timeout_ms: positive.optional(),
});
const redis = z.strictObject({
  ...common,
  type: z.literal('redis'),
  url: redisUrl,
  stream: required('stream (the Redis stream to read)'),
  /** The message is this field's JSON text; default: the entry's fields as an object of strings. */
  field: z.string().min(1).optional(),
  /** The consumer group every Baton process reads in (default `baton`); created at the stream's end when missing. */
  group: z.string().min(1).optional(),
  /** An entry another consumer has held this long unacked is taken over (XAUTOCLAIM); default 60 s. */
  claim_idle_ms: positive.optional(),
  timeout_ms: positive.optional(),
});
const webhook = z.strictObject({
  ...common,
  type: z.literal('webhook'),
  /** HMAC-SHA256 key of the `Baton-Signature` header, as for a webhook sink. */
  secret: z.string().min(16, 'the secret needs at least 16 characters'),
});

export const sourceSchema = z.discriminatedUnion('type', [nats, rabbitmq, redis, webhook], {
  error: 'each source needs a type: nats, rabbitmq, redis or webhook',
});

export type SourceConfig = z.infer<typeof sourceSchema>;
export type SourceType = SourceConfig['type'];
export type SourceOf<T extends SourceType> = Extract<SourceConfig, { type: T }>;
