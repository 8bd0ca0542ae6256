import type { Claim } from './claimer.js';
import type { StepType } from '../model/enums.js';
import type { InstanceKey, Store, StoreTx, WorkItem } from '../store/port.js';
import type { Clock } from './clock.js';
import type { Evaluator } from './evaluator.js';
import type { StepRuntimes } from './step-runtime.js';

/** What an engine is built from (`createEngine(deps, options)`). */
export interface EngineDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly runtimes: StepRuntimes;
  readonly evaluator: Evaluator;
  /** Step types this process runs; others fail as "not available". Defaults to every runtime given. */
  readonly available?: (type: StepType) => boolean;
  /** Time triggers (src/triggers, set by the composition root); without them the `schedule` claim is refused. */
  readonly triggers?: TriggerHooks;
}

/**
 * What the engine calls of the trigger layer above it (which it cannot import). Both are given by compose.ts.
 */
export interface TriggerHooks {
  /**
   * Called in the transaction of every engine change of what is active (a version created, a deletion started),
   * after the change: keeps the workflow's trigger state in step (`syncTimeTriggers`).
   */
  readonly workflowChanged: (tx: StoreTx, workflowId: string, now: number) => Promise<void>;
  /** Takes a claimed `trigger` work item (the `schedule` claim). */
  readonly fire: (item: WorkItem) => void;
}

export interface EngineOptions {
  /** Names this process in leases; unique per process start. */
  readonly owner?: string;
  /** Step attempts run at once in this process. */
  readonly workers?: number;
  /** How long a claimed item stays leased without a heartbeat. */
  readonly leaseMs?: number;
  readonly timeScale?: number;
  readonly maxBatch?: number;
  readonly logDir?: string;
  /**
   * What this process claims from the store: `decide` (timers, admissions of queued runs), `run` (step attempts, on
   * its workers) and/or `schedule` (due time triggers; needs `EngineDeps.triggers`); `CLAIM_OF_KIND` says which claim takes each kind of work item. Results of the
   * attempts a process runs are applied by that process either way.
   */
  readonly claims?: readonly Claim[];
  /**
   * How often an idle process looks in the store for work that others added, in case a wake-up was lost (other
   * processes also wake it through the store's `onWork`). 0 turns polling off.
   */
  readonly pollMs?: number;
  /**
   * Claims only the work of these instances and of the ones this engine starts or restarts itself: their step
   * attempts and timers, and admissions of their workflows (the port's `ClaimScope`). Runs of other instances that
   * it admits get no local worker either. `baton run` uses it to run its own run and nobody else's. Absent: all work.
   */
  readonly scope?: readonly InstanceKey[];
}
