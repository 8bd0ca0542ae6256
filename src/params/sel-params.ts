import type { JsonValue } from '../model/json.js';
import { SelError, type SelInput, type SelParams } from '../sel/index.js';
import { paramValueToSel } from './value-convert.js';
import type { EvaluatedParam, EvaluatedParams } from './types.js';

/** What the engine knows about a step that expressions may read through `params.getFromStep`. */
export interface StepState {
  readonly params: EvaluatedParams;
  /** `MAESTRO_STEP_STATUS`: the step's status name (SUCCEEDED, ...). */
  readonly status?: string;
  /** `MAESTRO_STEP_END_TIME`: epoch ms. */
  readonly end_time?: number;
}

/** A signal dependency's matched instance (`getFromSignalDependency('0', 'param')`). */
export interface SignalDependencyState {
  readonly name: string;
  readonly params: Readonly<Record<string, JsonValue>>;
}

/**
 * What the running system plugs into expressions, all optional: a context without a field makes the methods that
 * need it fail with "not available here". The engine fills it from instance and step state.
 */
export interface ParamContext {
  /** Steps by id (finished upstream steps, for cross-step references). */
  readonly steps?: ReadonlyMap<string, StepState>;
  /** System fields for `getFromInstance` (see `instanceFields`). */
  readonly instance?: Readonly<Record<string, JsonValue>>;
  /** The signal trigger's evaluated params (`getFromSignal('foo')`). */
  readonly signalTriggerParams?: Readonly<Record<string, JsonValue>>;
  /** Params of the signal instances that fired the trigger, by signal name (`getFromSignal('a', 'p')`). */
  readonly signals?: Readonly<Record<string, Readonly<Record<string, JsonValue>>>>;
  readonly signalDependencies?: readonly SignalDependencyState[];
  /** `getFromForeach(foreachStepId, innerStepId, param)`: the values by iteration. */
  readonly foreach?: (foreachStepId: string, innerStepId: string, param: string) => SelInput;
  readonly subworkflow?: (subworkflowStepId: string, innerStepId: string, param: string) => SelInput;
  readonly nextUniqueId?: () => bigint;
  readonly executionEnvironment?: string;
}

/** The system fields `getFromInstance` answers (REFERENCE §3.4); other keys are an error. */
export const INSTANCE_FIELDS: ReadonlySet<string> = new Set([
  'INITIATOR_TIMEZONE',
  'INITIATOR_TYPE',
  'INITIATOR_RUNNER_NAME',
  'RUN_POLICY',
  'owner',
  'FIRST_TIME_TRIGGER_TIMEZONE',
  'workflow_id',
  'workflow_instance_id',
  'workflow_run_id',
  'step_id',
  'step_instance_id',
  'step_instance_uuid',
  'step_attempt_id',
  'step_type_info',
  'MAESTRO_STEP_ERROR_RETRIES',
]);

function fail(message: string): never {
  throw new SelError('ILLEGAL_ARGUMENT', message);
}

function unavailable(method: string): never {
  throw new SelError(
    'UNSUPPORTED_METHOD',
    `params.${method} is not available here (no running instance provides it)`,
  );
}

function own<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}

function selOf(p: EvaluatedParam | undefined): SelInput {
  return p === undefined ? undefined : paramValueToSel(p.type, p.value);
}

/**
 * SEL's `params` extension over evaluated params. `resolve` answers a name the way a bare identifier resolves
 * (own scope, then workflow scope, then `step__param` cross-step names), so `params.get(x)`, `params[x]` and `x`
 * always agree.
 */
export function createSelParams(
  deps: { readonly resolve: (name: string) => EvaluatedParam | undefined },
  context: ParamContext = {},
): SelParams {
  return new ContextParams(deps.resolve, context);
}

/** A class, not an object of closures: one is made per expression evaluated, so its methods are shared. */
class ContextParams implements SelParams {
  constructor(
    private readonly resolve: (name: string) => EvaluatedParam | undefined,
    private readonly context: ParamContext,
  ) {}

  private fromStep(stepId: string, name: string): SelInput {
    const step = this.context.steps?.get(stepId);
    if (step === undefined)
      return fail(`Cannot find step [${stepId}] to read param [${name}] from (it is not an upstream step)`);
    if (name === 'MAESTRO_STEP_STATUS') return step.status;
    if (name === 'MAESTRO_STEP_END_TIME')
      return step.end_time === undefined ? undefined : BigInt(step.end_time);
    const p = step.params.get(name);
    if (p === undefined) return fail(`Cannot find param [${name}] in step [${stepId}]`);
    return selOf(p);
  }

  get(name: string): SelInput {
    return selOf(this.resolve(name));
  }

  containsKey(name: string): boolean {
    return this.resolve(name) !== undefined;
  }

  getFromStep(stepIdOrName: string, name?: string): SelInput {
    if (name !== undefined) return this.fromStep(stepIdOrName, name);
    // One argument: a field of the current step (MAESTRO_STEP_ERROR_RETRIES, ...) or one of its params.
    const field = own(this.context.instance, stepIdOrName);
    if (field !== undefined) return field;
    const p = this.resolve(stepIdOrName);
    return p === undefined ? fail(`Cannot find [${stepIdOrName}] in the current step`) : selOf(p);
  }

  getFromSignal(nameOrSignal: string, param?: string): SelInput {
    const context = this.context;
    if (param === undefined) {
      if (context.signalTriggerParams === undefined) return unavailable('getFromSignal');
      return own(context.signalTriggerParams, nameOrSignal);
    }
    if (context.signals === undefined) return unavailable('getFromSignal');
    const signal = own(context.signals, nameOrSignal);
    if (signal === undefined)
      return fail(`Cannot find signal [${nameOrSignal}] among the signals that started this run`);
    return own(signal, param);
  }

  getFromSignalOrDefault(signal: string, param: string, defaultValue: SelInput): SelInput {
    const v = own(own(this.context.signals, signal), param);
    return v === undefined ? defaultValue : v;
  }

  getFromSignalDependency(idx: string, param: string): SelInput {
    const deps = this.context.signalDependencies;
    if (deps === undefined) return unavailable('getFromSignalDependency');
    const dep = /^\d+$/.test(idx) ? deps[Number(idx)] : deps.find((d) => d.name === idx);
    if (dep === undefined) return fail(`Cannot find signal dependency [${idx}] of this step`);
    return own(dep.params, param);
  }

  getFromForeach(f: string, s: string, p: string): SelInput {
    return this.context.foreach ? this.context.foreach(f, s, p) : unavailable('getFromForeach');
  }

  getFromSubworkflow(f: string, s: string, p: string): SelInput {
    return this.context.subworkflow ? this.context.subworkflow(f, s, p) : unavailable('getFromSubworkflow');
  }

  getFromInstance(key: string): SelInput {
    if (!INSTANCE_FIELDS.has(key))
      return fail(`getFromInstance does not know [${key}]; it answers ${[...INSTANCE_FIELDS].join(', ')}`);
    return own(this.context.instance, key);
  }

  nextUniqueId(): SelInput {
    return this.context.nextUniqueId ? this.context.nextUniqueId() : unavailable('nextUniqueId');
  }

  getExecutionEnvironment(): SelInput {
    return this.context.executionEnvironment ?? unavailable('getExecutionEnvironment');
  }
}
