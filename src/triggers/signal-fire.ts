import type { Clock } from '../engine/clock.js';
import type { Evaluator } from '../engine/evaluator.js';
import type { SignalInitiator } from '../engine/signal-initiator.js';
import type { StartRequest, StartResult } from '../engine/start-run.js';
import { NotFoundError, ValidationError, IllegalStateError } from '../model/errors.js';
import type { JsonObject } from '../model/json.js';
import type { SignalInstance } from '../model/signal.js';
import type { SignalTrigger } from '../model/trigger.js';
import type { SignalTriggerKey } from '../store/port.js';
import { sortedJson, stableUuid } from '../signals/stable-uuid.js';

export interface FireDeps {
  readonly clock: Clock;
  readonly evaluator: Evaluator;
}

/** One expression of a trigger evaluated as a param of `type`, outside any run; undefined when it fails. */
function evaluateOne(deps: FireDeps, type: 'BOOLEAN' | 'STRING', expression: string): unknown {
  try {
    const out = deps.evaluator.triggerParams({ value: { type, expression } }, deps.clock.now());
    return (out['value'] as { value?: unknown } | undefined)?.value;
  } catch (error) {
    if (error instanceof ValidationError) return undefined;
    throw error;
  }
}

/**
 * The run's request id: from `dedup_expr`'s result when it has one and it evaluates, otherwise from the match itself
 * (workflow, trigger, the instances consumed), so that only a new match is a new run. It is drawn inside the
 * transaction that consumes the signals: if that transaction is tried again, nothing of the earlier try was kept.
 */
function requestIdOf(
  deps: FireDeps,
  key: SignalTriggerKey,
  trigger: SignalTrigger,
  ids: Record<string, number>,
): string {
  const dedup = trigger.dedup_expr ? evaluateOne(deps, 'STRING', trigger.dedup_expr) : undefined;
  const unique =
    typeof dedup === 'string' && dedup !== ''
      ? dedup
      : sortedJson({ ...key, signal_ids: ids, condition: trigger.condition ?? null });
  return stableUuid('signal-trigger-run', unique);
}

function skip(key: SignalTriggerKey, why: string): 'consumed' {
  process.emitWarning(
    `baton scheduler: signal trigger ${key.trigger_uuid} of '${key.workflow_id}' consumed its signals without a run: ${why}`,
  );
  return 'consumed';
}

/**
 * Fires a trigger whose signals were just consumed: evaluates its params, then its condition (false or failing:
 * no run, the signals stay consumed, as Maestro does), then starts the workflow's ACTIVE version with a SIGNAL
 * initiator. A start the workflow refuses (gone, no active version, bad params) is logged and consumed too: trying
 * the same signals again would be refused again. Other errors propagate, and the transaction is tried again.
 */
export async function fireSignalTrigger(
  start: (request: StartRequest) => Promise<StartResult>,
  key: SignalTriggerKey,
  trigger: SignalTrigger,
  matched: Readonly<Record<string, SignalInstance>>,
  deps: FireDeps,
): Promise<StartResult | 'consumed'> {
  let params: JsonObject;
  try {
    params = trigger.params ? deps.evaluator.triggerParams(trigger.params, deps.clock.now()) : {};
  } catch (error) {
    if (error instanceof ValidationError) return skip(key, `its params do not evaluate: ${error.message}`);
    throw error;
  }
  if (trigger.condition !== undefined && trigger.condition.trim() !== '') {
    const holds = evaluateOne(deps, 'BOOLEAN', trigger.condition);
    if (holds !== true)
      return skip(key, `its condition is ${holds === false ? 'false' : 'not true or false'}`);
  }
  const ids = Object.fromEntries(Object.entries(matched).map(([n, s]) => [n, s.seq_id]));
  const initiator: SignalInitiator = {
    type: 'SIGNAL',
    trigger_uuid: key.trigger_uuid,
    signal_id_map: ids,
    params,
    signal_params: Object.fromEntries(Object.entries(matched).map(([n, s]) => [n, s.params])),
  };
  try {
    return await start({
      workflow_id: key.workflow_id,
      version: 'active',
      request_id: requestIdOf(deps, key, trigger, ids),
      initiator: initiator as unknown as JsonObject,
    });
  } catch (error) {
    if (
      error instanceof NotFoundError ||
      error instanceof ValidationError ||
      error instanceof IllegalStateError
    )
      return skip(key, `the start was refused: ${error.message}`);
    throw error;
  }
}
