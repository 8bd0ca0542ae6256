import type { StepType } from '../model/enums.js';
import type { JsonObject, JsonValue } from '../model/json.js';

/**
 * A step runtime runs one attempt of a leaf step. Outcomes are values, not exceptions: an exception that escapes
 * is treated as a platform error. Execution is at-least-once (a crash re-runs an attempt that may have started),
 * so runtimes must be idempotent or make their side effects so.
 */
export interface StepRuntime {
  /** False for a step type without a runtime yet: its steps fail as INTERNALLY_FAILED without running. */
  readonly available?: boolean;
  /**
   * Runs or polls the attempt. `continue` with `nextPollMs` asks to be called again later (the engine keeps a
   * durable timer, so nothing holds a worker while waiting); any other state ends the attempt.
   */
  execute(context: StepContext): Promise<StepResult>;
  /**
   * For a runtime with nothing to do outside the engine (NoOp): the outcome of an attempt, computed synchronously
   * and without side effects, so the engine completes the attempt inside the transition that starts it — no work
   * item, no worker, no second transaction (Maestro, too, runs such steps in the engine's own task). It must be a
   * pure function of the step's params: `decide` calls it, and it cannot ask to be polled (`continue`).
   */
  readonly inline?: InlineRun;
}

/** The synchronous outcome of an attempt of an inline runtime (StepRuntime.inline). */
export type InlineRun = (context: InlineContext) => StepResult & { readonly state: FinalOutcome };

export type FinalOutcome = Exclude<StepOutcome, 'continue'>;

/** What an inline runtime sees: StepContext without what only a worker has (signal, logs, clock). */
export type InlineContext = Pick<
  StepContext,
  'workflow_id' | 'instance_id' | 'run_id' | 'step_id' | 'attempt' | 'type' | 'params' | 'start_time'
>;

export interface StepContext {
  readonly workflow_id: string;
  readonly instance_id: number;
  readonly run_id: number;
  readonly step_id: string;
  readonly attempt: number;
  readonly type: StepType;
  /** The evaluated step params, as JSON. */
  readonly params: JsonObject;
  /** When this attempt started (epoch ms); lets a polled runtime (Sleep) resume after a crash. */
  readonly start_time: number;
  /** Where logs for this attempt go (a folder the runtime may create); undefined when logs are not kept. */
  readonly log_dir?: string;
  /** Aborted on stop, kill or timeout: the runtime ends its work (a whole process group for Shell) and returns. */
  readonly signal: AbortSignal;
  /** Reads the injected clock (epoch ms). */
  now(): number;
  /** Scales waits (sleep_seconds, not process runtime) for tests and demos: 1 = real time. */
  readonly time_scale: number;
}

export const StepOutcome = {
  continue: 'continue',
  done: 'done',
  user_error: 'user_error',
  platform_error: 'platform_error',
  fatal_error: 'fatal_error',
  stopped: 'stopped',
  timed_out: 'timed_out',
} as const;
export type StepOutcome = (typeof StepOutcome)[keyof typeof StepOutcome];

export interface StepResult {
  readonly state: StepOutcome;
  /** Output params by name; they set the step's params of those names, so `step__name` downstream sees them. */
  readonly outputs?: { readonly [name: string]: JsonValue };
  /** For `continue`: when to poll again. */
  readonly nextPollMs?: number;
  /** A line for the timeline and the user (the error for failures). */
  readonly message?: string;
  /** Output artifacts (e.g. `maestro_retry: {retryable: false}` stops retries). */
  readonly artifacts?: JsonObject;
}

/** Every step type has an entry; a type without a runtime yet fails its steps with a clear message. */
export type StepRuntimes = { readonly [T in StepType]: StepRuntime };
