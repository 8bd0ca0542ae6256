import type { Store } from '../../src/store/port.js';

/** The outbox rows the engine writes for one run (carry-out.ts): identity plus what changed. */
export function stepEvent(runNo: number, seq: number, wf = 'wf') {
  return {
    type: 'STEP_INSTANCE_STATUS_CHANGE_EVENT',
    payload: {
      workflow_id: wf,
      workflow_instance_id: runNo,
      workflow_run_id: 1,
      step_id: `s${seq}`,
      step_attempt_id: 1,
      status_change_records: [{ old_status: 'NOT_CREATED', new_status: 'RUNNING', event_time: 1000 + seq }],
    },
    create_time: 1000 + seq,
  };
}

/** Appends `count` step events for each of `runs` runs, one transaction per event, runs interleaved. */
export async function appendEvents(store: Store, runs: number, count: number, wf = 'wf'): Promise<void> {
  for (let seq = 0; seq < count; seq++)
    for (let r = 1; r <= runs; r++) await store.transact((tx) => tx.appendOutbox([stepEvent(r, seq, wf)]));
}

export interface Received {
  readonly workflow_instance_id: number;
  readonly step_id: string;
}

/**
 * Checks what a sink received: every run's events, with duplicates (an at-least-once resend) dropped where the
 * event was seen before, are exactly `s0 … s(count-1)` in order.
 */
export function perRunSequences(received: readonly Received[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const e of received) {
    const list = out.get(e.workflow_instance_id) ?? [];
    if (!list.includes(e.step_id)) list.push(e.step_id);
    out.set(e.workflow_instance_id, list);
  }
  return out;
}

export function expectedSequence(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `s${i}`);
}
