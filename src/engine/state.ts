import type { JsonObject, JsonValue } from '../model/json.js';
import type { SignalOperator } from '../model/enums.js';
import type { SignalParamValue } from '../model/signal.js';
import type { RunKey } from '../store/port.js';
import { STEP_STATUS_TRAITS, type StepInstanceStatus, type WorkflowInstanceStatus } from '../model/status.js';

/**
 * The state of one run, as `decide` reads and writes it. The store keeps it as one JSON document per run (the
 * `state` column), versioned for optimistic concurrency; nothing in memory is authoritative.
 */
export interface RunState {
  /** Evaluated workflow params, by name. */
  readonly params: JsonObject;
  /** Step states by step id; a step that was never created has no entry (NOT_CREATED). */
  readonly steps: { readonly [stepId: string]: StepState };
  readonly start_time?: number;
  readonly end_time?: number;
  /** Set when the run is ending early (stop, kill, fail-immediately, timeout): what it will end as. */
  readonly ending?: WorkflowInstanceStatus;
  readonly message?: string;
  /**
   * For a restarted run: the signal dependency states of steps the previous runs did not complete, by step id, so
   * the step's new attempt reuses what was matched or bypassed (REFERENCE §7.3).
   */
  readonly prior_dependencies?: { readonly [stepId: string]: readonly SignalDependencyState[] };
  /** For a restarted run: the child of each subworkflow step it runs again, which that step restarts. */
  readonly prior_children?: { readonly [stepId: string]: RunKey };
  /** For a run below another (a subworkflow): the root's `instance_step_concurrency`, which caps the whole tree. */
  readonly instance_step_concurrency?: number;
}

export interface RetryCounts {
  readonly error: number;
  readonly platform: number;
  readonly timeout: number;
}

export interface AttemptRecord {
  readonly attempt: number;
  readonly status: StepInstanceStatus;
  readonly start_time?: number;
  readonly end_time?: number;
  readonly message?: string;
  readonly worker?: string;
}

export interface StepState {
  readonly status: StepInstanceStatus;
  /** `step_attempt_id`: 1 for the first attempt, +1 for each retry. */
  readonly attempt: number;
  readonly retries: RetryCounts;
  /** Evaluated params of the current attempt, with the step's output params merged in when it finished. */
  readonly params?: JsonObject;
  readonly outputs?: { readonly [name: string]: JsonValue };
  readonly artifacts?: JsonObject;
  readonly create_time: number;
  readonly start_time?: number;
  readonly end_time?: number;
  /** When a retry or a timeout is due (for views; the timer itself is a work item). */
  readonly next_retry_at?: number;
  /** The outcome of each outgoing transition, decided when the step completed: successor id → taken. */
  readonly transitions?: { readonly [successor: string]: boolean };
  readonly message?: string;
  /** The process that ran the current attempt (set when its result is recorded). */
  readonly worker?: string;
  /** Earlier attempts, oldest first. */
  readonly history?: readonly AttemptRecord[];
  /** Carried over from an earlier run by a restart (not run again in this run). */
  readonly carried?: boolean;
  /** The state of each of its `signal_dependencies`, in definition order (REFERENCE §7.3). */
  readonly signal_dependencies?: readonly SignalDependencyState[];
  /** The signals it announced when it succeeded (REFERENCE §7.4), static ones first, then dynamic ones. */
  readonly signal_outputs?: readonly SignalOutputState[];
  /**
   * How many of the runs that belong to this attempt (its iterations, its subworkflow) ended, by their final status:
   * kept in the transaction that ends each one (`child_ended`), so no view counts them by scanning.
   */
  readonly children?: { readonly [status: string]: number };
  /** The leaf steps of those runs (and of the runs below them) by final status, kept the same way. */
  readonly rollup?: { readonly [status: string]: number };
  /** A subworkflow step's child's step params (typed) at its end: what `params.getFromSubworkflow` reads. */
  readonly child_params?: { readonly [stepId: string]: JsonObject };
}

export type DependencyStatus = 'PENDING' | 'MATCHED' | 'SKIPPED';

/** One signal dependency of a step attempt: evaluated when the attempt starts, matched or bypassed later. */
export interface SignalDependencyState {
  /** The signal name, interpolated. */
  readonly name: string;
  readonly status: DependencyStatus;
  /** The evaluated match params (Maestro's shape: `{param: {value, operator}}`). */
  readonly match_params?: { readonly [param: string]: SignalMatch };
  /** The seq id of the instance that matched. */
  readonly signal_id?: number;
  /** That instance's params, for `params.getFromSignalDependency(i, param)`. */
  readonly params?: { readonly [param: string]: SignalParamValue };
}

export interface SignalMatch {
  readonly value: SignalParamValue;
  readonly operator: SignalOperator;
}

/** One signal a step announced: evaluated by `decide`, its seq id filled in when it is stored. */
export interface SignalOutputState {
  readonly name: string;
  readonly params: { readonly [param: string]: SignalParamValue };
  readonly payload: JsonObject;
  /** The seq id it was stored with (or the one already stored, when the announcement was a duplicate). */
  readonly signal_id?: number;
  /** When it was stored; absent when it was a duplicate (stored earlier). */
  readonly announce_time?: number;
}

export const NEW_RETRIES: RetryCounts = Object.freeze({ error: 0, platform: 0, timeout: 0 });

/** The status a finished run ends with (REFERENCE §2.5): failed over timed out over stopped over succeeded. */
export function finalStatus(steps: RunState['steps']): WorkflowInstanceStatus {
  const statuses = new Set(Object.values(steps).map((s) => s.status));
  if (statuses.has('FATALLY_FAILED') || statuses.has('INTERNALLY_FAILED')) return 'FAILED';
  if (statuses.has('TIMED_OUT')) return 'TIMED_OUT';
  if (statuses.has('STOPPED')) return 'STOPPED';
  return 'SUCCEEDED';
}

/** A step that will not change any more: terminal, and not waiting for a retry. */
export function isSettled(status: keyof typeof STEP_STATUS_TRAITS): boolean {
  const traits = STEP_STATUS_TRAITS[status];
  return traits.terminal && !traits.retryable;
}

/** A step's next attempt: what the previous one recorded goes to its history, what it did is not carried over. */
export function nextAttemptOf(previous: StepState, attempt: number): StepState {
  return {
    ...withoutAttemptFields(previous),
    attempt,
    history: [...(previous.history ?? []), attemptRecord(previous)],
  };
}

function withoutAttemptFields(s: StepState): StepState {
  const {
    params: _p,
    outputs: _o,
    artifacts: _a,
    start_time: _s,
    end_time: _e,
    next_retry_at: _n,
    message: _m,
    transitions: _t,
    worker: _w,
    signal_dependencies: _d,
    signal_outputs: _so,
    children: _c,
    rollup: _r,
    child_params: _cp,
    ...rest
  } = s;
  return rest;
}

function attemptRecord(s: StepState): AttemptRecord {
  return {
    attempt: s.attempt,
    status: s.status,
    ...(s.start_time === undefined ? {} : { start_time: s.start_time }),
    ...(s.end_time === undefined ? {} : { end_time: s.end_time }),
    ...(s.message === undefined ? {} : { message: s.message }),
    ...(s.worker === undefined ? {} : { worker: s.worker }),
  };
}
