import type { Clock } from '../../engine/clock.js';
import { backoffDelay, Waiter } from '../waiter.js';
import type { SourceConfig } from './config.js';
import { takeMessage, type IntakeDeps } from './intake.js';
import type { InboundMessage } from './mapping.js';

/** A running source: `stop` ends it after the message in hand is settled, and closes its connections. */
export interface SourceRunner {
  readonly name: string;
  stop(): Promise<void>;
}

export interface RetryOptions {
  /** First pause after a failure (default 1 s), doubled on each failure in a row… */
  readonly initialMs: number;
  /** …up to this (default 60 s). */
  readonly maxMs: number;
}

/** One message handed out by a broker, with what can be done to it. */
export interface Received {
  readonly message: InboundMessage;
  /** Its signal is committed: the broker may forget it. */
  ack(): Promise<void>;
  /** It was parked (recorded in the store): the broker may set it aside for good (dead-letter it, or forget it). */
  park(reason: string): Promise<void>;
  /** It could not be handled for now: the broker should deliver it again. */
  release(): Promise<void>;
}

/** A broker as a pull loop sees it: a long poll for the next messages, which `interrupt` ends early. */
export interface PullSide {
  /** Up to a few messages, or none after the broker's long-poll time. Rejects when the connection fails. */
  pull(): Promise<Received[]>;
  /** Ends a `pull` in progress at once (it rejects or resolves empty); called only while pulling. */
  interrupt(): void;
  /** At stop, before `reset`, once nothing is in hand: tidy what this consumer leaves on the broker. */
  close?(): Promise<void>;
  /** Drops the connection (after a failure, or at stop); the next `pull` opens a new one. */
  reset(): Promise<void>;
}

/** How a source settles one message: 'done' (acked or parked) or 'failed' (released, to be tried again later). */
export async function settle(
  deps: IntakeDeps,
  source: SourceConfig,
  received: Received,
  failures: number,
): Promise<'done' | 'failed'> {
  let outcome;
  try {
    outcome = await takeMessage(deps, source, received.message);
  } catch (error) {
    deps.log?.(
      `source ${source.name}: signal not stored (try ${failures + 1}), delivered again: ${text(error)}`,
    );
    await received.release();
    return 'failed';
  }
  if (outcome.kind === 'announced') await received.ack();
  else await received.park(outcome.reason);
  return 'done';
}

/**
 * The loop of a pulling source (NATS JetStream, Redis streams): pull a few messages, settle each in turn — ack only
 * after its signal is committed — and after a failure (the store, or the broker) release what is in hand and pause
 * with backoff on the injected clock. `stop` lets the message in hand finish, interrupts a pull, and closes.
 */
export class PullLoop implements SourceRunner {
  private readonly waiter: Waiter;
  private failures = 0;
  private stopping = false;
  private pulling = false;
  private readonly done: Promise<void>;

  constructor(
    private readonly deps: IntakeDeps & { clock: Clock },
    private readonly source: SourceConfig,
    private readonly side: PullSide,
    private readonly retry: RetryOptions,
  ) {
    this.waiter = new Waiter(deps.clock);
    this.done = this.loop();
  }

  get name(): string {
    return this.source.name;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waiter.wake();
    if (this.pulling) this.side.interrupt();
    await this.done;
    await this.side.close?.().catch(() => undefined);
    await this.side.reset().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let failed: boolean;
      try {
        failed = (await this.round()) === 'failed';
      } catch (error) {
        if (this.stopping) break;
        this.deps.log?.(`source ${this.source.name}: ${text(error)}`);
        await this.side.reset().catch(() => undefined);
        failed = true;
      }
      if (!failed) this.failures = 0;
      else {
        this.failures += 1;
        await this.waiter.wait(backoffDelay(this.failures, this.retry.initialMs, this.retry.maxMs));
      }
    }
  }

  private async round(): Promise<'done' | 'failed'> {
    this.pulling = true;
    let batch: Received[];
    try {
      batch = await this.side.pull();
    } finally {
      this.pulling = false;
    }
    for (const [i, received] of batch.entries()) {
      const outcome = this.stopping
        ? 'failed'
        : await settle(this.deps, this.source, received, this.failures);
      if (outcome === 'done') continue;
      // The rest of the batch goes back too: a store that failed one message will fail the next.
      for (const rest of batch.slice(this.stopping ? i : i + 1)) await rest.release();
      return 'failed';
    }
    return 'done';
  }
}

export function text(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
