import type { JsonObject } from '../model/json.js';
import type { RunKey, RunRecord } from '../store/port.js';
import type { RunState } from './state.js';

/** The store keeps a run's engine state as opaque JSON; these give it its type back. */
export function stateOf(run: RunRecord): RunState {
  return run.state as unknown as RunState;
}

export function toStateJson(state: RunState): JsonObject {
  return state as unknown as JsonObject;
}

export function runKeyOf(key: RunKey): RunKey {
  return { workflow_id: key.workflow_id, instance_id: key.instance_id, run_id: key.run_id };
}

export function runKeyString(key: RunKey): string {
  return `${key.workflow_id}/${key.instance_id}/${key.run_id}`;
}
