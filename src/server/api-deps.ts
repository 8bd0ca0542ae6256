import type { FastifyServerOptions } from 'fastify';
import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import type { Limits } from '../model/limits.js';
import type { Store } from '../store/port.js';
import type { AuthOptions } from './auth.js';
import type { WebhookSources } from './routes/signal-sources.js';

/** What the API works with: everything it changes goes through the engine; reads may go to the store. */
export interface ApiDeps {
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: Clock;
}

export interface ApiOptions {
  /** The largest request body accepted, in bytes (a definition is at most a few hundred KB). */
  readonly bodyLimit?: number;
  /** Limits applied to definitions and params (model/limits.ts); the defaults when absent. */
  readonly limits?: Limits;
  /** Fastify's logger: JSON lines with a level (`false` for none, as in tests); see `loggerOptions`. */
  readonly logger?: FastifyServerOptions['logger'];
  /** Where this process's step attempts write their logs (`Baton.logDir`); absent: no step logs are served. */
  readonly logDir?: string;
  /** Live streams and log follows: how often to look for changes another process wrote (default 1000 ms). */
  readonly livePollMs?: number;
  /** Live streams: a keep-alive comment after this long without an event (default 15000 ms). */
  readonly keepAliveMs?: number;
  /** `/metrics`: how long one read of the store serves scrapes (default 5000 ms). */
  readonly metricsCacheMs?: number;
  /** `/readyz`: how long the store may take to answer before the process is not ready (default 2000 ms). */
  readonly readyTimeoutMs?: number;
  /** Authentication and roles (server/auth.ts); off when absent. `baton server` sets it from `BATON_AUTH`. */
  readonly auth?: AuthOptions;
  /** The signal sources whose webhooks this API serves (the events file's `sources:`); none when absent. */
  readonly sources?: WebhookSources;
}
