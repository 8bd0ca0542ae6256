import type { RunKey } from './runs.js';
import type { SignalConstraint } from './signals.js';

/**
 * Step signal dependencies and signal lineage (REFERENCE §7.3, §7.4). A step attempt waiting in WAITING_FOR_SIGNALS
 * has one wait row per dependency still pending; an announcement of the name finds the waits its instance meets and
 * deletes them as it wakes their runs, so nothing polls. Whoever registers or releases waits holds the name's lock
 * (`lockSignalNames` / `announceSignal`), so an instance never falls between a step's check and its registration.
 *
 * Lineage: what a signal instance started (signal-trigger runs) and released (step dependencies), one row each,
 * written when it happens. Who produced an instance is in its payload (`signal_source`).
 */
export interface SignalWaitTx {
  /** Registers waits; a wait of the same step dependency already stored (an older attempt's) is replaced. */
  addSignalWaits(waits: readonly SignalWait[]): Promise<void>;
  /** Every wait on a name, oldest first. */
  signalWaitsOn(name: string): Promise<SignalWait[]>;
  /**
   * Deletes the waits of a run; with `stepId`, of that step only; with `attempt` too, only that attempt's (a newer
   * attempt's waits stay). Returns how many went.
   */
  deleteSignalWaits(key: RunKey, stepId?: string, attempt?: number): Promise<number>;
  /** Deletes these waits (by run, step, attempt and dependency index); the ones already gone are no error. */
  deleteSignalWaitsOf(waits: readonly SignalWaitKey[]): Promise<void>;
  /** Records what signal instances started or released; a use already recorded is not recorded twice. */
  recordSignalUses(uses: readonly SignalUse[]): Promise<void>;
  /** What one signal instance started and released, in the order it happened. */
  signalUses(name: string, seq: number): Promise<SignalUse[]>;
}

/** One pending signal dependency of a step attempt. */
export interface SignalWaitKey extends RunKey {
  readonly step_id: string;
  readonly attempt: number;
  /** The dependency's index in the step's `signal_dependencies`. */
  readonly dependency: number;
}

export interface SignalWait extends SignalWaitKey {
  /** The signal name, interpolated. */
  readonly name: string;
  /** The evaluated match params: an instance must meet them all. */
  readonly constraints: readonly SignalConstraint[];
  readonly create_time: number;
}

/**
 * One use of a signal instance: a run a signal trigger started with it (`STARTED_RUN`), or a step dependency it
 * satisfied (`RELEASED_STEP`, with the step, attempt and dependency index).
 */
export interface SignalUse extends RunKey {
  readonly name: string;
  readonly seq_id: number;
  readonly use: 'STARTED_RUN' | 'RELEASED_STEP';
  readonly step_id?: string;
  readonly attempt?: number;
  readonly dependency?: number;
  readonly create_time: number;
}
