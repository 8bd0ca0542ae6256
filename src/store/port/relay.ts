import type { JsonObject } from '../../model/json.js';
import type { OutboxEvent } from './outbox.js';

/**
 * What the event relay keeps in the store: events taken out of the outbox into one delivery queue per sink, the
 * events a sink refused for good (parked, with the reason), and named leases that let one relay process at a time
 * own a sink. Decision docs/decisions/0014-event-relay.md.
 */
export interface RelayTx {
  /**
   * Takes up to `limit` of the oldest outbox events out of the outbox (deleted in this transaction), in id order.
   * Locking: it first locks the store's one take row, so takes by several processes run one after another and each
   * sees every event committed before it got the lock. Outbox ids of one run are in commit order (all writers of a
   * run hold its row lock), so a run's events are taken in order even though ids of different runs are not.
   */
  takeOutbox(limit: number): Promise<OutboxEvent[]>;
  /** Queues `events` (their ids kept) for each of `sinks`; an event already queued for a sink is left as it is. */
  addDeliveries(sinks: readonly string[], events: readonly OutboxEvent[]): Promise<void>;
  /** Up to `limit` of a sink's events waiting to be sent (not parked), in id order. */
  readDeliveries(sink: string, limit: number): Promise<Delivery[]>;
  /** Removes a sink's delivered events. */
  ackDeliveries(sink: string, ids: readonly number[]): Promise<void>;
  /** Counts a failed attempt to send one event (a sink that is down); the event stays first in line. */
  failDelivery(sink: string, id: number, error: string): Promise<void>;
  /** Parks an event the sink refused for good: kept with `reason`, no longer sent; the sink goes on with the next. */
  parkDelivery(sink: string, id: number, reason: string, now: number): Promise<void>;
  /** A sink's parked events after id `afterId`, in id order. */
  listParked(sink: string, afterId: number, limit: number): Promise<Delivery[]>;
  /**
   * Puts a parked event back in its sink's queue, as if it had never been tried (a receiver that was fixed): sent in
   * id order with the rest. False when the sink has no parked event with this id.
   */
  resendParked(sink: string, id: number): Promise<boolean>;
  /**
   * Takes or extends the lease `name` for `owner` until `until`: true when `owner` holds it now (it held it, or
   * nobody did, or the last holder's lease ended at or before `now`). Row-locked, so two processes never both win.
   */
  takeLease(name: string, owner: string, now: number, until: number): Promise<boolean>;
  /** Hands a lease back at once (when `owner` holds it), so another process need not wait for it to expire. */
  releaseLease(name: string, owner: string): Promise<void>;
}

/** One event queued for one sink. */
export interface Delivery {
  readonly sink: string;
  /** The outbox id it had. */
  readonly id: number;
  readonly type: string;
  readonly payload: JsonObject;
  readonly create_time: number;
  /** Failed attempts to send it so far. */
  readonly attempts: number;
  /** The last failure, or for a parked event why it was parked. */
  readonly last_error?: string;
  /** When it was parked; absent while it waits to be sent. */
  readonly parked_at?: number;
}
