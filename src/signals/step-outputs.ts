import type { JsonObject } from '../model/json.js';
import type { SignalParamValue } from '../model/signal.js';
import type { RunKey, StoreTx } from '../store/port.js';
import { announceIn } from './announce.js';
import { stableUuid } from './stable-uuid.js';

// Step signal outputs (REFERENCE §7.4), the runner's half: the signals `decide` evaluated for a step that succeeded
// are stored in the transaction that records the success, each with a request id derived from the attempt and its
// place in the list, so a transaction tried again (or a commit replayed) finds them stored: DUPLICATED, not twice.

/** What became of one output: its seq id, and when it was stored (absent for a duplicate). */
export interface OutputAnnounced {
  readonly step_id: string;
  readonly index: number;
  readonly signal_id: number;
  readonly announce_time?: number;
}

/** The signals one step attempt outputs, as `decide` evaluated and checked them (its `announce_signals` effect). */
export interface StepOutputSignals {
  readonly step_id: string;
  readonly attempt: number;
  /** The step's `step_instance_id` (its place in the definition), for `signal_source`. */
  readonly step_instance_id: number;
  readonly signals: readonly {
    readonly name: string;
    readonly params: { readonly [param: string]: SignalParamValue };
    readonly payload: JsonObject;
  }[];
}

export async function announceStepOutputs(
  tx: StoreTx,
  key: RunKey,
  effect: StepOutputSignals,
  now: number,
): Promise<OutputAnnounced[]> {
  const signal_source = {
    workflow_id: key.workflow_id,
    workflow_instance_id: key.instance_id,
    workflow_run_id: key.run_id,
    step_id: effect.step_id,
    step_instance_id: effect.step_instance_id,
    step_attempt_id: effect.attempt,
  };
  const out: OutputAnnounced[] = [];
  for (const [index, s] of effect.signals.entries()) {
    const stored = await announceIn(
      tx,
      {
        name: s.name,
        params: s.params,
        payload: { ...s.payload, signal_source },
        request_id: outputRequestId(key, effect.step_id, effect.attempt, index),
      },
      now,
    );
    out.push({
      step_id: effect.step_id,
      index,
      signal_id: stored.signal.seq_id,
      ...(stored.status === 'CREATED' ? { announce_time: now } : {}),
    });
  }
  return out;
}

/** The instance id of output `index` of a step attempt: the same on every try. */
export function outputRequestId(key: RunKey, stepId: string, attempt: number, index: number): string {
  return stableUuid(
    'signal-output',
    `${key.workflow_id}/${key.instance_id}/${key.run_id}/${stepId}/${attempt}/${index}`,
  );
}
