import type { Properties, WorkflowCreateRequest } from '../model/definition.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import type { WorkflowInstanceStatus } from '../model/status.js';

/**
 * The Store port: everything the engine persists, behind one interface that the SQLite and PostgreSQL adapters
 * implement and one conformance suite checks (test/store/). All writes happen inside `transact`, so a transition's
 * state, the work it creates, its timers and its outbox events commit together or not at all (ARCHITECTURE
 * invariant 2). Methods are async so the same engine code drives a synchronous driver (better-sqlite3) and a
 * networked one (pg).
 */
export interface Store {
  /**
   * Runs `fn` in one transaction. If `fn` throws, nothing it wrote is kept. A `ConflictError` thrown by an
   * optimistic update (a lost race) may be retried by the caller with fresh state. A networked store may run `fn`
   * more than once (a serialization failure, a connection lost before commit): only the run that commits counts, so
   * `fn` keeps no effects outside the tx from an earlier run. Inside `fn`, use the tx it is given: calling
   * `transact` again from inside it waits for itself on the embedded store (one connection).
   */
  transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Wakes `listener` soon after any transaction (from any process sharing the store, where supported) adds work. */
  onWork(listener: () => void): () => void;
  close(): Promise<void>;
}

/** What one transaction can read and write. */
export interface StoreTx {
  // -- workflows and versions ------------------------------------------------------------------------------------
  getWorkflow(workflowId: string): Promise<WorkflowRecord | undefined>;
  /** Creates the workflow row on first use; returns the new version (latest + 1), activated unless is_active=false. */
  insertWorkflowVersion(input: NewWorkflowVersion): Promise<WorkflowVersionRecord>;
  getWorkflowVersion(workflowId: string, versionId: number): Promise<WorkflowVersionRecord | undefined>;
  /**
   * Allocates the next instance id of a workflow (1, 2, ...); with `count`, that many in a row, returning the first.
   * Either way the workflow's counter stays locked until the transaction ends; `count` 0 only locks it (and returns
   * the id the next allocation would give).
   */
  nextInstanceId(workflowId: string, count?: number): Promise<number>;

  // -- instances and runs ------------------------------------------------------------------------------------------
  /** Inserts a run; returns undefined instead when a run of this workflow already has this request id. */
  insertRun(run: NewRun): Promise<RunRecord | undefined>;
  /** `insertRun` for several runs (with distinct request ids) in one go, each result in the order given. */
  insertRuns(runs: readonly NewRun[]): Promise<(RunRecord | undefined)[]>;
  findRunByRequestId(workflowId: string, requestId: string): Promise<RunRecord | undefined>;
  /** The runs of a workflow that have any of these request ids, in no particular order. */
  findRunsByRequestIds(workflowId: string, requestIds: readonly string[]): Promise<RunRecord[]>;
  getRun(key: RunKey): Promise<RunRecord | undefined>;
  getLatestRun(workflowId: string, instanceId: number): Promise<RunRecord | undefined>;
  /**
   * Locks runs against writes by other transactions until this one ends, in the order given (callers sort keys, so
   * two transactions cannot deadlock), and returns their current versions; runs that do not exist are left out.
   * A batch that locks its runs first cannot lose an optimistic race on them, and learns which cached copies are stale.
   * Each also carries the store's rules version (`WorkflowRules.version`) as the same statement read it, so rules read
   * in an earlier transaction can be reused while it has not moved.
   */
  lockRuns(keys: readonly RunKey[]): Promise<LockedRun[]>;
  /**
   * Serializes admissions (run strategies letting queued runs in) of these workflows until the transaction ends, so
   * two processes never both count the same free slot. Starts do not wait for it.
   */
  lockAdmissions(workflowIds: readonly string[]): Promise<void>;
  /** Writes a run if its stored `version` is still `expectedVersion`; throws ConflictError otherwise. */
  updateRun(run: RunRecord, expectedVersion: number): Promise<RunRecord>;
  /**
   * `updateRun` and `putSteps` of several runs (each at most once) in one go. When a run's version moved on (the
   * run is gone) it throws ConflictError (NotFoundError) naming the first such run, and the transaction must not
   * commit: what the call wrote before it noticed is undone with the rollback. Returns the written runs in the
   * order given.
   */
  writeRuns(writes: readonly RunWrite[]): Promise<RunRecord[]>;
  /** Runs of a workflow in a status, oldest first (instance_id, run_id), for run strategies. */
  listRunsByStatus(
    workflowId: string,
    statuses: readonly WorkflowInstanceStatus[],
    limit: number,
  ): Promise<RunRecord[]>;
  countRunsByStatus(workflowId: string, statuses: readonly WorkflowInstanceStatus[]): Promise<number>;
  /**
   * Whether a FAILED run of this workflow holds its STRICT_SEQUENTIAL queue: one not yet unblocked (`unblockRun`).
   * One indexed look-up (only runs that hold are in the index), so its cost does not grow with the workflow's
   * history. Locking: a plain read of committed runs, taken under `lockAdmissions(workflowId)` by the admission that
   * asks; a run that ends FAILED and a run that is unblocked each ask for an admission in their own transaction, so
   * a look-up that raced one of them is followed by another that sees it.
   */
  hasBlockingFailedRun(workflowId: string): Promise<boolean>;
  /**
   * Marks a FAILED run unblocked (Maestro's FAILED_1 when unblocked, FAILED_2 when restarted): it no longer holds its
   * workflow's STRICT_SEQUENTIAL queue. Changes nothing else about the run (not its `version`, so cached copies stay
   * valid). Idempotent; false when no FAILED run has this key. Locking: writes the one run row, which the
   * transaction holds until it ends; a run that has ended FAILED is written by nothing else.
   */
  unblockRun(key: RunKey): Promise<boolean>;

  // -- step instances -------------------------------------------------------------------------------------------------
  /**
   * The steps of a run, one row per step id (its current attempt, with earlier attempts inside its state), in the
   * order they were first written. Kept apart from the run so a transition writes only the steps it changed.
   */
  getSteps(key: RunKey): Promise<StepRecord[]>;
  /** `getSteps` of several runs in one go, in the order given. */
  getStepsOf(keys: readonly RunKey[]): Promise<StepRecord[][]>;
  /** Inserts or replaces steps of a run. Written by the holder of the run's version, in the same transaction. */
  putSteps(key: RunKey, steps: readonly StepRecord[]): Promise<void>;

  // -- permits (step concurrency, instance step concurrency, tag permits) ------------------------------------------
  /**
   * Takes one permit of every key for `holder`, all or none. When any key is full, nothing is taken and the
   * holder waits in line on all its keys (first come, first served) until `grantWaiting` lets it in.
   */
  acquirePermits(holder: PermitHolder, permits: readonly PermitRequest[], now: number): Promise<boolean>;
  /**
   * How many permits of each key are held, and whether anyone waits in line for it. Until this transaction ends,
   * nobody else can change those keys' permits (nor get in line for them).
   */
  permitState(keys: readonly string[]): Promise<Record<string, { held: number; waiting: boolean }>>;
  /**
   * Puts holders in line for their permits, behind everyone already waiting, without looking for room:
   * `grantWaiting` on their keys lets them in when there is. A holder that already held or waited gives that up
   * first; returns the keys it held, as `releasePermits` does.
   */
  queueForPermits(holds: readonly PermitHold[], now: number): Promise<string[]>;
  /** Takes permits the callers have seen to be free in this same transaction (see `permitState`). */
  holdPermits(holds: readonly PermitHold[], now: number): Promise<void>;
  /**
   * Gives back everything these holders hold or wait for; returns every key they held or waited for (each once), so
   * `grantWaiting` can let in whoever was behind them (a waiter that leaves may have been holding up the line).
   */
  releasePermits(holders: readonly PermitHolder[]): Promise<string[]>;
  /** Lets in waiting holders of these keys, oldest first, while all their keys have room; returns who got in. */
  grantWaiting(keys: readonly string[]): Promise<PermitHolder[]>;
  /** User-defined tag permits (`POST /tag-permits`): how many steps carrying the tag may run at once. */
  setTagPermit(tag: string, maxAllowed: number): Promise<void>;
  getTagPermits(tags: readonly string[]): Promise<{ tag: string; max_allowed: number }[]>;

  // -- breakpoints ----------------------------------------------------------------------------------------------------
  /** A step attempt matching a breakpoint stops in PAUSED until resumed; 0 in a field matches any. */
  setBreakpoint(breakpoint: Breakpoint): Promise<void>;
  deleteBreakpoint(breakpoint: Breakpoint): Promise<number>;
  listBreakpoints(workflowId: string): Promise<Breakpoint[]>;
  /**
   * What every transition of a workflow's runs must respect, read together (one round trip on a server): the
   * workflow's properties (none when it has no row), its breakpoints as `listBreakpoints` lists them, and the limits
   * of these tags as `getTagPermits` gives them.
   */
  getWorkflowRules(workflowId: string, tags: readonly string[]): Promise<WorkflowRules>;

  // -- the work queue (work items and durable timers) -------------------------------------------------------------
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

  // -- outbox ---------------------------------------------------------------------------------------------------------
  appendOutbox(events: readonly NewOutboxEvent[]): Promise<void>;
  readOutbox(afterId: number, limit: number): Promise<OutboxEvent[]>;
}

export interface RunKey {
  readonly workflow_id: string;
  readonly instance_id: number;
  readonly run_id: number;
}

/** One instance of a workflow: every run of it. */
export interface InstanceKey {
  readonly workflow_id: string;
  readonly instance_id: number;
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

export interface WorkflowRecord {
  readonly workflow_id: string;
  readonly latest_version_id: number;
  /** 0 when no version is active. */
  readonly active_version_id: number;
  readonly properties: Properties;
  readonly latest_instance_id: number;
  readonly create_time: number;
  readonly modify_time: number;
}

export interface NewWorkflowVersion {
  readonly request: WorkflowCreateRequest;
  readonly author: string;
  readonly now: number;
}

export interface WorkflowVersionRecord {
  readonly workflow_id: string;
  readonly version_id: number;
  readonly definition: WorkflowCreateRequest;
  /** The properties in force when this version was created (merged with earlier ones). */
  readonly properties: Properties;
  readonly author: string;
  readonly create_time: number;
}

export interface NewRun extends RunKey {
  readonly version_id: number;
  readonly request_id: string;
  readonly status: WorkflowInstanceStatus;
  readonly correlation_id: string;
  readonly initiator: JsonObject;
  /** Engine-owned state of the run (params, steps, attempts); opaque to the store. */
  readonly state: JsonObject;
  readonly create_time: number;
}

export interface RunRecord extends NewRun {
  /** Optimistic concurrency: incremented by every update. */
  readonly version: number;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly modify_time: number;
}

export interface StepRecord {
  readonly step_id: string;
  readonly status: string;
  readonly attempt: number;
  /** Engine-owned state of the step; opaque to the store. */
  readonly state: JsonObject;
}

/** A run `lockRuns` locked: its version, and the store's rules version read in the same statement. */
export interface LockedRun {
  readonly key: RunKey;
  readonly version: number;
  readonly rulesVersion: number;
}

export interface WorkflowRules {
  /**
   * The store's rules version when these were read: it moves (in the same transaction) with every change of any
   * workflow's properties, any breakpoint and any tag permit, so rules read at the same version are still current.
   */
  readonly version: number;
  readonly properties?: Properties;
  readonly breakpoints: readonly Breakpoint[];
  readonly tagPermits: readonly { tag: string; max_allowed: number }[];
}

export interface Breakpoint {
  readonly workflow_id: string;
  readonly step_id: string;
  /** 0 = every instance, run or attempt. */
  readonly instance_id: number;
  readonly run_id: number;
  readonly attempt: number;
}

/** A step attempt that holds or waits for permits. */
export interface PermitHolder extends RunKey {
  readonly step_id: string;
  readonly attempt: number;
}

export interface PermitRequest {
  readonly key: string;
  readonly limit: number;
}

export interface PermitHold {
  readonly holder: PermitHolder;
  readonly permits: readonly PermitRequest[];
}

export const WorkItemKind = {
  /** Run (start, poll or finish) one step attempt. */
  step: 'step',
  /** Deliver an event to a run at a time: retry backoff, timeouts. */
  timer: 'timer',
  /** Try to start queued runs of a workflow (run strategy). */
  admit: 'admit',
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

/** One run's write for `writeRuns`: the run, the version it was read at, and the steps that changed. */
export interface RunWrite {
  readonly run: RunRecord;
  readonly expectedVersion: number;
  readonly steps: readonly StepRecord[];
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

export interface NewOutboxEvent {
  readonly type: string;
  readonly payload: JsonObject;
  readonly create_time: number;
}

export interface OutboxEvent extends NewOutboxEvent {
  readonly id: number;
}

export type { JsonValue };
