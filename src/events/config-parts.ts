import { z } from 'zod';

// Pieces both sections of the events file use: sinks (src/events/config.ts) and sources (src/sources/config.ts).

/** A sink's or a source's name: it names queues, leases, parked records and URLs, so it is kept plain. */
export const entityName = (what: 'sink' | 'source') =>
  z
    .string()
    .regex(
      /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
      `a ${what} name is 1 to 64 letters, digits, _ . - (first a letter or digit)`,
    );

export const positive = z.number().int().positive();

/** How a NATS sink or source logs in: the servers, and a user and password or a token. */
export const natsAccess = {
  servers: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  user: z.string().optional(),
  password: z.string().optional(),
  token: z.string().optional(),
};

export const amqpUrl = z.string().regex(/^amqps?:\/\//, 'an amqp:// or amqps:// URL');
export const redisUrl = z.string().regex(/^rediss?:\/\//, 'a redis:// or rediss:// URL');
