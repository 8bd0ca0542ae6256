import type { StoreTx, WorkItem } from '../store/port.js';
import type { Clock } from './clock.js';
import type { StartRequest, StartResult } from './start-run.js';

/**
 * What the triggers layer (src/triggers, above the engine) plugs into an engine: keeping trigger subscriptions (time
 * and signal) in line with each workflow's active version, and handling the scheduler's work items. The composition root builds
 * them (`openBaton`); an engine without them claims no scheduler work.
 */
export interface TriggerHooks {
  /**
   * Called in the transaction that changed what a workflow's triggers are (a version pushed or activated, the
   * workflow deactivated or deleted, its properties changed): brings its subscriptions in line, in that same
   * transaction, so no signal or fire time falls between the change and the subscription.
   */
  workflowChanged(tx: StoreTx, workflowId: string, now: number): Promise<void>;
  /**
   * Handles a claimed `signal` item: matches the signal against whatever waits for it, each match consumed and its
   * run started in one transaction (`RunStarts.startRunsIn`). Handling it again (after a crash) must be harmless.
   */
  handleSignal(item: WorkItem & { readonly kind: 'signal' }, engine: RunStarts): Promise<void>;
  /**
   * Takes a claimed `trigger` item (a workflow whose next time-trigger fire is due): the scheduler fires it in a
   * batch with others and sets the item to the next fire itself. Resolves once it is handled (never rejects).
   */
  fireTimeTriggers(item: WorkItem & { readonly kind: 'trigger' }): Promise<void>;
}

/** Starts runs in a caller's transaction: what the trigger handlers use so a consumption and its start commit together. */
export interface RunStarts {
  /**
   * Runs `work` in one engine transaction; `start` starts a run in it (as `Engine.startRun`, but inside `work`'s
   * transaction: the run exists iff the transaction commits). What the starts allow (admissions, local dispatch) is
   * carried out after the commit. The store may run `work` again (a serialization failure, a lost race): only the
   * try that commits counts.
   */
  startRunsIn<T>(
    work: (tx: StoreTx, start: (request: StartRequest) => Promise<StartResult>) => Promise<T>,
  ): Promise<T>;
}

/** How long a scheduler item whose handling failed waits before it is tried again: doubled per failure, to a cap. */
const RETRY_MS = 1000;
const RETRY_MAX_MS = 5 * 60_000;

/** The wait before the next try of an item that failed `failures` times in a row (1 s, 2 s, 4 s, … 5 min). */
export function retryDelayMs(failures: number): number {
  return Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** Math.max(0, Math.min(failures - 1, 30)));
}

/**
 * Runs the handlers of claimed scheduler items: acks an item once handled, puts it back for a retry when its
 * handling failed (its lease would otherwise hold it until it expires), later after each failure in a row (the
 * count travels in the item's payload, `failures`), so an item that keeps failing (a store error its data causes)
 * costs little while it waits for a fix. Tracks what is in flight so a graceful stop waits for it (`busy`/`idle`,
 * as the batchers).
 */
export function scheduledWork(deps: {
  readonly store: { transact<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> };
  readonly clock: Clock;
  readonly owner: string;
}) {
  const inFlight = new Set<Promise<void>>();
  async function settle(item: WorkItem, handle: () => Promise<void>): Promise<void> {
    try {
      await handle();
      await deps.store.transact((tx) => tx.ack([item.id], deps.owner));
    } catch (error) {
      const failures = (typeof item.payload['failures'] === 'number' ? item.payload['failures'] : 0) + 1;
      const delay = retryDelayMs(failures);
      process.emitWarning(
        `baton scheduler: handling ${item.kind} item ${item.id} failed (${failures} time${failures === 1 ? '' : 's'} in a row), retrying in ${delay / 1000} s: ${error instanceof Error ? error.message : String(error)}`,
      );
      await deps.store
        .transact((tx) =>
          tx.reschedule(item.id, deps.clock.now() + delay, { ...item.payload, failures }, deps.owner),
        )
        .catch(() => undefined); // the lease runs out and another process takes the item over
    }
  }
  return {
    /** Resolves once the item is handled (or put back for a retry); never rejects. */
    run(item: WorkItem, handle: () => Promise<void>): Promise<void> {
      const done = settle(item, handle).finally(() => inFlight.delete(done));
      inFlight.add(done);
      return done;
    },
    get busy(): boolean {
      return inFlight.size > 0;
    },
    async idle(): Promise<void> {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
  };
}
