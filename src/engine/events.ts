import type { DependencyMatch, DependencyWait, SignalsMatchedEvent } from '../signals/step-waits.js';
import type { Step } from '../model/definition.js';
import type { StepType } from '../model/enums.js';
import type { JsonObject } from '../model/json.js';
import type { WorkflowInstanceStatus } from '../model/status.js';
import type { PermitRequest, RunKey } from '../store/port.js';
import type { SignalOutputState } from './state.js';
import type { StepResult } from './step-runtime.js';

/** What can happen to a run. Every event is handled by `decide`; events about an old attempt are ignored. */
export type EngineEvent =
  | { readonly type: 'start' }
  | {
      readonly type: 'step_result';
      readonly step_id: string;
      readonly attempt: number;
      readonly result: StepResult;
      /** The process that ran the attempt (its lease owner), kept with the attempt. */
      readonly worker?: string;
    }
  | { readonly type: 'retry'; readonly step_id: string; readonly attempt: number }
  | { readonly type: 'step_timeout'; readonly step_id: string; readonly attempt: number }
  | { readonly type: 'workflow_timeout' }
  | { readonly type: 'permits_granted'; readonly step_id: string; readonly attempt: number }
  | {
      readonly type: 'lease_expired';
      readonly step_id: string;
      readonly attempt: number;
      readonly owner: string;
    }
  /** Signals matched pending dependencies of a step attempt waiting in WAITING_FOR_SIGNALS. */
  | SignalsMatchedEvent
  /** A run that belongs to a step attempt of this run (`ParentRef`) ended, in the transaction that ended it. */
  | {
      readonly type: 'child_ended';
      readonly step_id: string;
      readonly attempt: number;
      readonly child: RunKey;
      readonly status: WorkflowInstanceStatus;
      /** The child's leaf steps by final status, nested loops and subworkflows included (`rollupOf`). */
      readonly rollup?: Rollup;
      /** The child's steps' params at its end (typed), for `params.getFromSubworkflow`. */
      readonly steps?: { readonly [stepId: string]: JsonObject };
    }
  /** The run a `start_child` effect asked for was made (or found: the same request), in the same transaction. */
  | {
      readonly type: 'child_started';
      readonly step_id: string;
      readonly attempt: number;
      readonly child: RunKey;
      readonly version_id: number;
    }
  /** The run a `start_child` effect asked for was refused (no such workflow or version, bad params, too deep). */
  | {
      readonly type: 'child_start_failed';
      readonly step_id: string;
      readonly attempt: number;
      readonly message: string;
    }
  | {
      readonly type: 'action';
      readonly action: RunAction;
      readonly step_id?: string;
      /** The attempt the user meant (resuming attempt 1); absent: whichever is current. */
      readonly attempt?: number;
    };

export const RunAction = {
  STOP: 'STOP',
  KILL: 'KILL',
  SKIP: 'SKIP',
  RESUME: 'RESUME',
  RESTART: 'RESTART',
  /** Releases a step waiting for signals: its pending dependencies become SKIPPED (`bypass`). */
  BYPASS_STEP_DEPENDENCIES: 'BYPASS_STEP_DEPENDENCIES',
} as const;
export type RunAction = (typeof RunAction)[keyof typeof RunAction];

/** Leaf steps by status (`{"SUCCEEDED": 4}`), across a run and the runs below it. */
export interface Rollup {
  readonly [status: string]: number;
}

/** What `decide` asks the runner to do, in the same transaction as the new state. */
export type Effect =
  | {
      readonly type: 'run_step';
      readonly step_id: string;
      readonly attempt: number;
      readonly step_type: StepType;
      readonly params: JsonObject;
      readonly start_time: number;
    }
  | { readonly type: 'cancel_step'; readonly step_id: string; readonly attempt: number }
  /** Take these permits for the attempt (all or none); the runner answers with `permits_granted` when it has them. */
  | {
      readonly type: 'acquire_permits';
      readonly step_id: string;
      readonly attempt: number;
      readonly permits: readonly PermitRequest[];
    }
  /** Permits `decide` saw free (DecideContext.permitState, counting what it took itself) and took: record them. */
  | {
      readonly type: 'hold_permits';
      readonly step_id: string;
      readonly attempt: number;
      readonly permits: readonly PermitRequest[];
    }
  /**
   * Start a run that belongs to the attempt (a subworkflow), in this transaction: answered with `child_started` or
   * `child_start_failed`, applied to this run in the same transaction.
   */
  | {
      readonly type: 'start_child';
      readonly step_id: string;
      readonly attempt: number;
      readonly workflow_id: string;
      readonly version: 'active' | 'latest' | 'default' | number;
      /** Its run params, typed (`{name: {type, value}}`). */
      readonly params: JsonObject;
      readonly sync: boolean;
      /** The tree's limit of leaf steps running at once (its root's `instance_step_concurrency`). */
      readonly instance_step_concurrency?: number;
      /** The child of the step in the run this one restarts: restarted (a new run of it), not started anew. */
      readonly restart?: RunKey;
    }
  /** Stop a run that belongs to the attempt (the attempt was stopped, timed out or its run is ending). */
  | {
      readonly type: 'stop_child';
      readonly step_id: string;
      readonly attempt: number;
      readonly child: RunKey;
    }
  /**
   * Start these iterations of a foreach attempt (runs of its inline workflow, instance k = iteration k) in this
   * transaction, and start them at once (they bypass admission: the loop keeps its own concurrency). `steps`, with
   * the first iterations, is the inline workflow's definition, stored then.
   */
  | {
      readonly type: 'start_iterations';
      readonly step_id: string;
      readonly attempt: number;
      readonly workflow_id: string;
      readonly steps?: readonly Step[];
      /** The kind of loop: the iterations' initiator type. */
      readonly loop: 'FOREACH' | 'WHILE';
      /** Each iteration's instance id and typed run params. */
      readonly iterations: readonly { readonly instance_id: number; readonly params: JsonObject }[];
      readonly instance_step_concurrency?: number;
    }
  /** Stop the unfinished iterations of a foreach attempt (it was stopped, timed out, failed or its run is ending). */
  | {
      readonly type: 'stop_iterations';
      readonly step_id: string;
      readonly attempt: number;
      readonly workflow_id: string;
    }
  /** The attempt no longer runs or waits: give its permits back and let waiters in. */
  | { readonly type: 'release_permits'; readonly step_id: string; readonly attempt: number }
  | { readonly type: 'timer'; readonly at: number; readonly event: EngineEvent }
  | { readonly type: 'emit'; readonly event_type: string; readonly payload: JsonObject }
  | { readonly type: 'run_ended'; readonly status: WorkflowInstanceStatus }
  /** Wait for these dependencies of the attempt: match them against stored signals now, register the rest. */
  | {
      readonly type: 'await_signals';
      readonly step_id: string;
      readonly attempt: number;
      readonly waits: readonly DependencyWait[];
    }
  /** The attempt no longer waits for signals: delete its waits. */
  | { readonly type: 'drop_signal_waits'; readonly step_id: string; readonly attempt: number }
  /** Announce the signals a step attempt outputs (REFERENCE §7.4), in this transaction. */
  | {
      readonly type: 'announce_signals';
      readonly step_id: string;
      readonly attempt: number;
      /** The step's `step_instance_id` (its place in the definition), for `signal_source`. */
      readonly step_instance_id: number;
      readonly signals: readonly SignalOutputState[];
    };

export type { DependencyMatch, DependencyWait };
