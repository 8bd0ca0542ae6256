import type { Workflow, WorkflowCreateRequest } from '../model/definition.js';
import type { Breakpoint, RunKey, Store, StoreTx, WorkflowVersionRecord } from '../store/port.js';
import type { RunAction } from './events.js';
import type { AfterCommit } from './committer.js';
import type { LoadedRun } from './run-record.js';
import type { RestartRequest, StartRequest, StartResult } from './start-run.js';
import type { RunStarts } from './trigger-hooks.js';

/**
 * What one process's engine offers the layers above it (the API, the CLI, tests): the contract `createEngine`
 * implements. Every change goes through a transaction that checks and applies it together; a request that does not
 * apply is refused with an error saying why (`NotFoundError`, `IllegalStateError`: 404 and 409 in the API), never
 * answered as a success that did nothing.
 */
export interface Engine extends RunStarts {
  /** This process's name as a lease owner (`host:pid:random`). */
  readonly owner: string;
  readonly store: Store;

  /** Stores a new immutable version of a workflow (the definition must already be validated). */
  createWorkflow(request: WorkflowCreateRequest, author?: string): Promise<WorkflowVersionRecord>;
  /**
   * Applies `change` to a workflow (activation, deactivation, properties) and brings its trigger subscriptions in
   * line with the result, in one transaction (`TriggerHooks.workflowChanged`).
   */
  changeWorkflow<T>(workflowId: string, change: (tx: StoreTx, after: AfterCommit) => Promise<T>): Promise<T>;
  /** Starts a run (deduplicated by request id) and queues or starts it as its run strategy says. */
  startRun(request: StartRequest): Promise<StartResult>;
  /** Restarts an instance whose latest run ended: a new run, from incomplete steps by default. */
  restart(request: RestartRequest): Promise<StartResult>;
  /**
   * Restarts one step (Maestro's step restart): in a run still in progress, a new attempt of the step (undefined is
   * returned); once the run ended, a new run from that step (RESTART_FROM_SPECIFIC).
   */
  restartStep(
    key: { workflow_id: string; instance_id: number },
    stepId: string,
  ): Promise<StartResult | undefined>;
  /**
   * Stops, kills, skips or resumes a run or one of its steps, checked against the status and applied in one
   * transaction: resolves once applied; `IllegalStateError` with the reason when the status does not allow it,
   * `NotFoundError` when there is no such run.
   */
  action(key: RunKey, action: RunAction, stepId?: string, attempt?: number): Promise<void>;
  /**
   * Unblocks a FAILED run for STRICT_SEQUENTIAL, which holds its queue while the newest failed run is neither
   * restarted nor unblocked; queued runs then start.
   */
  unblock(key: RunKey): Promise<void>;

  /**
   * Deletes a workflow and everything of it (Maestro's DELETE /workflows/{id}): from the first commit on it is not
   * found and nothing of it starts; its runs, versions and history go in batches of `batch`, each a transaction of
   * its own, and waiters on permits its runs held are let in. Calling it again after a crash finishes the job.
   * Running steps are not stopped: their workers find their leases gone. NotFoundError when there is no such workflow.
   */
  deleteWorkflow(workflowId: string, batch?: number): Promise<void>;

  /** Stops matching step attempts in PAUSED before they run (0 in a field matches any); resume with RESUME. */
  setBreakpoint(breakpoint: Breakpoint): Promise<void>;
  deleteBreakpoint(breakpoint: Breakpoint): Promise<void>;
  /** A tag permit (`POST /tag-permits`): at most `maxAllowed` steps carrying `tag` run at once. */
  setTagPermit(tag: string, maxAllowed: number): Promise<void>;

  /** The definition of a stored version (cached: versions are immutable). */
  definition(workflowId: string, versionId: number): Promise<Workflow>;
  /** A run with its steps; with `onlyIfEnded`, the steps are read only once the run has ended. */
  getRun(key: RunKey, onlyIfEnded?: boolean): Promise<LoadedRun | undefined>;
  /** Calls `listener` with every run this engine writes, after the commit; returns a function that unsubscribes. */
  onRunChange(listener: (loaded: LoadedRun) => void): () => void;
  /**
   * Resolves when the run reaches a terminal status: at once when this engine writes it, and within `pollMs` when
   * another process does.
   */
  waitForEnd(key: RunKey): Promise<LoadedRun>;

  /** Begins claiming work: what is due now, timers as they come, and work abandoned by dead processes. */
  start(): void;
  /**
   * Stops gracefully (ARCHITECTURE invariant 7): claims nothing more, aborts the running attempts (a Shell step's
   * process group ends), waits for every commit in flight, then hands back to the store every item this engine
   * still holds. Another process takes a handed-back attempt over at once, as the same attempt: a stop is not the
   * step's failure and uses none of its retries.
   */
  stop(): Promise<void>;
}
