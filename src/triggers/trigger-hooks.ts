import type { Clock } from '../engine/clock.js';
import type { Evaluator } from '../engine/evaluator.js';
import type { TriggerHooks } from '../engine/trigger-hooks.js';
import type { Store } from '../store/port.js';
import { matchSignal } from './signal-matcher.js';
import { syncSignalTriggers } from './signal-subscriptions.js';

/**
 * The trigger hooks an engine of `openBaton` gets: subscriptions follow each workflow change in its transaction,
 * and the scheduler's `signal` items are matched against signal triggers.
 */
export function createTriggerHooks(deps: {
  readonly store: Store;
  readonly clock: Clock;
  readonly evaluator: Evaluator;
}): TriggerHooks {
  return {
    async workflowChanged(tx, workflowId) {
      await syncSignalTriggers(tx, workflowId);
    },
    async handleSignal(item, engine) {
      const { name, seq_id } = item.payload as { name: string; seq_id: number };
      await matchSignal(deps.store, engine, { name, seq_id }, deps);
    },
  };
}
