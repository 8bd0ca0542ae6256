import type { Clock } from '../engine/clock.js';
import type { JsonValue } from '../model/json.js';
import type { Store } from '../store/port.js';
import { runFactsOf, runTextOf, shapeEvent } from './event-shape.js';
import { Waiter } from './waiter.js';

export interface OutboxTakerOptions {
  readonly sinks: readonly string[];
  readonly clusterName: string;
  readonly pollMs: number;
  readonly batchSize: number;
  /** Called after events were queued for the sinks. */
  readonly onQueued: () => void;
  readonly log: (line: string) => void;
}

/**
 * The relay's taker loop: moves committed outbox events, in their published shape, into every sink's queue, one
 * transaction per batch (decision 0014); at once while full batches come, else every `pollMs` or when woken.
 */
export class OutboxTaker {
  readonly waiter: Waiter;
  private readonly versions = new Map<string, { name?: string; tags: JsonValue }>();
  private stopping = false;
  private done: Promise<void> | undefined;

  constructor(
    private readonly deps: { store: Store; clock: Clock },
    private readonly options: OutboxTakerOptions,
  ) {
    this.waiter = new Waiter(deps.clock);
  }

  start(): void {
    this.done ??= this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waiter.wake();
    await this.done;
  }

  /** Moves one batch out of the outbox into every sink's queue; the number moved. */
  private take(): Promise<number> {
    const { sinks, clusterName, batchSize } = this.options;
    return this.deps.store.transact(async (tx) => {
      const events = await tx.takeOutbox(batchSize);
      if (events.length === 0) return 0;
      const facts = await runFactsOf(tx, events, this.versions);
      const shaped = events.map((e) => ({
        ...e,
        payload: shapeEvent(e, facts.get(runTextOf(e)), clusterName),
      }));
      await tx.addDeliveries(sinks, shaped);
      return events.length;
    });
  }

  private async loop(): Promise<void> {
    const { pollMs, batchSize } = this.options;
    let failures = 0;
    while (!this.stopping) {
      let pause = pollMs;
      try {
        const moved = await this.take();
        failures = 0;
        if (moved > 0) this.options.onQueued();
        if (moved === batchSize) continue;
      } catch (error) {
        failures += 1;
        const why = error instanceof Error ? error.message : String(error);
        this.options.log(`relay: taking events from the outbox failed: ${why}`);
        pause = Math.min(30_000, pollMs * 2 ** Math.min(failures, 10));
      }
      await this.waiter.wait(pause);
    }
  }
}
