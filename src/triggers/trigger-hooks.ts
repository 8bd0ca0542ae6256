import type { Clock } from '../engine/clock.js';
import type { Evaluator } from '../engine/evaluator.js';
import type { StartRequest, StartResult } from '../engine/start-run.js';
import type { TriggerHooks } from '../engine/trigger-hooks.js';
import type { Store } from '../store/port.js';
import type { CatchUp } from './catch-up.js';
import { createTimeTriggerScheduler, type TimeTriggerScheduler } from './scheduler.js';
import { matchSignal } from './signal-matcher.js';
import { syncSignalTriggers } from './signal-subscriptions.js';
import { syncTimeTriggers } from './sync.js';

export interface TriggerHooksDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly evaluator: Evaluator;
  /** Starts a run through the engine's batched start path (time triggers fire through it). */
  readonly start: (request: StartRequest) => Promise<StartResult>;
  /** The engine's lease owner, read when the first trigger item comes (the engine is built after the hooks). */
  readonly owner: () => string;
  readonly catchUp?: CatchUp;
}

/** The hooks, and `stop`: the time-trigger scheduler takes no more items and finishes those it took. */
export type Triggers = TriggerHooks & { stop(): Promise<void> };

/**
 * The trigger hooks an engine of `openBaton` gets: subscriptions (time and signal triggers) follow each workflow
 * change in its transaction, due time triggers are fired in batches, and the scheduler's `signal` items are matched
 * against signal triggers.
 */
export function createTriggerHooks(deps: TriggerHooksDeps): Triggers {
  let scheduler: TimeTriggerScheduler | undefined;
  const timeScheduler = (): TimeTriggerScheduler =>
    (scheduler ??= createTimeTriggerScheduler(
      { store: deps.store, clock: deps.clock, start: deps.start },
      { owner: deps.owner(), ...(deps.catchUp === undefined ? {} : { catchUp: deps.catchUp }) },
    ));
  return {
    async workflowChanged(tx, workflowId, now) {
      await syncTimeTriggers(tx, workflowId, now);
      await syncSignalTriggers(tx, workflowId);
    },
    async handleSignal(item, engine) {
      const { name, seq_id } = item.payload as { name: string; seq_id: number };
      await matchSignal(deps.store, engine, { name, seq_id }, deps);
    },
    fireTimeTriggers(item) {
      return timeScheduler().take(item);
    },
    async stop() {
      await scheduler?.stop();
    },
  };
}
