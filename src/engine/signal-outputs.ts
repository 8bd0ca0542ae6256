import { ValidationError } from '../model/errors.js';
import { isJsonObject, type JsonObject, type JsonValue } from '../model/json.js';
import { validateAnnouncement } from '../signals/validation.js';
import type { SignalParamValue } from '../model/signal.js';
import type { Draft } from './draft.js';
import { EvaluationError, type Scope } from './evaluator.js';
import { signalName, signalParamValues } from './signal-deps.js';
import type { OutputAnnounced } from '../signals/step-outputs.js';
import type { RunState, SignalOutputState } from './state.js';

// Step signal outputs (REFERENCE §7.4), the pure half: a step that succeeds announces the signals its definition
// lists (`signal_outputs`: name, params, payload, evaluated with the step's params) and the ones its run returned
// as the output param `signal_outputs` (a list of maps, each with a `name`). The runner announces them in the
// transaction that records the success (the `announce_signals` effect).

/** The output param a runtime returns dynamic signal outputs in. */
export const DYNAMIC_OUTPUTS = 'signal_outputs';

/** Whether a step that succeeded has signals to announce. */
export function hasSignalOutputs(
  defined: readonly unknown[] | undefined,
  outputs: { readonly [k: string]: JsonValue } | undefined,
): boolean {
  return (defined?.length ?? 0) > 0 || outputs?.[DYNAMIC_OUTPUTS] !== undefined;
}

/** The signals a step that succeeded announces, static ones first; a message saying which one is bad otherwise. */
export function evaluateSignalOutputs(
  draft: Draft,
  id: string,
  params: JsonObject,
  outputs: { readonly [k: string]: JsonValue } | undefined,
): SignalOutputState[] | string {
  const scope = draft.scope(params, id);
  const out: SignalOutputState[] = [];
  const step = draft.stepDef(id);
  for (const [i, o] of (step.signal_outputs ?? []).entries()) {
    try {
      out.push(staticOutput(draft, o, scope));
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      return `signal_outputs[${i}] ('${o.name}'): ${error.message}`;
    }
  }
  const dynamic = outputs?.[DYNAMIC_OUTPUTS];
  if (dynamic !== undefined && !Array.isArray(dynamic))
    return `the output param ${DYNAMIC_OUTPUTS} is not a list of signals (maps with a name)`;
  for (const [i, raw] of (dynamic ?? []).entries()) {
    const signal = dynamicOutput(raw);
    if (typeof signal === 'string') return `the output param ${DYNAMIC_OUTPUTS}[${i}]: ${signal}`;
    out.push(signal);
  }
  for (const signal of out) {
    const problem = announcementProblem(signal);
    if (problem !== undefined) return `signal output '${signal.name.slice(0, 64)}': ${problem}`;
  }
  return out;
}

/**
 * What the announce path would refuse in this output (sizes, names, values), checked here with the same rules
 * (`validateAnnouncement`): an output it would refuse fails the step, not the transaction that stores its success.
 */
function announcementProblem(s: SignalOutputState): string | undefined {
  try {
    validateAnnouncement({ name: s.name, params: s.params, payload: s.payload });
    return undefined;
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => i.message).join('; ');
    throw error;
  }
}

function staticOutput(
  draft: Draft,
  o: NonNullable<ReturnType<Draft['stepDef']>['signal_outputs']>[number],
  scope: Scope,
): SignalOutputState {
  const name = signalName(draft, o.name, scope);
  const params = signalParamValues(draft, o.params ?? {}, scope, 'params');
  if ('name' in params) throw new EvaluationError("params cannot have a param called 'name'");
  const payload = o.payload
    ? draft.ctx.evaluator.plain(draft.ctx.evaluator.signalParams(o.payload, scope))
    : {};
  return { name, params, payload };
}

/** A dynamic output: `{name, <param>: string or integer, ..., payload?: {...}}`. */
function dynamicOutput(raw: JsonValue): SignalOutputState | string {
  if (!isJsonObject(raw)) return 'it is not a map';
  const { name, payload, ...rest } = raw;
  if (typeof name !== 'string' || name.trim() === '') return "it has no 'name' (a non-empty string)";
  if (payload !== undefined && !isJsonObject(payload)) return `signal '${name}': payload is not a map`;
  const params: Record<string, SignalParamValue> = {};
  for (const [param, value] of Object.entries(rest)) {
    if (!(typeof value === 'string' || Number.isSafeInteger(value)))
      return `signal '${name}': param '${param}' is ${JSON.stringify(value)}; a signal param is a string or an integer`;
    params[param] = value as SignalParamValue;
  }
  return { name, params, payload: payload ?? {} };
}

/** The run's state with the seq ids (and announce times) of the signal outputs the runner stored. */
export function withAnnounced(state: RunState, announced: readonly OutputAnnounced[]): RunState {
  const steps = { ...state.steps };
  for (const a of announced) {
    const s = steps[a.step_id];
    const outputs = s?.signal_outputs;
    if (!s || !outputs?.[a.index]) continue;
    const next = [...outputs];
    next[a.index] = {
      ...outputs[a.index]!,
      signal_id: a.signal_id,
      ...(a.announce_time === undefined ? {} : { announce_time: a.announce_time }),
    };
    steps[a.step_id] = { ...s, signal_outputs: next };
  }
  return { ...state, steps };
}
