import type { JsonObject } from '../../model/json.js';
import type { NewOutboxEvent } from './outbox.js';
import type { InstanceKey, RunKey } from './runs.js';

/** The work queue: work items and durable timers. */
export interface QueueTx {
  /**
   * Adds work items and returns them as stored. An item whose `dedup_key` is already queued is not added twice: the
   * queued one is armed again instead — due at the earlier of the two `run_at`s, its lease replaced by the new item's
   * (none, or the caller's) — and returned. Whoever was working on it then finds its `ack` does nothing, so the work
   * is done once more after the change that asked for it (an admission that had already read the queue cannot miss a
   * run started meanwhile).
   */
  enqueue(items: readonly NewWorkItem[]): Promise<WorkItem[]>;
  /**
   * Leases up to `limit` items that nobody holds and whose `runAt` has come: first those whose lease expired (oldest
   * expiry first: work a dead process abandoned), then unleased ones, kind by kind (in the order asked), oldest `runAt`
   * first (then by id). An expired
   * lease is returned with `expiredLeaseOwner` set so the caller can count it as a platform failure. Costs grow with
   * `limit`, not with how many items are queued or leased. With `scope`, only items in it (see `ClaimScope`).
   */
  claim(
    owner: string,
    now: number,
    leaseMs: number,
    limit: number,
    kinds?: readonly WorkItemKind[],
    scope?: ClaimScope,
  ): Promise<WorkItem[]>;
  /** Extends the leases `owner` holds on `ids`; returns the ids still held. */
  extendLeases(owner: string, ids: readonly number[], leaseUntil: number): Promise<number[]>;
  /**
   * Hands back every item `owner` holds a lease on (a process that stops cleanly): each becomes claimable at once, by
   * any process, as if it had never been claimed (its `run_at`, payload and attempt stay), so the next claim does not
   * report it as an expired lease and the attempt is not counted as lost. Wakes other processes like new work does.
   * Returns how many items were handed back.
   */
  releaseLeases(owner: string): Promise<number>;
  /**
   * Deletes finished items. With `owner`, only those `owner` still holds the lease of: an item another process took
   * over, or one armed again by `enqueue`, stays.
   */
  ack(ids: readonly number[], owner?: string): Promise<void>;
  /**
   * Releases an item back to the queue to run at `runAt` (a step that polls again later), with a new payload if
   * given. With `owner`, only while `owner` still holds the item's lease: a process whose lease was taken over must
   * not release the new holder's.
   */
  reschedule(id: number, runAt: number, payload?: JsonObject, owner?: string): Promise<void>;
  /** `reschedule` of several items in one go (payloads unchanged), each to its own `run_at`. */
  rescheduleItems(
    items: readonly { readonly id: number; readonly run_at: number }[],
    owner?: string,
  ): Promise<void>;
  /**
   * Deletes the step items of one attempt, leased or not: the engine stopped that attempt, and whoever holds it
   * learns so when its next lease extension no longer finds the item.
   */
  deleteStepItems(key: RunKey, stepId: string, attempt: number): Promise<number>;
  /** Deletes the not-yet-leased items of a run (timers and queued steps of a run that ended). */
  deleteRunItems(key: RunKey, kinds?: readonly WorkItemKind[]): Promise<number>;
  /**
   * When a sleeping process should look again: the earliest `run_at` after `now` of an unleased item, or the
   * moment after the earliest lease (held at `now`) runs out, whichever comes first. With `scope`, of items in it.
   */
  nextRunAt(now: number, scope?: ClaimScope): Promise<number | undefined>;

  /**
   * What a batch of engine work writes to the queue at its end, in one call: deletes the finished items (`ack`),
   * appends the outbox events, then enqueues the new items (after the acks, so an acked item's `dedup_key` is free
   * again) and returns those stored, as `enqueue` does. A networked store packs it into as few round trips as it can.
   */
  writeBatch(writes: BatchQueueWrites): Promise<WorkItem[]>;
}

/**
 * What a process that works for some instances alone may claim (`baton run` runs its own run and nobody else's):
 * the step attempts and timers of these instances (every run of each), and the admissions of their workflows (an
 * admission lets in whichever queued runs are next, its own or not, so a run queued behind others is let in by
 * whichever process sees a slot free first). No instances: nothing.
 */
export interface ClaimScope {
  readonly instances: readonly InstanceKey[];
}

export const WorkItemKind = {
  /** Run (start, poll or finish) one step attempt. */
  step: 'step',
  /** Deliver an event to a run at a time: retry backoff, timeouts. */
  timer: 'timer',
  /** Try to start queued runs of a workflow (run strategy). */
  admit: 'admit',
  /** Fire a workflow's due time triggers (one item per workflow, `time-trigger:<workflow_id>`, instance and run 0). */
  trigger: 'trigger',
  /**
   * A signal was announced (payload `{name, seq_id}`): match it against the triggers (and waits) naming it. Not of a
   * run: `workflow_id` is '' and the ids 0, so no run's or workflow's clean-up touches it.
   */
  signal: 'signal',
} as const;
export type WorkItemKind = (typeof WorkItemKind)[keyof typeof WorkItemKind];

export interface NewWorkItem {
  readonly kind: WorkItemKind;
  readonly workflow_id: string;
  readonly instance_id: number;
  readonly run_id: number;
  readonly step_id?: string;
  readonly attempt?: number;
  readonly payload: JsonObject;
  readonly run_at: number;
  /** At most one queued item per key: a second enqueue of the key arms the queued one again (see `enqueue`). */
  readonly dedup_key?: string;
  /** Created already leased by this owner (the local fast path hands it straight to a local worker). */
  readonly lease_owner?: string;
  readonly lease_until?: number;
}

export interface WorkItem extends NewWorkItem {
  readonly id: number;
  readonly created_at: number;
  /** Set by `claim` when the item was taken over from an owner whose lease had expired. */
  readonly expired_lease_owner?: string;
}

export interface BatchQueueWrites {
  readonly ack: readonly number[];
  /** Acks only items this owner still holds (see `ack`). */
  readonly owner?: string;
  readonly outbox: readonly NewOutboxEvent[];
  /** Runs that ended: their unleased items are deleted (`deleteRunItems`), before `items` are added. */
  readonly ended?: readonly RunKey[];
  readonly items: readonly NewWorkItem[];
}
