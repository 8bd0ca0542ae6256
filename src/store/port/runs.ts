import type { JsonObject } from '../../model/json.js';
import type { WorkflowInstanceStatus } from '../../model/status.js';

/** Instances, their runs, and the step instances of each run. */
export interface RunTx {
  /**
   * Inserts a run; returns undefined instead when a run of this workflow already has this request id. The run becomes
   * its instance's latest run (the one `listInstances` shows and `countInstancesByStatus` counts) unless a run with a
   * higher `run_id` exists: the mark moves from the earlier runs in the same transaction (only a restart, `run_id` >
   * 1, has any to move it from).
   */
  insertRun(run: NewRun): Promise<RunRecord | undefined>;
  /** `insertRun` for several runs (with distinct request ids) in one go, each result in the order given. */
  insertRuns(runs: readonly NewRun[]): Promise<(RunRecord | undefined)[]>;
  findRunByRequestId(workflowId: string, requestId: string): Promise<RunRecord | undefined>;
  /** The runs with any of these (workflow, request id) pairs, in no particular order. */
  findRunsByRequestIds(keys: readonly RequestKey[]): Promise<RunRecord[]>;
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
  /** `listRunsByStatus` of several workflows in one go (a burst of admissions), each with its own limit, in that order. */
  listRunsByStatusOf(
    limits: readonly { readonly workflow_id: string; readonly limit: number }[],
    statuses: readonly WorkflowInstanceStatus[],
  ): Promise<RunRecord[][]>;
  /** `countRunsByStatus` of several workflows in one go, in the order given. */
  countRunsByStatusOf(
    workflowIds: readonly string[],
    statuses: readonly WorkflowInstanceStatus[],
  ): Promise<number[]>;
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

  /**
   * The steps of a run, one row per step id (its current attempt, with earlier attempts inside its state), in the
   * order they were first written. Kept apart from the run so a transition writes only the steps it changed.
   */
  getSteps(key: RunKey): Promise<StepRecord[]>;
  /** `getSteps` of several runs in one go, in the order given. */
  getStepsOf(keys: readonly RunKey[]): Promise<StepRecord[][]>;
  /** Inserts or replaces steps of a run. Written by the holder of the run's version, in the same transaction. */
  putSteps(key: RunKey, steps: readonly StepRecord[]): Promise<void>;
}

export interface RequestKey {
  readonly workflow_id: string;
  readonly request_id: string;
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
 * The step attempt of another run that a run belongs to (a foreach iteration, a subworkflow): its end is that
 * step's business, raised as an event of the parent run in the transaction that ends it.
 */
export interface ParentRef extends RunKey {
  readonly step_id: string;
  readonly attempt: number;
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
  /** The step attempt this run belongs to; absent for a top-level run. */
  readonly parent?: ParentRef;
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

/** One run's write for `writeRuns`: the run, the version it was read at, and the steps that changed. */
export interface RunWrite {
  readonly run: RunRecord;
  readonly expectedVersion: number;
  readonly steps: readonly StepRecord[];
}
