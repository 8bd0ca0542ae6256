import type { Clock } from '../engine/clock.js';
import type { Delivery, Store } from '../store/port.js';
import { PermanentSinkError, type Sink } from './sink.js';
import { backoffDelay, Waiter } from './waiter.js';

export interface SinkWorkerOptions {
  readonly owner: string;
  readonly pollMs: number;
  readonly batchSize: number;
  readonly leaseMs: number;
  readonly retryInitialMs: number;
  readonly retryMaxMs: number;
  readonly maxEventBytes: number;
  readonly onError: (sink: string, message: string) => void;
}

/** The lease that makes one relay process at a time the sender of a sink's events. */
export const sinkLease = (sink: string): string => `sink:${sink}`;

/**
 * One sink's loop: while this process holds the sink's lease, send its queued events one at a time in id order
 * (so in order per run), drop each one the sink accepted, park each one it refused for good, and on any other
 * failure keep the event first in line and try again after a backoff (doubling from `retryInitialMs` up to
 * `retryMaxMs`). The lease is extended before it is half gone; a send never outlasts it (timeouts are shorter).
 */
export class SinkWorker {
  readonly waiter: Waiter;
  private failures = 0;
  private leaseUntil = 0;
  private stopping = false;
  private done: Promise<void> | undefined;

  constructor(
    private readonly deps: { store: Store; clock: Clock },
    private readonly sink: Sink,
    private readonly options: SinkWorkerOptions,
  ) {
    this.waiter = new Waiter(deps.clock);
  }

  start(): void {
    this.done ??= this.loop();
  }

  /** Ends the loop after the send in flight, then hands the lease back. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.waiter.wake();
    await this.done;
    if (this.leaseUntil > 0) {
      const { owner } = this.options;
      await this.deps.store
        .transact((tx) => tx.releaseLease(sinkLease(this.sink.name), owner))
        .catch(() => undefined);
    }
    await this.sink.close().catch(() => undefined);
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      let pause = this.options.pollMs;
      try {
        const outcome = await this.round();
        if (outcome === 'more') continue;
        if (outcome === 'failed') pause = this.backoff();
      } catch (error) {
        // the store itself failed (a restart): say so and try again after a pause
        this.failures += 1;
        this.options.onError(this.sink.name, `store: ${message(error)}`);
        pause = this.backoff();
      }
      await this.waiter.wait(pause);
    }
  }

  private backoff(): number {
    return backoffDelay(this.failures, this.options.retryInitialMs, this.options.retryMaxMs);
  }

  private async holdLease(): Promise<boolean> {
    const now = this.deps.clock.now();
    if (this.leaseUntil - now > this.options.leaseMs / 2) return true;
    const until = now + this.options.leaseMs;
    const held = await this.deps.store.transact((tx) =>
      tx.takeLease(sinkLease(this.sink.name), this.options.owner, now, until),
    );
    this.leaseUntil = held ? until : 0;
    return held;
  }

  /** One batch: 'more' when a full batch went out, 'idle' when nothing (more) is queued or the lease is another's. */
  private async round(): Promise<'more' | 'idle' | 'failed'> {
    if (!(await this.holdLease())) return 'idle';
    const { store } = this.deps;
    const name = this.sink.name;
    const batch = await store.transact((tx) => tx.readDeliveries(name, this.options.batchSize));
    const sent: number[] = [];
    try {
      for (const delivery of batch) {
        if (this.stopping || !(await this.holdLease())) return 'idle';
        const failure = await this.sendOne(delivery);
        if (failure === undefined) {
          sent.push(delivery.id);
          this.failures = 0;
        } else if (failure.permanent) {
          await store.transact(async (tx) => {
            await tx.ackDeliveries(name, sent.splice(0));
            await tx.parkDelivery(name, delivery.id, failure.message, this.deps.clock.now());
          });
          this.options.onError(name, `event ${delivery.id} parked: ${failure.message}`);
        } else {
          this.failures += 1;
          await this.sink.reset().catch(() => undefined);
          await store.transact(async (tx) => {
            await tx.ackDeliveries(name, sent.splice(0));
            await tx.failDelivery(name, delivery.id, failure.message);
          });
          this.options.onError(
            name,
            `event ${delivery.id} not delivered (try ${this.failures}): ${failure.message}`,
          );
          return 'failed';
        }
      }
    } finally {
      if (sent.length > 0) await store.transact((tx) => tx.ackDeliveries(name, sent));
    }
    return batch.length === this.options.batchSize ? 'more' : 'idle';
  }

  private async sendOne(delivery: Delivery): Promise<{ permanent: boolean; message: string } | undefined> {
    let body: string;
    const sendTime = this.deps.clock.now();
    try {
      body = JSON.stringify({ ...delivery.payload, send_time: sendTime });
    } catch (error) {
      return { permanent: true, message: `the event cannot be written as JSON: ${message(error)}` };
    }
    const bytes = Buffer.byteLength(body);
    const max = Math.min(this.options.maxEventBytes, this.sink.maxBytes ?? Infinity);
    if (bytes > max)
      return { permanent: true, message: `the event is ${bytes} bytes; at most ${max} are sent` };
    try {
      await this.sink.send({ id: delivery.id, type: delivery.type, body, sendTime });
      return undefined;
    } catch (error) {
      return { permanent: error instanceof PermanentSinkError, message: message(error) };
    }
  }
}

function message(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}
