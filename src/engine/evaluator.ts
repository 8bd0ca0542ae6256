import type { Step, Workflow } from '../model/definition.js';
import type { JsonObject, JsonValue } from '../model/json.js';
import type { ParamMap } from '../model/param.js';

/** Facts about the run that expressions may read (`params.getFromInstance(...)`, system params). */
export interface RunInfo {
  readonly workflow_id: string;
  readonly instance_id: number;
  readonly run_id: number;
  readonly owner?: string;
  readonly initiator_type: string;
  /** A time trigger's zone (its initiator's `timezone`): WORKFLOW_CRON_TIMEZONE and the target dates follow it. */
  readonly initiator_timezone?: string;
  readonly run_policy: string;
  readonly correlation_id: string;
  /** A run a signal trigger started: what `params.getFromSignal` reads (`signalFactsOf(initiator)`). */
  readonly signal?: SignalFacts;
}

/** The signal trigger's evaluated params and the params of the signal instances that fired it, by signal name. */
export interface SignalFacts {
  readonly params: Readonly<Record<string, JsonValue>>;
  readonly signals: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
}

/** What a step's params and conditions can see: workflow params, its own params and finished upstream steps. */
export interface Scope {
  readonly workflowParams: JsonObject;
  readonly ownParams?: JsonObject;
  /** Params of steps that finished, by step id (read as `step__param`). */
  readonly steps: ReadonlyMap<string, JsonObject>;
  /** Finished subworkflow steps' children's step params, by subworkflow step id (`params.getFromSubworkflow`). */
  readonly subworkflows?: ReadonlyMap<string, { readonly [stepId: string]: JsonObject }>;
  readonly info: RunInfo;
  readonly now: number;
  /** The step's signal dependencies as matched (`params.getFromSignalDependency`), while evaluating its params. */
  readonly signalDependencies?: readonly { readonly name: string; readonly params: JsonObject }[];
}

/**
 * Evaluates params and conditions. Pure (it reads the clock only through `now` in its arguments), so `decide`
 * stays pure. Throws `EvaluationError` when an expression fails; the engine fails the step as INTERNALLY_FAILED.
 */
/**
 * Run params of a start or a restart, in either form a caller has them: plain values (`{"x": 5}`: `--param x=5`,
 * triggers) or Maestro's param definitions (`{"x": {"value": 5, "type": "LONG"}}`, or an `expression`: the API).
 * A name given both ways takes its definition.
 */
export interface RunParamsInput {
  readonly values?: JsonObject;
  readonly definitions?: ParamMap;
}

export interface Evaluator {
  workflowParams(workflow: Workflow, runParams: RunParamsInput, info: RunInfo, now: number): JsonObject;
  /** Workflow params of a restart: the previous run's, kept or re-evaluated as each param's mode says. */
  restartParams(
    workflow: Workflow,
    previous: JsonObject,
    runParams: RunParamsInput,
    info: RunInfo,
    now: number,
  ): JsonObject;
  stepParams(step: Step, scope: Scope): JsonObject;
  condition(expression: string, scope: Scope): boolean;
  /**
   * Param definitions outside a step's params — signal dependency match params, signal output params and payload —
   * evaluated as a step's params are, seeing the workflow params and `scope.ownParams` (typed JSON, as stepParams).
   */
  signalParams(params: ParamMap, scope: Scope): JsonObject;
  /** A step's output params in the same form as evaluated params, typed like `current` where names match. */
  outputs(outputs: { readonly [name: string]: JsonValue }, current: JsonObject | undefined): JsonObject;
  /**
   * Params evaluated outside any run: a signal trigger's `params`, and its `condition` and `dedup_expr` as one param
   * each (BOOLEAN, STRING). No workflow params, no steps. Bad params (an expression that fails) throw
   * `ValidationError`.
   */
  triggerParams(params: ParamMap, now: number): JsonObject;
  /** Evaluated params as plain values (what a step runtime and a person see). */
  plain(params: JsonObject | undefined): JsonObject;
}

export class EvaluationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EvaluationError';
  }
}

/** What RunInfo takes from a run's initiator: its type, and a time trigger's zone. */
export function initiatorInfo(initiator: JsonObject): Pick<RunInfo, 'initiator_type' | 'initiator_timezone'> {
  const type = initiator['type'];
  const zone = initiator['timezone'];
  return {
    initiator_type: typeof type === 'string' ? type : 'MANUAL',
    ...(typeof zone === 'string' ? { initiator_timezone: zone } : {}),
  };
}
