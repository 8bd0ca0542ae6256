import type { SignalInstance, SignalParamValue } from '../model/signal.js';
import type { NewWorkItem, RunKey, SignalConstraint, SignalUse, SignalWait, StoreTx } from '../store/port.js';

// Step signal dependencies (REFERENCE §7.3), the runner's half: registering a step attempt's waits, and releasing
// them when a signal that meets them is stored. Both hold the signal name's lock (`lockSignalNames`, which
// `announceSignal` takes too), so an instance is either seen by the registering step or releases its wait: never
// neither. A released wait reaches its run as a timer item due now (the queue wakes the engines), carrying the
// `signals_matched` event; nothing polls.

/** A signal instance that met dependency `dependency` of a step. */
export interface DependencyMatch {
  readonly dependency: number;
  readonly signal_id: number;
  readonly params: { readonly [param: string]: SignalParamValue };
}

/** A dependency to wait for: a signal of this name meeting every constraint. */
export interface DependencyWait {
  readonly dependency: number;
  readonly name: string;
  readonly constraints: readonly SignalConstraint[];
}

/** The engine event a released wait delivers to its run (one of the engine's `EngineEvent`s). */
export interface SignalsMatchedEvent {
  readonly type: 'signals_matched';
  readonly step_id: string;
  readonly attempt: number;
  readonly matches: readonly DependencyMatch[];
}

/**
 * Registers the waits of a step attempt. Dependencies already met by a stored instance (any instance, no time bound,
 * as Maestro) are answered at once with a `signals_matched` item; the rest wait. Returns the items to enqueue.
 */
export async function registerWaits(
  tx: StoreTx,
  key: RunKey,
  stepId: string,
  attempt: number,
  waits: readonly DependencyWait[],
  now: number,
): Promise<NewWorkItem[]> {
  await tx.lockSignalNames(waits.map((w) => w.name));
  const matches: DependencyMatch[] = [];
  const pending: SignalWait[] = [];
  for (const w of waits) {
    const found = await tx.findSignal(w.name, w.constraints, 0);
    if (found) matches.push({ dependency: w.dependency, signal_id: found.seq_id, params: found.params });
    else pending.push({ ...key, step_id: stepId, attempt, ...w, create_time: now });
  }
  await tx.addSignalWaits(pending);
  if (matches.length === 0) return [];
  const names = new Map(waits.map((w) => [w.dependency, w.name]));
  await tx.recordSignalUses(
    matches.map((m) =>
      releasedUse(names.get(m.dependency)!, m.signal_id, key, stepId, attempt, m.dependency, now),
    ),
  );
  return [matchedItem(key, stepId, attempt, matches, now)];
}

/**
 * The waits a newly stored instance meets: deleted, recorded as released by it, and one `signals_matched` item per
 * step attempt returned for the caller to enqueue in the same transaction. Call it under the name's lock (in the
 * transaction that stored the instance: `announceSignal` holds it).
 */
export async function releaseWaits(tx: StoreTx, signal: SignalInstance, now: number): Promise<NewWorkItem[]> {
  const met = (await tx.signalWaitsOn(signal.name)).filter((w) => meetsAll(signal.params, w.constraints));
  if (met.length === 0) return [];
  await tx.deleteSignalWaitsOf(met);
  await tx.recordSignalUses(
    met.map((w) => releasedUse(signal.name, signal.seq_id, w, w.step_id, w.attempt, w.dependency, now)),
  );
  const byAttempt = new Map<string, { wait: SignalWait; matches: DependencyMatch[] }>();
  for (const w of met) {
    const id = `${w.workflow_id}/${w.instance_id}/${w.run_id}/${w.step_id}/${w.attempt}`;
    const entry = byAttempt.get(id) ?? { wait: w, matches: [] };
    entry.matches.push({ dependency: w.dependency, signal_id: signal.seq_id, params: signal.params });
    byAttempt.set(id, entry);
  }
  return [...byAttempt.values()].map(({ wait, matches }) =>
    matchedItem(wait, wait.step_id, wait.attempt, matches, now),
  );
}

/** Whether params meet every constraint: a string only a string (by code point), a number only a number. */
export function meetsAll(
  params: Readonly<Record<string, SignalParamValue>>,
  constraints: readonly SignalConstraint[],
): boolean {
  return constraints.every((c) => {
    const value = Object.hasOwn(params, c.param) ? params[c.param] : undefined;
    if (value === undefined || typeof value !== typeof c.value) return false;
    const order =
      typeof value === 'string'
        ? Buffer.compare(Buffer.from(value, 'utf8'), Buffer.from(c.value as string, 'utf8'))
        : Math.sign(value - (c.value as number));
    switch (c.operator) {
      case '=':
        return order === 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
    }
  });
}

function releasedUse(
  name: string,
  seq: number,
  key: RunKey,
  stepId: string,
  attempt: number,
  dependency: number,
  now: number,
): SignalUse {
  const { workflow_id, instance_id, run_id } = key;
  return {
    name,
    seq_id: seq,
    use: 'RELEASED_STEP',
    workflow_id,
    instance_id,
    run_id,
    step_id: stepId,
    attempt,
    dependency,
    create_time: now,
  };
}

function matchedItem(
  key: RunKey,
  stepId: string,
  attempt: number,
  matches: readonly DependencyMatch[],
  now: number,
): NewWorkItem {
  const event: SignalsMatchedEvent = { type: 'signals_matched', step_id: stepId, attempt, matches };
  return {
    kind: 'timer',
    workflow_id: key.workflow_id,
    instance_id: key.instance_id,
    run_id: key.run_id,
    payload: { event: event as never },
    run_at: now,
  };
}
