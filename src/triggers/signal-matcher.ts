import type { RunStarts } from '../engine/trigger-hooks.js';
import type { StartRequest, StartResult } from '../engine/start-run.js';
import type { SignalInstance } from '../model/signal.js';
import type { SignalTrigger, SignalTriggerEntry } from '../model/trigger.js';
import type { SignalConstraint, SignalTriggerKey, StoreTx } from '../store/port.js';
import { runKeyOf } from '../engine/run-record.js';
import { startedRunUses } from '../signals/lineage.js';
import { fireSignalTrigger, type FireDeps } from './signal-fire.js';

/** Constraints of a trigger entry's `match_params` (static values, each with its operator). */
function matchConstraints(entry: SignalTriggerEntry): SignalConstraint[] {
  return Object.entries(entry.match_params ?? {}).map(([param, m]) => ({
    param,
    operator: m.operator as SignalConstraint['operator'],
    value: m.value,
  }));
}

/**
 * The instances that complete a trigger with `instance`, by signal name, or undefined when one is missing: for every
 * other signal of the trigger, the earliest instance after its checkpoint that meets its match params and whose
 * join keys equal the new instance's, position by position (REFERENCE §7.2).
 */
async function completeMatch(
  tx: StoreTx,
  trigger: SignalTrigger,
  checkpoints: Readonly<Record<string, number>>,
  instance: SignalInstance,
): Promise<Record<string, SignalInstance> | undefined> {
  const joinValues = (trigger.definitions[instance.name]?.join_keys ?? []).map((k) => instance.params[k]);
  if (joinValues.some((v) => v === undefined)) return undefined;
  const matched: Record<string, SignalInstance> = { [instance.name]: instance };
  for (const [name, entry] of Object.entries(trigger.definitions)) {
    if (name === instance.name) continue;
    const keys = entry.join_keys ?? [];
    // Validation keeps join key lists of one length; a stored trigger that breaks it matches nothing.
    if (keys.length !== joinValues.length) return undefined;
    const joins = keys.map((param, i): SignalConstraint => ({ param, operator: '=', value: joinValues[i]! }));
    const found = await tx.findSignal(name, [...joins, ...matchConstraints(entry)], checkpoints[name] ?? 0);
    if (!found) return undefined;
    matched[name] = found;
  }
  return matched;
}

/**
 * Tries one trigger with a newly stored signal instance, in the caller's transaction, under the trigger's row lock.
 * Signal items are handled by any scheduler in any order, so the instances of the signal's name are taken as if
 * handled one by one in seq order: every instance after the trigger's checkpoint up to this one that meets its entry's
 * match params (checked by the store, with the same comparison as every other match) is tried in turn. When every
 * other signal of the trigger has a matching instance too, all their checkpoints move to the instances used (they are
 * consumed) and the trigger fires, in the same transaction: consumed and started commit together or not at all.
 * Returns what the last fire answered (undefined when nothing was consumed).
 */
export async function tryTrigger(
  tx: StoreTx,
  start: (request: StartRequest) => Promise<StartResult>,
  key: SignalTriggerKey,
  signal: { readonly name: string; readonly seq_id: number },
  deps: FireDeps,
): Promise<StartResult | 'consumed' | undefined> {
  const row = await tx.lockSignalTrigger(key);
  let checkpoints = row?.checkpoints;
  if (!row || checkpoints?.[signal.name] === undefined) return undefined;
  const trigger = row.definition as unknown as SignalTrigger;
  const entry = trigger.definitions[signal.name];
  if (!entry) return undefined;
  let fired: StartResult | 'consumed' | undefined;
  for (let after = checkpoints[signal.name]!; after < signal.seq_id;) {
    const instance = await tx.findSignal(signal.name, matchConstraints(entry), after);
    if (!instance || instance.seq_id > signal.seq_id) break;
    after = instance.seq_id;
    const matched = await completeMatch(tx, trigger, checkpoints!, instance);
    if (!matched) continue;
    const consumed = Object.fromEntries(Object.entries(matched).map(([name, s]) => [name, s.seq_id]));
    await tx.advanceSignalTrigger(key, consumed);
    checkpoints = { ...checkpoints, ...consumed };
    fired = await fireSignalTrigger(start, key, trigger, matched, deps);
    // The run and its lineage (which signal instances started it) are stored together.
    if (fired !== 'consumed' && fired.status === 'CREATED')
      await tx.recordSignalUses(startedRunUses(runKeyOf(fired.run), consumed, deps.clock.now()));
  }
  return fired;
}

/**
 * Handles a `signal` work item: tries every trigger that names the signal, each in a transaction of its own (a
 * trigger's row lock is held only for its own match), and fails after trying them all if one failed. Handling the item again (a crash before its ack) is harmless:
 * a trigger that consumed the signal has its checkpoint past it.
 */
export async function matchSignal(
  tx: { transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> },
  engine: RunStarts,
  signal: { readonly name: string; readonly seq_id: number },
  deps: FireDeps,
): Promise<void> {
  const keys = await tx.transact((t) => t.signalTriggersOf(signal.name));
  // One trigger that fails does not keep the signal from the others; the item is tried again for it (the triggers
  // that consumed the signal have their checkpoints past it by then).
  let failed: unknown;
  for (const key of keys) {
    try {
      await engine.startRunsIn((t, start) => tryTrigger(t, start, key, signal, deps));
    } catch (error) {
      failed ??= error;
    }
  }
  if (failed !== undefined) throw failed;
}
