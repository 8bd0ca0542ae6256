import type { Step, Workflow } from '../model/definition.js';
import type { ParamType } from '../model/enums.js';
import { ValidationError } from '../model/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import type { ParamMap } from '../model/param.js';
import {
  coerceInput,
  createParamEvaluator,
  defaultWorkflowParams,
  instanceFields,
  mergeRestartParams,
  mergeWorkflowParams,
  paramValueToJson,
  paramValueToSel,
  ParamError,
  ParamSource,
  runParamsFromValues,
  typeOfValue,
  type EvaluatedParam,
  type EvaluatedParams,
  type ParamContext,
  type SourcedParamMap,
  type StepState as ParamStepState,
} from '../params/index.js';
import { SelError, type SelLimits } from '../sel/index.js';
import { DEFAULT_LIMITS } from '../model/limits.js';
import { atPosition, createConditionNames } from './condition-names.js';
import { createSystemParamsMemo } from './system-params-memo.js';
import {
  EvaluationError,
  type Evaluator,
  type RunInfo,
  type RunParamsInput,
  type Scope,
} from './evaluator.js';

/**
 * The engine's Evaluator over the params layer. Run state keeps params as JSON — `{name: {type, value}}` — so
 * LONG and DOUBLE stay apart and a restart can re-read them; this adapter converts at the boundary.
 */
export interface TypedParam {
  readonly type: ParamType;
  readonly value: JsonValue;
  readonly mode?: string;
  readonly source?: string;
}

/** Conditions that are exactly a boolean literal (anything else, blanks included, goes through SEL). */
const LITERAL_CONDITIONS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
]);

export function createEngineEvaluator(options: { readonly limits?: Partial<SelLimits> } = {}): Evaluator {
  let now = 0;
  const params = createParamEvaluator(
    { clock: { now: () => now } },
    options.limits ? { limits: options.limits } : {},
  );
  const fromJsonCache = new WeakMap<JsonObject, EvaluatedParams>();
  const conditionNames = createConditionNames(options.limits);
  const systemParams = createSystemParamsMemo(params, DEFAULT_LIMITS.paramsJsonChars);

  const evaluatedOf = (typed: JsonObject): EvaluatedParams => {
    let cached = fromJsonCache.get(typed);
    if (!cached) {
      cached = new Map(
        Object.entries(typed).map(([name, raw]) => [name, toEvaluated(name, raw as unknown as TypedParam)]),
      );
      fromJsonCache.set(typed, cached);
    }
    return cached;
  };

  const contextOf = (scope: Scope, step?: Step): ParamContext => {
    const steps = new Map<string, ParamStepState>();
    for (const [id, p] of scope.steps) steps.set(id, { params: evaluatedOf(p) });
    return {
      steps,
      subworkflow: (stepId, innerId, name) => fromSubworkflow(scope, stepId, innerId, name),
      instance: fieldsOf(scope.info, step),
      ...signalContext(scope.info),
      ...(scope.signalDependencies ? { signalDependencies: scope.signalDependencies } : {}),
    };
  };

  /** `params.getFromSubworkflow(step, innerStep, param)`: a param of a step of a finished subworkflow step's child. */
  const fromSubworkflow = (scope: Scope, stepId: string, innerId: string, name: string) => {
    const child = scope.subworkflows?.get(stepId);
    if (!child)
      throw new SelError('ILLEGAL_ARGUMENT', `step '${stepId}' is not a subworkflow step that has finished`);
    const inner = child[innerId];
    if (!inner)
      throw new SelError(
        'ILLEGAL_ARGUMENT',
        `the run of subworkflow step '${stepId}' has no step '${innerId}'`,
      );
    const p = evaluatedOf(inner).get(name);
    if (!p)
      throw new SelError(
        'ILLEGAL_ARGUMENT',
        `step '${innerId}' of the run of subworkflow step '${stepId}' has no param '${name}'`,
      );
    return paramValueToSel(p.type, p.value);
  };

  const guard = <T>(what: string, f: () => T): T => {
    try {
      return f();
    } catch (error) {
      if (error instanceof ParamError)
        throw new EvaluationError(error.issues.map((i) => i.message).join('; '), { cause: error });
      if (error instanceof SelError)
        throw new EvaluationError(`${what}: ${atPosition(error.line, error.column)}${error.message}`, {
          cause: error,
        });
      throw error;
    }
  };

  /**
   * Workflow params of a new run: system defaults and the layers `merge` adds, evaluated; bad input is a 4xx.
   * A start (`memo`) shares the system params' evaluation with the other starts of the same time and zone.
   */
  const evaluateRunParams = (
    info: RunInfo,
    at: number,
    what: string,
    merge: (defaults: ParamMap) => SourcedParamMap,
    memo = false,
  ): JsonObject => {
    now = at;
    try {
      const defaults = defaultWorkflowParams({
        workflowId: info.workflow_id,
        ...(info.owner ? { owner: info.owner } : {}),
      });
      const merged = merge(defaults);
      const context = { instance: fieldsOf(info), ...signalContext(info) };
      const shared = memo ? systemParams.evaluate(merged, context, at) : undefined;
      return toTypedJson(shared ?? params.evaluate({ params: merged as ParamMap, context }));
    } catch (error) {
      if (error instanceof ParamError)
        throw new ValidationError(`the ${what} params are not valid`, error.issues, { cause: error });
      throw error;
    }
  };

  return {
    workflowParams(workflow: Workflow, runParams: RunParamsInput, info: RunInfo, at: number): JsonObject {
      return evaluateRunParams(
        info,
        at,
        'run',
        (defaults) =>
          mergeWorkflowParams({
            defaults,
            ...(workflow.params ? { definition: workflow.params } : {}),
            run: runParamsOf(runParams, workflow),
            runSource: ParamSource.LAUNCH,
          }),
        true,
      );
    },

    restartParams(
      workflow: Workflow,
      previous: JsonObject,
      runParams: RunParamsInput,
      info: RunInfo,
      at: number,
    ): JsonObject {
      return evaluateRunParams(info, at, 'restart', (defaults) =>
        mergeRestartParams({
          defaults,
          ...(workflow.params ? { definition: workflow.params } : {}),
          previous: evaluatedOf(previous),
          run: runParamsOf(runParams, workflow),
        }),
      );
    },

    stepParams(step: Step, scope: Scope): JsonObject {
      now = scope.now;
      if (!step.params) return {};
      return guard('params', () =>
        toTypedJson(
          params.evaluate({
            params: step.params!,
            outer: evaluatedOf(scope.workflowParams),
            context: contextOf(scope, step),
          }),
        ),
      );
    },

    condition(expression: string, scope: Scope): boolean {
      // The literals need no scope: `true` is the condition of nearly every edge (Maestro's default), and gathering
      // the params and the steps' outputs for it cost more than the rest of a step's decision.
      const literal = LITERAL_CONDITIONS.get(expression);
      if (literal !== undefined) return literal;
      now = scope.now;
      const outer = new Map([
        ...evaluatedOf(scope.workflowParams),
        ...(scope.ownParams ? evaluatedOf(scope.ownParams) : []),
      ]);
      // Every bare name must resolve before it runs (condition-names.ts): SEL would read a missing one as null.
      const result = guardCondition(() => {
        conditionNames.check(expression, (name) => outer.has(name), scope);
        return params.evaluateExpression(expression, outer, contextOf(scope));
      });
      if (typeof result !== 'boolean')
        throw new EvaluationError(`it gave ${String(result)}, not true or false`);
      return result;
    },

    triggerParams(definitions: ParamMap, at: number): JsonObject {
      now = at;
      try {
        return toTypedJson(params.evaluate({ params: definitions }));
      } catch (error) {
        if (error instanceof ParamError)
          throw new ValidationError('the signal trigger params are not valid', error.issues, {
            cause: error,
          });
        throw error;
      }
    },

    signalParams(defs: ParamMap, scope: Scope): JsonObject {
      now = scope.now;
      const outer = new Map([
        ...evaluatedOf(scope.workflowParams),
        ...(scope.ownParams ? evaluatedOf(scope.ownParams) : []),
      ]);
      return guard('params', () =>
        toTypedJson(params.evaluate({ params: defs, outer, context: contextOf(scope) })),
      );
    },

    outputs: typedOutputs,
    plain: plainParams,
  };
}

/** Plain values of typed params, for people (`baton run --json`) and for runtimes. */
export function plainParams(typed: JsonObject | undefined): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, raw] of Object.entries(typed ?? {}))
    out[name] = isJsonObject(raw) && 'type' in raw ? (raw['value'] ?? null) : raw;
  return out;
}

/** Output params of a step, typed like the step's param of the same name or by what the value looks like. */
export function typedOutputs(
  outputs: { readonly [k: string]: JsonValue },
  current: JsonObject | undefined,
): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(outputs)) {
    const known = current?.[name];
    const type =
      isJsonObject(known) && typeof known['type'] === 'string' ? (known['type'] as ParamType) : undefined;
    try {
      const v = type ? coerceInput(name, type, value) : coerceInput(name, guessType(value), value);
      out[name] = { type: typeOfValue(v), value: paramValueToJson(v), source: ParamSource.OUTPUT_PARAMETER };
    } catch {
      out[name] = {
        type: 'STRING',
        value: typeof value === 'string' ? value : JSON.stringify(value),
        source: ParamSource.OUTPUT_PARAMETER,
      };
    }
  }
  return out;
}

function guessType(value: JsonValue): ParamType {
  if (typeof value === 'number') return Number.isInteger(value) ? 'LONG' : 'DOUBLE';
  if (typeof value === 'boolean') return 'BOOLEAN';
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'boolean')) return 'BOOLEAN_ARRAY';
    if (value.every((v) => Number.isInteger(v))) return 'LONG_ARRAY';
    if (value.every((v) => typeof v === 'number')) return 'DOUBLE_ARRAY';
    return 'STRING_ARRAY';
  }
  if (isJsonObject(value))
    return Object.values(value).every((v) => typeof v === 'string') ? 'STRING_MAP' : 'MAP';
  return 'STRING';
}

function toTypedJson(evaluated: EvaluatedParams): JsonObject {
  const out: Record<string, JsonValue> = {};
  for (const [name, p] of evaluated)
    out[name] = { type: p.type, value: paramValueToJson(p.value), mode: p.mode, source: p.source };
  return out;
}

function toEvaluated(name: string, typed: TypedParam): EvaluatedParam {
  return {
    name,
    type: typed.type,
    value: coerceInput(name, typed.type, typed.value),
    mode: (typed.mode ?? 'MUTABLE') as EvaluatedParam['mode'],
    source: (typed.source ?? ParamSource.DEFINITION) as EvaluatedParam['source'],
    definition: { type: typed.type, value: typed.value },
    evaluated_time: 0,
  };
}

/** What `params.getFromSignal` reads in a run a signal trigger started; nothing for other runs. */
function signalContext(info: RunInfo): Pick<ParamContext, 'signalTriggerParams' | 'signals'> {
  return info.signal ? { signalTriggerParams: info.signal.params, signals: info.signal.signals } : {};
}

function fieldsOf(info: RunInfo, step?: Step): Readonly<Record<string, JsonValue>> {
  return instanceFields({
    workflowId: info.workflow_id,
    instanceId: info.instance_id,
    runId: info.run_id,
    ...(info.owner ? { owner: info.owner } : {}),
    initiator: {
      type: info.initiator_type,
      ...(info.initiator_timezone === undefined ? {} : { timezone: info.initiator_timezone }),
    } as never,
    runPolicy: info.run_policy,
    ...(step ? { step: { id: step.id } } : {}),
  });
}

/** A condition's failure, whatever raised it, as an EvaluationError that says where in the expression. */
function guardCondition<T>(f: () => T): T {
  try {
    return f();
  } catch (error) {
    if (error instanceof EvaluationError) throw error;
    if (error instanceof SelError)
      throw new EvaluationError(`${atPosition(error.line, error.column)}${error.message}`, { cause: error });
    if (error instanceof ParamError)
      throw new EvaluationError(error.issues.map((i) => i.message).join('; '), { cause: error });
    throw error;
  }
}

/** Run params as definitions: plain values typed after the params they override, then definitions as given. */
function runParamsOf(input: RunParamsInput, workflow: Workflow): ParamMap {
  return { ...runParamsFromValues(input.values ?? {}, workflow.params ?? {}), ...input.definitions };
}
