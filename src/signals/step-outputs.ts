import type { Effect } from '../engine/events.js';
import { nameUuid } from '../events/event-shape.js';
import type { AnnouncedSignal, SignalAnnouncement } from '../model/signal.js';
import type { RunKey, StoreTx } from '../store/port.js';
import { releaseWaits } from './step-waits.js';

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

type AnnounceEffect = Extract<Effect, { type: 'announce_signals' }>;

export async function announceStepOutputs(
  tx: StoreTx,
  key: RunKey,
  effect: AnnounceEffect,
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
  return nameUuid(
    `signal-output:${key.workflow_id}/${key.instance_id}/${key.run_id}/${stepId}/${attempt}/${index}`,
  );
}

/**
 * Stores an announcement in `tx` and releases the step waits it meets (their wake-up items are enqueued in the same
 * transaction). The announcement is one `decide` built and checked; the signals API's `announceIn` (validation,
 * the trigger-matching `signal` item) is the general one: once both are merged, it calls `releaseWaits` the same
 * way and this one goes.
 */
export async function announceIn(tx: StoreTx, a: SignalAnnouncement, now: number): Promise<AnnouncedSignal> {
  const stored = await tx.announceSignal({
    name: a.name,
    instance_id: a.request_id!,
    params: a.params ?? {},
    payload: a.payload ?? {},
    request_time: a.request_time ?? now,
    create_time: now,
  });
  if (stored.status === 'CREATED') {
    const wake = await releaseWaits(tx, stored.signal, now);
    if (wake.length > 0) await tx.enqueue(wake);
  }
  return stored;
}
