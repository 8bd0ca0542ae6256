import type { JsonObject } from '../model/json.js';
import type { RunKey, RunRecord, StepRecord } from '../store/port.js';
import type { RunState, StepState } from './state.js';

/**
 * The store keeps a run's engine state as opaque JSON: the run-level part in the run row, and each step in a row
 * of its own (so a transition rewrites only the steps it changed). These give the parts their type back.
 */
export function stateOf(run: RunRecord, steps: readonly StepRecord[]): RunState {
  const out: Record<string, StepState> = {};
  for (const s of steps) out[s.step_id] = s.state as unknown as StepState;
  return { ...(run.state as unknown as Omit<RunState, 'steps'>), steps: out };
}

/** The run-level part of a state, for the run row. */
export function runStateJson(state: RunState | Omit<RunState, 'steps'>): JsonObject {
  const { steps: _steps, ...rest } = state as RunState;
  return rest as unknown as JsonObject;
}

export function stepRecords(state: RunState, ids: Iterable<string>): StepRecord[] {
  const out: StepRecord[] = [];
  for (const id of ids) {
    const s = state.steps[id];
    if (s) out.push({ step_id: id, status: s.status, attempt: s.attempt, state: s as unknown as JsonObject });
  }
  return out;
}

export function runKeyOf(key: RunKey): RunKey {
  return { workflow_id: key.workflow_id, instance_id: key.instance_id, run_id: key.run_id };
}

export function runKeyString(key: RunKey): string {
  return `${key.workflow_id}/${key.instance_id}/${key.run_id}`;
}

/** Text in code-unit order (not locale order): the order every lock on several rows is taken in. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The one order in which the engine locks several runs (a committer batch, a superseding start), so two
 * transactions never take the same runs the other way round.
 */
export function inLockOrder(keys: readonly RunKey[]): RunKey[] {
  return keys
    .map((k) => [runKeyString(k), runKeyOf(k)] as const)
    .sort(([a], [b]) => compareText(a, b))
    .map(([, k]) => k);
}

/** A run as the engine sees it: its record and its whole state, steps included. */
export interface LoadedRun {
  readonly run: RunRecord;
  readonly state: RunState;
}
