/** One event on its way to a sink: the JSON text that is sent, and what a sink may put beside it. */
export interface OutgoingEvent {
  /** The outbox id: the same on every resend of this event, so receivers can drop duplicates by it. */
  readonly id: number;
  readonly type: string;
  /** The event as JSON (docs/events.md). */
  readonly body: string;
  /** When it is sent (epoch ms, from the relay's Clock). */
  readonly sendTime: number;
}

/**
 * A place events go. `send` resolves once the sink has accepted the event (HTTP 2xx, a JetStream ack, a RabbitMQ
 * publisher confirm, a Redis reply); it throws a `PermanentSinkError` when the sink refuses this event for good, and
 * anything else when the sink could not be reached or refused for now (the relay tries again later, with backoff).
 */
export interface Sink {
  readonly name: string;
  /** The largest event body (bytes) this sink takes; a larger one is parked. */
  readonly maxBytes?: number;
  send(event: OutgoingEvent): Promise<void>;
  /** Drops the connection so the next `send` makes a new one (after a failure: nothing half-done is reused). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** A sink's refusal of one event that no retry will change; the event is parked with this message as its reason. */
export class PermanentSinkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PermanentSinkError';
  }
}

/** `promise`, or a failure after `ms` (an ordinary, retryable one) naming what did not answer. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;
