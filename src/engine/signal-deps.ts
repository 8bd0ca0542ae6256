import type { Step } from '../model/definition.js';
import { isJsonObject, type JsonObject } from '../model/json.js';
import type { ParamMap } from '../model/param.js';
import type { SignalParamValue } from '../model/signal.js';
import type { SignalConstraint } from '../store/port.js';
import type { Draft } from './draft.js';
import { EvaluationError, type Scope } from './evaluator.js';
import type { DependencyMatch, DependencyWait } from './events.js';
import type { RunState, SignalDependencyState, SignalMatch, StepState } from './state.js';

// Step signal dependencies (REFERENCE §7.3), the pure half: what `decide` does with them. An attempt of a step that
// has them evaluates them first (name and match params, with the run's params), then waits in WAITING_FOR_SIGNALS
// until each is MATCHED by a stored signal or SKIPPED by a bypass; only then are its params evaluated (they may read
// `params.getFromSignalDependency`) and it goes on as any step does. The waiting itself is the runner's: the
// `await_signals` effect registers the waits, and the announcement that meets one delivers `signals_matched`.

/**
 * The dependency states a new attempt starts with, or why they cannot be evaluated. What an earlier attempt (or the
 * previous run, for a restarted one) matched or bypassed stays so: the signal is there and stays there, and a bypass
 * is a person's decision (Maestro reuses the previous dependency state on restart).
 */
export function initialDependencies(
  draft: Draft,
  step: Step,
  earlier: readonly SignalDependencyState[] | undefined,
): SignalDependencyState[] | string {
  const out: SignalDependencyState[] = [];
  const scope = draft.scope();
  for (const [i, dep] of (step.signal_dependencies ?? []).entries()) {
    const kept = earlier?.[i];
    if (kept && kept.status !== 'PENDING') {
      out.push(kept);
      continue;
    }
    try {
      out.push(evaluateDependency(draft, dep.name, dep.match_params, scope));
    } catch (error) {
      if (!(error instanceof EvaluationError)) throw error;
      return `signal_dependencies[${i}] ('${dep.name}'): ${error.message}`;
    }
  }
  return out;
}

function evaluateDependency(
  draft: Draft,
  name: string,
  matchParams: NonNullable<Step['signal_dependencies']>[number]['match_params'],
  scope: Scope,
): SignalDependencyState {
  const evaluated = signalName(draft, name, scope);
  const entries = Object.entries(matchParams ?? {});
  if (entries.length === 0) return { name: evaluated, status: 'PENDING' };
  const defs: Record<string, ParamMap[string]> = {};
  for (const [param, m] of entries) defs[param] = m.param;
  const values = signalParamValues(draft, defs, scope, 'match_params');
  const match_params: Record<string, SignalMatch> = {};
  for (const [param, m] of entries) match_params[param] = { value: values[param]!, operator: m.operator };
  return { name: evaluated, status: 'PENDING', match_params };
}

/** A signal name with its `${param}`s filled in, as a STRING param's value is. */
export function signalName(draft: Draft, name: string, scope: Scope): string {
  const typed = draft.ctx.evaluator.signalParams({ signal_name: { type: 'STRING', value: name } }, scope);
  const value = draft.ctx.evaluator.plain(typed)['signal_name'];
  if (typeof value !== 'string' || value.trim() === '')
    throw new EvaluationError(`the name '${name}' evaluates to an empty name`);
  return value;
}

/**
 * Params that signals carry (match params, output params): each must be a STRING or a LONG (a safe integer), the
 * only types a signal param has.
 */
export function signalParamValues(
  draft: Draft,
  defs: ParamMap,
  scope: Scope,
  what: string,
): Record<string, SignalParamValue> {
  const typed = draft.ctx.evaluator.signalParams(defs, scope);
  const plain = draft.ctx.evaluator.plain(typed);
  const out: Record<string, SignalParamValue> = {};
  for (const [param, value] of Object.entries(plain)) {
    const type = isJsonObject(typed[param]) ? String(typed[param]['type']) : '?';
    if (!(typeof value === 'string' || Number.isSafeInteger(value)) || (type !== 'STRING' && type !== 'LONG'))
      throw new EvaluationError(`${what}.${param} is a ${type}; a signal param is a STRING or a LONG`);
    out[param] = value as SignalParamValue;
  }
  return out;
}

/** The waits for the pending dependencies. */
export function pendingWaits(deps: readonly SignalDependencyState[]): DependencyWait[] {
  return deps.flatMap((d, dependency) =>
    d.status === 'PENDING' ? [{ dependency, name: d.name, constraints: constraintsOf(d) }] : [],
  );
}

export function constraintsOf(dep: SignalDependencyState): SignalConstraint[] {
  return Object.entries(dep.match_params ?? {}).map(([param, m]) => ({
    param,
    operator: m.operator,
    value: m.value,
  }));
}

/** What `params.getFromSignalDependency(i, param)` reads: each dependency's matched params (none when skipped). */
export function dependencyScope(deps: readonly SignalDependencyState[] | undefined): Partial<Scope> {
  if (!deps) return {};
  return {
    signalDependencies: deps.map((d) => ({ name: d.name, params: (d.params ?? {}) as JsonObject })),
  };
}

/**
 * Starts waiting: the step is WAITING_FOR_SIGNALS with its dependencies, and the runner registers the waits (or
 * answers at once with the signals already stored).
 */
export function awaitSignals(draft: Draft, id: string, waiting: StepState): void {
  draft.set(id, { ...waiting, status: 'WAITING_FOR_SIGNALS' });
  draft.effects.push({
    type: 'await_signals',
    step_id: id,
    attempt: waiting.attempt,
    waits: pendingWaits(waiting.signal_dependencies ?? []),
  });
}

/** Signals met dependencies of the attempt: mark them; when none is pending, the attempt goes on. */
export function applySignalsMatched(
  draft: Draft,
  id: string,
  attempt: number,
  matches: readonly DependencyMatch[],
): void {
  const s = draft.steps[id];
  if (!s || s.attempt !== attempt || s.status !== 'WAITING_FOR_SIGNALS' || draft.run.ending) return;
  const deps = [...(s.signal_dependencies ?? [])];
  let changed = false;
  for (const m of matches) {
    const dep = deps[m.dependency];
    if (!dep || dep.status !== 'PENDING') continue; // already matched (a duplicate delivery) or bypassed
    deps[m.dependency] = { ...dep, status: 'MATCHED', signal_id: m.signal_id, params: m.params };
    changed = true;
  }
  if (!changed) return;
  const next = { ...s, signal_dependencies: deps };
  if (deps.some((d) => d.status === 'PENDING')) draft.set(id, next);
  else draft.prepare(id, next);
}

/** `bypass`: the pending dependencies become SKIPPED and the attempt goes on. */
export function bypassDependencies(draft: Draft, id: string): void {
  const s = draft.steps[id]!;
  const deps = (s.signal_dependencies ?? []).map((d) =>
    d.status === 'PENDING' ? { ...d, status: 'SKIPPED' as const } : d,
  );
  draft.prepare(id, { ...s, signal_dependencies: deps });
}

/**
 * What a restarted run's steps reuse of the previous run's signal dependencies: the states of every step that is
 * not carried over (it runs again), including what runs before the previous one had and it never reached.
 */
export function priorDependencies(
  previous: RunState,
  carried: { readonly [id: string]: StepState },
): RunState['prior_dependencies'] {
  const out: Record<string, readonly SignalDependencyState[]> = { ...previous.prior_dependencies };
  for (const [id, s] of Object.entries(previous.steps))
    if (s.signal_dependencies) out[id] = s.signal_dependencies;
  for (const id of Object.keys(carried)) delete out[id];
  return Object.keys(out).length > 0 ? out : undefined;
}
