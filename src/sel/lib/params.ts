import { selError } from '../errors.js';
import type { SelInput } from '../convert.js';

/**
 * Maestro's `params` extension. The params layer implements it over an instance's evaluated params; SEL only
 * calls it with strings it got from the script. Results are boxed (deep-copied) by the interpreter, so an
 * implementation may hand out its own data. Return `undefined` for "absent" (SEL sees NULL). Throw a SelError
 * (e.g. ILLEGAL_ARGUMENT) for a failure the script's author should see; any other exception propagates out of
 * `evaluateSel` unchanged.
 */
export interface SelParams {
  get(name: string): SelInput;
  containsKey(name: string): boolean;
  /** `getFromStep(stepId, name)`; Maestro also accepts the one-argument form for a few system names. */
  getFromStep(stepIdOrName: string, name?: string): SelInput;
  /** One argument: a signal-trigger param; two: `(signalName, paramName)`. */
  getFromSignal(nameOrSignal: string, param?: string): SelInput;
  getFromSignalOrDefault(signal: string, param: string, defaultValue: SelInput): SelInput;
  /** `idx` is the 0-based dependency index as a string ('0'), as in Maestro's code. */
  getFromSignalDependency(idx: string, param: string): SelInput;
  getFromForeach(foreachStepId: string, innerStepId: string, param: string): SelInput;
  getFromSubworkflow(subworkflowStepId: string, innerStepId: string, param: string): SelInput;
  getFromInstance(key: string): SelInput;
  nextUniqueId(): SelInput;
  getExecutionEnvironment(): SelInput;
}

export type SelVariables = Readonly<Record<string, SelInput>> | ReadonlyMap<string, SelInput>;

export function lookupVariable(vars: SelVariables, name: string): SelInput {
  if (vars instanceof Map) return (vars as ReadonlyMap<string, SelInput>).get(name);
  return Object.hasOwn(vars, name) ? (vars as Readonly<Record<string, SelInput>>)[name] : undefined;
}

function unavailable(method: string): never {
  throw selError('UNSUPPORTED_METHOD', `params.${method} is not available in this context`);
}

/**
 * `params` over plain variables: `get`, `[..]` and `containsKey` read them; `getFromStep(step, name)` reads the
 * cross-step name `step__name`. Everything that needs a running instance is unavailable here.
 */
export function variablesParams(vars: SelVariables): SelParams {
  const has = (name: string): boolean => (vars instanceof Map ? vars.has(name) : Object.hasOwn(vars, name));
  return {
    get: (name) => lookupVariable(vars, name),
    containsKey: has,
    getFromStep: (stepId, name) => {
      const key = name === undefined ? stepId : `${stepId}__${name}`;
      if (!has(key)) throw selError('ILLEGAL_ARGUMENT', `Cannot find param [${key}] from step [${stepId}]`);
      return lookupVariable(vars, key);
    },
    getFromSignal: () => unavailable('getFromSignal'),
    getFromSignalOrDefault: (_s, _p, d) => d,
    getFromSignalDependency: () => unavailable('getFromSignalDependency'),
    getFromForeach: () => unavailable('getFromForeach'),
    getFromSubworkflow: () => unavailable('getFromSubworkflow'),
    getFromInstance: () => unavailable('getFromInstance'),
    nextUniqueId: () => unavailable('nextUniqueId'),
    getExecutionEnvironment: () => unavailable('getExecutionEnvironment'),
  };
}
