import type { Clock } from '../engine/clock.js';
import type { Engine } from '../engine/engine.js';
import type { Limits } from '../model/limits.js';
import type { Store } from '../store/port.js';

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
  /** Fastify's logger: JSON lines with a level (`false` for none, as in tests). */
  readonly logger?: boolean | { readonly level: string };
}
