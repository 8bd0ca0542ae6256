import type { JsonObject, JsonValue } from '../model/json.js';
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
