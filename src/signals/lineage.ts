import { isJsonObject, type JsonObject } from '../model/json.js';
import type { RunKey, SignalUse, StoreTx } from '../store/port.js';

/**
 * A signal instance's lineage (REFERENCE §7.4): the step that produced it (its `signal_source`, when a step's
 * signal outputs announced it), the runs it started (signal triggers) and the step dependencies it released.
 */
export interface SignalLineage {
  readonly name: string;
  readonly seq_id: number;
  readonly instance_id: string;
  readonly create_time: number;
  /** Absent when it was announced from outside (the API, the CLI, a signal source). */
  readonly signal_source?: JsonObject;
  readonly started_runs: readonly JsonObject[];
  readonly released_steps: readonly JsonObject[];
}

/**
 * The lineage rows of a run a signal trigger started: one per signal instance it consumed (its initiator's
 * `signal_id_map`, name → seq id). The trigger path records them (`recordSignalUses`) in the transaction that starts
 * the run, so a run and its lineage are stored together or not at all.
 */
export function startedRunUses(
  run: RunKey,
  signalIds: Readonly<Record<string, number>>,
  now: number,
): SignalUse[] {
  return Object.entries(signalIds).map(([name, seq_id]) => ({
    name,
    seq_id,
    use: 'STARTED_RUN',
    workflow_id: run.workflow_id,
    instance_id: run.instance_id,
    run_id: run.run_id,
    create_time: now,
  }));
}

/** The lineage of instance `seq` of `name`; undefined when there is no such instance. */
export async function signalLineage(
  tx: StoreTx,
  name: string,
  seq: number | 'latest',
): Promise<SignalLineage | undefined> {
  const signal = await tx.getSignal(name, seq);
  if (!signal) return undefined;
  const uses = await tx.signalUses(name, signal.seq_id);
  const source = signal.payload['signal_source'];
  const run = (u: (typeof uses)[number]) => ({
    workflow_id: u.workflow_id,
    workflow_instance_id: u.instance_id,
    workflow_run_id: u.run_id,
  });
  return {
    name,
    seq_id: signal.seq_id,
    instance_id: signal.instance_id,
    create_time: signal.create_time,
    ...(isJsonObject(source) ? { signal_source: source } : {}),
    started_runs: uses
      .filter((u) => u.use === 'STARTED_RUN')
      .map((u) => ({ ...run(u), create_time: u.create_time })),
    released_steps: uses
      .filter((u) => u.use === 'RELEASED_STEP')
      .map((u) => ({
        ...run(u),
        step_id: u.step_id!,
        step_attempt_id: u.attempt!,
        dependency_index: u.dependency!,
        create_time: u.create_time,
      })),
  };
}
